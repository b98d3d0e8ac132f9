"""Finds content files and splits them into records: front matter, body, and where each begins.

Files come from Windows machines and Chinese input methods, so decoding is
forgiving (BOM, GBK, UTF-16, CRLF) and says what it did.

Which folders are collections is the model's business (exhibit/model/collections.py),
and this stage sits below the model: the functions that sort files into collections
take the collection names as an argument (`collections`, in the order messages list them).
"""

from __future__ import annotations

import codecs
import hashlib
import re
from collections.abc import Callable, Collection, Iterator, MutableMapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from exhibit.diagnostics import Diagnostic, Diagnostics
from exhibit.read.fields import suggest
from exhibit.read.paths import LOOP, OUTSIDE, RefusedLink, parts_under, posix_under, walk_files
from exhibit.read.yamltext import LinedDict, LinedList, load_yaml

MARKDOWN_SUFFIXES = (".md", ".markdown")
YAML_SUFFIXES = (".yaml", ".yml")
RESERVED_FILES = ("site.yaml", "site.yml")
SCREENS_FOLDER = "screens"
"""Content that makes no pages of its own: one YAML file per display screen (see exhibit/kiosk/screens.py)."""


@dataclass(frozen=True)
class Record:
    """One content item as written: its fields, its story and where they are in the file."""

    collection: str
    path: Path
    rel: str
    fields: LinedDict
    body: str
    body_line: int
    stem: str | None

    @property
    def line(self) -> int:
        return self.fields.line


def read_text(path: Path, rel: str, diagnostics: Diagnostics, data: bytes | None = None) -> str | None:
    """Decode a file the way a Windows user may have saved it (`data`: its bytes, if read); None if unreadable."""
    try:
        data = path.read_bytes() if data is None else data
    except OSError as error:
        diagnostics.error("read_failed", rel, detail=error.strerror or str(error))
        return None
    text = _decode(data, rel, diagnostics)
    if text is None:
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode(data: bytes, rel: str, diagnostics: Diagnostics) -> str | None:
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        bad_line = data[: error.start].count(b"\n") + 1
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        diagnostics.error("decode_failed", rel, bad_line, 1)
        return None
    diagnostics.warning("decoded_as_gbk", rel, bad_line, 1)
    return text


def _files_under(folder: Path) -> Iterator[Path]:
    yield from walk_files(folder, _site_root_of(folder)).files


def _site_root_of(folder: Path) -> Path:
    """The site root a content folder (or content/screens) belongs to: links may lead anywhere inside it."""
    return folder.parent.parent if folder.name == SCREENS_FOLDER else folder.parent


def content_files(content_dir: Path, root: Path | None = None, diagnostics: Diagnostics | None = None) -> list[Path]:
    """Every file under content/ that may matter, in the order records are read.

    Sorting by path parts gives folders before same-named YAML files (honors/ before
    honors.yaml), the order slug conflicts are judged in. A symbolic link is followed
    only when it stays inside the site root; with `diagnostics`, each link refused is
    reported (an error when it leads outside, a warning when dangling or a loop).
    """
    site_root = root if root is not None else content_dir.parent
    walk = walk_files(content_dir, site_root)
    if diagnostics is not None:
        _report_refused(walk.refused, site_root, diagnostics)
    return walk.files


def _report_refused(refused_links: list[RefusedLink], site_root: Path, diagnostics: Diagnostics) -> None:
    """Links leading outside are errors (the file is missing from the site); dangling ones and loops, warnings."""
    for refused in refused_links:
        rel = refused.path.relative_to(site_root).as_posix()
        if refused.reason == OUTSIDE:
            diagnostics.error("symlink_outside", rel)
        elif refused.reason == LOOP:
            diagnostics.warning("symlink_loop", rel)
        else:
            diagnostics.warning("symlink_dangling", rel)


def source_kind(content_dir: Path, path: Path, collections: Collection[str]) -> tuple[str, str] | None:
    """('markdown' | 'list' | 'stray' | 'unknown', collection or folder) for a content file; None for media."""
    parts = parts_under(path, content_dir)
    suffix = path.suffix
    if parts[0] == SCREENS_FOLDER and len(parts) > 1:
        return None  # screens are read by discover_screens, not as a collection
    if len(parts) == 1:
        if path.name in RESERVED_FILES:
            return None
        if suffix in YAML_SUFFIXES and path.stem in collections:
            return "list", path.stem
        if suffix in MARKDOWN_SUFFIXES + YAML_SUFFIXES:
            return "stray", ""
        return None
    if parts[0] not in collections:
        return ("unknown", parts[0]) if suffix in MARKDOWN_SUFFIXES else None
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown", parts[0]
    if suffix in YAML_SUFFIXES:
        return "list", parts[0]
    return None


