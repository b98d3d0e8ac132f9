"""Files that content names (photos, images, attachments): resolved, confined, and checked."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from exhibit.diagnostics import Diagnostics

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp", ".avif", ".svg")
_ROTATED_ORIENTATIONS = (5, 6, 7, 8)
_EXIF_ORIENTATION = 274


@dataclass(eq=False)
class Media:
    """A source file and where it lands in the site."""

    source: Path
    url_path: str
    width: int | None = None
    height: int | None = None

    @property
    def is_image(self) -> bool:
        return self.source.suffix.lower() in IMAGE_SUFFIXES


ImageFacts = tuple[int | None, int | None, str | None]
"""Displayed width, height, and why the file is not a readable image (or None)."""


class ImageProbes:
    """Image facts by file signature, so a rebuild re-reads only the images that changed."""

    def __init__(self) -> None:
        self._known: dict[Path, tuple[tuple[int, int], ImageFacts]] = {}

    def facts(self, path: Path) -> ImageFacts:
        try:
            stat = path.stat()
            signature = (stat.st_mtime_ns, stat.st_size)
        except OSError as error:
            return None, None, error.strerror or str(error)
        known = self._known.get(path)
        if known is not None and known[0] == signature:
            return known[1]
        facts = probe_image(path)
        self._known[path] = (signature, facts)
        return facts


def probe_image(path: Path) -> ImageFacts:
    """Read an image's displayed size; say why it is unreadable if it is."""
    try:
        with Image.open(path) as image:
            image.verify()  # must come straight after open; it leaves the image unusable
        with Image.open(path) as image:
            width, height = image.size
            orientation = image.getexif().get(_EXIF_ORIENTATION)
    except Image.DecompressionBombError as error:
        return None, None, str(error)[:120]
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, RuntimeError) as error:
        return None, None, str(error)[:120] or type(error).__name__
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
        self._bad_images: dict[Path, str] = {}

    def locate(self, value: str, base_dir: Path) -> Path:
        """Where a written path points: relative to the naming file, or to content/ with a leading /."""
        cleaned = value.strip().replace("\\", "/")
        if cleaned.startswith("/"):
            return (self.content_dir / cleaned.lstrip("/")).resolve()
        return (base_dir / cleaned).resolve()

    def url_path_for(self, path: Path) -> str | None:
        """The site path of a file, or None when it lies outside content/ and assets/."""
        if path.is_relative_to(self.content_dir):
            return "media/" + path.relative_to(self.content_dir).as_posix()
        if path.is_relative_to(self.assets_dir):
            return "assets/" + path.relative_to(self.assets_dir).as_posix()
        return None

    def resolve(self, value: str, base_dir: Path, rel: str, line: int,
                require_image: bool = False) -> Media | None:
        """A Media for `value`, or None after reporting why it cannot be used."""
        path = self.locate(value, base_dir)
        url_path = self.url_path_for(path)
        if url_path is None:
            self.diagnostics.error("media_outside", rel, line, 1, value=value)
            return None
        if not path.is_file():
            self.diagnostics.error("media_missing", rel, line, 1, value=value,
                                   suggestion=self._nearby_name(path, value))
            return None
        media = self.files.get(path) or self._register(path, url_path)
        if require_image or media.is_image:
            problem = self._bad_images.get(path)
            if problem is not None:
                self.diagnostics.error("media_not_image", rel, line, 1, value=value, detail=problem)
                return None
        return media

    def _register(self, path: Path, url_path: str) -> Media:
        media = Media(path, url_path)
        if path.suffix.lower() != ".svg":
            self._measure(media)
        self.files[path] = media
        return media

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
