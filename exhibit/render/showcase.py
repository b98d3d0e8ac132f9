"""The render plan: a pure function from the model to every page and file the site will hold."""

from __future__ import annotations

from pathlib import Path

from exhibit.model.collections import COLLECTIONS
from exhibit.model.items import Activity, Honor, Item
from exhibit.model.sitemodel import SiteModel
from exhibit.render.outputs import Page, SitePlan, StaticFile, media_files
from exhibit.render.paginate import (
    Listing,
    collection_listing,
    level_bands,
    paginated,
    unit_listing,
    unit_preview_size,
    wall_order,
)

LATEST_ACTIVITIES = 6


def plan_showcase(model: SiteModel, assets_dir: Path) -> SitePlan:
    """The browsable site: home, units, collections, and the files they use (screens come separately)."""
    pages = [_home(model), *_unit_pages(model), *_collection_pages(model)]
    files = [file for media in model.media for file in media_files(media)]
    files += _asset_files(assets_dir)
    return SitePlan(pages, files)


def _home(model: SiteModel) -> Page:
    activities = [item for item in model.collections["activities"] if isinstance(item, Activity)]
    return Page("index.html", "home.html", {
        "counts": {name: len(model.collections[name]) for name in COLLECTIONS},
        "latest_activities": activities[:LATEST_ACTIVITIES],
        "tiers": model.config.units.by_tier(),
    }, ("content/site.yaml", *(f"@collection:{name}" for name in COLLECTIONS)))  # counts: see deps.py


def _unit_pages(model: SiteModel) -> list[Page]:
    """A unit page previews each section; a section with more items gets its own paginated listing."""
    pages = [Page("units/index.html", "units/index.html", {}, ("content/site.yaml",))]
    size = model.config.page_size
    preview = unit_preview_size(size)
    for unit in model.config.units:
        members = model.unit_members(unit)
        members["honors"] = [item for item in members.get("honors", []) if isinstance(item, Honor)]
        shown = {name: items[:preview] for name, items in members.items()}
        listings: dict[str, str | None] = {}
        for name, items in members.items():
            listings[name] = unit_listing(unit.id, name).first if len(items) > preview else None
            if listings[name]:
                pages += _listing_pages(unit_listing(unit.id, name), items, size, "units/listing.html",
                                        {"unit": unit, "collection": name}, ("content/site.yaml",))
        sources = tuple(item.source for items in shown.values() for item in items)
        pages.append(Page(unit.url_path, "units/item.html", {
            "unit": unit, "members": shown, "honors": shown["honors"],
            "counts": {name: len(items) for name, items in members.items()}, "listings": listings,
        }, ("content/site.yaml", *sources)))
    return pages


def _listing_pages(listing: Listing, items: list[Item], size: int, template: str,
                   context: dict[str, object], sources: tuple[str, ...] = ()) -> list[Page]:
    """One page per slice: its context holds the slice and plain pager values only (see paginate.py)."""
    return [Page(path, template, {**context, "items": chunk, "pager": pager},
                 (*sources, *dict.fromkeys(item.source for item in chunk)))
            for path, chunk, pager in paginated(listing, items, size)]


def _collection_pages(model: SiteModel) -> list[Page]:
    pages: list[Page] = []
    for name in COLLECTIONS:
        items: list[Item] = model.collections[name]
        pages += _index_pages(name, items, model.config.page_size)
        for index, item in enumerate(items):
            pages.append(Page(item.url_path, f"{name}/item.html", {
                "collection": name,
                "item": item,
                "prev": items[index - 1] if index > 0 else None,
                "next": items[index + 1] if index + 1 < len(items) else None,
            }, (item.source,)))
    return pages


def _index_pages(name: str, items: list[Item], size: int) -> list[Page]:
    """A collection's index, page by page; a level wall (honors) is paginated band by band."""
    listing = collection_listing(name)
    if not COLLECTIONS[name].level_wall:
        return _listing_pages(listing, items, size, f"{name}/index.html", {"collection": name})
    ordered = wall_order(items)
    return _listing_pages(listing, ordered, size, f"{name}/index.html",
                          {"collection": name, "levels": level_bands(ordered, listing, size)})


def _asset_files(assets_dir: Path) -> list[StaticFile]:
    if not assets_dir.is_dir():
        return []
    return [StaticFile("assets/" + path.relative_to(assets_dir).as_posix(), path)
            for path in sorted(assets_dir.rglob("*"))
            if path.is_file() and not any(part.startswith(".") for part in path.relative_to(assets_dir).parts)]
