"""`python build.py import FILE.docx … --collection NAME`: Word write-ups become content items.

Each document becomes `content/<collection>/<title>.md` with its photos beside
it (`<slug>-1.jpg`, original bytes). Nothing that exists is overwritten unless
`--force`, and then the old files go to `.exhibit-backup/<time>/` first, as
`check --fix` keeps them. The preview's drop import (devserver) calls
`import_upload`, which runs the same steps.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from exhibit.authoring.docx_convert import Converted, convert, photo_marker
from exhibit.authoring.docx_fields import Guess, find_date, find_unit, front_matter
from exhibit.authoring.docx_source import DOCX_SUFFIXES, LEGACY_SUFFIXES, ImportProblem, opened
from exhibit.authoring.fix import _backup, _backup_folder
from exhibit.authoring.scaffold import EXIT_FAILED, EXIT_OK, EXIT_USAGE, _error, _taken_by, resolve_collection
from exhibit.diagnostics import Diagnostic, Diagnostics, Severity, print_diagnostics
from exhibit.i18n import format_message, normalise_language
from exhibit.model.collections import COLLECTIONS, CollectionSpec
from exhibit.model.config import SiteConfig, load_config
from exhibit.project import Project
from exhibit.read.fields import suggest
from exhibit.read.lint import lint_text
from exhibit.read.slugs import slugify
from exhibit.render.output import new_file_mode

_NOT_IN_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')
NAME_MAX_CHARS = 60
DEFAULT_DROP_COLLECTION = "activities"


@dataclass(frozen=True)
class ImportOptions:
    collection: str
    unit: str | None = None
    dry_run: bool = False
    force: bool = False


@dataclass
class Imported:
    """What one document became."""

    item: str  # content file, relative to the site root
    photos: list[str]
    url_path: str  # the item's page in the site
    converted_by: str | None
    skipped_photos: list[str]
    lint: list[Diagnostic] = field(default_factory=list)
    backup: str | None = None


@dataclass(frozen=True)
class _Plan:
    item: Path
    text: str
    photos: dict[Path, bytes]


def import_documents(project: Project, written: list[Path], options: ImportOptions, lang: str | None) -> int:
    """The command: import each document, print what was written; an exit code."""
    config = _config(project, lang)
    lang = normalise_language(lang or (config.language if config else None))
    if config is None:
        _error("new_no_site", lang, folder=str(project.root))
        return EXIT_FAILED
    spec = _collection(options.collection, lang)
    if spec is None or (options.unit and not _unit_known(options.unit, config, lang)):
        return EXIT_USAGE
    failed = 0
    for source in _documents(written, lang):
        if source is None:
            failed += 1
            continue
        try:
            result = import_one(project, config, spec, source, source.name, options, lang)
        except ImportProblem as problem:
            _error(problem.code, lang, **problem.args_)
            failed += 1
            continue
        _print_result(result, options.dry_run, lang)
    return EXIT_FAILED if failed else EXIT_OK


def import_one(project: Project, config: SiteConfig, spec: CollectionSpec, source: Path, shown: str,
               options: ImportOptions, lang: str) -> Imported:
    """Convert one document and write it (unless a dry run); ImportProblem says why it could not be."""
    with opened(source, shown) as document:
        converted = convert(document.document)
        converted_by = document.converted_by
    name = _file_name(converted.title) or _file_name(Path(shown).stem)
    slug = slugify(name)
    if not slug:
        raise ImportProblem("import_no_title", file=shown)
    plan = _plan(project, config, spec, converted, name, slug, shown, options, lang)
    backup = _guard(project, spec, plan, slug, options.force)
    rel = plan.item.relative_to(project.root).as_posix()
    lint = [Diagnostic(f.code, f.args, rel, f.line, f.col, Severity.WARNING)
            for f in lint_text(plan.text, True, config.language or lang)]
    if not options.dry_run:
        _write(plan, options.force)
    return Imported(rel, [path.relative_to(project.root).as_posix() for path in plan.photos],
                    f"{spec.name}/{slug}.html", converted_by, converted.skipped_photos, lint, backup)


def _plan(project: Project, config: SiteConfig, spec: CollectionSpec, converted: Converted, name: str, slug: str,
          shown: str, options: ImportOptions, lang: str) -> _Plan:
    folder = project.content_dir / spec.name
    photo_names = [f"{slug}-{number}{photo.suffix}" for number, photo in enumerate(converted.photos, 1)]
    body = converted.body
    alt = converted.title.replace("[", "").replace("]", "")
    for number, photo_name in enumerate(photo_names, 1):
        body = body.replace(f"![]({photo_marker(number)})", f"![{alt}]({photo_name})")
    unit = options.unit or find_unit(converted.text, config)
    guess = Guess(converted.title or name, find_date(converted.text), unit, tuple(photo_names))
    text = f"---\n{front_matter(spec, guess, config, lang, shown, slug)}---\n{body}"
    photos = {folder / photo_name: photo.data for photo_name, photo in zip(photo_names, converted.photos, strict=True)}
    return _Plan(folder / f"{name}.md", text, photos)


def _guard(project: Project, spec: CollectionSpec, plan: _Plan, slug: str, force: bool) -> str | None:
    """Refuse to overwrite without --force; with it, back the old files up first. The backup folder."""
    existing = [path for path in (plan.item, *plan.photos) if path.exists()]
    rel = plan.item.relative_to(project.root).as_posix()
    taken = _taken_by(project, spec.name, slug)
    if taken is not None and taken != rel:
        raise ImportProblem("new_exists", path=taken, slug=slug)
    if not existing:
        return None
    if not force:
        raise ImportProblem("import_exists", path=existing[0].relative_to(project.root).as_posix())
    stamp = _backup_folder(project.root)
    folder = None
    for path in existing:
        folder = _backup(project.root, path.relative_to(project.root).as_posix(), path.read_bytes(), stamp)
    return folder.relative_to(project.root).as_posix() if folder else None


def _write(plan: _Plan, force: bool) -> None:
    """Photos first, the item last (the item names them); each file whole or not at all."""
    plan.item.parent.mkdir(parents=True, exist_ok=True)
    for path, data in plan.photos.items():
        _write_file(path, data, force)
    _write_file(plan.item, plan.text.encode("utf-8"), force)


def _write_file(path: Path, data: bytes, force: bool) -> None:
    if not force:
        with path.open("xb") as handle:  # "x": never overwrite, even in a race
            handle.write(data)
        return
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    with os.fdopen(handle, "wb") as stream:
        stream.write(data)
    try:  # the replaced file's mode, not mkstemp's owner-only one: a shared folder's file stays shared
        shutil.copymode(path, temp)
    except OSError:
        os.chmod(temp, new_file_mode())
    os.replace(temp, path)


def _file_name(title: str) -> str:
    """The title as a file name any system accepts (Windows forbids \\ / : * ? " < > |)."""
    name = " ".join(_NOT_IN_NAMES.sub(" ", title).split()).strip(". ")
    return name[:NAME_MAX_CHARS].rstrip(". ")


def _config(project: Project, lang: str | None) -> SiteConfig | None:
    if not project.content_dir.is_dir():
        return None
    return load_config(project.root, project.content_dir, Diagnostics(), lang)


def _collection(written: str, lang: str) -> CollectionSpec | None:
    name = resolve_collection(written)
    if name is None:
        _error("new_unknown_collection", lang, value=written, choices=", ".join(COLLECTIONS),
               suggestion=suggest(written.lower(), COLLECTIONS))
        return None
    return COLLECTIONS[name]


def _unit_known(unit: str, config: SiteConfig, lang: str) -> bool:
    if config.units.get(unit) is not None:
        return True
    _error("unit_unknown", lang, value=unit, suggestion=suggest(unit, config.units.ids()))
    return False


def _documents(written: Iterable[Path], lang: str) -> Iterator[Path | None]:
    """The files named, and the Word files inside the folders named; None after reporting a missing one."""
    suffixes = DOCX_SUFFIXES + LEGACY_SUFFIXES
    for path in written:
        if path.is_dir():
            yield from (child for child in sorted(path.rglob("*"))
                        if child.is_file() and child.suffix.lower() in suffixes
                        and not child.name.startswith(("~$", ".")))
        elif path.is_file():
            yield path
        else:
            _error("import_missing_file", lang, file=str(path))
            yield None


def _print_result(result: Imported, dry_run: bool, lang: str) -> None:
    if result.converted_by:
        print(format_message("import_converted", lang, {"file": result.item})[0])
    if result.backup:
        print(format_message("fix_backup", lang, {"folder": result.backup})[0])
    for path in (*result.photos, result.item):
        print(format_message("import_would_write" if dry_run else "import_wrote", lang, {"path": path})[0])
    for content_type in result.skipped_photos:
        _error("import_photo_skipped", lang, file=result.item, kind=content_type)
    print_diagnostics(result.lint, lang, sys.stderr)


@dataclass(frozen=True)
class DropResult:
    """The answer to a preview drop: the page to open, or what went wrong."""

    url_path: str | None
    message: str
    hint: str | None = None


def import_upload(project: Project, filename: str, data: bytes, collection: str, lang: str | None) -> DropResult:
    """A document dropped on the preview: imported like the command does, into `collection` (else activities)."""
    config = _config(project, lang)
    language = normalise_language(lang or (config.language if config else None))
    if config is None:
        return DropResult(None, *format_message("new_no_site", language, {"folder": str(project.root)}))
    spec = COLLECTIONS[resolve_collection(collection) or DEFAULT_DROP_COLLECTION]
    shown = Path(filename.replace("\\", "/")).name or "upload.docx"
    with tempfile.TemporaryDirectory(prefix="exhibit-drop-") as folder:
        source = Path(folder) / ("upload" + Path(shown).suffix.lower())
        source.write_bytes(data)
        try:
            result = import_one(project, config, spec, source, shown, ImportOptions(spec.name), language)
        except ImportProblem as problem:
            return DropResult(None, *format_message(problem.code, language, problem.args_))
    return DropResult(result.url_path, format_message("import_wrote", language, {"path": result.item})[0])
