"""Video facts for slides and pages: duration and frame size, read by ffprobe (Debian's `ffmpeg` package).

ffprobe reads every container and codec a kiosk may be handed; no Python library
does that without shipping its own FFmpeg. Results are cached by the file's hash.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from exhibit.assets.cache import AssetCache, file_hash, write_atomic
from exhibit.diagnostics import Diagnostics
from exhibit.model.media import Media

FFPROBE_TIMEOUT = 60


@dataclass(frozen=True)
class VideoFacts:
    duration: float
    width: int | None
    height: int | None


class VideoProbeError(Exception):
    """ffprobe could not read the file; the text says why."""


def probe(path: Path, ffprobe: str) -> VideoFacts:
    """Duration (seconds) and the first video stream's size."""
    command = [ffprobe, "-v", "error", "-print_format", "json", "-show_entries",
               "format=duration:stream=codec_type,width,height", str(path)]
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=FFPROBE_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise VideoProbeError(str(error)) from error
    if run.returncode != 0:
        last_line = (run.stderr.strip().splitlines() or ["ffprobe failed"])[-1]
        raise VideoProbeError(last_line.replace(str(path), path.name)[:160])
    data = json.loads(run.stdout or "{}")
    duration = _float(data.get("format", {}).get("duration"))
    video = next((s for s in data.get("streams", []) if s.get("codec_type") == "video"), None)
    if video is None or duration is None or duration <= 0:
        raise VideoProbeError("no video stream with a duration")
    return VideoFacts(round(duration, 3), video.get("width"), video.get("height"))


def _float(value: object) -> float | None:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


class VideoStage:
    """Fills `duration`, `width` and `height` of every referenced video."""

    def __init__(self, cache: AssetCache, diagnostics: Diagnostics) -> None:
        self.cache = cache
        self.diagnostics = diagnostics
        self.ffprobe = shutil.which("ffprobe")

    def run(self, media: list[Media]) -> int:
        videos = [item for item in media if item.is_video and item.references]
        for item in videos:
            self._measure(item)
        return len(videos)

    def _measure(self, media: Media) -> None:
        entry = self.cache.folder("videos") / f"{file_hash(media.source)[:40]}.json"
        cached = self.cache.read_json(entry)
        if cached is not None:
            self._fill(media, VideoFacts(cached["duration"], cached.get("width"), cached.get("height")))
            return
        if self.ffprobe is None:
            ref = media.references[0]
            self.diagnostics.warning("video_no_ffprobe", ref.rel, ref.line, 1, value=ref.value)
            return
        try:
            facts = probe(media.source, self.ffprobe)
        except (VideoProbeError, ValueError) as error:
            for ref in media.references:
                self.diagnostics.error("video_unreadable", ref.rel, ref.line, 1, value=ref.value, detail=str(error))
            return
        write_atomic(entry, json.dumps(facts.__dict__).encode())
        self._fill(media, facts)

    @staticmethod
    def _fill(media: Media, facts: VideoFacts) -> None:
        media.duration = facts.duration
        media.width, media.height = facts.width, facts.height
