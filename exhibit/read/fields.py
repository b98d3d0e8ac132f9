"""Typed reading of front-matter fields, reporting each problem at its line."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping

from exhibit.diagnostics import Diagnostics
from exhibit.read.dates import PartialDate, impossible_date, parse_date
from exhibit.read.yamltext import LinedDict, LinedList

_LIST_SEPARATORS = re.compile(r"\s*[,，、;；]\s*")


def suggest(value: str, choices: Iterable[str]) -> str:
    """The closest choice for a 'did you mean' hint, or ''."""
    matches = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.5)
    return matches[0] if matches else ""


class FieldReader:
    """Reads one record's fields by type; problems go to `diagnostics`, never raise."""

    def __init__(self, record: LinedDict, path: str, diagnostics: Diagnostics) -> None:
        self.record = record
        self.path = path
        self.diagnostics = diagnostics

    def line(self, name: str) -> int:
        return self.record.line_of(name)

    def error(self, code: str, name: str, **args: object) -> None:
        self.diagnostics.error(code, self.path, self.line(name), 1, field=name, **args)

    def has(self, name: str) -> bool:
        return self.record.get(name) not in (None, "", [])

    def _present(self, name: str, required: bool) -> bool:
        if self.has(name):
            return True
        if required:
            self.error("field_required", name)
        return False

    def _scalar_text(self, value: object, raw: str | None) -> str | None:
        """Text exactly as typed: `1.10` stays '1.10', `no` stays 'no'."""
        if isinstance(value, str):
            return value.strip()
        if isinstance(value, (bool, int, float)):
            return raw.strip() if raw is not None else str(value)
        return None

    def text(self, name: str, required: bool = False) -> str | None:
        if not self._present(name, required):
            return None
        text = self._scalar_text(self.record[name], self.record.raw.get(name))
        if text is None:
            self.error("field_not_text", name)
        return text

    def text_list(self, name: str) -> list[str]:
        if not self._present(name, False):
            return []
        value = self.record[name]
        if isinstance(value, str):
            return [part for part in _LIST_SEPARATORS.split(value.strip()) if part]
        if not isinstance(value, LinedList):
            self.error("field_not_list", name)
            return []
        items = [self._scalar_text(item, raw) for item, raw in zip(value, value.raw, strict=False)]
        if any(item is None for item in items):
            self.error("field_not_list", name)
        return [item for item in items if item]

    def date(self, name: str, required: bool = False) -> PartialDate | None:
        if not self._present(name, required):
            return None
        value = self.record[name]
        shown = self.record.raw.get(name, value)
        if isinstance(value, bool):  # `date: no`, `since: yes`
            self.error("field_yaml_bool", name, value=shown)
            return None
        parsed = parse_date(shown if isinstance(value, (int, float)) else value)
        if parsed is None:
            impossible = impossible_date(str(shown)) if isinstance(shown, (str, int, float)) else None
            if impossible is not None:
                self.error(impossible[0], name, value=shown, **impossible[1])
            else:
                self.error("field_date", name, value=shown)
        return parsed

    def number(self, name: str) -> float | None:
        if not self._present(name, False):
            return None
        value = self.record[name]
        if isinstance(value, bool):  # `order: no` reads as false
            self.error("field_yaml_bool", name, value=self.record.raw.get(name, value))
            return None
        if not isinstance(value, (int, float)):
            self.error("field_not_number", name)
            return None
        return float(value)

    def choice(self, name: str, choices: Mapping[str, str], required: bool = False) -> str | None:
        """Read one of `choices` (alias -> canonical value), e.g. '标杆' -> 'benchmark'."""
        text = self.text(name, required)
        if text is None:
            return None
        canonical = choices.get(text) or choices.get(text.lower())
        if canonical is None:
            names = sorted(set(choices.values()))
            self.error("field_choice", name, value=text, choices=", ".join(names),
                       suggestion=suggest(text.lower(), choices.keys()))
        return canonical

    def extra(self, known: Iterable[str]) -> dict[str, object]:
        """Fields the schema does not know: kept for templates."""
        known_names = set(known)
        return {str(key): value for key, value in self.record.items() if key not in known_names}
