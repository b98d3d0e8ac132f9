"""Screenshots of one slide of every screen layout, landscape and portrait, for a person to look at.

    python bench/screenshots_kiosk.py [--out bench/out/kiosk-shots]

Builds the sample site, opens each layout's first slide from file:// at 1920x1080 and
1080x1920 in Chromium, and writes <layout>-<orientation>.png.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import tempfile
from pathlib import Path

from kiosk_common import ORIENTATIONS, REPO, browser, build_sample


def daytime() -> dt.datetime:
    """The next weekday, 10:30: after the build time, outside quiet hours, inside every sample schedule."""
    day = dt.date.today() + dt.timedelta(days=1)
    while day.isoweekday() > 5:
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(10, 30))


def first_slides(site: Path) -> dict[str, tuple[Path, str]]:
    """For every layout, the page and id of its first slide on any sample screen."""
    found: dict[str, tuple[Path, str]] = {}
    playlists = [json.loads(path.read_text(encoding="utf-8")) | {"path": path}
                 for path in sorted((site / "screens").glob("*/playlist.json"))]
    for data in sorted(playlists, key=lambda data: data["screen"]["touch"]):  # touch bars hide less on others
        playlist = data["path"]
        for slide in data["slides"]:
            found.setdefault(slide["layout"], (playlist.parent / "index.html", slide["id"]))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out" / "kiosk-shots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as temp, browser() as chromium:
        site = build_sample(Path(temp) / "site")
        for layout, (page_path, slide_id) in sorted(first_slides(site).items()):
            for orientation, (width, height) in ORIENTATIONS.items():
                context = chromium.new_context(viewport={"width": width, "height": height})
                page = context.new_page()
                page.clock.install(time=daytime())
                page.goto(f"{page_path.as_uri()}?slide={slide_id}")
                page.wait_for_function("window.exhibitKiosk && exhibitKiosk.current !== null")
                page.wait_for_timeout(1200)  # the CSS fade-in runs on real time
                target = args.out / f"{layout}-{orientation}.png"
                page.screenshot(path=str(target))
                print(target)
                context.close()


if __name__ == "__main__":
    main()
