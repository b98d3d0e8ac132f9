"""What a plan hands to rendering and writing: pages, copied files, generated files.

Both the showcase plan and the kiosk plan produce these, so they live below both.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from exhibit.diagnostics import Diagnostics
from exhibit.model.media import Media

ASSET_SCHEME = "exhibit-asset:"
"""Templates write `asset('css/site.css')` as this scheme; the asset stage swaps in the hashed URL."""


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


@dataclass(frozen=True)
class GeneratedFile:
    """A file whose bytes the plan computes (JSON for screens), with the sources it depends on."""

    path: str
    data: bytes
    sources: tuple[str, ...] = ()


@dataclass
class SitePlan:
    pages: list[Page]
    files: list[StaticFile]
    generated: list[GeneratedFile] = field(default_factory=list)
    screen_pages: int = 0  # the last pages are the screens' (the dev server plans them again on its own)


def asset_placeholder(logical: str) -> str:
    """A theme file's URL before its content hash is known (see exhibit/assets/static.py)."""
    return ASSET_SCHEME + quote(logical, safe="/")


def media_files(media: Media) -> list[StaticFile]:
    """A processed photo ships as its renditions only (the original keeps its GPS data and 5 MB)."""
    if media.renditions is not None:
        return [StaticFile(rendition.path, rendition.file) for rendition in media.renditions.files]
    if not media.url_path.startswith("media/"):
        return []
    if media.clean_svg is not None:  # only ever the sanitised drawing; none before the asset stage stored it
        return [StaticFile(media.url_path, media.published)] if media.published is not None else []
    return [StaticFile(media.url_path, media.source)]


def check_collisions(pages: list[Page], files: list[StaticFile], diagnostics: Diagnostics,
                      generated: Sequence[GeneratedFile] = ()) -> None:
    """Two outputs on one path would silently lose one of them (e.g. a worker file named index.md)."""
    owners: dict[str, str] = {}
    for path, source in [(page.path, page.sources[0] if page.sources else "") for page in pages] + \
            [(file.path, str(file.source)) for file in files] + \
            [(file.path, file.sources[0] if file.sources else "") for file in generated]:
        key = path.lower()  # Windows and macOS file shares ignore case
        if key in owners:
            item_source = source if source.startswith("content/") else owners[key]
            diagnostics.error("url_collision", item_source or None, value=path)
        else:
            owners[key] = source
