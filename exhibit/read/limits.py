"""Limits on what content may ask of a build: YAML size after aliases, nesting depth, story size.

Content is untrusted: YAML aliases can make a few lines expand to hundreds of
millions of values (a "billion laughs"), and deep nesting in YAML or Markdown
exhausts Python's recursion in the parsers. Each limit is far above anything a
real exhibition needs, is checked before the expensive step, and becomes a
diagnostic with the file and line, never a crash.

The YAML check walks PyYAML's event stream (its parser is a state machine, not
recursive), so depth is found before the recursive composer runs, and the size
that aliases expand to is summed per anchor in one pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from exhibit.diagnostics import Diagnostic, Severity

MAX_YAML_DEPTH = 64
MAX_YAML_NODES = 200_000
MAX_MARKDOWN_DEPTH = 48
STORY_WARN_BYTES = 2 * 1024 * 1024
STORY_MAX_BYTES = 8 * 1024 * 1024

_STARTS = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_ENDS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
_COLLECTION_INDICATORS = "-:?[{"
_NESTING_PREFIX = re.compile(r"[ \t]*(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))")
_NESTING_STARTS = frozenset(" \t>-*+0123456789")  # a line starting otherwise is not nested at all


@dataclass
class _Open:
    """A collection being read: its anchor, the values in it so far, and its deepest nesting."""

    anchor: str | None
    depth: int
    nodes: int = 1
    deepest: int = 0


@dataclass
class _Walk:
    anchors: dict[str, tuple[int, int]] = field(default_factory=dict)  # anchor -> (nodes, extra depth)
    stack: list[_Open] = field(default_factory=list)
    total: int = 0


def yaml_limits(text: str, path: str, first_line: int, loader: type) -> Diagnostic | None:
    """The first limit the YAML passes (too deep, too many values once aliases expand), or None.

    Syntax errors are left to the real load, which explains them better.
    """
    if within_limits_by_count(text):
        return None
    walk = _Walk()
    try:
        for event in yaml.parse(text, Loader=loader):
            problem = _step(walk, event)
            if problem is not None:
                code, limit = problem
                return Diagnostic(code, {"limit": limit}, path, first_line + event.start_mark.line,
                                  event.start_mark.column + 1)
    except yaml.YAMLError:
        return None
    return None


def within_limits_by_count(text: str) -> bool:
    """Whether the text cannot pass a limit, told from counts of its characters rather than a walk of its events
    (which was 40 % of reading a front matter). Without an alias nothing expands, and a value takes at least a
    third of a character of its own (`?` alone is a mapping, its key and its value). A collection takes at least
    one indicator of its own (a block sequence its first `-`, a mapping its first `:` or `?`, a flow collection
    its bracket), so no more collections nest than there are indicators."""
    if "*" in text or 3 * (len(text) + 1) > MAX_YAML_NODES:
        return False
    return sum(map(text.count, _COLLECTION_INDICATORS)) <= MAX_YAML_DEPTH


def _step(walk: _Walk, event: yaml.Event) -> tuple[str, int] | None:
    """Account for one event; the (code, limit) it breaks, if any."""
    if isinstance(event, _STARTS):
        walk.stack.append(_Open(event.anchor, len(walk.stack) + 1))
        walk.total += 1
        return ("yaml_too_deep", MAX_YAML_DEPTH) if len(walk.stack) > MAX_YAML_DEPTH else None
    if isinstance(event, _ENDS):
        closed = walk.stack.pop()
        if closed.anchor:
            walk.anchors[closed.anchor] = (closed.nodes, closed.deepest + 1)
        _add(walk, closed.nodes, closed.deepest + 1)
        return None
    if isinstance(event, yaml.AliasEvent):
        nodes, depth = walk.anchors.get(event.anchor, (1, 0))
        walk.total += nodes
        _add(walk, nodes, depth)
        if len(walk.stack) + depth > MAX_YAML_DEPTH:
            return "yaml_too_deep", MAX_YAML_DEPTH
    elif isinstance(event, yaml.ScalarEvent):
        walk.total += 1
        if event.anchor:
            walk.anchors[event.anchor] = (1, 0)
        _add(walk, 1, 0)
    return ("yaml_too_many_nodes", MAX_YAML_NODES) if walk.total > MAX_YAML_NODES else None


def _add(walk: _Walk, nodes: int, depth: int) -> None:
    """Count a finished value into the collection that holds it."""
    if walk.stack:
        holder = walk.stack[-1]
        holder.nodes += nodes
        holder.deepest = max(holder.deepest, depth)


def story_limits(text: str, path: str, first_line: int) -> list[Diagnostic]:
    """Size and nesting of a Markdown story, checked before it is converted."""
    size = len(text.encode("utf-8", "surrogatepass"))
    megabytes = {"size": f"{size / 1024 / 1024:.1f}"}
    if size > STORY_MAX_BYTES:
        return [Diagnostic("story_too_large", {**megabytes, "limit": STORY_MAX_BYTES // 1024 // 1024},
                           path, first_line, 1)]
    found = []
    if size > STORY_WARN_BYTES:
        found.append(Diagnostic("story_large", {**megabytes, "limit": STORY_WARN_BYTES // 1024 // 1024},
                                path, first_line, 1, Severity.WARNING))
    deep = _deepest_line(text)
    if deep is not None:
        found.append(Diagnostic("markdown_too_deep", {"limit": MAX_MARKDOWN_DEPTH}, path, first_line + deep, 1))
    return found


# A line nested past the limit starts with more characters than the limit of these: each level takes at least one
# (`>`, a list marker, a tab, four spaces). A story without such a line is not looked at line by line.
_LONG_NESTING_PREFIX = re.compile(f"^[ \t>*+\\-0-9.)]{{{MAX_MARKDOWN_DEPTH + 1}}}", re.MULTILINE)


def _deepest_line(text: str) -> int | None:
    """The first line (0-based) nested past the limit: blockquote markers, list markers, and indentation."""
    if _LONG_NESTING_PREFIX.search(text) is None:
        return None
    for index, line in enumerate(text.split("\n")):
        if line[:1] in _NESTING_STARTS and _nesting(line) > MAX_MARKDOWN_DEPTH:  # most lines start with text
            return index
    return None


def _nesting(line: str) -> int:
    """How deep a line sits: one level per `>` or list marker in its prefix, one per four columns of indent."""
    indent = len(line) - len(line.lstrip(" \t"))
    columns = len(line[:indent].expandtabs(4))
    markers = 0
    position = 0
    while (match := _NESTING_PREFIX.match(line, position)) is not None and match.end() > position:
        markers += 1
        position = match.end()
    return columns // 4 + markers


def markdown_recursion(path: str, line: int) -> Diagnostic:
    """The last resort when nesting the scan did not see still exhausts the converter's recursion."""
    return Diagnostic("markdown_too_deep", {"limit": MAX_MARKDOWN_DEPTH}, path, line, 1)
