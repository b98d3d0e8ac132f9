"""The asset stage as the pipeline sees it: prepare before rendering, finish after.

Order matters: photos are processed before rendering (pages need their sizes);
the font subset needs the text of the rendered pages, the CSS hash needs the font,
and the pages need the CSS hash. So pages are rendered with `asset()` placeholders
that `finish` resolves once the font and the stylesheets are final.

Cutting the subset takes seconds on a cold cache, so it need not wait for the last
page: `font_prefetch` watches pages as they are rendered and, once new pages stop
bringing new characters, cuts the subset of the characters so far in a background
process. The subset is cached by its characters, so `finish` uses that work only
when the final characters are exactly the guessed ones: the font is always the
subset of what the pages show, whether the guess was right or not.

Nothing waits for the cut before the site is written: the subset is named by what
it is cut from (fonts.py), so the stylesheets and pages that name it are finished
and written while it is cut, and `FinishedSite.settle` waits for it only before
the font file itself is copied.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import itertools
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from exhibit.assets.cache import AssetCache
from exhibit.assets.fonts import (
    FontSubset,
    FontSubsetter,
    SubsetEntry,
    characters_in,
    cut_subset,
    font_face_rule,
    needs_font,
    subset_stem,
)
from exhibit.assets.fontsource import FontFile, locate_font
from exhibit.assets.images import ImageCounts, ImageStage
from exhibit.assets.minify import minify_page
from exhibit.assets.pictures import (
    DEFAULT_SIZES,
    picture_markup,
    point_stories_at_renditions,
    template_attributes,
)
from exhibit.assets.progress import ProgressDisplay
from exhibit.assets.screens import largest_screen
from exhibit.assets.sitechars import FontPrefetch
from exhibit.assets.static import AssetManifest, StaticAssets, resolve_asset_urls
from exhibit.assets.svg import publish_clean_svgs
from exhibit.assets.video import VideoStage
from exhibit.diagnostics import Diagnostics
from exhibit.kiosk.screens import ScreenSet
from exhibit.model.config import SiteConfig
from exhibit.model.media import Media
from exhibit.model.sitemodel import SiteModel
from exhibit.render.outputs import GeneratedFile, StaticFile, asset_placeholder
from exhibit.render.templates import current_page, relative_url
from exhibit.workers import start_in_background

CONFIG_REL = "content/site.yaml"
_MISSING_SHOWN = 20


@dataclass
class PendingFont:
    """A subset named already: found in the cache (`ready`), or perhaps still being cut in the background (`cut`)."""

    font: FontFile
    chars: set[str]
    entry: SubsetEntry
    cut: Future[None] | None
    ready: FontSubset | None = None

    @property
    def logical(self) -> str:
        return f"fonts/{subset_stem(self.font)}.woff2"

    def result(self, subsetter: FontSubsetter) -> FontSubset:
        """The subset, once cut; a background cut that failed is done again here, so its error is this one's."""
        if self.ready is not None:
            return self.ready
        if self.cut is not None:
            with contextlib.suppress(Exception):
                self.cut.result()
        found = subsetter.cached(self.font, self.entry)
        return found if found is not None else subsetter.subset(self.font, self.chars)


@dataclass(frozen=True)
class AssetOptions:
    minify: bool = False
    progress: bool = False
    subset_font: bool = True  # `check` finds the font but does not cut it
    workers: int | None = None
    cache_dir: Path | None = None  # None: ROOT/.exhibit-cache/


@dataclass(frozen=True)
class FontReport:
    family: str
    characters: int
    bytes: int
    path: str


@dataclass
class AssetReport:
    """What the stage did, for the summary line, the benchmark and the tests."""

    images: ImageCounts = field(default_factory=ImageCounts)
    videos: int = 0
    font: FontReport | None = None
    asset_urls: dict[str, str] = field(default_factory=dict)  # theme file -> its fingerprinted site path


