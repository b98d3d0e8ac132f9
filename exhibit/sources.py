"""Finds content files and splits them into records: front matter, body, and where each begins.

Files come from Windows machines and Chinese input methods, so decoding is
forgiving (BOM, GBK, UTF-16, CRLF) and says what it did.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from exhibit.diagnostics import Diagnostics
from exhibit.fields import suggest
from exhibit.yamltext import LinedDict, LinedList, load_yaml

COLLECTIONS = ("workers", "teams", "honors", "history", "activities", "philosophy")
MARKDOWN_SUFFIXES = (".md", ".markdown")
YAML_SUFFIXES = (".yaml", ".yml")
RESERVED_FILES = ("site.yaml", "site.yml")
SCREENS_FOLDER = "screens"
"""Content that makes no pages of its own: one YAML file per display screen (see exhibit/screens.py)."""


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


def read_text(path: Path, rel: str, diagnostics: Diagnostics) -> str | None:
    """Decode a file the way a Windows user may have saved it; None if unreadable."""
    try:
        data = path.read_bytes()
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


def _is_ignored(path: Path) -> bool:
    """Hidden files and editors' temporary files are never content."""
    name = path.name
    return name.startswith((".", "~", "#")) or name.endswith(("~", ".swp", ".tmp", ".bak"))


def _files_under(folder: Path) -> Iterator[Path]:
    for path in sorted(folder.rglob("*")):
        relative_parts = path.relative_to(folder).parts
        if path.is_file() and not any(_is_ignored(Path(part)) for part in relative_parts):
            yield path


def discover(root: Path, content_dir: Path, diagnostics: Diagnostics) -> list[Record]:
    """Every record of every collection, in a stable order."""
    records: list[Record] = []
    for entry in sorted(content_dir.iterdir()):
        if _is_ignored(entry):
            continue
        rel = entry.relative_to(root).as_posix()
        if entry.is_dir() and entry.name == SCREENS_FOLDER:
            continue
        if entry.is_dir():
            records.extend(_discover_folder(root, entry, rel, diagnostics))
        elif entry.name in RESERVED_FILES:
            continue
        elif entry.suffix in YAML_SUFFIXES and entry.stem in COLLECTIONS:
            records.extend(_read_list_file(entry.stem, entry, rel, diagnostics))
        elif entry.suffix in MARKDOWN_SUFFIXES + YAML_SUFFIXES:
            diagnostics.warning("stray_content_file", rel, choices=", ".join(COLLECTIONS))
    return records


def _discover_folder(root: Path, folder: Path, rel: str, diagnostics: Diagnostics) -> Iterator[Record]:
    if folder.name not in COLLECTIONS:
        texts = [p for p in _files_under(folder) if p.suffix in MARKDOWN_SUFFIXES]
        if texts:
            diagnostics.error("unknown_collection", texts[0].relative_to(root).as_posix(), 1, 1,
                              folder=folder.name, choices=", ".join(COLLECTIONS),
                              suggestion=suggest(folder.name, COLLECTIONS))
        return
    for path in _files_under(folder):
        file_rel = path.relative_to(root).as_posix()
        if path.suffix in MARKDOWN_SUFFIXES:
            record = _read_markdown(folder.name, path, file_rel, diagnostics)
            if record is not None:
                yield record
        elif path.suffix in YAML_SUFFIXES:
            yield from _read_list_file(folder.name, path, file_rel, diagnostics)


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(front matter, body, first body line) or None when the opening --- is never closed."""
    lines = text.split("\n")
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1:]), index + 2
    return None


def _read_markdown(collection: str, path: Path, rel: str, diagnostics: Diagnostics) -> Record | None:
    text = read_text(path, rel, diagnostics)
    if text is None:
        return None
    first_line = text.split("\n", 1)[0].rstrip()
    if first_line != "---":
        diagnostics.error("frontmatter_missing", rel, 1, 1)
        return None
    parts = split_front_matter(text)
    if parts is None:
        diagnostics.error("frontmatter_unclosed", rel, 1, 1)
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


def _read_list_file(collection: str, path: Path, rel: str, diagnostics: Diagnostics) -> Iterator[Record]:
    """A YAML file of records: a list, or a single mapping (one record)."""
    text = read_text(path, rel, diagnostics)
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
