"""Sanitised SVG drawings (exhibit/model/svg.py) stored in the asset cache, the file the site publishes.

The original stays untouched in content/; what the site ships is the cached,
sanitised copy, named by the hash of its bytes.
"""

from __future__ import annotations

from collections.abc import Iterable

from exhibit.assets.cache import AssetCache, bytes_hash
from exhibit.model.media import Media


def publish_clean_svgs(media: Iterable[Media], cache: AssetCache) -> None:
    """Point each sanitised SVG at its cached copy (written once per distinct drawing)."""
    for item in media:
        if item.clean_svg is not None:
            item.published = cache.put_bytes("svg", f"{bytes_hash(item.clean_svg)}.svg", item.clean_svg)
