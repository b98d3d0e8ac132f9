"""Display screens and their playlists: `content/screens/*.yaml` read, checked and resolved against the model.

Every reference (collection, item, unit, tag, slug) is resolved here, at build
time, with a "did you mean" when it leads nowhere; what depends on the time of
day or the date is only checked here and evaluated later by the screen's clock.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from exhibit.diagnostics import Diagnostics
from exhibit.kiosk.schedule import TimeRange, parse_ranges, parse_weekdays
from exhibit.kiosk.settings import KioskSettings, raw_value, read_kiosk_settings, warn_unknown_fields
from exhibit.model.collections import COLLECTIONS
from exhibit.model.items import Item
from exhibit.model.media import Media, MediaResolver
from exhibit.model.sitemodel import SiteModel
from exhibit.model.units import Unit
from exhibit.read.dates import PartialDate
from exhibit.read.fields import FieldReader, suggest
from exhibit.read.slugs import is_slug, slugify
from exhibit.read.sources import Record

ORIENTATIONS = {"landscape": "landscape", "横屏": "landscape", "横向": "landscape", "横": "landscape",
                "portrait": "portrait", "竖屏": "portrait", "竖向": "portrait", "竖": "portrait"}
WIDGETS = {"clock": "clock", "时钟": "clock", "safety": "safety", "安全生产": "safety",
           "title": "title", "标题": "title"}
VIDEO_SUFFIXES = (".mp4", ".webm", ".ogv", ".m4v")
SOURCES = ("collection", "item", "widget", "video")
SCHEDULE_FIELDS = ("display_from", "display_until", "weekdays", "hours")
ENTRY_FIELDS = (*SOURCES, "unit", "tags", "slugs", "limit", "layout", "duration", "per_page", *SCHEDULE_FIELDS)
SCREEN_FIELDS = ("id", "name", "location", "orientation", "resolution", "touch", "unit", "duration",
                 "quiet_hours", "playlist")
DEFAULT_DURATION = 12.0
_RESOLUTION = re.compile(r"^\s*(\d{3,5})\s*[x×X*]\s*(\d{3,5})\s*$")
_STANDARD_SIZE = {"landscape": (1920, 1080), "portrait": (1080, 1920)}


@dataclass(frozen=True)
class Schedule:
    """When a playlist entry may be shown: dates, weekdays (1 = Monday) and times of day."""

    display_from: PartialDate | None = None
    display_until: PartialDate | None = None
    weekdays: tuple[int, ...] = ()
    hours: tuple[TimeRange, ...] = ()


@dataclass
class Entry:
    """One playlist entry, resolved: the items it shows (or its widget or video) and how."""

    kind: str
    line: int
    layout: str
    duration: float | None
    schedule: Schedule
    collection: str | None = None
    items: list[Item] = field(default_factory=list)
    widget: str | None = None
    video: Media | None = None
    per_page: int | None = None


@dataclass
class Screen:
    id: str
    name: str
    source: str
    line: int
    orientation: str
    width: int
    height: int
    touch: bool = False
    location: str | None = None
    unit: Unit | None = None
    quiet_hours: list[TimeRange] | None = None
    entries: list[Entry] = field(default_factory=list)

    @property
    def url_path(self) -> str:
        return f"screens/{self.id}/index.html"

    @property
    def folder(self) -> str:
        return f"screens/{self.id}/"


@dataclass
class ScreenSet:
    """Every screen of the site, the site-wide kiosk settings, and the time floor for screens' clocks."""

    screens: list[Screen] = field(default_factory=list)
    settings: KioskSettings = field(default_factory=KioskSettings)
    built_at: int = 0
    media: list[Media] = field(default_factory=list)

    def __iter__(self) -> Iterator[Screen]:
        return iter(self.screens)

    def __len__(self) -> int:
        return len(self.screens)


