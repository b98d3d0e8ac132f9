"""YAML that remembers where things were written, and explains its errors.

Front matter and list files are YAML typed by people who are not programmers,
so every mapping keeps the line of each key and the exact text of each scalar
(`title: 1.10` stays "1.10", `2024-13-01` is not a crash), duplicate keys are
reported instead of silently dropped, and tabs or full-width colons get their
own message.

Parsing uses libyaml (PyYAML's `CSafeLoader`) when PyYAML was built with it:
it composes the same nodes with the same line marks, several times faster.
Its error texts differ from the pure-Python parser's, so a text that fails is
parsed again by the pure loader, which explains the error exactly as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from exhibit.diagnostics import Diagnostic
from exhibit.read.limits import yaml_limits


class LinedDict(dict):
    """A mapping that knows the line of itself, of each key, and each scalar's source text."""

    line: int = 1

    def __init__(self) -> None:
        super().__init__()
        self.key_lines: dict[object, int] = {}
        self.value_lines: dict[object, int] = {}
        self.raw: dict[object, str] = {}

    def line_of(self, key: object) -> int:
        return self.key_lines.get(key, self.line)


class LinedList(list):
    """A list that knows the line of each entry."""

    line: int = 1

    def __init__(self) -> None:
        super().__init__()
        self.item_lines: list[int] = []
        self.raw: list[str | None] = []


class _Loader(yaml.SafeLoader):
    """SafeLoader without implicit timestamps: dates are parsed by us, leniently. Explains errors."""


_FastLoader: type[yaml.SafeLoader] = _Loader
if getattr(yaml, "__with_libyaml__", False):

    class _CLoader(yaml.CSafeLoader):  # type: ignore[name-defined,misc]
        """The same loader on libyaml: used whenever the text parses."""

    _FastLoader = _CLoader

_NO_TIMESTAMPS = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class _DuplicateKey:
    key: str
    line: int
    first_line: int


def _construct_mapping(loader: yaml.SafeLoader, node: MappingNode) -> Iterator[LinedDict]:
    data = LinedDict()
    data.line = node.start_mark.line + 1
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) or key is None:
            key = str(key)
        if key in data.key_lines:
            loader.duplicates.append(_DuplicateKey(str(key), key_node.start_mark.line + 1,
                                                   data.key_lines[key]))
        data[key] = loader.construct_object(value_node, deep=True)
        data.key_lines[key] = key_node.start_mark.line + 1
        # A block scalar (`body: |`) starts its text on the line after the indicator.
        block = isinstance(value_node, ScalarNode) and value_node.style in ("|", ">")
        data.value_lines[key] = value_node.start_mark.line + 1 + (1 if block else 0)
        if isinstance(value_node, ScalarNode):
            data.raw[key] = value_node.value


def _construct_sequence(loader: yaml.SafeLoader, node: SequenceNode) -> Iterator[LinedList]:
    data = LinedList()
    data.line = node.start_mark.line + 1
    yield data
    for child in node.value:
        data.append(loader.construct_object(child, deep=True))
        data.item_lines.append(child.start_mark.line + 1)
        data.raw.append(child.value if isinstance(child, ScalarNode) else None)


for _loader_class in {_Loader, _FastLoader}:
    _loader_class.yaml_implicit_resolvers = _NO_TIMESTAMPS
    _loader_class.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
    _loader_class.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)

_FULLWIDTH_COLON_KEY = re.compile(r"^[ \t]*(?:-[ \t]+)?([A-Za-z_][\w-]*)[ \t\u3000]*：")
_FULLWIDTH_SPACE_VALUE = re.compile(r"^[ ]*(?:-[ ]+)?([A-Za-z_][\w-]*):\u3000")
_BAD_INDENT = re.compile(r"^[ ]*[\t\u3000]")
_QUOTED_START = re.compile(r"""^[ ]*(?:-[ ]+)?[A-Za-z_][\w-]*:[ ]+(["'])""")


def _prescan(text: str, path: str, first_line: int) -> list[Diagnostic]:
    """Find the typing slips that YAML reports obscurely (or not at all)."""
    found: list[Diagnostic] = []
    in_block_scalar = False
    for index, line in enumerate(text.split("\n")):
        number = first_line + index
        stripped = line.strip()
        if in_block_scalar and line[:1] in (" ", "\t") or not stripped:
            continue
        in_block_scalar = stripped.endswith(("|", ">", "|-", ">-"))
        match = _FULLWIDTH_COLON_KEY.match(line)
        if match:
            found.append(Diagnostic("yaml_fullwidth_colon", {"key": match.group(1)}, path, number,
                                    line.index("：") + 1))
        elif _BAD_INDENT.match(line):
            found.append(Diagnostic("yaml_tab_indent", {}, path, number, 1))
        elif (space := _FULLWIDTH_SPACE_VALUE.match(line)) is not None:
            found.append(Diagnostic("yaml_fullwidth_space", {"key": space.group(1)}, path, number, space.end()))
    return found