def read_content_file(root: Path, content_dir: Path, path: Path, collections: Collection[str],
                      diagnostics: Diagnostics, data: bytes | None = None) -> list[Record]:
    """The records of one content file (`data`: its bytes, when read already); its own problems go to `diagnostics`."""
    kind = source_kind(content_dir, path, collections)
    if kind is None or kind[0] in ("stray", "unknown"):
        return []
    rel = posix_under(path, root)
    if kind[0] == "markdown":
        record = _read_markdown(kind[1], path, rel, diagnostics, data)
        return [record] if record is not None else []
    return list(_read_list_file(kind[1], path, rel, diagnostics, data))


def layout_problems(root: Path, content_dir: Path, files: list[Path], collections: Collection[str],
                    diagnostics: Diagnostics) -> None:
    """Files in the wrong place: outside every collection, or in a folder that is not one."""
    reported: set[str] = set()
    for path in files:
        kind = source_kind(content_dir, path, collections)
        if kind is None:
            continue
        rel = path.relative_to(root).as_posix()
        if kind[0] == "stray":
            diagnostics.warning("stray_content_file", rel, choices=", ".join(collections))
        elif kind[0] == "unknown" and kind[1] not in reported:
            reported.add(kind[1])
            diagnostics.error("unknown_collection", rel, 1, 1, folder=kind[1], choices=", ".join(collections),
                              suggestion=suggest(kind[1], collections))


RecordCache = MutableMapping[str, tuple[list[Record], list[Diagnostic]]]
ContentHash = Callable[[str], str | None]  # root-relative path -> sha256 of the file's bytes, or None
ContentBytes = Callable[[str], bytes | None]  # root-relative path -> the bytes that hash was made of (once), or None


def discover(root: Path, content_dir: Path, collections: Collection[str], diagnostics: Diagnostics,
             known: RecordCache | None = None,
             content_hash: ContentHash | None = None, files: list[Path] | None = None,
             content_bytes: ContentBytes | None = None) -> list[Record]:
    """Every record of every collection, in a stable order.

    `known`: records and problems by `record_key` (the engine's cache, which receives the new ones): a file
    whose bytes were read before is not decoded or parsed again. Records are never changed after reading.
    `content_hash`: a file's sha256 by its root-relative path, when the caller knows it (else it is read);
    `content_bytes`: the bytes that sha256 was made of, where the caller kept them (the file is not read again,
    and the record is of the very bytes its key names).
    `files`: content_files(content_dir, root, diagnostics), when the caller has walked the folder already."""
    if files is None:
        files = content_files(content_dir, root, diagnostics)
    layout_problems(root, content_dir, files, collections, diagnostics)
    records: list[Record] = []
    for path in files:
        if known is None:
            records.extend(read_content_file(root, content_dir, path, collections, diagnostics))
        else:
            records.extend(_read_known(root, content_dir, path, collections, diagnostics, known, content_hash,
                                       content_bytes))
    return records


def _read_known(root: Path, content_dir: Path, path: Path, collections: Collection[str], diagnostics: Diagnostics,
                known: RecordCache, content_hash: ContentHash | None,
                content_bytes: ContentBytes | None = None) -> list[Record]:
    data = None
    rel = posix_under(path, root)
    content = content_hash(rel) if content_hash else None
    if content is not None and content_bytes is not None:
        data = content_bytes(rel)
    if content is None:
        try:
            data = path.read_bytes()
        except OSError:  # read again, to report it
            return read_content_file(root, content_dir, path, collections, diagnostics)
        content = hashlib.sha256(data).hexdigest()
    key = record_key(path, content, collections)
    found = known.get(key)
    if found is None:
        problems = Diagnostics()
        found = (read_content_file(root, content_dir, path, collections, problems, data), list(problems.items))
        known[key] = found
    diagnostics.extend(found[1])
    return found[0]


def record_key(path: Path, content: str, collections: Collection[str]) -> str:
    """What a file's records follow from: its bytes (`content`: their sha256), where it is, the collections
    and PyYAML. Exhibit's own code is the cache holder's to answer for (the engine's cache carries it)."""
    key = f"{yaml.__version__}\0{path}\0{'/'.join(collections)}\0{content}"
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()