def build_time(content_dir: Path, newest_ns: int | None = None) -> int:
    """The newest content change (or SOURCE_DATE_EPOCH): a moment the screen's clock cannot be before.

    Taken from the content, not the wall clock, so the same content builds the same bytes. `newest_ns`: the
    newest content file's mtime in nanoseconds, when the caller has every file's (the engine does); else the
    content folder is walked.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return int(epoch)
    if newest_ns is not None:
        return newest_ns // 1_000_000_000
    return int(_newest_mtime(content_dir))


def _newest_mtime(folder: Path | str) -> float:
    """Newest modification time below `folder`, hidden names skipped (scandir: one call per folder)."""
    newest = 0.0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return newest
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                newest = max(newest, _newest_mtime(entry.path))
            elif entry.is_file():
                newest = max(newest, entry.stat().st_mtime)
        except OSError:
            continue
    return newest


def load_screens(records: list[Record], model: SiteModel, root: Path, content_dir: Path, assets_dir: Path,
                 diagnostics: Diagnostics, newest_ns: int | None = None) -> ScreenSet:
    """Screens from their records, checked against the model; problems go to `diagnostics` (`newest_ns`: see
    build_time)."""
    settings = read_kiosk_settings(model.config.extra.get("kiosk"), diagnostics)
    media = MediaResolver(root, content_dir, assets_dir, diagnostics)
    screens: list[Screen] = []
    seen: dict[str, str] = {}
    for record in records:
        screen = ScreenReader(record, model, media, diagnostics).read()
        if screen is None:
            continue
        if screen.id in seen:
            diagnostics.error("screen_id_duplicate", record.rel, record.fields.line_of("id"), 1,
                              value=screen.id, other=seen[screen.id])
            continue
        seen[screen.id] = record.rel
        screens.append(screen)
    screens.sort(key=lambda screen: screen.id)
    return ScreenSet(screens, settings, build_time(content_dir, newest_ns), list(media.files.values()))


class ScreenReader:
    """Reads one screen file; every problem is reported at its line, nothing raises."""

    def __init__(self, record: Record, model: SiteModel, media: MediaResolver, diagnostics: Diagnostics) -> None:
        self.record = record
        self.model = model
        self.media = media
        self.diagnostics = diagnostics
        self.reader = FieldReader(record.fields, record.rel, diagnostics)

    def read(self) -> Screen | None:
        reader = self.reader
        warn_unknown_fields(reader, SCREEN_FIELDS)
        screen_id = self._id()
        name = reader.text("name", required=True)
        orientation, width, height = self._geometry()
        if screen_id is None or name is None:
            return None
        screen = Screen(
            id=screen_id, name=name, source=self.record.rel, line=self.record.line,
            orientation=orientation, width=width, height=height,
            touch=read_bool(reader, "touch"),
            location=reader.text("location"),
            unit=self._unit(reader),
            quiet_hours=self._ranges(reader, "quiet_hours"),
        )
        default_duration = self._duration(reader) or DEFAULT_DURATION
        screen.entries = self._playlist(default_duration)
        return screen

    def _id(self) -> str | None:
        written = self.reader.text("id")
        if written is None:
            return slugify(self.record.stem or "") or None
        if not is_slug(written):
            self.reader.error("screen_id_invalid", "id", value=written)
            return None
        return written

    def _geometry(self) -> tuple[str, int, int]:
        reader = self.reader
        orientation = reader.choice("orientation", ORIENTATIONS)
        size: tuple[int, int] | None = None
        written = reader.text("resolution")
        if written is not None:
            match = _RESOLUTION.match(written)
            if match is None:
                reader.error("screen_resolution", "resolution", value=written)
            else:
                size = (int(match.group(1)), int(match.group(2)))
        if size is None:
            size = _STANDARD_SIZE[orientation or "landscape"]
        natural = "portrait" if size[1] > size[0] else "landscape"
        if orientation and orientation != natural:
            reader.error("screen_orientation_mismatch", "orientation", orientation=orientation,
                         value=f"{size[0]}x{size[1]}")
        return orientation or natural, size[0], size[1]

    def _unit(self, reader: FieldReader) -> Unit | None:
        unit_id = reader.text("unit")
        if unit_id is None:
            return None
        unit = self.model.config.units.get(unit_id)
        if unit is None:
            reader.error("unit_unknown", "unit", value=unit_id,
                         suggestion=suggest(unit_id, self.model.config.units.ids()))
        return unit

    def _duration(self, reader: FieldReader) -> float | None:
        value = reader.number("duration")
        if value is not None and not 3 <= value <= 3600:
            reader.error("screen_duration", "duration", value=raw_value(reader.record, "duration"))
            return None
        return value

    def _ranges(self, reader: FieldReader, name: str) -> list[TimeRange] | None:
        if not reader.has(name):
            return None
        value = raw_value(reader.record, name)
        ranges = parse_ranges(value)
        if ranges is None:
            reader.error("screen_hours", name, value=value)
        return ranges

    def _playlist(self, default_duration: float) -> list[Entry]:
        data = self.record.fields
        playlist = data.get("playlist")
        if playlist in (None, "", []):
            self.diagnostics.warning("screen_playlist_empty", self.record.rel, data.line_of("playlist"), 1)
            return []
        if not isinstance(playlist, list):
            self.reader.error("field_not_list", "playlist")
            return []
        entries: list[Entry] = []
        for raw, line in zip(playlist, playlist.item_lines, strict=False):
            if not isinstance(raw, dict):
                self.diagnostics.error("list_item_not_mapping", self.record.rel, line, 1)
                continue
            entry = EntryReader(self, FieldReader(raw, self.record.rel, self.diagnostics)).read(default_duration)
            if entry is not None:
                entries.append(entry)
        return entries


def shown_collections() -> dict[str, str]:
    """The collections screens can show (those with a slide layout in the registry), as choices."""
    return {name: name for name in COLLECTIONS.on_screens()}


def layout_aliases() -> dict[str, str]:
    """Every word a screen file may write for a layout (worker, 人物) -> the layout."""
    layouts = COLLECTIONS.layouts()
    return {**{layout.name: layout.name for layout in layouts},
            **{alias: layout.name for layout in layouts for alias in layout.aliases}}


def read_bool(reader: FieldReader, name: str) -> bool:
    value = reader.record.get(name)
    if value in (None, ""):
        return False
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("是", "yes", "on", "true", "1"):
        return True
    if text in ("否", "no", "off", "false", "0"):
        return False
    reader.error("screen_not_bool", name)
    return False


class EntryReader:
    """One playlist entry: which content, which layout, how long, and when."""

    def __init__(self, screen: ScreenReader, reader: FieldReader) -> None:
        self.screen = screen
        self.model = screen.model
        self.reader = reader

    def read(self, default_duration: float) -> Entry | None:
        reader = self.reader
        warn_unknown_fields(reader, ENTRY_FIELDS)
        kinds = [name for name in SOURCES if reader.has(name)]
        if not kinds:
            self.screen.diagnostics.error("screen_entry_kind", reader.path, reader.record.line, 1)
            return None
        if len(kinds) > 1:
            reader.error("screen_entry_many", kinds[1], fields=", ".join(kinds))
            return None
        duration = self.screen._duration(reader)
        schedule = self._schedule()
        kind = kinds[0]
        entry = Entry(kind, reader.record.line, "", duration or default_duration, schedule)
        if kind == "widget":
            entry.widget = entry.layout = reader.choice("widget", WIDGETS) or ""
            return entry if entry.widget else None
        if kind == "video":
            entry.video, entry.layout, entry.duration = self._video(), "video", duration
            return entry if entry.video else None
        if kind == "item":
            found = self._item()
            if found is None:
                return None
            entry.collection, entry.items = found[0], [found[1]]
        else:
            entry.collection = reader.choice("collection", shown_collections())
            if entry.collection is None:
                return None
            entry.items = self._select(entry.collection)
        entry.layout = self._layout(entry.collection)
        entry.per_page = self._whole_number("per_page", 1, 24)
        return entry if entry.layout else None

    def _schedule(self) -> Schedule:
        reader = self.reader
        display_from, display_until = reader.date("display_from"), reader.date("display_until")
        if display_from and display_until and display_until.last_day < display_from.first_day:
            reader.error("date_range_reversed", "display_until")
        weekdays: list[int] = []
        if reader.has("weekdays"):
            written = raw_value(reader.record, "weekdays")
            weekdays = parse_weekdays(written) or []
            if not weekdays:
                reader.error("screen_weekdays", "weekdays", value=written)
        hours = self.screen._ranges(reader, "hours") or []
        return Schedule(display_from, display_until, tuple(weekdays), tuple(hours))

    def _item(self) -> tuple[str, Item] | None:
        written = self.reader.text("item") or ""
        collection, _, name = written.replace("\\", "/").partition("/")
        shown = shown_collections()
        if collection not in shown or not name:
            self.reader.error("screen_item_format", "item", value=written,
                              suggestion=suggest(collection, shown) if name else "")
            return None
        item = self._find(collection, name.removesuffix(".md"), "item")
        return (collection, item) if item else None

    def _find(self, collection: str, name: str, field_name: str) -> Item | None:
        items = self.model.collections[collection]
        slug = slugify(name)
        for item in items:
            if item.slug in (name, slug) or item.heading == name:
                return item
        self.reader.error("screen_item_unknown", field_name, value=name, collection=collection,
                          suggestion=suggest(name, [item.slug for item in items] + [item.heading for item in items]))
        return None

    def _select(self, collection: str) -> list[Item]:
        reader = self.reader
        errors_before = len(self.screen.diagnostics.errors)
        items = list(self.model.collections[collection])
        if reader.has("unit"):
            unit = self.screen._unit(reader)
            items = self.model.unit_members(unit)[collection] if unit else []
        tags = reader.text_list("tags")
        known_tags = {tag for item in self.model.collections[collection] for tag in item.tags}
        for tag in tags:
            if tag not in known_tags:
                reader.error("screen_tag_unknown", "tags", value=tag, collection=collection,
                             suggestion=suggest(tag, known_tags))
        if tags:
            items = [item for item in items if set(item.tags) & set(tags)]
        if reader.has("slugs"):
            chosen = [self._find(collection, name, "slugs") for name in reader.text_list("slugs")]
            allowed = set(map(id, items))
            items = [item for item in chosen if item is not None and id(item) in allowed]
        limit = self._whole_number("limit", 1, 1000)
        if limit:
            items = items[:limit]
        if not items and len(self.screen.diagnostics.errors) == errors_before:  # not when a filter was wrong
            self.screen.diagnostics.warning("screen_selection_empty", reader.path, reader.record.line, 1)
        return items

    def _layout(self, collection: str) -> str:
        """The entry's layout: the collection's own (registry), unless it names another word for it."""
        own = COLLECTIONS[collection].slide_layout
        default = own.name if own else ""
        layout = self.reader.choice("layout", layout_aliases())
        if layout is None:
            return "" if self.reader.has("layout") else default
        if layout != default:
            self.reader.error("screen_layout_mismatch", "layout", value=layout, collection=collection,
                              choices=default)
            return ""
        return layout

    def _whole_number(self, name: str, low: int, high: int) -> int | None:
        value = self.reader.number(name)
        if value is None:
            return None
        if value != int(value) or not low <= value <= high:
            self.reader.error("screen_number", name, low=low, high=high, value=raw_value(self.reader.record, name))
            return None
        return int(value)

    def _video(self) -> Media | None:
        written = self.reader.text("video") or ""
        record = self.screen.record
        media = self.screen.media.resolve(written, record.path.parent, record.rel, self.reader.line("video"))
        if media is not None and media.source.suffix.lower() not in VIDEO_SUFFIXES:
            self.reader.error("screen_video_format", "video", value=written)
            return None
        return media

