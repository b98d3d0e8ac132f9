"""`python build.py new <collection> <title>`: a new content file with every required field filled in.

The file is named by the title's slug (pinyin for Chinese), dated today, given
a unit that exists, and lists the optional fields as comments in the site's
language. It never overwrites a file, nor takes a slug another item has.
"""

from __future__ import annotations

import datetime as dt
import json
import sys

import yaml

from exhibit.diagnostics import Diagnostics
from exhibit.i18n import LANGUAGES, format_message, label, normalise_language
from exhibit.model.collections import COLLECTIONS, RESERVED_NAMES
from exhibit.model.config import SiteConfig, load_config
from exhibit.project import Project
from exhibit.read.fields import suggest
from exhibit.read.slugs import slugify
from exhibit.read.sources import discover

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
MAX_SLUG_LENGTH = 80
"""Characters in a new file's slug: the file name and every address made from it stay short enough
for Windows paths (260 characters in all) and for sharing a link."""
BODY = {
    "zh-CN": "<!-- 在这里写正文（Markdown）。这行注释不会显示在页面上，可以删除。 -->\n",
    "en": "<!-- Write the story here (Markdown). This comment is not shown on the page; delete it. -->\n",
}


def resolve_collection(written: str) -> str | None:
    """'workers', 'Workers', 'worker', '劳模先进' or 'Model workers' -> 'workers' (names from the registry)."""
    key = written.strip().lower()
    if key in COLLECTIONS:
        return key
    for name, spec in COLLECTIONS.items():
        if key in spec.aliases:
            return name
    for name, spec in COLLECTIONS.items():
        words = [label(spec.label, lang) for lang in LANGUAGES]
        if written.strip() in (*words, *(word.lower() for word in words)):
            return name
    return None


def yaml_scalar(text: str) -> str:
    """The text as a YAML value that reads back as exactly that text."""
    try:
        if yaml.safe_load(f"k: {text}") == {"k": text} and "#" not in text:
            return text
    except yaml.YAMLError:
        pass
    return json.dumps(text, ensure_ascii=False)


def reserved_slugs() -> frozenset[str]:
    """Names an item may not take: listing pages (index, page/2), the collections, the site's own folders."""
    return frozenset({"index", "page", *COLLECTIONS, *RESERVED_NAMES})


def _slug_refused(slug: str, lang: str) -> bool:
    """Report (and return True for) a slug the next build would reject or that is too long for a file name."""
    if slug in reserved_slugs():
        _error("new_reserved_slug", lang, slug=slug, reserved=", ".join(sorted(reserved_slugs())))
        return True
    if len(slug) > MAX_SLUG_LENGTH:
        _error("new_name_too_long", lang, length=len(slug), limit=MAX_SLUG_LENGTH)
        return True
    return False


def _error(code: str, lang: str, **args: object) -> None:
    message, hint = format_message(code, lang, args)
    print(f"exhibit: error: {message}", file=sys.stderr)
    if hint:
        print(f"    {format_message('hint_prefix', lang, {})[0]}{hint}", file=sys.stderr)


def _default_unit(config: SiteConfig) -> str | None:
    branches = [unit for unit in config.units if unit.kind == "branch"]
    chosen = branches[0] if branches else next(iter(config.units), None)
    return chosen.id if chosen else None


def _taken_by(project: Project, collection: str, slug: str) -> str | None:
    """The file that already has this slug in the collection, if any."""
    for record in discover(project.root, project.content_dir, COLLECTIONS, Diagnostics()):
        if record.collection != collection:
            continue
        written = record.fields.get("slug")
        stem = written if isinstance(written, str) and written.strip() else record.stem
        if stem is None:
            stem = str(record.fields.get("name") or record.fields.get("title") or "")
        if slugify(stem) == slug:
            return record.rel
    return None


def create_item(project: Project, collection_arg: str, title: str, unit_arg: str | None, lang: str | None) -> int:
    """Write the new file and print its path; an exit code."""
    config = load_config(project.root, project.content_dir, Diagnostics(), lang) \
        if project.content_dir.is_dir() else None
    lang = normalise_language(lang or (config.language if config else None))
    collection = resolve_collection(collection_arg)
    if collection is None:
        _error("new_unknown_collection", lang, value=collection_arg, choices=", ".join(COLLECTIONS),
               suggestion=suggest(collection_arg.lower(), COLLECTIONS))
        return EXIT_USAGE
    name = " ".join(title.split())
    slug = slugify(name)
    if not slug:
        _error("slug_empty", lang, value=title)
        return EXIT_USAGE
    if _slug_refused(slug, lang):
        return EXIT_USAGE
    if config is None:
        _error("new_no_site", lang, folder=str(project.root))
        return EXIT_FAILED
    spec = COLLECTIONS[collection]
    unit = unit_arg or _default_unit(config)
    if spec.needs_unit or unit_arg:
        if unit is None:
            _error("new_no_units", lang)
            return EXIT_FAILED
        if config.units.get(unit) is None:
            _error("unit_unknown", lang, value=unit, suggestion=suggest(unit, config.units.ids()))
            return EXIT_USAGE
    path = project.content_dir / collection / f"{slug}.md"
    taken = path.relative_to(project.root).as_posix() if path.exists() else _taken_by(project, collection, slug)
    if taken is not None:
        _error("new_exists", lang, path=taken, slug=slug)
        return EXIT_FAILED
    front = spec.scaffold[lang].format(
        name=yaml_scalar(name), unit=unit or "", date=dt.date.today().isoformat(), slug=slug,
        units=", ".join(config.units.ids()))
    if unit_arg and not spec.needs_unit:
        front = front.replace("# unit: ", f"unit: {unit}  # ", 1) if "# unit: " in front else front + f"unit: {unit}\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8", newline="\n") as handle:  # "x": never overwrite, even in a race
        handle.write(f"---\n{front}---\n{BODY[lang]}")
    print(path.relative_to(project.root).as_posix())
    return EXIT_OK
