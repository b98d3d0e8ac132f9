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


def render_markdown(text: str, resolve: LinkResolver, first_line: int) -> tuple[str, list[LinkProblem]]:
    """HTML for a story, and the links in it that lead nowhere (with their file lines)."""
    if not text.strip():
        return "", []
    broken: list[str] = []
    md = markdown.Markdown(extensions=["extra", "sane_lists", "nl2br"])
    md.treeprocessors.register(_LocalLinks(md, resolve, broken), "exhibit_links", 1)
    html = md.convert(text)
    clean = nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel", "exhibit"},
        link_rel=None,
    )
    return clean, [LinkProblem(url, first_line + _line_index(text, url)) for url in broken]


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


@dataclass(frozen=True)
class RenderedStory:
    """A story's HTML with the links it asked about and the answers it got."""

    html: str
    problems: list[LinkProblem]
    links: tuple[tuple[str, str | None], ...]
    summary: str = ""


class StoryCache:
    """Rendered stories by text, reused while every link in them still resolves the same way.

    Markdown is the slowest part of reading a site; the dev server keeps one of
    these so a one-file edit renders one story.
    """

    def __init__(self) -> None:
        self._stories: dict[tuple[str, int, str], RenderedStory] = {}

    def render(self, key: str, text: str, resolve: LinkResolver, first_line: int) -> RenderedStory:
        cache_key = (key, first_line, text)
        known = self._stories.get(cache_key)
        if known is not None and all(resolve(written) == answer for written, answer in known.links):
            return known
        story = render_story(text, resolve, first_line)
        self._stories[cache_key] = story
        return story

    def forget_except(self, keys: set[str]) -> None:
        """Drop stories of files that are gone, so memory follows the site."""
        self._stories = {k: v for k, v in self._stories.items() if k[0] in keys}


def render_story(text: str, resolve: LinkResolver, first_line: int) -> RenderedStory:
    """render_markdown, also keeping every link lookup (for caching and dependencies)."""
    asked: list[tuple[str, str | None]] = []

    def recording(written: str) -> str | None:
        answer = resolve(written)
        asked.append((written, answer))
        return answer

    html, problems = render_markdown(text, recording, first_line)
    return RenderedStory(html, problems, tuple(asked), plain_text(html))
