"""The largest screen the site is shown on: renditions are never bigger than it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

DEFAULT_RESOLUTION = (1920, 1080)


@dataclass(frozen=True)
class ScreenBox:
    """Long and short edge of the largest screen: a rendition fits it in either orientation."""

    long: int
    short: int

    @classmethod
    def of(cls, width: int, height: int) -> ScreenBox:
        return cls(max(width, height), min(width, height))


def largest_screen(resolutions: Iterable[tuple[int, int]]) -> ScreenBox:
    """The box of the biggest screen by area; Full HD when the site has no screens."""
    sizes = list(resolutions) or [DEFAULT_RESOLUTION]
    width, height = max(sizes, key=lambda size: (size[0] * size[1], max(size)))
    return ScreenBox.of(width, height)
