"""Slide data for each layout: what a screen shows of an item, as plain JSON-ready values.

Layout markup lives in templates/kiosk/slides.html; the screen's runtime binds
these values into it. Image URLs come from the caller (`image_url`), so one
function decides which rendition of a photo screens get.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import quote

from exhibit.i18n import label
from exhibit.kiosk.screens import Entry, Screen
from exhibit.model.items import Activity, Honor, Item, Milestone, Philosophy, Team, Worker
from exhibit.model.media import Media
from exhibit.read.dates import PartialDate
from exhibit.render.templates import resolve_placeholders

HONORS_PER_PAGE = {"landscape": 6, "portrait": 8}
AXIS_SPAN = 3  # milestones shown on each side of the current one


@dataclass
class SlideContext:
    """What every slide builder needs to know besides its items."""

    screen: Screen
    lang: str
    base_url: str | None
    image_url: Callable[[Media], str]
    site_title: str
    site_subtitle: str | None
    safety_since: str | None = None


@dataclass
class Slide:
    id: str
    layout: str
    duration: float | None
    data: dict[str, object]
    images: list[str] = field(default_factory=list)
    when: dict[str, object] = field(default_factory=dict)
    sources: tuple[str, ...] = ()

    def as_json(self) -> dict[str, object]:
        out: dict[str, object] = {"id": self.id, "layout": self.layout, "duration": self.duration,
                                  "images": self.images, "d": self.data}
        if self.when:
            out["when"] = self.when
        return out


def entry_slides(index: int, entry: Entry, ctx: SlideContext) -> Iterator[Slide]:
    """Every slide one playlist entry makes; ids are stable so a screen can tell slides apart."""
    prefix = f"e{index + 1}"
    if entry.widget:
        yield Slide(f"{prefix}-{entry.widget}", entry.widget, entry.duration, _widget(entry.widget, ctx),
                    when=_when(entry, None))
    elif entry.video is not None:
        video = ctx.image_url(entry.video)
        yield Slide(f"{prefix}-video", "video", entry.duration, {"src": video}, when=_when(entry, None))
    elif entry.layout == "honors-wall":
        yield from _honor_pages(prefix, entry, ctx)
    elif entry.layout == "timeline":
        milestones = [item for item in entry.items if isinstance(item, Milestone)]
        for position, item in enumerate(milestones):
            yield _item_slide(prefix, entry, item, ctx, _milestone(item, milestones, position, ctx))
    else:
        for item in entry.items:
            yield _item_slide(prefix, entry, item, ctx, _LAYOUT_DATA[entry.layout](item, ctx))


def _item_slide(prefix: str, entry: Entry, item: Item, ctx: SlideContext, data: dict[str, object]) -> Slide:
    images = [value for key in ("photo", "image") if isinstance(value := data.get(key), str)]
    images += [photo for photo in data.get("photos", []) if isinstance(photo, str)]  # type: ignore[union-attr]
    data.update(_common(item, ctx))
    return Slide(f"{prefix}-{item.collection}-{item.slug}", entry.layout, entry.duration, _compact(data),
                 images, _when(entry, item), (item.source,))


def _common(item: Item, ctx: SlideContext) -> dict[str, object]:
    story = resolve_placeholders(str(item.body), ctx.screen.url_path) if item.body else ""
    return {"unit": item.unit.name if item.unit else None, "story": story, "qr": _qr(item, ctx),
            "heading": item.heading}


def _worker(item: Item, ctx: SlideContext) -> dict[str, object]:
    assert isinstance(item, Worker)
    return {"name": item.name, "title": item.title, "photo": _image(item.photo, ctx), "honors": item.honors,
            "quote": item.quote, "since": _date(item.since, ctx)}


def _team(item: Item, ctx: SlideContext) -> dict[str, object]:
    assert isinstance(item, Team)
    leader = item.leader_worker.name if item.leader_worker else item.leader
    return {"name": item.name, "photo": _image(item.photo, ctx), "leader": leader, "members": item.members}


def _activity(item: Item, ctx: SlideContext) -> dict[str, object]:
    assert isinstance(item, Activity)
    photos = [_image(photo, ctx) for photo in item.images]
    return {"title": item.title, "date": _date(item.date, ctx), "photos": [p for p in photos if p],
            "count": len(photos)}


def _philosophy(item: Item, ctx: SlideContext) -> dict[str, object]:
    assert isinstance(item, Philosophy)
    return {"slogan": item.slogan, "title": item.title}


_LAYOUT_DATA: dict[str, Callable[[Item, SlideContext], dict[str, object]]] = {
    "worker": _worker, "team": _team, "activity": _activity, "philosophy": _philosophy,
}
SLIDE_LAYOUTS = frozenset({"honors-wall", "timeline", *_LAYOUT_DATA})
"""The layouts slides are made for: what a collection's `slide_layout` in the registry may name."""


