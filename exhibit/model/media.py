"""Files that content names (photos, images, attachments): resolved, confined, and checked."""

from __future__ import annotations

import difflib
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from exhibit.diagnostics import Diagnostics
from exhibit.model.attachments import active_kind
from exhibit.model.svg import SvgRefused, sanitise_svg

# (diagnostic code) for each kind of unusable image
NOT_IMAGE = "media_not_image"
TRUNCATED = "image_truncated"
TOO_LARGE = "image_too_large"
FAILED = "image_failed"
SVG_REFUSED = "svg_refused"  # a drawing that cannot be made safe (model/svg.py)
_BOMB_PIXELS = re.compile(r"\((\d+) pixels\)")


def pixel_limit() -> int:
    """Pillow refuses images above twice its warning limit: the figure messages quote."""
    from PIL import Image

    return Image.MAX_IMAGE_PIXELS * 2


def describe_problem(error: BaseException) -> tuple[str, str]:
    """Sort Pillow's failures into what a person can act on."""
    from PIL import Image, UnidentifiedImageError  # Pillow is imported only when a site has images
    text = str(error)
    if isinstance(error, Image.DecompressionBombError):
        match = _BOMB_PIXELS.search(text)
        return TOO_LARGE, match.group(1) if match else text[:120]
    if isinstance(error, UnidentifiedImageError):
        return NOT_IMAGE, text[:120]
    lowered = text.lower()
    if isinstance(error, EOFError) or any(word in lowered for word in ("truncat", "broken", "premature", "end of")):
        return TRUNCATED, text[:120] or type(error).__name__
    return FAILED, text[:120] or type(error).__name__

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp", ".avif", ".svg")
VIDEO_SUFFIXES = (".mp4", ".webm")
_ROTATED_ORIENTATIONS = (5, 6, 7, 8)
_EXIF_ORIENTATION = 274


@dataclass(frozen=True)
class MediaReference:
    """Where content names a file: errors found later (a truncated photo) point here."""

    rel: str
    line: int
    value: str


@dataclass(frozen=True)
class Rendition:
    """One processed size of a photo: its site path, pixels, type, and the cached file to copy."""

    path: str
    width: int
    height: int
    mime: str
    file: Path


@dataclass(frozen=True)
class Renditions:
    """Every size of one photo, smallest first, in WebP and in a JPEG/PNG fallback."""

    width: int
    height: int
    files: tuple[Rendition, ...]

    def of_type(self, mime: str) -> list[Rendition]:
        return sorted((r for r in self.files if r.mime == mime), key=lambda r: r.width)

    @property
    def webp(self) -> list[Rendition]:
        return self.of_type("image/webp")

    @property
    def fallback(self) -> list[Rendition]:
        return sorted((r for r in self.files if r.mime != "image/webp"), key=lambda r: r.width)

    @property
    def largest(self) -> Rendition:
        return self.fallback[-1]


@dataclass(eq=False)
class Media:
    """A source file and where it lands in the site (for photos: their processed renditions)."""

    source: Path
    url_path: str
    width: int | None = None
    height: int | None = None
    renditions: Renditions | None = None
    duration: float | None = None  # seconds, for videos
    references: list[MediaReference] = field(default_factory=list)
    clean_svg: bytes | None = None  # an SVG's sanitised bytes: what is published instead of the file
    published: Path | None = None  # where the asset stage stored clean_svg

    @property
    def is_image(self) -> bool:
        return self.source.suffix.lower() in IMAGE_SUFFIXES

    @property
    def is_video(self) -> bool:
        return self.source.suffix.lower() in VIDEO_SUFFIXES

    @property
    def href_path(self) -> str:
        """What a link to the file opens: the largest rendition of a photo (never the original
        with its GPS data), otherwise the file itself."""
        return self.renditions.largest.path if self.renditions else self.url_path


ImageFacts = tuple[int | None, int | None, tuple[str, str] | None]
"""Displayed width, height, and why the file is not a readable image (message code and detail, or None)."""


class ImageProbes:
    """Image facts by file signature, so a rebuild re-reads only the images that changed."""

    def __init__(self) -> None:
        self._known: dict[Path, tuple[tuple[int, int], ImageFacts]] = {}

    def facts(self, path: Path) -> ImageFacts:
        try:
            stat = path.stat()
            signature = (stat.st_mtime_ns, stat.st_size)
        except OSError as error:
            return None, None, describe_problem(error)
        known = self._known.get(path)
        if known is not None and known[0] == signature:
            return known[1]
        facts = probe_image(path)
        self._known[path] = (signature, facts)
        return facts


def probe_image(path: Path) -> ImageFacts:
    """Read an image's displayed size; say why it is unreadable if it is."""
    from PIL import Image, UnidentifiedImageError
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                image.verify()  # must come straight after open; it leaves the image unusable
            with Image.open(path) as image:
                width, height = image.size
                orientation = image.getexif().get(_EXIF_ORIENTATION)
    except (Image.DecompressionBombError, UnidentifiedImageError, OSError, SyntaxError, ValueError,
            RuntimeError, EOFError) as error:
        return None, None, describe_problem(error)
    if orientation in _ROTATED_ORIENTATIONS:
        width, height = height, width
    return width, height, None


