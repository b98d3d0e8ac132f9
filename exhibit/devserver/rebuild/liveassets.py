"""The asset stage (exhibit/assets/stage.py) for the dev server: the same steps, redone only where needed.

`AssetStage.prepare` and `finish` walk the whole site: every photo is hashed to
find its renditions, every page is scanned for the font's characters and every
page gets its asset URLs. Between two saves almost nothing of that changes, so
this keeps what it did:

* photos and videos are processed once per Media object (the model reuses the
  objects of unchanged items; a failed one is tried again each build, so its
  error stays reported), stories are rewritten once per item;
* each page's characters are counted once per rendered version, so the site's
  character set costs nothing to keep;
* pages are finished again only when they were rendered again or the asset
  names (the hashed CSS and JS) changed.

The preview does not cut the web font (`AssetOptions.subset_font` false, as for
`check`): cutting takes seconds whenever a new character is typed, and the
computer previewing has the CJK fonts installed. So the preview equals a full
build with `subset_font=False`.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path
from weakref import WeakSet

from exhibit.assets.fonts import characters_in, needs_font
from exhibit.assets.fontsource import locate_font
from exhibit.assets.images import ImageStage
from exhibit.assets.pictures import rewrite_story
from exhibit.assets.screens import largest_screen
from exhibit.assets.stage import CONFIG_REL, AssetOptions, AssetStage
from exhibit.assets.static import AssetManifest, resolve_asset_urls
from exhibit.assets.video import VideoStage
from exhibit.diagnostics import Diagnostic, Diagnostics
from exhibit.kiosk.screens import ScreenSet
from exhibit.model.config import SiteConfig
from exhibit.model.items import Item
from exhibit.model.media import Media
from exhibit.model.site import SiteModel
from exhibit.render.outputs import GeneratedFile, StaticFile

PREVIEW_OPTIONS = AssetOptions(minify=False, progress=False, subset_font=False)


@dataclasses.dataclass
class Finished:
    """A build's finished outputs: bytes per page, files to copy, generated files."""

    pages: dict[str, bytes]
    files: list[StaticFile]
    generated: list[GeneratedFile]
    renamed: dict[str, str]  # site paths of assets whose hashed name changed: old -> new
    partial: bool = False  # only the pages that changed (the quick path), not every page


