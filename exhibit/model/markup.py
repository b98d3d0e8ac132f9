"""Markdown stories to safe HTML, with every local link and image resolved and checked.

Local targets are written as `exhibit:/<site path>` placeholders; the renderer
turns them into URLs relative to whichever page shows the story.

Two steps, so the slow one can run anywhere and be remembered: `convert_markdown`
(Python-Markdown, then nh3) depends on the story's text alone, so it runs in
worker processes and is cached by `story_key`; `resolve_links` needs the whole
site and runs in the model build on the converted HTML.
"""

from __future__ import annotations

import hashlib
import html as htmllib
import math
import re
from collections.abc import Callable, Iterable, MutableMapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from markupsafe import Markup

from exhibit.diagnostics import Diagnostic
from exhibit.model.storymarkdown import story_markdown
from exhibit.workers import map_ordered

SITE_SCHEME = "exhibit:/"
MARKDOWN_STEP_VERSION = 2  # 2: ids and classes in the theme's namespaces dropped
"""Part of every story key: raise it when the extensions or the sanitiser's allow-lists change."""
_EXTERNAL = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*:|//|#)")
_EXTRA_TAGS = {"figure", "figcaption", "mark", "section", "video", "source"}
_EXTRA_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang"},
    "img": {"src", "alt", "width", "height", "title", "loading"},
    "a": {"href", "title"},
    "video": {"src", "controls", "muted", "loop", "autoplay", "playsinline", "poster", "width", "height"},
    "source": {"src", "type"},
    "th": {"align", "colspan", "rowspan"},
    "td": {"align", "colspan", "rowspan"},
}
# Stories per worker task: below this, pickling and forking cost more than the conversion.
_MIN_STORIES_PER_CHUNK = 16
# Fewer stories than this are converted in this process: forking costs more than it saves.
_PARALLEL_FROM = 48


RESERVED_PREFIXES = ("k-", "is-")
"""Ids and classes the screen runtime and the theme use (kiosk.js, templates/kiosk/): never a story's."""


def _story_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Drop story ids and classes in the theme's own namespaces, so a story cannot restyle or shadow
    the screen runtime's nodes (an `id="k-stage"` or a `class="k-standby k-is-on"` covering the screen)."""
    if attribute == "id":
        return None if value.strip().lower().startswith(RESERVED_PREFIXES) else value
    if attribute == "class":
        kept = [name for name in value.split() if not name.lower().startswith(RESERVED_PREFIXES)]
        return " ".join(kept) or None
    return value


@dataclass(frozen=True)
class LinkProblem:
    """A local link in a story that cannot be followed."""

    target: str
    line: int


LinkResolver = Callable[[str], str | None]
"""Maps a local path as written to a site path, or None when it leads nowhere."""


_LINK_ATTRIBUTE = re.compile(r'(<(?:a|img|source|video)\b[^>]*?\s(?:href|src|poster)=")([^"]*)(")')


@lru_cache(maxsize=1)
def _sanitiser() -> Callable[[str], str]:
    """nh3's sanitiser for stories, built once: `nh3.clean` converts the allow-lists to Rust on every call, which
    was 40 % of sanitising 1,000 stories (0.121 s against 0.072 s with one `nh3.Cleaner`, the same HTML)."""
    import nh3

    tags = nh3.ALLOWED_TAGS | _EXTRA_TAGS
    attributes = {**{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()}, **_EXTRA_ATTRIBUTES}
    cleaner = nh3.Cleaner(tags=tags, attributes=attributes, url_schemes={"http", "https", "mailto", "tel"},
                          link_rel=None, attribute_filter=_story_attribute)
    return cleaner.clean


def convert_markdown(text: str) -> str:
    """A story's sanitised HTML, links as written: depends on the text alone, so it can be cached."""
    if not text.strip():
        return ""
    return _sanitiser()(story_markdown().convert(text))


def story_key(text: str) -> str:
    """What `convert_markdown(text)` is cached under (the engine adds its own version and libraries')."""
    digest = hashlib.blake2b(f"{MARKDOWN_STEP_VERSION}\0".encode(), digest_size=16)
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _convert_chunk(texts: list[str]) -> list[str | None]:
    return [_convert_or_none(text) for text in texts]


