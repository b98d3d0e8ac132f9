"""`check --fix`: rewrites what can be fixed without judgement, keeping every original byte.

Fixed: a GBK/GB18030 file (saved again as UTF-8), a full-width colon after a
field name, a full-width space after a colon, tabs or full-width spaces used to
indent front matter, front-matter fences typed as —— or －－－, and the lint
findings (pinyin annotations, Traditional characters, half-width punctuation
in Chinese). Before a file is replaced its original goes to
`.exhibit-backup/<time>/<same path>`; a fix that would make the file read
differently (another structure, new errors) is not written.
"""

from __future__ import annotations

import codecs
import datetime as dt
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from exhibit.diagnostics import Diagnostics
from exhibit.i18n import format_message, normalise_language
from exhibit.model.config import load_config
from exhibit.read.lint import lint_text
from exhibit.read.sources import content_files, split_front_matter
from exhibit.read.yamltext import load_yaml

BACKUP_FOLDER = ".exhibit-backup"
_FENCE_LOOKALIKE = re.compile(r"^\s*(?:——+|—{3,}|－{3,}|―{3,}|-{3,})\s*$")
_COLON_KEY = re.compile(r"^([ \t\u3000]*(?:-[ \t]+)?[A-Za-z_][\w-]*)[ \t\u3000]*：[ \t\u3000]*")
_SPACE_AFTER_COLON = re.compile(r"^([ ]*(?:-[ ]+)?[A-Za-z_][\w-]*):\u3000+")
_INDENT = re.compile(r"^[ \t\u3000]+")


@dataclass
class FileFix:
    """What was changed in one file (line, message) or why it was left alone."""

    rel: str
    changes: list[tuple[int, str]] = field(default_factory=list)
    skipped: bool = False


@dataclass
class FixReport:
    files: list[FileFix] = field(default_factory=list)
    backup: Path | None = None
    language: str = "zh-CN"


def _decode(data: bytes) -> tuple[str, bool, bool] | None:
    """(text, had a BOM, was GBK); None when it is neither UTF-8 nor GB18030."""
    bom = data.startswith(codecs.BOM_UTF8)
    if bom:
        data = data[len(codecs.BOM_UTF8):]
    try:
        return data.decode("utf-8"), bom, False
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), False, True
    except UnicodeDecodeError:
        return None


def _yaml_region(lines: list[str], markdown: bool) -> range:
    """Line indexes holding YAML: the front matter of a Markdown file, or a whole YAML file."""
    if not markdown:
        return range(len(lines))
    if not lines or lines[0].strip() != "---":
        return range(0)
    close = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), len(lines))
    return range(1, close)


def _fix_fences(lines: list[str], lang: str, changes: list[tuple[int, str]]) -> None:
    if not lines or not _FENCE_LOOKALIKE.match(lines[0]):
        return
    word = format_message("fix_fence", lang, {})[0]
    if lines[0] != "---":
        changes.append((1, word))
        lines[0] = "---"
    if any(line.rstrip() in ("---", "...") for line in lines[1:]):
        return
    for index in range(1, len(lines)):
        if _FENCE_LOOKALIKE.match(lines[index]):
            changes.append((index + 1, word))
            lines[index] = "---"
            return


def _fix_yaml_lines(lines: list[str], region: range, lang: str, changes: list[tuple[int, str]]) -> None:
    for index in region:
        line = lines[index]
        colon = _COLON_KEY.match(line)
        if colon:
            line = f"{colon.group(1)}: {line[colon.end():]}".rstrip() if line[colon.end():].strip() \
                else f"{colon.group(1)}:"
            changes.append((index + 1, format_message("fix_colon", lang, {})[0]))
        space = _SPACE_AFTER_COLON.match(line)
        if space:
            line = f"{space.group(1)}: {line[space.end():]}"
            changes.append((index + 1, format_message("fix_colon", lang, {})[0]))
        indent = _INDENT.match(line)
        if indent and ("\t" in indent.group(0) or "\u3000" in indent.group(0)):
            line = indent.group(0).replace("\t", "  ").replace("\u3000", "  ") + line[indent.end():]
            changes.append((index + 1, format_message("fix_indent", lang, {})[0]))
        lines[index] = line


def _shape(text: str, markdown: bool) -> tuple[object, int] | None:
    """What the file reads as (its data) and how many problems it has; None when it has no front matter."""
    if markdown:
        parts = split_front_matter(text) if text.startswith("---") else None
        if parts is None:
            return None
        data, problems = load_yaml(parts[0], "", first_line=2)
        return _plain(data), len(problems)
    data, problems = load_yaml(text, "")
    return _plain(data), len(problems)