class LiveAssets:
    """AssetStage's work, kept between builds (see the module docstring)."""

    def __init__(self, root: Path, content_dir: Path, assets_dir: Path) -> None:
        self.root = root
        self.content_dir = content_dir
        self.assets_dir = assets_dir
        self.stage: AssetStage | None = None
        self._prepared: WeakSet[Media] = WeakSet()
        self._rewritten: WeakSet[Item] = WeakSet()
        self._chars: dict[str, tuple[bytes, set[str]]] = {}
        self._char_counts: Counter[str] = Counter()
        self._finished: dict[str, tuple[bytes, bytes]] = {}  # path -> (page as rendered, page finished)
        self._urls: dict[str, str] = {}
        self._manifest: AssetManifest | None = None
        self._media_by_path: dict[str, Media] = {}
        self._static_chars: set[str] | None = None  # characters of the theme's CSS and JS, if they use the font
        self._font_check: tuple[SiteConfig, list[Diagnostic]] | None = None

    def prepare(self, model: SiteModel, screens: ScreenSet, config: SiteConfig,
                diagnostics: Diagnostics) -> dict[str, object]:
        """Renditions for new media, stories pointed at them; the template helpers for this build."""
        stage = AssetStage(self.root, self.content_dir, self.assets_dir, config, diagnostics, PREVIEW_OPTIONS)
        self.stage = stage
        every_media = model.media + screens.media
        fresh = [media for media in every_media if media not in self._prepared]
        if fresh:
            box = largest_screen((screen.width, screen.height) for screen in screens)
            ImageStage(stage.cache, box, diagnostics, stage.progress, None).run(fresh)
            VideoStage(stage.cache, diagnostics).run(fresh)
            for media in fresh:
                if media.renditions is not None or media.duration is not None:
                    self._prepared.add(media)  # done for good; a failure is tried (and reported) again
        self._media_by_path = {media.url_path: media for media in model.media}
        self.rewrite_stories([item for item in model.items() if item not in self._rewritten])
        return stage.template_helpers()

    def finish(self, rendered: dict[str, bytes], files: list[StaticFile], generated: list[GeneratedFile],
               config: SiteConfig, diagnostics: Diagnostics) -> Finished:
        """What AssetStage.finish makes of the same pages, with the work of unchanged pages kept."""
        stage = self.stage
        assert stage is not None, "prepare() first"
        self._count_characters(rendered)
        texts = stage.static.texts()  # read once: whether they use the font, and the characters they show
        self._static_chars = characters_in(texts) if stage.static.uses_font(texts) else None
        self._check_font(generated, config, diagnostics)
        manifest = self._manifest = stage.static.build({}, None, False, None)
        renamed = {self._urls[name]: url for name, url in manifest.urls.items()
                   if name in self._urls and self._urls[name] != url}
        self._urls = dict(manifest.urls)
        theme_files = {"assets/" + logical for logical in stage.static.sources}
        kept = [file for file in files if file.path not in theme_files]
        pages = {path: self._finish_page(path, html, manifest, bool(renamed)) for path, html in rendered.items()}
        self._finished = {path: self._finished[path] for path in rendered}
        return Finished(pages, kept + manifest.files, self._finish_generated(generated, manifest), renamed)

    def finish_some(self, rendered: dict[str, bytes], generated: list[GeneratedFile], config: SiteConfig,
                    diagnostics: Diagnostics) -> Finished:
        """`finish` for the quick path: only the `rendered` pages are new; the assets and other pages are not."""
        assert self._manifest is not None, "finish() first"
        self._count_characters(rendered, complete=False)
        self._check_font(generated, config, diagnostics)
        pages = {path: self._finish_page(path, html, self._manifest, False) for path, html in rendered.items()}
        return Finished(pages, [], self._finish_generated(generated, self._manifest), {}, partial=True)

    def rewrite_stories(self, items: list[Item]) -> None:
        """Point rebuilt stories at their renditions again (the quick path refills live items)."""
        for item in items:
            item.body = rewrite_story(item.body, self._media_by_path)
            self._rewritten.add(item)

    def _finish_generated(self, generated: list[GeneratedFile], manifest: AssetManifest) -> list[GeneratedFile]:
        return [dataclasses.replace(
            file, data=resolve_asset_urls(file.data.decode("utf-8"), file.path, manifest).encode("utf-8"))
            for file in generated]

    def _check_font(self, generated: list[GeneratedFile], config: SiteConfig, diagnostics: Diagnostics) -> None:
        """Warn when the site needs a CJK font that cannot be found (asked of fontconfig once per config)."""
        if self._static_chars is None:
            return
        chars = set(self._char_counts) | self._static_chars
        if not needs_font(chars | characters_in(file.data.decode("utf-8") for file in generated)):
            return
        if self._font_check is None or self._font_check[0] is not config:
            found = Diagnostics()
            locate_font(getattr(config, "font", None), self.content_dir, CONFIG_REL, found)
            self._font_check = (config, found.items)
        diagnostics.extend(self._font_check[1])

    def _finish_page(self, path: str, html: bytes, manifest: AssetManifest, names_changed: bool) -> bytes:
        known = self._finished.get(path)
        if known is not None and known[0] is html and not names_changed:
            return known[1]
        finished = resolve_asset_urls(html.decode("utf-8"), path, manifest).encode("utf-8")
        self._finished[path] = (html, finished)
        return finished

    def _count_characters(self, rendered: dict[str, bytes], complete: bool = True) -> None:
        """Keep the site's character counts in step with the pages (only new versions are scanned).

        `complete`: `rendered` holds every page, so pages missing from it are gone.
        """
        for path in [path for path in self._chars if path not in rendered] if complete else []:
            self._char_counts.subtract(self._chars.pop(path)[1])
        for path, html in rendered.items():
            known = self._chars.get(path)
            if known is not None and known[0] is html:
                continue
            chars = characters_in([html.decode("utf-8")])
            if known is not None:
                self._char_counts.subtract(known[1])
            self._char_counts.update(chars)
            self._chars[path] = (html, chars)
        self._char_counts = +self._char_counts  # drop characters no page has any more
