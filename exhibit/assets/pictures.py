"""`<picture>` markup for processed photos: WebP and JPEG/PNG srcsets, sizes, width and height.

Templates call `picture_tag(media, alt, sizes=...)`; Markdown stories get the
same markup by rewriting their `<img>` tags once the renditions exist.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from urllib.parse import unquote

from markupsafe import Markup, escape

from exhibit.model.items import Item
from exhibit.model.markup import SITE_SCHEME, site_url
from exhibit.model.media import Media, Rendition

DEFAULT_SIZES = "(max-width: 1200px) 100vw, 1200px"
STORY_SIZES = "(max-width: 900px) 100vw, 760px"
_FALLBACK_SRC_WIDTH = 960  # what a browser without srcset support loads
_IMG_TAG = re.compile(r"<img\b[^>]*>")
_ATTRIBUTE = re.compile(r'([a-zA-Z_:][-a-zA-Z0-9_:.]*)="([^"]*)"')
_SITE_LINK = re.compile(r'(\s(?:href|src)=")' + re.escape(SITE_SCHEME) + r'([^"#]*)')

UrlFor = Callable[[str], str]
"""Site path -> URL as it should appear in this markup."""


def srcset(renditions: list[Rendition], url_for: UrlFor) -> str:
    return ", ".join(f"{url_for(r.path)} {r.width}w" for r in renditions)


def picture_markup(media: Media, url_for: UrlFor, attributes: dict[str, str], sizes: str) -> str:
    """`attributes` are already HTML-escaped (alt, class, loading...); the img gets width and height."""
    if media.renditions is None:
        size = {"width": str(media.width), "height": str(media.height)} if media.width and media.height else {}
        return _tag("img", {"src": url_for(media.url_path), **size, **attributes})
    fallback = media.renditions.fallback
    largest = fallback[-1]
    src = next((r for r in fallback if r.width >= _FALLBACK_SRC_WIDTH), largest)
    sizes_html = str(escape(sizes))
    source = _tag("source", {"type": "image/webp", "srcset": srcset(media.renditions.webp, url_for),
                             "sizes": sizes_html})
    img = _tag("img", {"src": url_for(src.path), "srcset": srcset(fallback, url_for), "sizes": sizes_html,
                       "width": str(largest.width), "height": str(largest.height), **attributes})
    return f"<picture>{source}{img}</picture>"


def _tag(name: str, attributes: dict[str, str]) -> str:
    return f"<{name}" + "".join(f' {key}="{value}"' for key, value in attributes.items()) + ">"


def template_attributes(alt: str, eager: bool, css_class: str | None) -> dict[str, str]:
    attributes = {"alt": str(escape(alt))}
    if css_class:
        attributes["class"] = str(escape(css_class))
    attributes.update({"fetchpriority": "high"} if eager else {"loading": "lazy"})
    return attributes


def point_stories_at_renditions(items: Iterable[Item], media: Iterable[Media]) -> None:
    """Each item's story rewritten (`rewrite_story`) against the site's media: the asset stage's, for every item
    of a run, and the preview's quick pass, for the items it built again."""
    by_path = {entry.url_path: entry for entry in media}
    for item in items:
        item.body = rewrite_story(item.body, by_path)


def rewrite_story(body: Markup, media_by_path: dict[str, Media]) -> Markup:
    """Story images become <picture>s and links to photos open the largest rendition, never the original."""
    if SITE_SCHEME not in body:
        return body

    def image(match: re.Match[str]) -> str:
        attributes = dict(_ATTRIBUTE.findall(match.group(0)))
        src = attributes.pop("src", "")
        media = media_by_path.get(unquote(src[len(SITE_SCHEME):])) if src.startswith(SITE_SCHEME) else None
        if media is None or media.renditions is None:
            return match.group(0)
        for generated in ("width", "height", "srcset", "sizes"):
            attributes.pop(generated, None)
        attributes.setdefault("alt", "")
        attributes.setdefault("loading", "lazy")
        return picture_markup(media, site_url, attributes, STORY_SIZES)

    def link(match: re.Match[str]) -> str:
        media = media_by_path.get(unquote(match.group(2)))
        return match.group(1) + (site_url(media.href_path) if media else SITE_SCHEME + match.group(2))

    return Markup(_SITE_LINK.sub(link, _IMG_TAG.sub(image, str(body))))
