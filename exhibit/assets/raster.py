"""One photo into upright, metadata-free renditions (Pillow); runs inside worker processes.

Everything here is a plain function of its inputs so it can run in a process pool
and be cached by (source hash, settings): the same photo and settings always give
the same bytes.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import warnings
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import PIL  # the package alone is cheap; Image and its plugins are imported when a photo is processed

from exhibit.assets.cache import bytes_hash, publish_dir, settings_hash, write_atomic
from exhibit.assets.lifetime import die_with_parent
from exhibit.model.media import describe_problem

if TYPE_CHECKING:
    from PIL import Image


RASTER_VERSION = 2  # bump when the pixels or the file layout of renditions change
LADDER = (320, 640, 960, 1280, 1920, 2560, 3840)
_NEAR_DUPLICATE = 0.9  # a ladder width this close to the full width adds nothing
_SIXTEEN_BIT = ("I;16", "I;16B", "I;16L", "I;16N", "I", "F")

@dataclass(frozen=True)
class RenditionSettings:
    """What shapes the output; part of every cache key."""

    box_long: int
    box_short: int
    ladder: tuple[int, ...] = LADDER
    webp_quality: int = 80
    jpeg_quality: int = 82

    def key(self) -> str:
        return settings_hash(asdict(self), RASTER_VERSION, PIL.__version__)


@dataclass(frozen=True)
class ImageJob:
    source: Path
    entry_dir: Path
    settings: RenditionSettings


@dataclass(frozen=True)
class ImageOutcome:
    """meta.json's content on success, else a diagnostic code and detail."""

    source: Path
    meta: dict | None = None
    problem: str | None = None
    detail: str = ""