@dataclass
class FinishedSite:
    """The site once its assets are final. Pages are finished one at a time, as they are written (`finish_page`).

    `finish_key` names everything finishing depends on besides the page itself (the asset URLs, minifying):
    a page rendered to the same HTML under the same key finishes to the same bytes as last time."""

    pages: list[str]
    files: list[StaticFile]
    generated: list[GeneratedFile]
    finish_page: Callable[[str, bytes], bytes]
    finish_key: str
    settle: Callable[[], None] = lambda: None  # waits for the font subset (before its file is copied), once


class AssetStage:
    def __init__(self, root: Path, content_dir: Path, assets_dir: Path, config: SiteConfig,
                 diagnostics: Diagnostics, options: AssetOptions) -> None:
        self.content_dir = content_dir
        self.config = config
        self.diagnostics = diagnostics
        self.options = options
        self.cache = AssetCache(root, options.cache_dir)
        self.progress = ProgressDisplay(options.progress, config.language)
        self.static = StaticAssets(root, assets_dir, self.cache, diagnostics)
        self.report = AssetReport()
        self.root = root
        self._prefetch: FontPrefetch | None = None
        self._settled = False

    def prepare(self, model: SiteModel, screens: ScreenSet) -> None:
        """Photos into renditions, videos measured, stories pointed at the renditions."""
        box = largest_screen((screen.width, screen.height) for screen in screens)
        images = ImageStage(self.cache, box, self.diagnostics, self.progress, self.options.workers)
        every_media = model.media + screens.media
        self.report.images = images.run(every_media)
        self.report.videos = VideoStage(self.cache, self.diagnostics).run(every_media)
        publish_clean_svgs(every_media, self.cache)
        point_stories_at_renditions(model.items(), model.media)

    def template_helpers(self) -> dict[str, object]:
        static = self.static

        def asset(path: str) -> str:
            logical = str(path).replace("\\", "/").lstrip("/")
            if not static.has(logical):
                raise ValueError(f"asset('{path}'): assets/{logical} does not exist")
            return asset_placeholder(logical)

        def picture_tag(media: Media | None, alt: str = "", sizes: str = DEFAULT_SIZES, eager: bool = False,
                        **attributes: object) -> Markup:
            if media is None:
                return Markup("")
            page_path = current_page()
            css_class = attributes.get("class")
            return Markup(picture_markup(media, lambda path: relative_url(page_path, path),
                                         template_attributes(str(alt), bool(eager), str(css_class or "")), sizes))

        return {"asset": asset, "picture_tag": picture_tag}

    def font_prefetch(self, total_pages: int, generated_texts: Iterable[str] = ()) -> FontPrefetch:
        """A FontPrefetch to hand every page to (`total_pages`: those this build renders); `finish` waits for it."""
        font = self._font_to_cut()
        start = None
        if font is not None:
            subsetter = FontSubsetter(self.cache)

            def start(chars: set[str]) -> Future[None] | None:
                if subsetter.has(font, chars):
                    return None
                return start_in_background(cut_subset, self.root, font, frozenset(chars), self.options.cache_dir)

        base = characters_in(self.static.texts() + list(generated_texts)) if font is not None else set()
        self._prefetch = FontPrefetch(start, total_pages, base)
        return self._prefetch

    def _font_to_cut(self) -> FontFile | None:
        """The font a subset would be cut from, when this build will cut one; its problems are `finish`'s to report."""
        if not self.options.subset_font or self.diagnostics.has_errors() or not self.static.uses_font():
            return None
        return locate_font(getattr(self.config, "font", None), self.content_dir, CONFIG_REL, Diagnostics())

    def finish(self, pages: list[str], read_page: Callable[[str], bytes], files: list[StaticFile],
               generated_files: Iterable[GeneratedFile] = ()) -> FinishedSite:
        """Font subset, fingerprinted CSS/JS, asset URLs in every page and generated file, minified if asked.

        `pages`: the page paths, whose rendered HTML `read_page` returns (only for the font, when its
        characters were not counted). Generated files (slide data as JSON) are text the browser shows too: their
        characters join the subset. The subset may still be being cut when this returns: see `settle`."""
        generated_files = list(generated_files)
        known = self._prefetch.characters() if self._prefetch is not None else None
        font = self._font(pages, read_page, [file.data.decode("utf-8") for file in generated_files], known)
        named = {font.logical: (f"assets/fonts/{font.entry.name}", font.entry.data_file)} if font else {}
        font_logical = font.logical if font else None
        manifest = self.static.build(font_face_rule if font else None, self.options.minify, font_logical, named)
        self.report.asset_urls = dict(manifest.urls)
        theme_files = {"assets/" + logical for logical in self.static.sources}
        kept = [file for file in files if file.path not in theme_files]
        finish_key = hashlib.sha256(repr((sorted(manifest.urls.items()), self.options.minify)).encode()).hexdigest()
        return FinishedSite(pages, kept + manifest.files,
                            [self._finish_generated(file, manifest) for file in generated_files],
                            functools.partial(self._finish_page, manifest=manifest), finish_key,
                            functools.partial(self._settle, font, manifest))

    def _settle(self, font: PendingFont | None, manifest: AssetManifest) -> None:
        """The subset cut and reported, then the asset cache pruned (a full, good build touched all it needs)."""
        if self._settled:
            return
        self._settled = True
        if font is not None:
            with self.progress.task("progress_font"):
                subset = font.result(FontSubsetter(self.cache))
            self.report.font = FontReport(subset.family, subset.characters, subset.size, manifest.urls[font.logical])
            if subset.missing:
                shown = "".join(subset.missing[:_MISSING_SHOWN]) + ("…" if len(subset.missing) > _MISSING_SHOWN else "")
                self.diagnostics.warning("font_missing_chars", None, family=subset.family,
                                         count=len(subset.missing), chars=shown)
        if self.options.subset_font and not self.diagnostics.has_errors():
            self.cache.prune_all()

    def _finish_generated(self, file: GeneratedFile, manifest: AssetManifest) -> GeneratedFile:
        text = resolve_asset_urls(file.data.decode("utf-8"), file.path, manifest)
        return dataclasses.replace(file, data=text.encode("utf-8"))

    def _finish_page(self, path: str, html: bytes, manifest: AssetManifest) -> bytes:
        text = resolve_asset_urls(html.decode("utf-8"), path, manifest)
        if self.options.minify:
            text = minify_page(text)
        return text.encode("utf-8")

    def _check_font(self) -> None:
        """No subset is cut: finding the font (and reporting its problems) is all there is to do."""
        locate_font(getattr(self.config, "font", None), self.content_dir, CONFIG_REL, self.diagnostics)

    def _font(self, pages: list[str], read_page: Callable[[str], bytes], texts: list[str],
              known: set[str] | None = None) -> PendingFont | None:
        """The subset to publish, named; its cut started in the background unless cached or under way already."""
        if not self.static.uses_font():
            return None  # the theme has no `/* exhibit:font-face */`: it does not want a web font
        every_text = itertools.chain(self.static.texts(), texts, (read_page(path).decode("utf-8") for path in pages))
        if known is None and not self.options.subset_font:  # `check`, `serve`: only whether a font is needed
            if any(needs_font(characters_in([text])) for text in every_text):
                self._check_font()
            return None
        chars = known if known is not None else characters_in(every_text)
        if not needs_font(chars):
            return None
        found = locate_font(getattr(self.config, "font", None), self.content_dir, CONFIG_REL, self.diagnostics)
        if found is None or not self.options.subset_font or self.diagnostics.has_errors():
            return None  # nothing will be written: finding the font (and its problems) is enough
        subsetter = FontSubsetter(self.cache)
        entry = subsetter.entry(found, chars)
        ready = subsetter.cached(found, entry)
        cut = None
        if ready is None:
            cut = self._prefetch.cutting(chars) if self._prefetch is not None else None
            if cut is None:
                cut = start_in_background(cut_subset, self.root, found, frozenset(chars), self.options.cache_dir)
        return PendingFont(found, chars, entry, cut, ready)
