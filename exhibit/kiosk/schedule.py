"""Times of day and days of the week as publicity staff write them, for screens' schedules.

The build only parses and checks them; the screen evaluates them with its own
clock (a site is built once and shown for months), so everything here becomes
plain data: "HH:MM" strings and ISO weekday numbers (1 = Monday).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TIME = re.compile(r"^\s*(\d{1,2})\s*[:：.点]\s*(\d{2})\s*分?\s*$|^\s*(\d{1,2})\s*[点時时]?\s*$")
_RANGE_SPLIT = re.compile(r"\s*(?:-|–|—|~|～|〜|至|到|to)\s*")
_LIST_SPLIT = re.compile(r"\s*[,，、;；]\s*")

_DAY_NAMES: dict[str, int] = {}
for _number, _names in enumerate((
        ("mon", "monday", "一", "周一", "星期一", "礼拜一"),
        ("tue", "tuesday", "二", "周二", "星期二", "礼拜二"),
        ("wed", "wednesday", "三", "周三", "星期三", "礼拜三"),
        ("thu", "thursday", "四", "周四", "星期四", "礼拜四"),
        ("fri", "friday", "五", "周五", "星期五", "礼拜五"),
        ("sat", "saturday", "六", "周六", "星期六", "礼拜六"),
        ("sun", "sunday", "日", "天", "周日", "周天", "星期日", "星期天", "礼拜日", "礼拜天", "7", "0")), start=1):
    for _name in _names:
        _DAY_NAMES[_name] = _number
for _number in range(1, 7):
    _DAY_NAMES[str(_number)] = _number
_DAY_GROUPS = {
    "workdays": (1, 2, 3, 4, 5), "weekdays": (1, 2, 3, 4, 5), "工作日": (1, 2, 3, 4, 5),
    "weekend": (6, 7), "周末": (6, 7), "daily": tuple(range(1, 8)), "每天": tuple(range(1, 8)),
}


@dataclass(frozen=True)
class TimeRange:
    """Minutes from midnight; `end` may be smaller than `start` (22:00-06:00 crosses midnight)."""

    start: str
    end: str

    def as_list(self) -> list[str]:
        return [self.start, self.end]


def parse_time(text: str) -> str | None:
    """'8:00', '08:00', '8点', '22：30' -> 'HH:MM'; '24:00' means the end of the day."""
    match = _TIME.match(text)
    if not match:
        return None
    hour = int(match.group(1) or match.group(3))
    minute = int(match.group(2) or 0)
    if hour > 24 or minute > 59 or (hour == 24 and minute):
        return None
    return f"{hour:02d}:{minute:02d}"


def parse_range(text: str) -> TimeRange | None:
    """'08:00-18:00' (also with ～, 至, 到) -> TimeRange; None when it cannot be read or is empty."""
    parts = _RANGE_SPLIT.split(text.strip())
    if len(parts) != 2:
        return None
    start, end = parse_time(parts[0]), parse_time(parts[1])
    if start is None or end is None or start == end:
        return None
    return TimeRange(start, end)


def parse_ranges(value: object) -> list[TimeRange] | None:
    """One range or a list of them (text or list); None if any part is unreadable."""
    texts = _texts(value)
    if texts is None:
        return None
    ranges = [parse_range(text) for text in texts]
    if not ranges or any(r is None for r in ranges):
        return None
    return [r for r in ranges if r is not None]


def parse_weekdays(value: object) -> list[int] | None:
    """'周一至周五', 'mon-fri', [1, 3, 5], '工作日' -> sorted ISO weekday numbers; None if unreadable."""
    texts = _texts(value)
    if texts is None:
        return None
    days: set[int] = set()
    for text in texts:
        found = _weekday_part(text.strip().lower())
        if found is None:
            return None
        days.update(found)
    return sorted(days) or None


def _weekday_part(text: str) -> tuple[int, ...] | None:
    if text in _DAY_GROUPS:
        return _DAY_GROUPS[text]
    if text in _DAY_NAMES:
        return (_DAY_NAMES[text],)
    ends = _RANGE_SPLIT.split(text)
    if len(ends) != 2 or ends[0] not in _DAY_NAMES or ends[1] not in _DAY_NAMES:
        return None
    first, last = _DAY_NAMES[ends[0]], _DAY_NAMES[ends[1]]
    if first <= last:
        return tuple(range(first, last + 1))
    return (*range(first, 8), *range(1, last + 1))


def _texts(value: object) -> list[str] | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return [str(value)]
    if isinstance(value, str):
        return [part for part in _LIST_SPLIT.split(value.strip()) if part]
    if isinstance(value, list):
        texts: list[str] = []
        for entry in value:
            if isinstance(entry, bool) or not isinstance(entry, (str, int)):
                return None
            texts.append(str(entry))
        return texts
    return None
