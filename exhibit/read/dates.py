"""Dates as people write them on exhibition panels: a year, a month or a day."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from exhibit.i18n import label

_ISO = re.compile(r"^\s*(\d{4})(?:[-./](\d{1,2})(?:[-./](\d{1,2}))?)?\s*$")
_CHINESE = re.compile(r"^\s*(\d{4})\s*年(?:\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*[日号])?)?\s*$")


@dataclass(frozen=True)
class PartialDate:
    """A date whose month and day may be unknown; sorts as its earliest day."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> dt.date:
        """The last day the date covers, so `display_until: 2024-05` includes all of May."""
        if self.day:
            return self.first_day
        if self.month:
            following = dt.date(self.year + self.month // 12, self.month % 12 + 1, 1)
            return following - dt.timedelta(days=1)
        return dt.date(self.year, 12, 31)

    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)

    def iso(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month:
            parts.append(f"{self.month:02d}")
        if self.day:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)

    def display(self, lang: str) -> str:
        """`2021年6月30日` / `June 30, 2021`: the patterns and month names are labels, filled here."""
        if not self.month:
            return label("date_year", lang).format(year=self.year)
        pattern = label("date_day" if self.day else "date_month", lang)
        return pattern.format(year=self.year, month_name=label(f"month_{self.month}", lang), day=self.day)

    def __str__(self) -> str:
        return self.iso()


def parse_date(value: object) -> PartialDate | None:
    """Read 2021, '2021-06', '2021-06-30', '2021年6月30日' or a date; None if it is not a real date."""
    if isinstance(value, str):
        return _parse_text(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return PartialDate(value.year, value.month, value.day)
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return _parse_text(str(value))
    return None


@lru_cache(maxsize=1 << 14)
def _parse_text(value: str) -> PartialDate | None:
    """Dates as text; cached, since the dev server reads the same dates at every build (PartialDate is frozen)."""
    match = _ISO.match(value) or _CHINESE.match(value)
    if not match:
        return None
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError:
        return None
    return PartialDate(year, month, day)


def impossible_date(value: str) -> tuple[str, dict[str, int]] | None:
    """For a date written in a known form but not on the calendar: which part is wrong, for the message."""
    match = _ISO.match(value) or _CHINESE.match(value)
    if not match:
        return None
    year, month, day = (int(part) if part else None for part in match.groups())
    if month is not None and not 1 <= month <= 12:
        return "field_date_no_month", {"month": month}
    if month is not None and day is not None:
        try:
            dt.date(year, month, day)
        except ValueError:
            return "field_date_no_day", {"year": year, "month": month, "day": day}
    return None
