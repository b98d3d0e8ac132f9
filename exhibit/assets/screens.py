"""The largest screen the site is shown on: renditions are never bigger than it.

Kiosk screens live in `content/screens/*.yaml` with `resolution: 1920x1080`.
This reads only that field, leniently (the screen model reports bad files);
without screens the box is Full HD.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

DEFAULT_RESOLUTION = (1920, 1080)
_RESOLUTION = re.compile(r"^\s*(\d{3,5})\s*[xX×*＊]\s*(\d{3,5})\s*$")


@dataclass(frozen=True)
class ScreenBox:
    """Long and short edge of the largest screen: a rendition fits it in either orientation."""

    long: int
    short: int

    @classmethod
    def of(cls, width: int, height: int) -> ScreenBox:
        return cls(max(width, height), min(width, height))


def parse_resolution(value: object) -> tuple[int, int] | None:
    match = _RESOLUTION.match(str(value)) if isinstance(value, str) else None
    return (int(match.group(1)), int(match.group(2))) if match else None


def screen_resolutions(content_dir: Path) -> list[tuple[int, int]]:
    """Every readable `resolution:` in content/screens/*.yaml (and .yml)."""
    folder = content_dir / "screens"
    if not folder.is_dir():
        return []
    found: list[tuple[int, int]] = []
    for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        resolution = parse_resolution(data.get("resolution")) if isinstance(data, dict) else None
        if resolution:
            found.append(resolution)
    return found


def largest_screen(content_dir: Path) -> ScreenBox:
    """The box of the biggest screen by area; Full HD when the site has no screens."""
    resolutions = screen_resolutions(content_dir) or [DEFAULT_RESOLUTION]
    width, height = max(resolutions, key=lambda size: (size[0] * size[1], max(size)))
    return ScreenBox.of(width, height)
