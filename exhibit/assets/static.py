"""CSS, JS and other theme files from assets/ under content-hashed names, so hosting can cache them forever.

Templates ask for `asset('css/site.css')`; that renders as a placeholder which
is replaced, once every name is known, by a relative URL to `css/site.<hash>.css`.
References inside CSS (`url(...)`, `@import`) are rewritten to the hashed names,
and the line `/* exhibit:font-face */` becomes the subset font's `@font-face`.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote

from exhibit.assets.cache import AssetCache, bytes_hash
from exhibit.assets.minify import minify_css, minify_js
from exhibit.diagnostics import Diagnostics
from exhibit.render.outputs import ASSET_SCHEME, StaticFile
from exhibit.render.templates import relative_url

HASHED_SUFFIXES = frozenset({".css", ".js", ".mjs", ".woff2", ".woff", ".ttf", ".otf", ".png", ".jpg", ".jpeg",
                             ".webp", ".gif", ".svg", ".avif", ".ico"})
FONT_MARKER = "/* exhibit:font-face */"
_ASSET_PLACEHOLDER = re.compile(re.escape(ASSET_SCHEME) + r"""([^"'\s<>)]+)""")
_CSS_REFERENCE = re.compile(r"""url\(\s*(["']?)([^"')]+?)\1\s*\)|@import\s+(["'])([^"']+)\3""")
_EXTERNAL = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*:|//|#)")

FontFace = Callable[[str], str]
"""Given the font's URL relative to a stylesheet, the @font-face rule."""


@dataclass
class AssetManifest:
    """Logical name (css/site.css) -> site path (assets/css/site.1a2b3c4d5e.css), and the files to write."""

    urls: dict[str, str] = field(default_factory=dict)
    files: list[StaticFile] = field(default_factory=list)


def resolve_asset_urls(html: str, page_path: str, manifest: AssetManifest) -> str:
    """Placeholders into URLs relative to the page (unknown names were refused at render time)."""
    return _ASSET_PLACEHOLDER.sub(lambda m: relative_url(page_path, manifest.urls[unquote(m.group(1))]), html)


def hashed_name(logical: str, data: bytes) -> str:
    stem, suffix = posixpath.splitext(logical)
    return f"{stem}.{bytes_hash(data)[:10]}{suffix}"


class StaticAssets:
    """The theme's files under assets/, fingerprinted on demand."""

    def __init__(self, root: Path, assets_dir: Path, cache: AssetCache, diagnostics: Diagnostics) -> None:
        self.root = root
        self.assets_dir = assets_dir
        self.cache = cache
        self.diagnostics = diagnostics
        self.sources = _discover(assets_dir)

    def has(self, logical: str) -> bool:
        return logical in self.sources

    def texts(self) -> list[str]:
        """Text of every stylesheet and script: `content: "›"` and JS labels need glyphs too."""
        return [path.read_text(encoding="utf-8-sig", errors="replace") for logical, path in self.sources.items()
                if logical.endswith((".css", ".js", ".mjs"))]

    def uses_font(self, texts: list[str] | None = None) -> bool:
        """Whether a stylesheet asks for the web font (`texts`: the texts() already read)."""
        return any(FONT_MARKER in text for text in (self.texts() if texts is None else texts))

    def build(self, font_face: FontFace | None, minify: bool, font_logical: str | None = None,
              named: dict[str, tuple[str, Path]] | None = None) -> AssetManifest:
        """Hash every file; stylesheets last, since they name the others.

        `named`: files already named by what they are made from (logical -> (site path, file)), such as the font
        subset, whose file may still be being written: it is neither read nor hashed here."""
        manifest = AssetManifest()
        for logical, (site_path, path) in (named or {}).items():
            manifest.urls[logical] = site_path
            manifest.files.append(StaticFile(site_path, path))
        for logical, path in sorted(self.sources.items()):
            if not logical.endswith(".css"):
                self._add_plain(logical, path, minify, manifest)
        builder = _CssBuilder(self, manifest, font_face, font_logical, minify)
        for logical in sorted(self.sources):
            if logical.endswith(".css"):
                builder.build(logical, ())
        return manifest

    def _add_plain(self, logical: str, path: Path, minify: bool, manifest: AssetManifest) -> None:
        suffix = posixpath.splitext(logical)[1].lower()
        if suffix not in HASHED_SUFFIXES:
            manifest.urls[logical] = "assets/" + logical
            manifest.files.append(StaticFile("assets/" + logical, path))
            return
        if minify and suffix in (".js", ".mjs"):
            data = minify_js(path.read_text(encoding="utf-8-sig")).encode()
            self.add_bytes(logical, data, manifest)
            return
        data = path.read_bytes()
        site_path = "assets/" + hashed_name(logical, data)
        manifest.urls[logical] = site_path
        manifest.files.append(StaticFile(site_path, path))

    def add_bytes(self, logical: str, data: bytes, manifest: AssetManifest) -> None:
        site_path = "assets/" + hashed_name(logical, data)
        stored = self.cache.put_bytes("static", bytes_hash(data)[:32] + posixpath.splitext(logical)[1], data)
        manifest.urls[logical] = site_path
        manifest.files.append(StaticFile(site_path, stored))


class _CssBuilder:
    """Rewrites one stylesheet at a time, building what it imports first."""

    def __init__(self, assets: StaticAssets, manifest: AssetManifest, font_face: FontFace | None,
                 font_logical: str | None, minify: bool) -> None:
        self.assets = assets
        self.manifest = manifest
        self.font_face = font_face
        self.font_logical = font_logical
        self.minify = minify

    def build(self, logical: str, stack: tuple[str, ...]) -> str | None:
        if logical in self.manifest.urls:
            return self.manifest.urls[logical]
        if logical in stack:  # an @import loop: leave the reference as written
            return None
        text = self.assets.sources[logical].read_text(encoding="utf-8-sig")
        text = _CSS_REFERENCE.sub(lambda match: self._rewrite(logical, text, match, (*stack, logical)), text)
        text = self._font_face(logical, text)  # after the rewrite: its URL is final already
        if self.minify:
            text = minify_css(text)
        self.assets.add_bytes(logical, text.encode(), self.manifest)
        return self.manifest.urls[logical]

    def _font_face(self, logical: str, text: str) -> str:
        if FONT_MARKER not in text:
            return text
        rule = ""
        if self.font_face is not None and self.font_logical in self.manifest.urls:
            css_dir = posixpath.dirname("assets/" + logical)
            rule = self.font_face(posixpath.relpath(self.manifest.urls[self.font_logical], css_dir))
        return text.replace(FONT_MARKER, rule.rstrip("\n"))

    def _rewrite(self, logical: str, text: str, match: re.Match[str], stack: tuple[str, ...]) -> str:
        written = match.group(2) or match.group(4)
        if _EXTERNAL.match(written.strip()):
            return match.group(0)
        path, _, suffix = written.strip().partition("?")
        path, hash_mark, fragment = path.partition("#")
        target = posixpath.normpath(posixpath.join(posixpath.dirname(logical), unquote(path)))
        if target.endswith(".css") and target in self.assets.sources:
            site_path = self.build(target, stack)
        else:
            site_path = self.manifest.urls.get(target)
        if site_path is None:
            line = text.count("\n", 0, match.start()) + 1
            self.assets.diagnostics.warning("css_reference_missing", f"assets/{logical}", line, 1, value=written)
            return match.group(0)
        url = quote(posixpath.relpath(site_path, posixpath.dirname("assets/" + logical)), safe="/")
        url += (f"?{suffix}" if suffix else "") + (f"#{fragment}" if hash_mark else "")
        return f'url("{url}")' if match.group(2) is not None else f'@import "{url}"'


def _discover(assets_dir: Path) -> dict[str, Path]:
    if not assets_dir.is_dir():
        return {}
    return {path.relative_to(assets_dir).as_posix(): path for path in sorted(assets_dir.rglob("*"))
            if path.is_file() and not any(part.startswith(".") for part in path.relative_to(assets_dir).parts)}
