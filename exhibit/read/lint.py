"""Warnings for text copied from web pages and Word: pinyin annotations, Traditional characters,
half-width punctuation inside Chinese sentences.

Only text a reader sees is checked: front-matter values of text fields and the
story, never keys, paths, ids, code, link targets or URLs. Every finding knows
its replacement, so `check --fix` (exhibit/authoring/fix.py) can rewrite it.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from exhibit.diagnostics import Diagnostic, Diagnostics, Severity
from exhibit.i18n import normalise_language
from exhibit.read.paths import posix_under
from exhibit.read.sources import ContentHash, _decode
from exhibit.versions import installed_version
from exhibit.workers import BackgroundMap, worker_count

HAN = "\u3400-\u9fff\uf900-\ufaff"
_HAN_CHAR = re.compile(f"[{HAN}]")
_PINYIN = re.compile(
    f"(?<=[{HAN}])([(（]\\s*([a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêńňǹḿ]{{1,6}}[1-5]?)\\s*[)）])")
_TONE = re.compile("[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ1-5]")
_CHINESE_BEFORE = f"[{HAN}“”‘’、，。；：！？）》」』]"
_HALF_PUNCT = re.compile(f"(?<={_CHINESE_BEFORE})([,;:?!]+)[ \t]*|(?<=[{HAN}])\\.(?=$|[\\s{HAN}“”])")
_HALF_PARENS = re.compile(f"\\(([^()]*[{HAN}][^()]*)\\)")
_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", ".": "。"}
# A character each match of a rule needs (the pinyin's bracket; the half-width mark or bracket): a line without
# one is not searched span by span, which was most of the lint's time (most lines of a Chinese story have none).
_NEEDS = {"lint_pinyin": re.compile("[(（]"), "lint_punctuation": re.compile(r"[,;:?!.(]")}

# Front-matter fields whose values are ids, paths, dates or numbers: never rewritten.
NON_TEXT_FIELDS = frozenset({
    "photo", "image", "photos", "slug", "unit", "recipient", "parent", "id", "base_url", "kind", "tier",
    "level", "language", "lang", "date", "since", "display_from", "display_until", "order", "tags",
})
_KEY_LINE = re.compile(r"^(\s*(?:-\s+)?)([^\s:#'\"\[\]{}-][^:#]*?)\s*:(?:[ \t]+|$)")
_LIST_ITEM = re.compile(r"^(\s*)-[ \t]+")
_MARKDOWN_SKIP = re.compile(r"`[^`]*`|\]\([^)]*\)|<[^>\n]*>|https?://[^\s)）]+|!?\[[^\]]*\]\[[^\]]*\]")
_FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass(frozen=True)
class Span:
    """Part of one line that a reader sees as text."""

    line: int  # 1-based line in the file
    start: int
    end: int
    flow_list: bool = False


@dataclass(frozen=True)
class Finding:
    """One lint warning on one line, with the whole line as it should read."""

    code: str
    line: int
    col: int
    args: dict[str, object]
    fixed_line: str


@lru_cache(maxsize=1)
def _converter() -> object | None:
    try:
        import opencc
    except ImportError:  # the check is skipped rather than the build failing
        return None
    return opencc.OpenCC("t2s.json")


def _yaml_spans(lines: list[str], first: int, first_line: int) -> Iterator[Span]:
    """Text values in YAML lines[first:]: not keys, not id/path fields, not comments."""
    block_indent: int | None = None
    list_key_skipped = False
    for index in range(first, len(lines)):
        line = lines[index]
        number = first_line + index - first
        indent = len(line) - len(line.lstrip(" "))
        if block_indent is not None:
            if not line.strip() or indent >= block_indent:
                if line.strip():
                    yield Span(number, indent, len(line))
                continue
            block_indent = None
        key = _KEY_LINE.match(line)
        if key:
            name = key.group(2).strip()
            value_start = key.end()
            value = line[value_start:]
            list_key_skipped = name in NON_TEXT_FIELDS
            if name in NON_TEXT_FIELDS or not value.strip():
                continue
            if value.strip() in ("|", ">", "|-", ">-", "|+", ">+"):
                block_indent = indent + 1
                continue
            yield Span(number, value_start, _comment_start(line, value_start), value.lstrip().startswith("["))
            continue
        item = _LIST_ITEM.match(line)
        if item and not list_key_skipped:
            yield Span(number, item.end(), _comment_start(line, item.end()))


def _chinese_yaml_spans(lines: list[str], first: int, first_line: int) -> Iterator[Span]:
    """_yaml_spans on lines with Chinese (it reads every line, for where block values end)."""
    offset = first - first_line
    return (span for span in _yaml_spans(lines, first, first_line) if _HAN_CHAR.search(lines[span.line + offset]))


def _comment_start(line: str, start: int) -> int:
    position = line.find(" #", start)
    return position if position >= 0 else len(line)


def _markdown_spans(lines: list[str], first: int, first_line: int) -> Iterator[Span]:
    """Story text: not code, not link targets, tags or URLs; only on lines with Chinese (the rest hold nothing any
    rule finds, and were most of the lint's spans)."""
    fenced = False
    fences = any("```" in line or "~~~" in line for line in lines[first:])  # else no line is matched for one
    for index in range(first, len(lines)):
        line = lines[index]
        if fences and _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced or not _HAN_CHAR.search(line):
            continue
        number = first_line + index - first
        position = 0
        for skip in _MARKDOWN_SKIP.finditer(line):
            if skip.start() > position:
                yield Span(number, position, skip.start())
            position = skip.end()
        if position < len(line):
            yield Span(number, position, len(line))


def text_spans(lines: list[str], markdown: bool) -> Iterator[Span]:
    """The spans a reader sees in a text's lines, on lines with Chinese only: on the others no rule can find
    anything."""
    if not markdown:
        yield from _chinese_yaml_spans(lines, 0, 1)
        return
    if lines and lines[0].rstrip() == "---":
        close = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
        if close is None:
            return
        yield from _chinese_yaml_spans(lines[: close], 1, 2)
        yield from _markdown_spans(lines, close + 1, close + 2)
    else:
        yield from _markdown_spans(lines, 0, 1)


def _is_pinyin_of(char: str, syllable: str) -> bool:
    if _TONE.search(syllable):
        return True
    from pypinyin import Style, pinyin  # here: half a second to import, needed only for a suspect annotation

    readings = pinyin(char, style=Style.NORMAL, heteronym=True)
    return bool(readings) and syllable.lower() in readings[0]


def _fix_pinyin(segment: str) -> tuple[str, list[str]]:
    found: list[str] = []

    def replace(match: re.Match[str]) -> str:
        char = segment[match.start() - 1]
        if not _is_pinyin_of(char, match.group(2)):
            return match.group(0)
        found.append(char + match.group(1))
        return ""

    return _PINYIN.sub(replace, segment), found


def _fix_traditional(segment: str) -> tuple[str, list[str]]:
    converter = _converter()
    if converter is None or not _HAN_CHAR.search(segment):
        return segment, []
    converted = converter.convert(segment)  # type: ignore[attr-defined]
    if converted == segment:  # the usual case, Simplified already: no character to compare one by one
        return segment, []
    if len(converted) != len(segment):
        converted = "".join(converter.convert(char) if _HAN_CHAR.match(char) else char  # type: ignore[attr-defined]
                            for char in segment)
    found = [f"{a}→{b}" for a, b in zip(segment, converted, strict=True) if a != b]
    return converted, found


def _fix_punctuation(segment: str, flow_list: bool) -> tuple[str, list[str]]:
    found: list[str] = []

    def punct(match: re.Match[str]) -> str:
        marks = match.group(1) or "."
        if flow_list and "," in marks:
            return match.group(0)
        found.extend(marks)
        return "".join(_FULL[mark] for mark in marks)

    fixed = _HALF_PUNCT.sub(punct, segment)

    def parens(match: re.Match[str]) -> str:
        found.append("()")
        return f"（{match.group(1)}）"

    return _HALF_PARENS.sub(parens, fixed), found


SHOWN = 8
_MIN_FILES_PER_CHUNK = 32  # fewer files per worker task cost more to hand over than to lint
RULES = ("lint_pinyin", "lint_traditional", "lint_punctuation")


def lint_text(text: str, markdown: bool, language: str) -> list[Finding]:
    """Every finding of the text, one per rule and line, each carrying the fixed line."""
    lines = text.split("\n")
    rules = _rules_for(language)
    by_line: dict[int, list[Span]] = {}
    for span in text_spans(lines, markdown):
        by_line.setdefault(span.line, []).append(span)
    as_written = _lines_opencc_keeps(lines, by_line) if "lint_traditional" in rules else set()
    findings: list[Finding] = []
    for number, spans in by_line.items():
        line = lines[number - 1]
        for rule in rules:
            if rule == "lint_traditional" and number in as_written and line is lines[number - 1]:
                continue  # its text converts to itself (checked for the whole file at once)
            needs = _NEEDS.get(rule)
            if needs is not None and not needs.search(line):
                continue
            line, found, col = _apply(rule, line, spans, needs)
            if found:
                distinct = list(dict.fromkeys(found))
                shown = "、".join(distinct[:SHOWN]) + ("…" if len(distinct) > SHOWN else "")
                findings.append(Finding(rule, number, col, {"found": shown, "count": len(found)}, line))
    return findings


_RULES_WITHOUT_TRADITIONAL = tuple(rule for rule in RULES if rule != "lint_traditional")


def _rules_for(language: str) -> tuple[str, ...]:
    """The rules a text in this site language is checked by: Traditional characters only in a Simplified site."""
    return RULES if normalise_language(language) == "zh-CN" else _RULES_WITHOUT_TRADITIONAL


def _lines_opencc_keeps(lines: list[str], by_line: dict[int, list[Span]]) -> set[int]:
    """The lines whose every span OpenCC leaves as written, found in one conversion of all of them.

    Converting span by span was half of the lint's time at 1,000 stories (15,000 calls). The spans are joined
    by line breaks, which no entry of OpenCC's dictionaries contains: no phrase is matched across two spans, so
    each converts as it does alone (乾隆 split by a link still converts as 乾 and 隆). Should the conversion
    not give back one part per span, no line is taken as kept and each is checked on its own, as before."""
    converter = _converter()
    if converter is None or not by_line:
        return set()
    parts = [(number, lines[number - 1][span.start: span.end]) for number, spans in by_line.items()
             for span in spans]
    joined = "\n".join(part for _, part in parts)
    converted = converter.convert(joined)  # type: ignore[attr-defined]
    if converted == joined:
        return set(by_line)
    converted_parts = converted.split("\n")
    if len(converted_parts) != len(parts):
        return set()
    changed = {number for (number, part), after in zip(parts, converted_parts, strict=True) if part != after}
    return set(by_line) - changed


def _apply(rule: str, line: str, spans: list[Span], needs: re.Pattern[str] | None = None) -> tuple[str, list[str], int]:
    """Apply one rule to the spans of a line, right to left so earlier offsets stay valid; `needs`: a character
    each of its matches holds, without which a span is left alone (the line's may be in a link target only)."""
    found_all: list[str] = []
    first_col = 0
    for span in sorted(spans, key=lambda s: s.start, reverse=True):
        segment = line[span.start: span.end]
        if needs is not None and not needs.search(segment):
            continue
        if rule == "lint_pinyin":
            fixed, found = _fix_pinyin(segment)
        elif rule == "lint_traditional":
            fixed, found = _fix_traditional(segment)
        else:
            fixed, found = _fix_punctuation(segment, span.flow_list)
        if found:
            first_col = span.start + 1 + _first_difference(segment, fixed)
            found_all = found + found_all
            line = line[: span.start] + fixed + line[span.end:]
    return line, found_all, first_col


def _first_difference(before: str, after: str) -> int:
    for index, (a, b) in enumerate(zip(before, after, strict=False)):
        if a != b:
            return index
    return min(len(before), len(after))


def read_for_lint(path: Path) -> str | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    text = _decode(data, "", Diagnostics())
    return None if text is None else text.replace("\r\n", "\n").replace("\r", "\n")


def lint_file(path: Path, rel: str, language: str) -> list[Diagnostic]:
    """Lint warnings for one content file (Markdown or YAML)."""
    text = read_for_lint(path)
    if text is None:
        return []
    markdown = path.suffix.lower() in (".md", ".markdown")
    return [Diagnostic(f.code, f.args, rel, f.line, f.col, Severity.WARNING)
            for f in lint_text(text, markdown, language)]


LintCache = MutableMapping[str, list[tuple[str, dict, int | None, int | None]]]


def lint_site(root: Path, files: list[Path], language: str, diagnostics: Diagnostics, jobs: int | None = None,
              known: LintCache | None = None, content_hash: ContentHash | None = None) -> None:
    """Every text file linted on all cores (OpenCC and pypinyin per line add up); warnings in file order.

    `known`: findings by lint_key (the engine's cache): a file whose bytes were linted before is not linted again.
    `content_hash`: a file's sha256 by its root-relative path, when the caller knows it (else the file is read).
    """
    with PendingLint(root, files, language, jobs, known, content_hash) as lint:
        lint.finish(diagnostics)


class PendingLint:
    """`lint_site` started on its workers now, its warnings added later (`finish`): nothing else waits for them,
    so a build reads and models its content meanwhile. Leaving its `with` block without `finish` stops it.
    `idle_priority`: its workers run only on cores the rest of the run leaves idle (its warnings taken last)."""

    def __init__(self, root: Path, files: list[Path], language: str, jobs: int | None = None,
                 known: LintCache | None = None, content_hash: ContentHash | None = None,
                 idle_priority: bool = False) -> None:
        self.texts = [(path, posix_under(path, root)) for path in files
                      if path.suffix.lower() in (".md", ".markdown", ".yaml", ".yml")]
        self.known = known
        self.keys = [_lint_key(path, language, content_hash(rel) if content_hash else None)
                     for path, rel in self.texts] if known is not None else [None] * len(self.texts)
        self.found: list[list[Diagnostic] | None] = [None] * len(self.texts)
        self.todo: list[int] = []
        for index, key in enumerate(self.keys):
            cached = known.get(key) if known is not None and key is not None else None
            if cached is None:
                self.todo.append(index)
            else:
                self.found[index] = [_cached_warning(self.texts[index][1], *entry) for entry in cached]
        texts = self.texts

        def lint_chunk(chunk: list[int]) -> list[list[Diagnostic]]:
            return [lint_file(texts[index][0], texts[index][1], language) for index in chunk]

        jobs = worker_count(jobs)
        chunk_size = max(_MIN_FILES_PER_CHUNK, math.ceil(len(self.todo) / jobs / 4))
        if jobs > 1 and len(self.todo) > chunk_size and "lint_traditional" in _rules_for(language):
            _converter()  # made once here and inherited, not once in each worker (11 ms of CPU each)
        self._map = BackgroundMap(lint_chunk, self.todo, jobs, chunk_size, idle_priority)

    def finish(self, diagnostics: Diagnostics, at: int | None = None) -> None:
        """Wait for the warnings and add them in file order (`at`: where in `diagnostics` they go)."""
        for index, warnings in zip(self.todo, self._map.results(), strict=True):
            self.found[index] = warnings
            if self.known is not None and self.keys[index] is not None:
                self.known[self.keys[index]] = [(d.code, dict(d.args), d.line, d.col) for d in warnings]
        diagnostics.extend((warning for warnings in self.found for warning in warnings or []), at)

    def __enter__(self) -> PendingLint:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.cancel()

    def cancel(self) -> None:
        """Stop its workers (after `finish`: nothing left to stop)."""
        self._map.cancel()


def _cached_warning(rel: str, code: str, args: dict, line: int | None, col: int | None) -> Diagnostic:
    return Diagnostic(code, args, rel, line, col, Severity.WARNING)


def _lint_key(path: Path, language: str, content: str | None = None) -> str | None:
    """What a file's warnings follow from: its bytes (`content`: their sha256, if known), its kind, the language
    and the rules; None if unreadable."""
    if content is None:
        try:
            content = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            return None
    kind = "md" if path.suffix.lower() in (".md", ".markdown") else "yaml"
    return hashlib.sha256("\0".join((_rules_version(), kind, language, content)).encode()).hexdigest()


@lru_cache(maxsize=1)
def _rules_version() -> str:
    """The libraries the rules ask; the rules themselves are Exhibit's code, which the cache holder answers for
    (the engine's cache carries it)."""
    return " ".join(installed_version(package) or "-" for package in ("OpenCC", "pypinyin"))