def _plain(data: object) -> object:
    """Keys and structure only: the fixes may change the words of values, never the shape."""
    if isinstance(data, dict):
        return {str(key): _plain(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_plain(value) for value in data]
    return type(data).__name__


def fix_text(text: str, markdown: bool, lang: str, site_language: str) -> tuple[str, list[tuple[int, str]], bool]:
    """(fixed text, changes, safe): `safe` is False when the fix would change what the file means."""
    lines = text.split("\n")
    changes: list[tuple[int, str]] = []
    if markdown:
        _fix_fences(lines, lang, changes)
    _fix_yaml_lines(lines, _yaml_region(lines, markdown), lang, changes)
    fixed = "\n".join(lines)
    for finding in lint_text(fixed, markdown, site_language):
        lines[finding.line - 1] = finding.fixed_line
        message = format_message(finding.code, lang, finding.args)[0]
        changes.append((finding.line, message))
    fixed = "\n".join(lines)
    if not changes:
        return text, [], True
    before, after = _shape(text, markdown), _shape(fixed, markdown)
    if after is None:
        safe = False
    elif before is None:
        safe = True  # it had no readable front matter; now it has
    elif before[1] > 0:
        safe = after[1] < before[1]
    else:
        safe = after == before
    return fixed, sorted(changes), safe


def _site_language(root: Path, lang: str | None) -> str:
    config = load_config(root, root / "content", Diagnostics(), lang)
    return normalise_language(lang or (config.language if config else None))


def fix_site(root: Path, lang: str | None) -> FixReport:
    """Fix every content file; originals are kept under .exhibit-backup/."""
    content = root / "content"
    language = _site_language(root, lang)
    report = FixReport(language=language)
    if not content.is_dir():
        return report
    stamp = _backup_folder(root)
    files = [content / "site.yaml", *content_files(content)]
    for path in files:
        if path.suffix.lower() not in (".md", ".markdown", ".yaml", ".yml") or not path.is_file():
            continue
        result = _fix_file(root, path, language, stamp, report)
        if result is not None:
            report.files.append(result)
    return report


def _fix_file(root: Path, path: Path, language: str, stamp: str, report: FixReport) -> FileFix | None:
    data = path.read_bytes()
    decoded = _decode(data)
    if decoded is None:
        return None
    text, bom, was_gbk = decoded
    crlf = "\r\n" in text
    normal = text.replace("\r\n", "\n").replace("\r", "\n")
    markdown = path.suffix.lower() in (".md", ".markdown")
    fixed, changes, safe = fix_text(normal, markdown, language, language)
    if was_gbk:
        changes.insert(0, (1, format_message("fix_utf8", language, {})[0]))
    rel = path.relative_to(root).as_posix()
    if not changes:
        return None
    if not safe:
        return FileFix(rel, changes, skipped=True)
    output = (fixed.replace("\n", "\r\n") if crlf else fixed).encode("utf-8")
    if bom:
        output = codecs.BOM_UTF8 + output
    report.backup = _backup(root, rel, data, stamp)
    temp = path.with_name(f".{path.name}.exhibit-fix.tmp")
    temp.write_bytes(output)
    os.replace(temp, path)
    return FileFix(rel, changes)


def _backup_folder(root: Path) -> str:
    """A folder name no earlier run used (two runs within a second get -2, -3 …)."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    name, counter = stamp, 1
    while (root / BACKUP_FOLDER / name).exists():
        counter += 1
        name = f"{stamp}-{counter}"
    return name


def _backup(root: Path, rel: str, data: bytes, stamp: str) -> Path:
    folder = root / BACKUP_FOLDER / stamp
    target = folder / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return folder


def print_fixes(report: FixReport, lang: str | None, root: Path) -> None:
    """What was changed, file:line by file:line (stderr, so `--format json` stays clean)."""
    language = normalise_language(lang or report.language)
    stream = sys.stderr
    if not report.files:
        print(format_message("fix_nothing", language, {})[0], file=stream)
        return
    for file in report.files:
        for line, message in file.changes:
            if file.skipped:
                continue
            print(f"{file.rel}:{line}: {format_message('fix_changed', language, {'detail': message})[0]}",
                  file=stream)
        if file.skipped:
            print(f"{file.rel}:1: {format_message('fix_skipped', language, {})[0]}", file=stream)
    if report.backup is not None:
        shown = report.backup.relative_to(root).as_posix()
        print(format_message("fix_backup", language, {"folder": shown})[0], file=stream)
