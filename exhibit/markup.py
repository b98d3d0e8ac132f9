"""Markdown stories to safe HTML, with every local link and image resolved and checked.

Local targets are written as `exhibit:/<site path>` placeholders; the renderer
turns them into URLs relative to whichever page shows the story.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import markdown
import nh3
from markdown.treeprocessors import Treeprocessor

SITE_SCHEME = "exhibit:/"
_EXTERNAL = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*:|//|#)")
_ALLOWED_TAGS = nh3.ALLOWED_TAGS | {"figure", "figcaption", "mark", "section", "video", "source"}
_ALLOWED_ATTRIBUTES = {
    **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
    "*": {"class", "id", "title", "lang"},
    "img": {"src", "alt", "width", "height", "title", "loading"},
    "a": {"href", "title"},
    "video": {"src", "controls", "muted", "loop", "autoplay", "playsinline", "poster", "width", "height"},
    "source": {"src", "type"},
    "th": {"align", "colspan", "rowspan"},
    "td": {"align", "colspan", "rowspan"},
}


@dataclass(frozen=True)
class LinkProblem:
    """A local link in a story that cannot be followed."""

    target: str
    line: int


LinkResolver = Callable[[str], str | None]
"""Maps a local path as written to a site path, or None when it leads nowhere."""


class _LocalLinks(Treeprocessor):
    def __init__(self, md: markdown.Markdown, resolve: LinkResolver, broken: list[str]) -> None:
        super().__init__(md)
        self.resolve = resolve
        self.broken = broken

    def run(self, root: ET.Element) -> None:
        for element in root.iter():
            attribute = {"a": "href", "img": "src", "source": "src", "video": "src"}.get(element.tag)
            if attribute and element.get(attribute):
                element.set(attribute, self._rewrite(element.get(attribute, "")))

    def _rewrite(self, url: str) -> str:
        if _EXTERNAL.match(url):
            return url
        parts = urlsplit(url)
        site_path = self.resolve(parts.path)
        if site_path is None:
            self.broken.append(url)
            return url
        fragment = f"#{parts.fragment}" if parts.fragment else ""
        return f"{SITE_SCHEME}{site_path}{fragment}"


class MarkdownRenderer:
    """One reusable Markdown instance (building one per story costs more than converting it)."""

    def __init__(self) -> None:
        self._broken: list[str] = []
        self._links = _LocalLinks(None, lambda _: None, self._broken)
        self._md = markdown.Markdown(extensions=["extra", "sane_lists", "nl2br"])
        self._links.md = self._md
        self._md.treeprocessors.register(self._links, "exhibit_links", 1)

    def render(self, text: str, resolve: LinkResolver, first_line: int) -> tuple[str, list[LinkProblem]]:
        """HTML for a story, and the links in it that lead nowhere (with their file lines)."""
        if not text.strip():
            return "", []
        self._broken.clear()
        self._links.resolve = resolve
        html = self._md.reset().convert(text)
        clean = nh3.clean(
            html,
            tags=_ALLOWED_TAGS,
            attributes=_ALLOWED_ATTRIBUTES,
            url_schemes={"http", "https", "mailto", "tel", "exhibit"},
            link_rel=None,
        )
        return clean, [LinkProblem(url, first_line + _line_index(text, url)) for url in self._broken]


def render_markdown(text: str, resolve: LinkResolver, first_line: int) -> tuple[str, list[LinkProblem]]:
    """Convenience for a single story; the model uses one MarkdownRenderer for all."""
    return MarkdownRenderer().render(text, resolve, first_line)


def _line_index(text: str, needle: str) -> int:
    position = text.find(needle)
    return text.count("\n", 0, position) if position >= 0 else 0


def plain_text(html: str, limit: int = 90) -> str:
    """A one-line excerpt for cards and meta descriptions."""
    text = re.sub(r"<[^>]+>", "", html)
    text = re.sub(r"\s+", " ", text.replace("&nbsp;", " ")).strip()
    text = text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def is_markdown_path(path: Path) -> bool:
    return path.suffix.lower() in (".md", ".markdown")
