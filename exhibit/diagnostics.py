"""Problems found while building, and how they are shown to a person.

A diagnostic stores a message *code* and its arguments rather than text, so
the language can be chosen after the configuration (which names it) is read.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TextIO

from exhibit.i18n import format_message

_UNSAFE_FOR_TERMINAL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
"""C0/C1 controls (ESC starts terminal escapes; a newline could forge a diagnostic line), bidi overrides."""


def terminal_safe(text: str) -> str:
    """Text from content with every control or bidi character shown as an escape (\\x1b, \\u202e).

    YAML strings can carry "\\e]0;..." and the like; printed raw they would retitle,
    recolour or rewrite the user's terminal, or reorder what a message says.
    """
    return _UNSAFE_FOR_TERMINAL.sub(_escaped, text)


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Diagnostic:
    """One problem, anchored to a file (relative to the site root) and a line."""

    code: str
    args: dict[str, object] = field(default_factory=dict)
    path: str | None = None
    line: int | None = None
    col: int | None = None
    severity: Severity = Severity.ERROR

    def message(self, lang: str) -> str:
        """The message in `lang`; control characters from content come out escaped (see terminal_safe)."""
        return format_message(self.code, lang, self._safe_args())[0]

    def hint(self, lang: str) -> str | None:
        return format_message(self.code, lang, self._safe_args())[1]

    def _safe_args(self) -> dict[str, object]:
        return {key: value if isinstance(value, int | float) else terminal_safe(str(value))
                for key, value in self.args.items()}

    def location(self) -> str:
        if self.path is None:
            return "exhibit"
        parts = [terminal_safe(self.path)]
        if self.line is not None:
            parts += [str(self.line), str(self.column)]
        return ":".join(parts)

    @property
    def column(self) -> int | None:
        """Column as shown: 1 when only the line is known, None without a line."""
        return None if self.line is None else (self.col or 1)

    def sort_key(self) -> tuple[str, int, int]:
        return (self.path or "", self.line or 0, self.col or 0)


class ContentError(Exception):
    """Raised to stop a stage that cannot go on; carries what was found so far."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = list(diagnostics)
        super().__init__(f"{len(self.diagnostics)} problem(s)")


class Diagnostics:
    """Collects every problem of a run, so all of them are reported at once."""

    def __init__(self) -> None:
        self.items: list[Diagnostic] = []
        self._seen: set[tuple[object, ...]] = set()

    def add(self, diagnostic: Diagnostic) -> None:
        """Add unless the same problem is already there (a site may have thousands: no list scan)."""
        key = (diagnostic.code, diagnostic.path, diagnostic.line, diagnostic.col, diagnostic.severity,
               repr(sorted(diagnostic.args.items())))
        if key not in self._seen:
            self._seen.add(key)
            self.items.append(diagnostic)

    def error(self, code: str, path: str | None = None, line: int | None = None,
              col: int | None = None, **args: object) -> None:
        self.add(Diagnostic(code, args, path, line, col, Severity.ERROR))

    def warning(self, code: str, path: str | None = None, line: int | None = None,
                col: int | None = None, **args: object) -> None:
        self.add(Diagnostic(code, args, path, line, col, Severity.WARNING))

    def extend(self, diagnostics: Iterable[Diagnostic], at: int | None = None) -> None:
        """Add each in turn; `at`: inserted from that position on, as if added when the list was that long."""
        if at is None:
            for diagnostic in diagnostics:
                self.add(diagnostic)
            return
        kept = self.items[at:]
        del self.items[at:]
        for diagnostic in diagnostics:
            self.add(diagnostic)
        self.items.extend(kept)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.WARNING]

    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.items)

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.items, key=Diagnostic.sort_key)


def print_diagnostics(diagnostics: Iterable[Diagnostic], lang: str, stream: TextIO | None = None) -> None:
    """Print in the `path:line:col: error: message` form editors and CI read."""
    stream = stream or sys.stderr  # looked up now: callers may have redirected it
    hint_word = format_message("hint_prefix", lang, {})[0]
    for d in diagnostics:
        # The severity word stays English: problem matchers look for it.
        stream.write(f"{d.location()}: {d.severity.value}: {d.message(lang)}\n")
        hint = d.hint(lang)
        if hint:
            stream.write(f"    {hint_word}{hint}\n")


def diagnostics_as_json(diagnostics: Iterable[Diagnostic], lang: str) -> str:
    """Machine-readable form for editors and CI."""
    rows = [
        {
            "path": d.path,
            "line": d.line,
            "col": d.column,
            "severity": d.severity.value,
            "code": d.code,
            "message": d.message(lang),
            "hint": d.hint(lang),
        }
        for d in diagnostics
    ]
    return json.dumps(rows, ensure_ascii=False, indent=2)