def _convert_or_none(text: str) -> str | None:
    """None for a story nested too deep to convert: the model build reports it where it meets it."""
    try:
        return convert_markdown(text)
    except RecursionError:
        return None


class StoryConversions:
    """`known` completed with the HTML of every text it lacks (by story_key), as a stream: the stories are converted
    on `jobs` processes in the order given, and `ask` waits only until the one asked for has arrived, so the
    caller can use each story while later ones convert (`finish`: all of them).

    Profile of a cold 1,000-item build: the model build waited for every story, then built its items on one core
    (0.15 s) while both workers idled. Leaving the `with` block stops workers still converting.
    """

    def __init__(self, texts: Iterable[str], jobs: int, known: MutableMapping[str, str] | None = None) -> None:
        self.converted: dict[str, str] = {} if known is None else known  # type: ignore[assignment]
        missing: dict[str, str] = {}
        for text in texts:
            key = story_key(text)
            if key not in self.converted and key not in missing:
                missing[key] = text
        if len(missing) < _PARALLEL_FROM:
            jobs = 1
        elif jobs > 1:
            story_markdown(), _sanitiser()  # imported once here, inherited by every worker
        chunk_size = max(_MIN_STORIES_PER_CHUNK, math.ceil(len(missing) / max(jobs, 1) / 4))
        self._results = map_ordered(_convert_chunk, list(missing.values()), jobs, chunk_size)
        self._keys = iter(missing)

    def ask(self, key: str) -> None:
        """Wait until the story under `key` has arrived, if it is among those converting."""
        while key not in self.converted and self._take_one():
            pass

    def finish(self) -> dict[str, str]:
        while self._take_one():
            pass
        return self.converted

    def _take_one(self) -> bool:
        for html in self._results:
            key = next(self._keys)
            if html is not None:
                self.converted[key] = html
            return True
        return False

    def __enter__(self) -> StoryConversions:
        return self

    def __exit__(self, *exc_info: object) -> None:
        close = getattr(self._results, "close", None)
        if close is not None:
            close()


def resolve_links(html: str, text: str, resolve: LinkResolver, first_line: int) -> tuple[str, list[LinkProblem]]:
    """Local links of converted HTML pointed at site paths; the ones that lead nowhere, with their file lines.

    Links are rewritten after sanitising, on the final HTML, so links written as raw
    HTML are checked exactly like Markdown ones.
    """
    if not html:
        return "", []
    broken: list[str] = []

    def rewrite(match: re.Match[str]) -> str:
        url = htmllib.unescape(match.group(2))
        if not url or _EXTERNAL.match(url):
            return match.group(0)
        target = resolve_written(url, resolve)
        if target is None:
            broken.append(url)
            return match.group(0)
        site_path, fragment = target
        return f"{match.group(1)}{site_url(site_path)}{htmllib.escape(fragment)}{match.group(3)}"

    html = _LINK_ATTRIBUTE.sub(rewrite, html)
    return html, [LinkProblem(url, first_line + _line_index(text, url)) for url in broken]


class MarkdownRenderer:
    """Both steps for one story; `html_for` supplies already converted HTML (from workers or a cache)."""

    def __init__(self, html_for: Callable[[str], str] | None = None) -> None:
        self._html_for = html_for or convert_markdown

    def render(self, text: str, resolve: LinkResolver, first_line: int) -> tuple[str, list[LinkProblem]]:
        """HTML for a story, and the links in it that lead nowhere (with their file lines)."""
        if not text.strip():
            return "", []
        return resolve_links(self._html_for(text), text, resolve, first_line)


def site_url(site_path: str) -> str:
    """The placeholder for a site path, percent-encoded: names with & ' " # % ? or spaces stay one path."""
    return SITE_SCHEME + quote(site_path, safe="/")


def resolve_written(url: str, resolve: LinkResolver) -> tuple[str, str] | None:
    """(site path, '#fragment' or '') for a local link as written, or None when it leads nowhere.

    People name files `报告#2.pdf` or `50%.pdf` and link them as they see them, so
    the name exactly as written is tried first; then the link is read as a URL
    (percent-escapes decoded, `?query` dropped, `#fragment` kept).
    """
    literal = resolve(url)
    if literal is not None:
        return literal, ""
    parts = urlsplit(url)
    path = unquote(parts.path)
    if path == url:
        return None
    site_path = resolve(path)
    if site_path is None:
        return None
    return site_path, f"#{parts.fragment}" if parts.fragment else ""