class MediaResolver:
    """Turns paths written in content into Media, once per file, within content/ and assets/."""

    def __init__(self, root: Path, content_dir: Path, assets_dir: Path, diagnostics: Diagnostics,
                 probes: ImageProbes | None = None) -> None:
        self.root = root
        self.probes = probes
        self.content_dir = content_dir.resolve()
        self.assets_dir = assets_dir.resolve()
        self.diagnostics = diagnostics
        self.files: dict[Path, Media] = {}
        self._bad_images: dict[Path, tuple[str, str]] = {}
        self._active: dict[Path, str | None] = {}  # files that would run in a browser, and why (attachments.py)

    def locate(self, value: str, base_dir: Path) -> Path | None:
        """Where a written path points: relative to the naming file, or to content/ with a leading /.

        None for a path no file system can hold (a NUL byte, a name too long).
        """
        cleaned = value.strip().replace("\\", "/")
        base = self.content_dir if cleaned.startswith("/") else base_dir
        try:
            path = (base / cleaned.lstrip("/")).resolve()
            path.is_file()  # raises for names the file system refuses
        except (OSError, ValueError):
            return None
        return path

    def url_path_for(self, path: Path) -> str | None:
        """The site path of a file, or None when it lies outside content/ and assets/."""
        if path.is_relative_to(self.content_dir):
            return "media/" + path.relative_to(self.content_dir).as_posix()
        if path.is_relative_to(self.assets_dir):
            return "assets/" + path.relative_to(self.assets_dir).as_posix()
        return None

    def resolve(self, value: str, base_dir: Path, rel: str, line: int,
                require_image: bool = False, allow_video: bool = False) -> Media | None:
        """A Media for `value`, or None after reporting why it cannot be used."""
        path = self.locate(value, base_dir)
        if path is None:
            self.diagnostics.error("media_missing", rel, line, 1, value=value, suggestion="")
            return None
        url_path = self.url_path_for(path)
        if url_path is None:
            self.diagnostics.error("media_outside", rel, line, 1, value=value)
            return None
        if not path.is_file():
            self.diagnostics.error("media_missing", rel, line, 1, value=value,
                                   suggestion=self._nearby_name(path, value))
            return None
        active = self.active(path)
        if active is not None:  # never registered, so never published, even by a build that goes on
            self.diagnostics.error("media_active", rel, line, 1, value=value, kind=active)
            return None
        self.warn_backslash(value, rel, line)
        media = self.files.get(path) or self._register(path, url_path)
        if allow_video and media.is_video:
            require_image = False
        if require_image or media.is_image:
            problem = self._bad_images.get(path)
            if problem is not None:
                code, detail = problem
                self.diagnostics.error(code, rel, line, 1, value=value, detail=detail,
                                       limit=pixel_limit())
                return None
        reference = MediaReference(rel, line, value)
        if reference not in media.references:  # the dev server resolves the same names build after build
            media.references.append(reference)
        return media

    def active(self, path: Path) -> str | None:
        """Why a file would run in a browser if published (see attachments.py), or None; asked once per file."""
        if path not in self._active:
            self._active[path] = active_kind(path)
        return self._active[path]

    def warn_backslash(self, value: str, rel: str, line: int) -> None:
        """`photos\\a.jpg` (as Windows writes paths) works, with a warning: `/` works on every system and server."""
        if "\\" in value:
            self.diagnostics.warning("path_backslash", rel, line, 1, value=value, fixed=value.replace("\\", "/"))

    def _register(self, path: Path, url_path: str) -> Media:
        media = Media(path, url_path)
        if path.suffix.lower() == ".svg":
            self._sanitise(media)
        elif not media.is_video:
            self._measure(media)
        self.files[path] = media
        return media

    def _sanitise(self, media: Media) -> None:
        """Keep an SVG's safe bytes for publishing, or remember why it cannot be made safe."""
        try:
            media.clean_svg = sanitise_svg(media.source.read_bytes())
        except SvgRefused as refused:
            self._bad_images[media.source] = (SVG_REFUSED, str(refused)[:120])
        except OSError as error:
            self._bad_images[media.source] = describe_problem(error)

    def _measure(self, media: Media) -> None:
        """Record an image's displayed size, or remember why it is unreadable."""
        facts = self.probes.facts(media.source) if self.probes is not None else probe_image(media.source)
        width, height, problem = facts
        if problem is not None:
            self._bad_images[media.source] = problem
            return
        media.width, media.height = width, height

    def _nearby_name(self, path: Path, value: str) -> str:
        """A file in the same folder whose name is close to the one written."""
        if not path.parent.is_dir():
            return ""
        names = [child.name for child in path.parent.iterdir() if child.is_file()]
        match = difflib.get_close_matches(path.name, names, n=1, cutoff=0.6)
        if not match:
            return ""
        head = value.replace("\\", "/").rsplit("/", 1)
        return f"{head[0]}/{match[0]}" if len(head) == 2 else match[0]