_FENCE_LOOKALIKE = re.compile(r"^\s*(?:——+|—{3,}|－{3,}|―{3,}|-{3,})\s*$")
_FIELD_LINE = re.compile(r"^(?:[ \t]*[A-Za-z_][\w-]*[ \t]*[:：]|[ \t]+\S|[ \t]*-[ \t]|[ \t]*#)")


def _where_fields_end(text: str) -> int:
    """The line where the closing --- is missing: the first that is not a field (for the message)."""
    lines = text.split("\n")
    for index in range(1, len(lines)):
        if not _FIELD_LINE.match(lines[index]):
            return index + 1
    return len(lines)


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(front matter, body, first body line) or None when the opening --- is never closed."""
    lines = text.split("\n")
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1:]), index + 2
    return None


def _read_markdown(collection: str, path: Path, rel: str, diagnostics: Diagnostics,
                   data: bytes | None = None) -> Record | None:
    text = read_text(path, rel, diagnostics, data)
    if text is None:
        return None
    first_line = text.split("\n", 1)[0].rstrip()
    if first_line != "---":
        if _FENCE_LOOKALIKE.match(first_line):
            diagnostics.error("frontmatter_fence_lookalike", rel, 1, 1, value=first_line.strip())
        else:
            diagnostics.error("frontmatter_missing", rel, 1, 1)
        return None
    parts = split_front_matter(text)
    if parts is None:
        line = _where_fields_end(text)
        diagnostics.error("frontmatter_unclosed", rel, line, 1, at_line=line)
        return None
    front, body, body_line = parts
    data, problems = load_yaml(front, rel, first_line=2)
    diagnostics.extend(problems)
    if data is None and not problems:
        data = LinedDict()
        data.line = 1
    if not isinstance(data, LinedDict):
        if data is not None and not problems:  # a slip already reported explains the odd shape
            diagnostics.error("frontmatter_not_mapping", rel, 2, 1)
        return None
    return Record(collection, path, rel, data, body, body_line, path.stem)


def _read_list_file(collection: str, path: Path, rel: str, diagnostics: Diagnostics,
                    data: bytes | None = None) -> Iterator[Record]:
    """A YAML file of records: a list, or a single mapping (one record)."""
    text = read_text(path, rel, diagnostics, data)
    if text is None:
        return
    data, problems = load_yaml(text, rel)
    diagnostics.extend(problems)
    if data is None:
        return
    if isinstance(data, LinedDict):
        yield _yaml_record(collection, path, rel, data, path.stem)
        return
    if not isinstance(data, LinedList):
        if not problems:
            diagnostics.error("list_file_not_list", rel, 1, 1, name=path.name)
        return
    for entry, line in zip(data, data.item_lines, strict=False):
        if isinstance(entry, LinedDict):
            yield _yaml_record(collection, path, rel, entry, None)
        else:
            diagnostics.error("list_item_not_mapping", rel, line, 1)


def _yaml_record(collection: str, path: Path, rel: str, data: LinedDict, stem: str | None) -> Record:
    body = data.pop("body", "")
    body_line = data.value_lines.get("body", data.line)
    return Record(collection, path, rel, data, body if isinstance(body, str) else "", body_line, stem)


def discover_screens(root: Path, content_dir: Path, diagnostics: Diagnostics) -> list[Record]:
    """One record per `content/screens/*.yaml`; the file stem is the screen id unless `id:` says otherwise."""
    folder = content_dir / SCREENS_FOLDER
    if not folder.is_dir():
        return []
    records: list[Record] = []
    for path in _files_under(folder):
        rel = path.relative_to(root).as_posix()
        if path.suffix in MARKDOWN_SUFFIXES:
            diagnostics.error("screen_not_yaml", rel, 1, 1)
        elif path.suffix in YAML_SUFFIXES:
            record = _read_screen_file(path, rel, diagnostics)
            if record is not None:
                records.append(record)
    return records


def _read_screen_file(path: Path, rel: str, diagnostics: Diagnostics) -> Record | None:
    text = read_text(path, rel, diagnostics)
    if text is None:
        return None
    data, problems = load_yaml(text, rel)
    diagnostics.extend(problems)
    if data is None and problems:
        return None
    if not isinstance(data, LinedDict):
        diagnostics.error("screen_not_mapping", rel, 1, 1)
        return None
    return Record(SCREENS_FOLDER, path, rel, data, "", data.line, path.stem)