def worker_init(parent_pid: int) -> None:
    """Ctrl-C is the parent's to handle (a worker must not print its own traceback); a killed parent
    takes its workers with it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(parent_pid)


def rendition_widths(width: int, height: int, settings: RenditionSettings) -> list[int]:
    """Ladder widths below the largest size that fits the screen box, then that size itself."""
    box_width, _ = fit_box(width, height, settings)
    widths = [step for step in settings.ladder if step < box_width * _NEAR_DUPLICATE]
    return [*widths, box_width]


def fit_box(width: int, height: int, settings: RenditionSettings) -> tuple[int, int]:
    long_edge, short_edge = max(width, height), min(width, height)
    scale = min(1.0, settings.box_long / long_edge, settings.box_short / short_edge)
    return max(1, int(width * scale)), max(1, int(height * scale))


def process_image(job: ImageJob) -> ImageOutcome:
    """Decode, turn upright, normalise colour, and write every rendition into the cache entry."""
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            meta = _render_entry(job)
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError) as error:
        code, detail = describe_problem(error)
        return ImageOutcome(job.source, problem=code, detail=detail)
    return ImageOutcome(job.source, meta=meta)


def _render_entry(job: ImageJob) -> dict:
    temp = job.entry_dir.parent / f".tmp-{job.entry_dir.name}-{os.getpid()}"
    shutil.rmtree(temp, ignore_errors=True)
    temp.mkdir(parents=True)
    try:
        meta = _render_into(job, temp)
        write_atomic(temp / "meta.json", _json(meta))
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    publish_dir(temp, job.entry_dir)
    return meta


def _json(meta: dict) -> bytes:
    return json.dumps(meta, sort_keys=True, indent=1).encode()


def _render_into(job: ImageJob, folder: Path) -> dict:
    from PIL import Image, ImageOps

    with Image.open(job.source) as opened:
        if getattr(opened, "is_animated", False):
            opened.seek(0)
            width, height = ImageOps.exif_transpose(opened).size
            return {"width": width, "height": height, "animated": True, "files": []}
        upright, original = _upright(opened, job.settings)
    image = _display_mode(upright)
    width, height = image.size
    files = []
    for target_width in rendition_widths(width, height, job.settings):
        target = (target_width, max(1, round(height * target_width / width)))
        resized = image if target == image.size else image.resize(target, Image.Resampling.LANCZOS,
                                                                     reducing_gap=3.0)
        resized.info = {}
        for mime, data in _encode(resized, job.settings):
            name = f"{target[0]}w.{bytes_hash(data)[:10]}.{_EXTENSIONS[mime]}"
            (folder / name).write_bytes(data)
            files.append({"name": name, "width": target[0], "height": target[1], "mime": mime})
    return {"width": original[0], "height": original[1], "animated": False, "files": files}


def _upright(opened: Image.Image, settings: RenditionSettings) -> tuple[Image.Image, tuple[int, int]]:
    """Decode (at reduced JPEG scale when that still exceeds the largest rendition) and apply EXIF;
    also the upright size of the original, before any reduction."""
    from PIL import ImageOps

    orientation = opened.getexif().get(0x0112, 1)
    stored_w, stored_h = opened.size
    upright_w, upright_h = (stored_h, stored_w) if orientation in (5, 6, 7, 8) else (stored_w, stored_h)
    fit_w, fit_h = fit_box(upright_w, upright_h, settings)
    if opened.format == "JPEG":
        wanted = (fit_h, fit_w) if orientation in (5, 6, 7, 8) else (fit_w, fit_h)
        opened.draft(opened.mode, wanted)
    opened.load()
    return ImageOps.exif_transpose(opened), (upright_w, upright_h)


def _display_mode(image: Image.Image) -> Image.Image:
    """8-bit sRGB (or grey), with alpha only when some pixel is not opaque; no metadata left."""
    icc = image.info.get("icc_profile")
    if image.mode in _SIXTEEN_BIT:
        image = _to_eight_bit(image)
    if image.mode in ("P", "PA", "1"):
        image = image.convert("RGBA" if image.has_transparency_data else ("L" if image.mode == "1" else "RGB"))
    if image.mode == "LA":
        image = image.convert("RGBA")
    if icc and image.mode in ("RGB", "RGBA", "CMYK"):
        image = _to_srgb(image, icc)
    if image.mode not in ("RGB", "RGBA", "L"):
        image = image.convert("RGBA" if "A" in image.mode else "RGB")
    if image.mode == "RGBA" and image.getchannel("A").getextrema() == (255, 255):
        image = image.convert("RGB")
    image.info = {}
    return image


def _to_eight_bit(image: Image.Image) -> Image.Image:
    """16-bit and float greys scaled into 0..255 (a plain convert would clip them to white)."""
    wide = image.convert("F") if image.mode != "F" else image
    _, high = wide.getextrema()
    if high <= 1.0:
        scale = 255.0
    elif high <= 255:
        scale = 1.0
    elif high <= 65535:
        scale = 255.0 / 65535.0
    else:
        scale = 255.0 / float(high)
    return wide.point(lambda value: value * scale).convert("L")


def _to_srgb(image: Image.Image, icc: bytes) -> Image.Image:
    """Convert from the embedded profile (CMYK print scans, Display P3 phones) before it is dropped."""
    from PIL import ImageCms

    out_mode = "RGBA" if image.mode == "RGBA" else "RGB"
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        target = ImageCms.createProfile("sRGB")
        converted = ImageCms.profileToProfile(image, source, target, outputMode=out_mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image
    return converted if converted is not None else image


_EXTENSIONS = {"image/webp": "webp", "image/jpeg": "jpg", "image/png": "png"}


def _encode(image: Image.Image, settings: RenditionSettings) -> list[tuple[str, bytes]]:
    """WebP for today's browsers, JPEG (or PNG when there is transparency) for the rest."""
    webp = io.BytesIO()
    image.save(webp, "WEBP", quality=settings.webp_quality, method=4)
    fallback = io.BytesIO()
    if image.mode == "RGBA":
        image.save(fallback, "PNG")
        return [("image/webp", webp.getvalue()), ("image/png", fallback.getvalue())]
    image.save(fallback, "JPEG", quality=settings.jpeg_quality, optimize=True, progressive=True)
    return [("image/webp", webp.getvalue()), ("image/jpeg", fallback.getvalue())]