def _milestone(item: Milestone, all_items: list[Milestone], position: int, ctx: SlideContext) -> dict[str, object]:
    low = max(0, min(position - AXIS_SPAN, len(all_items) - 2 * AXIS_SPAN - 1))
    window = all_items[low: low + 2 * AXIS_SPAN + 1]
    axis = [{"label": _axis_label(other.date), "current": other is item} for other in window]
    return {"title": item.title, "date": _date(item.date, ctx), "image": _image(item.image, ctx), "axis": axis,
            "step": f"{position + 1} / {len(all_items)}"}


def _axis_label(date: PartialDate | None) -> str:
    if date is None:
        return ""
    return f"{date.year}.{date.month:02d}" if date.month else str(date.year)


def _honor_pages(prefix: str, entry: Entry, ctx: SlideContext) -> Iterator[Slide]:
    honors = [item for item in entry.items if isinstance(item, Honor)]
    size = entry.per_page or HONORS_PER_PAGE[ctx.screen.orientation]
    pages = [honors[start: start + size] for start in range(0, len(honors), size)]
    for number, page in enumerate(pages, start=1):
        cards = [_compact({"title": honor.title, "date": _date(honor.date, ctx),
                           "level": label(honor.level, ctx.lang) if honor.level else None,
                           "level_key": honor.level, "recipient": honor.recipient_name,
                           "image": _image(honor.image, ctx)}) for honor in page]
        images = [card["image"] for card in cards if isinstance(card.get("image"), str)]
        data = {"honors": cards, "page": f"{number} / {len(pages)}" if len(pages) > 1 else None,
                "count": len(page)}
        yield Slide(f"{prefix}-honors-{number}", "honors-wall", entry.duration, _compact(data), images,
                    _when(entry, None), tuple(honor.source for honor in page))


def _widget(widget: str, ctx: SlideContext) -> dict[str, object]:
    unit = ctx.screen.unit
    if widget == "title":
        return _compact({"title": unit.name if unit else ctx.site_title,
                         "subtitle": (unit.theme if unit else None) or ctx.site_subtitle,
                         "site": ctx.site_title if unit else None})
    if widget == "safety":
        return _compact({"unit": unit.name if unit else None, "since": ctx.safety_since})
    return _compact({"unit": unit.name if unit else ctx.site_title})


def _when(entry: Entry, item: Item | None) -> dict[str, object]:
    start, end = shown_window(entry, item)
    when: dict[str, object] = {}
    if start:
        when["from"] = start.first_day.isoformat()
    if end:
        when["until"] = end.last_day.isoformat()
    if entry.schedule.weekdays:
        when["days"] = list(entry.schedule.weekdays)
    if entry.schedule.hours:
        when["hours"] = [r.as_list() for r in entry.schedule.hours]
    return when


def _image(media: Media | None, ctx: SlideContext) -> str | None:
    return ctx.image_url(media) if media is not None and media.is_image else None


def _date(date: PartialDate | None, ctx: SlideContext) -> str | None:
    return date.display(ctx.lang) if date else None


def _qr(item: Item, ctx: SlideContext) -> str | None:
    """An SVG QR code to the item's page on the intranet site; only when base_url says where that is."""
    if not ctx.base_url:
        return None
    target = ctx.base_url + quote(item.url_path, safe="/")
    import segno  # here: only screens that show QR codes need it

    return segno.make(target, error="m").svg_inline(scale=1, border=2, omitsize=True,
                                                     dark="#000", light="#fff")


def _compact(data: dict[str, object]) -> dict[str, object]:
    """Leave out empty values: the runtime hides whatever a slide does not have."""
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def shown_window(entry: Entry, item: Item | None) -> tuple[PartialDate | None, PartialDate | None]:
    """The dates a slide may be shown: the entry's window narrowed by the item's own display window."""
    start, end = entry.schedule.display_from, entry.schedule.display_until
    if isinstance(item, Activity):
        if item.display_from and (start is None or item.display_from.first_day > start.first_day):
            start = item.display_from
        if item.display_until and (end is None or item.display_until.last_day < end.last_day):
            end = item.display_until
    return start, end
