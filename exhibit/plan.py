"""The render plan: a pure function from the model to every page and file the site will hold."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from exhibit.diagnostics import Diagnostics
from exhibit.items import Activity, Honor, Item
from exhibit.model import SiteModel
from exhibit.sources import COLLECTIONS

LATEST_ACTIVITIES = 6


@dataclass(frozen=True)
class Page:
    """One HTML page: where it goes, which template draws it, with what."""

    path: str
    template: str
    context: dict[str, object] = field(default_factory=dict)
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class StaticFile:
    """A file copied as it is (content media, theme assets)."""

    path: str
    source: Path


@dataclass
class SitePlan:
    pages: list[Page]
    files: list[StaticFile]


def plan_site(model: SiteModel, assets_dir: Path, diagnostics: Diagnostics) -> SitePlan:
    pages = [_home(model), *_unit_pages(model), *_collection_pages(model)]
    files = [StaticFile(media.url_path, media.source) for media in model.media
             if media.url_path.startswith("media/")]
    files += _asset_files(assets_dir)
    _check_collisions(pages, files, diagnostics)
    return SitePlan(pages, files)


def _home(model: SiteModel) -> Page:
    activities = [item for item in model.collections["activities"] if isinstance(item, Activity)]
    return Page("index.html", "home.html", {
        "counts": {name: len(model.collections[name]) for name in COLLECTIONS},
        "latest_activities": activities[:LATEST_ACTIVITIES],
        "tiers": model.config.units.by_tier(),
    }, ("content/site.yaml", *(f"@collection:{name}" for name in COLLECTIONS)))  # counts: see deps.py


def _unit_pages(model: SiteModel) -> list[Page]:
    pages = [Page("units/index.html", "units/index.html", {}, ("content/site.yaml",))]
    for unit in model.config.units:
        members = model.unit_members(unit)
        honors = [item for item in members.get("honors", []) if isinstance(item, Honor)]
        sources = tuple(item.source for items in members.values() for item in items)
        pages.append(Page(unit.url_path, "units/item.html",
                          {"unit": unit, "members": members, "honors": honors},
                          ("content/site.yaml", *sources)))
    return pages


def _collection_pages(model: SiteModel) -> list[Page]:
    pages: list[Page] = []
    for name in COLLECTIONS:
        items: list[Item] = model.collections[name]
        pages.append(Page(f"{name}/index.html", f"{name}/index.html",
                          {"collection": name, "items": items},
                          tuple(item.source for item in items)))
        for index, item in enumerate(items):
            pages.append(Page(item.url_path, f"{name}/item.html", {
                "collection": name,
                "item": item,
                "prev": items[index - 1] if index > 0 else None,
                "next": items[index + 1] if index + 1 < len(items) else None,
            }, (item.source,)))
    return pages


def _asset_files(assets_dir: Path) -> list[StaticFile]:
    if not assets_dir.is_dir():
        return []
    return [StaticFile("assets/" + path.relative_to(assets_dir).as_posix(), path)
            for path in sorted(assets_dir.rglob("*"))
            if path.is_file() and not any(part.startswith(".") for part in path.relative_to(assets_dir).parts)]


def _check_collisions(pages: list[Page], files: list[StaticFile], diagnostics: Diagnostics) -> None:
    """Two outputs on one path would silently lose one of them (e.g. a worker file named index.md)."""
    owners: dict[str, str] = {}
    for path, source in [(page.path, page.sources[0] if page.sources else "") for page in pages] + \
            [(file.path, str(file.source)) for file in files]:
        key = path.lower()  # Windows and macOS file shares ignore case
        if key in owners:
            item_source = source if source.startswith("content/") else owners[key]
            diagnostics.error("url_collision", item_source or None, value=path)
        else:
            owners[key] = source
