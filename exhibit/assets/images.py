"""Every photo content names, processed once into screen-sized renditions, on all cores, cached.

A photo costs nothing on the next build when its bytes and the settings are
unchanged: the cache entry is keyed by both. Problems found while decoding (a
truncated file) are reported at every content line that names the photo.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from exhibit.assets.cache import AssetCache, file_hash
from exhibit.assets.progress import ProgressDisplay
from exhibit.assets.raster import ImageJob, ImageOutcome, RenditionSettings, process_image, worker_init
from exhibit.assets.screens import ScreenBox
from exhibit.diagnostics import Diagnostics
from exhibit.model.media import Media, Rendition, Renditions, pixel_limit

_UNSAFE_IN_SRCSET = re.compile(r"[\s,]+")


@dataclass
class ImageCounts:
    """What the image stage did; `processed` is zero on a build where nothing changed."""

    images: int = 0
    processed: int = 0
    cached: int = 0
    failed: int = 0


@dataclass(frozen=True)
class _Pending:
    key: str
    job: ImageJob
    media: tuple[Media, ...]


class ImageStage:
    """Finds the work, runs what the cache lacks, and hangs renditions on each Media."""

    def __init__(self, cache: AssetCache, box: ScreenBox, diagnostics: Diagnostics,
                 progress: ProgressDisplay, workers: int | None = None) -> None:
        self.cache = cache
        self.settings = RenditionSettings(box.long, box.short)
        self.diagnostics = diagnostics
        self.progress = progress
        self.workers = workers or os.cpu_count() or 1

    def run(self, media: Iterable[Media]) -> ImageCounts:
        counts = ImageCounts()
        pending: dict[str, list[Media]] = {}
        for item in media:
            if not _processable(item):
                continue
            counts.images += 1
            key = f"{file_hash(item.source)[:32]}-{self.settings.key()}"
            meta = self._cached_meta(key)
            if meta is not None:
                counts.cached += 1
                self._attach(item, meta, self.cache.entry_dir("images", key))
            else:
                pending.setdefault(key, []).append(item)
        jobs = [_Pending(key, ImageJob(items[0].source, self.cache.entry_dir("images", key), self.settings),
                         tuple(items)) for key, items in sorted(pending.items())]
        for job, outcome in self._execute(jobs):
            counts.processed += len(job.media)
            for item in job.media:
                if outcome.meta is not None:
                    self._attach(item, outcome.meta, job.job.entry_dir)
                else:
                    counts.failed += 1
                    self._report(item, outcome)
        return counts

    def _cached_meta(self, key: str) -> dict | None:
        entry = self.cache.entry_dir("images", key)
        meta = self.cache.read_json(entry / "meta.json")
        if meta is None or not all((entry / f["name"]).is_file() for f in meta.get("files", [])):
            return None
        return meta

    def _execute(self, jobs: list[_Pending]) -> Iterator[tuple[_Pending, ImageOutcome]]:
        """In worker processes when there is more than one job and more than one core."""
        if not jobs:
            return
        with self.progress.task("progress_images", len(jobs)) as advance:
            if len(jobs) == 1 or self.workers == 1:
                for job in jobs:
                    yield job, process_image(job.job)
                    advance(1)
                return
            with ProcessPoolExecutor(max_workers=min(self.workers, len(jobs)), initializer=worker_init,
                                     initargs=(os.getpid(),)) as pool:
                futures: dict[Future[ImageOutcome], _Pending] = {pool.submit(process_image, j.job): j for j in jobs}
                try:
                    for future in as_completed(futures):
                        yield futures[future], future.result()
                        advance(1)
                except BaseException:
                    pool.shutdown(wait=True, cancel_futures=True)
                    raise

    def _attach(self, media: Media, meta: dict, entry: Path) -> None:
        if meta.get("animated"):
            return  # copied as it is: a re-encode would lose the animation
        folder = posixpath.dirname(media.url_path)
        stem = _UNSAFE_IN_SRCSET.sub("-", Path(media.url_path).stem)
        files = tuple(Rendition(posixpath.join(folder, f"{stem}-{f['name']}"), f["width"], f["height"],
                                f["mime"], entry / f["name"]) for f in meta["files"])
        media.renditions = Renditions(meta["width"], meta["height"], files)
        media.width, media.height = meta["width"], meta["height"]

    def _report(self, media: Media, outcome: ImageOutcome) -> None:
        for ref in media.references:
            self.diagnostics.error(outcome.problem or "image_failed", ref.rel, ref.line, 1, value=ref.value,
                                   detail=outcome.detail, limit=pixel_limit())


def _processable(media: Media) -> bool:
    """Raster photos that were readable when content named them (others are reported already)."""
    return (media.is_image and media.source.suffix.lower() != ".svg" and media.width is not None
            and bool(media.references))