def _explain(error: yaml.MarkedYAMLError, text: str, path: str, first_line: int) -> Diagnostic:
    """The YAML error in words for what people actually typed: a colon or a quote inside a value."""
    mark = error.problem_mark or error.context_mark
    line = first_line + mark.line if mark else first_line
    col = mark.column + 1 if mark else 1
    problem = error.problem or str(error)
    source_line = text.split("\n")[mark.line] if mark and mark.line < text.count("\n") + 1 else ""
    key = source_line.split(":", 1)[0].strip().lstrip("- ").strip() if ":" in source_line else ""
    if problem.startswith("mapping values are not allowed") and key:
        return Diagnostic("yaml_colon_in_value", {"key": key}, path, line, col)
    if problem.startswith("expected <block end>") and mark is not None:
        quoted_line = text.split("\n")[mark.line] if mark.line < text.count("\n") + 1 else ""
        quoted = _QUOTED_START.match(quoted_line)
        if quoted:
            return Diagnostic("yaml_quote_in_value", {"key": quoted_line.split(":", 1)[0].strip().lstrip("- ")},
                              path, line, col)
    return Diagnostic("yaml_syntax", {"detail": problem}, path, line, col)


def load_yaml(text: str, path: str, first_line: int = 1) -> tuple[object, list[Diagnostic]]:
    """Parse YAML text that starts at `first_line` of `path`; never raises.

    Returns the data (None when it cannot be read) and the problems found.
    """
    problems = _prescan(text, path, first_line)
    too_much = yaml_limits(text, path, first_line, _FastLoader)  # before a recursive composer sees it
    if too_much is not None:
        return None, [*problems, too_much]
    parsed = _parse_fast(text)
    if parsed is not None:
        return _finish(*parsed, problems, path, first_line)
    loader: _Loader | None = None
    try:
        loader = _Loader(text)  # the reader already rejects control characters here
        loader.duplicates = []  # type: ignore[attr-defined]
        data = loader.get_single_data()
    except yaml.reader.ReaderError as error:
        line = first_line + text.count("\n", 0, error.position)
        column = error.position - (text.rfind("\n", 0, error.position) + 1) + 1
        return None, problems or [Diagnostic("invisible_character", {"code": f"U+{error.character:04X}"},
                                             path, line, column)]
    except yaml.MarkedYAMLError as error:
        if problems:
            return None, problems
        return None, [_explain(error, text, path, first_line)]
    except yaml.YAMLError as error:
        return None, problems or [Diagnostic("yaml_syntax", {"detail": str(error)}, path, first_line, 1)]
    finally:
        if loader is not None:
            loader.dispose()
    return _finish(data, loader.duplicates, problems, path, first_line)  # type: ignore[attr-defined]


def _parse_fast(text: str) -> tuple[object, list[_DuplicateKey]] | None:
    """The data and duplicate keys through libyaml; None when the text has an error to explain."""
    if _FastLoader is _Loader or "\t" in text:  # libyaml accepts tabs where PyYAML explains them
        return None
    loader = _FastLoader(text)
    loader.duplicates = []  # type: ignore[attr-defined]
    try:
        return loader.get_single_data(), loader.duplicates  # type: ignore[attr-defined]
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()


def _finish(data: object, duplicates: list[_DuplicateKey], problems: list[Diagnostic], path: str,
            first_line: int) -> tuple[object, list[Diagnostic]]:
    for duplicate in duplicates:
        problems.append(Diagnostic("yaml_duplicate_key",
                                   {"key": duplicate.key,
                                    "first_line": duplicate.first_line + first_line - 1},
                                   path, duplicate.line + first_line - 1, 1))
    _shift_lines(data, first_line - 1)
    return data, problems


def _shift_lines(data: object, offset: int) -> None:
    """Move recorded lines from text-relative to file-relative numbers."""
    if not offset:
        return
    if isinstance(data, LinedDict):
        data.line += offset
        data.key_lines = {key: line + offset for key, line in data.key_lines.items()}
        data.value_lines = {key: line + offset for key, line in data.value_lines.items()}
        for value in data.values():
            _shift_lines(value, offset)
    elif isinstance(data, LinedList):
        data.line += offset
        data.item_lines = [line + offset for line in data.item_lines]
        for value in data:
            _shift_lines(value, offset)
