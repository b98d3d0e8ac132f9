"""Listings split into pages: collection indexes and per-unit listings.

Each page's context holds only the items it shows plus a `Pager` of plain
numbers and path strings. That is what keeps the dev server fast: a page's
inputs are the items reachable from its context (exhibit/engine/deps.py), so a page
holding a whole collection would be rendered again after every edit.

URL scheme (every path relative-URL friendly, no folder index needed):
  <collection>/index.html, <collection>/page/2.html, <collection>/page/3.html, ...
  units/<id>/<collection>.html, units/<id>/<collection>/page/2.html, ...
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby

from exhibit.model.items import Item

UNIT_PREVIEW = 12  # cards a unit page shows per section (at most the page size)
EDGE = 1  # page links always shown at each end of the pager
AROUND = 2  # page links shown on each side of the current page


@dataclass(frozen=True)
class Listing:
    """Where a listing's pages go: page 1 at `first`, page n at `<stem>/page/<n>.html`."""

    first: str
    stem: str

    def path(self, number: int) -> str:
        return self.first if number == 1 else f"{self.stem}/page/{number}.html"


def collection_listing(collection: str) -> Listing:
    return Listing(f"{collection}/index.html", collection)


def unit_listing(unit_id: str, collection: str) -> Listing:
    return Listing(f"units/{unit_id}/{collection}.html", f"units/{unit_id}/{collection}")


def page_count(total: int, size: int) -> int:
    """An empty listing still has one page (it says there is nothing yet)."""
    return max(1, -(-total // size))


def split(items: Sequence[Item], size: int) -> list[list[Item]]:
    """The items in page-sized slices, in order; one empty slice for no items."""
    return [list(items[start:start + size]) for start in range(0, len(items), size)] or [[]]


@dataclass(frozen=True)
class PageLink:
    """One entry of a pager's page links; number 0 (path None) stands for an ellipsis."""

    number: int
    path: str | None
    current: bool


@dataclass(frozen=True)
class Pager:
    """Page `number` of `count` of a listing of `total` items: what a template needs to draw page links.

    Plain numbers and a Listing only, never items; `key` is how the incremental build compares two
    pagers (exhibit/engine/deps.py plain_values): everything else is derived from it.
    """

    listing: Listing
    number: int
    count: int
    total: int
    size: int

    @property
    def key(self) -> tuple[str, int, int, int, int]:
        return (self.listing.first, self.number, self.count, self.total, self.size)

    @property
    def path(self) -> str:
        return self.listing.path(self.number)

    @property
    def first(self) -> str:
        return self.listing.first

    @property
    def prev(self) -> str | None:
        return self.listing.path(self.number - 1) if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.listing.path(self.number + 1) if self.number < self.count else None

    @property
    def first_index(self) -> int:
        """1-based position of the first item shown (0 for an empty listing)."""
        return (self.number - 1) * self.size + 1 if self.total else 0

    @property
    def last_index(self) -> int:
        return min(self.number * self.size, self.total)

    @property
    def links(self) -> list[PageLink]:
        return [PageLink(n, self.listing.path(n) if n else None, n == self.number)
                for n in page_numbers(self.number, self.count)]


def page_numbers(current: int, count: int) -> list[int]:
    """Page numbers to link, 0 standing for an ellipsis: ends and the current page's neighbours.

    A gap of a single page shows that page instead of an ellipsis (an ellipsis saves nothing there).
    """
    shown = sorted({n for n in (*range(1, EDGE + 1), *range(count - EDGE + 1, count + 1),
                                *range(current - AROUND, current + AROUND + 1)) if 1 <= n <= count})
    numbers: list[int] = []
    for n in shown:
        if numbers and n - numbers[-1] == 2:
            numbers.append(n - 1)
        elif numbers and n - numbers[-1] > 2:
            numbers.append(0)
        numbers.append(n)
    return numbers


def unit_preview_size(page_size: int) -> int:
    return min(UNIT_PREVIEW, page_size)


def paginated(listing: Listing, items: Sequence[Item], size: int) -> list[tuple[str, list[Item], Pager]]:
    """(path, slice, pager) for every page of a listing, in page order."""
    slices = split(items, size)
    return [(listing.path(number), chunk, Pager(listing, number, len(slices), len(items), size))
            for number, chunk in enumerate(slices, start=1)]


LEVEL_ORDER = ("national", "provincial", "group", "company", "plant")


def wall_order(honors: Sequence[Item]) -> list[Item]:
    """Honors as the wall shows them: one band per level, highest first, then those without a level.

    Stable, so each band keeps the collection's order (newest first).
    """
    return sorted(honors, key=lambda item: LEVEL_ORDER.index(level) if (level := _level(item)) else len(LEVEL_ORDER))


def level_bands(ordered: Sequence[Item], listing: Listing, size: int) -> list[dict[str, object]]:
    """Per band of the wall (level None: no level): how many honors it holds and the page it starts on."""
    bands: list[dict[str, object]] = []
    start = 0
    for level, group in groupby(ordered, key=_level):
        count = len(list(group))
        bands.append({"level": level, "count": count, "path": listing.path(start // size + 1)})
        start += count
    return bands


def _level(item: Item) -> str | None:
    level = getattr(item, "level", None)
    return level if level in LEVEL_ORDER else None
