"""Site-wide screen settings from `kiosk:` in site.yaml: safety counter, quiet hours, reload, polling."""

from __future__ import annotations

from dataclasses import dataclass, field

from exhibit.diagnostics import Diagnostics
from exhibit.kiosk.schedule import TimeRange, parse_ranges, parse_time
from exhibit.read.dates import PartialDate
from exhibit.read.fields import FieldReader, suggest
from exhibit.read.yamltext import LinedDict, LinedList

CONFIG_FILE = "content/site.yaml"
KIOSK_FIELDS = ("safety_start", "quiet_hours", "reload_at", "poll_seconds")


@dataclass(frozen=True)
class KioskSettings:
    """What every screen shares; the screen's own clock applies them."""

    safety_start: PartialDate | None = None
    quiet_hours: list[TimeRange] = field(default_factory=list)
    reload_at: str = "03:00"
    poll_seconds: int = 30


def raw_value(record: LinedDict, name: str) -> object:
    """A field as typed: YAML reads `22:00` as the number 79200 (base 60), people mean a time."""
    value = record.get(name)
    if isinstance(value, LinedList):
        return [raw if raw is not None else item for item, raw in zip(value, value.raw, strict=False)]
    if isinstance(value, (int, float, bool)):
        return record.raw.get(name, value)
    return value


def warn_unknown_fields(reader: FieldReader, known: tuple[str, ...]) -> None:
    """A misspelt field would otherwise be silently ignored, and the screen would not do what was meant."""
    for name in reader.extra(known):
        reader.diagnostics.warning("screen_field_unknown", reader.path, reader.line(name), 1, field=name,
                                   choices=", ".join(known), suggestion=suggest(name, known))


def read_kiosk_settings(data: object, diagnostics: Diagnostics) -> KioskSettings:
    if data in (None, ""):
        return KioskSettings()
    if not isinstance(data, LinedDict):
        diagnostics.error("kiosk_not_mapping", CONFIG_FILE, None, None)
        return KioskSettings()
    reader = FieldReader(data, CONFIG_FILE, diagnostics)
    warn_unknown_fields(reader, KIOSK_FIELDS)
    safety_start = reader.date("safety_start")
    if safety_start is not None and safety_start.day is None:
        reader.error("kiosk_safety_start", "safety_start", value=safety_start.iso())
        safety_start = None
    quiet: list[TimeRange] = []
    if reader.has("quiet_hours"):
        written = raw_value(data, "quiet_hours")
        quiet = parse_ranges(written) or []
        if not quiet:
            reader.error("screen_hours", "quiet_hours", value=written)
    reload_at = "03:00"
    if reader.has("reload_at"):
        written = str(raw_value(data, "reload_at"))
        reload_at = parse_time(written) or ""
        if not reload_at:
            reader.error("screen_time", "reload_at", value=written)
            reload_at = "03:00"
    poll = 30
    number = reader.number("poll_seconds")
    if number is not None:
        if number != int(number) or not 5 <= number <= 3600:
            reader.error("screen_number", "poll_seconds", low=5, high=3600, value=raw_value(data, "poll_seconds"))
        else:
            poll = int(number)
    return KioskSettings(safety_start, quiet, reload_at, poll)