def render_markdown(text: str, resolve: LinkResolver, first_line: int) -> tuple[str, list[LinkProblem]]:
    """Convenience for a single story; the model uses one MarkdownRenderer for all."""
    return MarkdownRenderer().render(text, resolve, first_line)


def _line_index(text: str, url: str) -> int:
    """The line of the story where a link target is written: as a link first, else anywhere."""
    candidates = (f"]({url}", f"]: {url}", f'="{url}"', f"='{url}'", f"<{url}>", url)
    positions = [text.find(candidate) for candidate in candidates]
    position = next((p for p in positions if p >= 0), -1)
    return text.count("\n", 0, position) if position >= 0 else 0


def plain_text(html: str, limit: int = 90) -> str:
    """A one-line excerpt for cards and meta descriptions.

    Only the start of a long story is looked at, a short start first: the excerpt is the same as from the whole
    (see _EXCERPT_HTML)."""
    for size in _EXCERPT_HTML:
        head = html[:size]
        if len(head) == len(html):
            break
        open_tag = head.find("<", head.rfind(">") + 1)
        if open_tag >= 0:  # a tag cut in two (a `<` with no `>` after it): leave it out, with what follows
            head = head[:open_tag]
        text = _text_of(head)
        if len(text) > limit + _EXCERPT_MARGIN:
            return text[: limit - 1].rstrip() + "…"
    text = _text_of(html)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# The first characters of the text of the HTML's start are those of the whole text: tags and entities are
# removed, whitespace collapsed, from the left. Only the end can differ (an entity or a run of spaces cut in
# two), so the start must give more text than the excerpt by a margin longer than an entity. 512 characters of
# HTML hold enough text for most stories (a third of the time of taking 2,048: the parent makes every excerpt).
_EXCERPT_HTML = (512, 2048)
_EXCERPT_MARGIN = 16


def _text_of(html: str) -> str:
    text = re.sub(r"<[^>]+>", "", html)
    text = re.sub(r"\s+", " ", text.replace("&nbsp;", " ")).strip()
    return text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')


def is_markdown_path(path: Path) -> bool:
    return path.suffix.lower() in (".md", ".markdown")


@dataclass(frozen=True)
class RenderedStory:
    """A story's HTML (sanitised: safe to show as it is) with the links it asked about and the answers it got."""

    html: Markup
    problems: list[LinkProblem]
    links: tuple[tuple[str, str | None], ...]
    summary: str = ""


Place = tuple[str, int]
"""Where a story starts: its file (root-relative) and the line of its first body line."""
RenderedEntry = tuple[str, list[Diagnostic], RenderedStory]
"""A story as last rendered at a place: its text, its nesting problems, and the story.

The text itself, not a hash of it: the preview's records are the same objects from one save to the next, and
comparing a string with itself costs nothing, where hashing every story was 16 ms of a 5,000-item save."""
RenderedStories = MutableMapping[Place, RenderedEntry]
"""Rendered stories by place, kept from one build to the next (the engine's cache, engine/cache.py).

Rendering a story again (its links, its excerpt, the nesting scan) was most of a model build once the Markdown
was cached. A story is taken from here only for the same text (whose HTML the converter versions in the cache's
file decide), while each link lookup it made gives the same answer (`_same_answers`); asking again repeats what
the lookups report."""


def render_story(text: str, resolve: LinkResolver, first_line: int,
                 renderer: MarkdownRenderer | None = None) -> RenderedStory:
    """Render a story, also keeping every link lookup (for caching and dependencies)."""
    asked: list[tuple[str, str | None]] = []

    def recording(written: str) -> str | None:
        answer = resolve(written)
        asked.append((written, answer))
        return answer

    html, problems = (renderer or MarkdownRenderer()).render(text, recording, first_line)
    return RenderedStory(Markup(html), problems, tuple(asked), plain_text(html))
