#!/usr/bin/env python3
"""Asset pipeline benchmark: prints figures, asserts nothing.

1. The sample site plus N generated 4000x3000 phone-style photos (some rotated by
   EXIF, all with GPS): the first build (empty cache) and a no-change rebuild,
   both through the CLI as a user runs them, with the images each one processed.
2. Page weight measured in Chromium (every byte the browser fetches, cold cache):
   when the build makes screens, one kiosk screen (`--screen`, default the corridor
   screen) at its own resolution, at the start and over one full loop of its playlist
   (each slide shown once, as the screen fetches the renditions it picks for itself);
   otherwise the home page and an item page at 1920x1080.
3. The size of the font subset.

    python bench/bench_assets.py [--photos 50] [--minify] [--screen er-lou-zou-lang] [--keep DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from PIL import Image, ImageDraw

REPO = Path(__file__).resolve().parents[1]
PHOTO_SIZE = (4000, 3000)
PHOTOS_PER_ACTIVITY = 5
FONT_LIMIT = 500 * 1024
DEFAULT_SCREEN = "er-lou-zou-lang"
_SUMMARY = re.compile(r"(\d+) images: (\d+) processed, (\d+) from the cache")


def make_photos(content: Path, count: int) -> float:
    """Photos with a phone's texture (gradient, shapes, sensor noise), EXIF orientation and GPS."""
    started = time.perf_counter()
    folder = content / "activities" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    width, height = PHOTO_SIZE
    base = Image.radial_gradient("L").resize(PHOTO_SIZE).convert("RGB")
    noise = Image.effect_noise(PHOTO_SIZE, 40).convert("RGB")
    texture = Image.blend(base, noise, 0.35)  # sensor noise: about 4 MB per photo, like a phone's
    for index in range(count):
        photo = Image.blend(texture, Image.new("RGB", PHOTO_SIZE, _tint(index)), 0.45)
        draw = ImageDraw.Draw(photo)
        for shape in range(12):
            x, y = (index * 397 + shape * 311) % width, (index * 211 + shape * 173) % height
            draw.ellipse((x, y, x + 420, y + 300), fill=_tint(index + shape + 3))
        exif = Image.Exif()
        exif[0x0112] = 6 if index % 5 == 0 else 1
        exif[0x010F] = "BenchPhone"
        exif[0x8825] = {1: "N", 2: (31.0, 14.0, float(index)), 3: "E", 4: (121.0, 28.0, 9.0)}
        photo.save(folder / f"photo-{index:02d}.jpg", "JPEG", quality=92, exif=exif.tobytes())
    for start in range(0, count, PHOTOS_PER_ACTIVITY):
        names = [f"bench/photo-{i:02d}.jpg" for i in range(start, min(start + PHOTOS_PER_ACTIVITY, count))]
        listed = "\n".join(f"  - {name}" for name in names)
        (content / "activities" / f"bench-{start:02d}.md").write_text(
            f"---\ntitle: 基准测试活动 {start // PHOTOS_PER_ACTIVITY + 1}\nunit: plant\ndate: 2020-01\n"
            f"photos:\n{listed}\n---\n用于测量图片处理耗时的活动。\n", encoding="utf-8")
    return time.perf_counter() - started


def _tint(seed: int) -> tuple[int, int, int]:
    return (120 + seed * 37 % 120, 60 + seed * 53 % 140, 40 + seed * 71 % 150)


def timed_build(root: Path, minify: bool) -> tuple[float, tuple[int, int, int], str]:
    command = [sys.executable, str(REPO / "build.py"), "--root", str(root), "--lang", "en"]
    command += ["--minify"] if minify else []
    started = time.perf_counter()
    run = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "CI": "true"})
    seconds = time.perf_counter() - started
    if run.returncode != 0:
        sys.exit(f"build failed:\n{run.stdout}\n{run.stderr}")
    match = _SUMMARY.search(run.stdout)
    counts = tuple(int(group) for group in match.groups()) if match else (0, 0, 0)
    return seconds, counts, run.stdout


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def serve(site: Path) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


class Weighing:
    """Bytes over the wire per request (CDP encodedDataLength), by resource type, for one Chromium page."""

    def __init__(self, context: object, page: object) -> None:
        self.kinds: dict[str, str] = {}
        self.sizes: dict[str, int] = {}
        self.urls: list[str] = []
        client = context.new_cdp_session(page)  # type: ignore[attr-defined]
        client.send("Network.enable")
        client.send("Network.setCacheDisabled", {"cacheDisabled": True})
        client.on("Network.responseReceived", lambda e: self.kinds.__setitem__(e["requestId"], e["type"]))
        client.on("Network.requestWillBeSent", lambda e: self.urls.append(e["request"]["url"]))
        client.on("Network.loadingFinished", lambda e: self.sizes.__setitem__(e["requestId"], e["encodedDataLength"]))

    def figures(self, base: str) -> str:
        by_kind: dict[str, int] = {}
        for request_id, size in self.sizes.items():
            kind = self.kinds.get(request_id, "Other")
            by_kind[kind] = by_kind.get(kind, 0) + size
        parts = ", ".join(f"{kind} {size / 1024:.0f} KB" for kind, size in sorted(by_kind.items()))
        outside = [url for url in self.urls if not url.startswith(base)]
        return (f"{sum(self.sizes.values()) / 1024:.0f} KB in {len(self.urls)} requests ({parts}); "
                f"requests outside the site: {len(outside)}")


def launch(playwright: object) -> object:
    executable = os.environ.get("EXHIBIT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    return playwright.chromium.launch(executable_path=executable, headless=True,  # type: ignore[attr-defined]
                                      args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])


def weigh_pages(base: str, paths: list[str]) -> None:
    """Site pages at 1920x1080: a cold load, scrolled to the bottom so that lazy images count too."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        for path in paths:
            context = browser.new_context(viewport={"width": 1920, "height": 1080})
            page = context.new_page()
            weighing = Weighing(context, page)
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            page.evaluate("document.fonts.ready.then(() => true)")
            page.mouse.wheel(0, 20000)
            page.wait_for_timeout(1500)
            page.wait_for_load_state("networkidle")
            print(f"page weight {path}: {weighing.figures(base)}")
            context.close()
        browser.close()


def screen_morning(built_ms: int) -> dt.datetime:
    """10:30 on the first weekday after the build: no quiet hours, inside every sample schedule."""
    day = dt.datetime.fromtimestamp(built_ms / 1000).date() + dt.timedelta(days=1)
    while day.isoweekday() > 5:
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(10, 30))


def weigh_screen(base: str, site: Path, screen: str) -> None:
    """A kiosk screen at its resolution: its start, then one loop with every slide shown once.

    The service worker is blocked: the screen's worker fetches the same files from the network
    (network first), but from its own context, where the page's DevTools session cannot count them.
    """
    from playwright.sync_api import sync_playwright

    data = json.loads((site / "screens" / screen / "playlist.json").read_text(encoding="utf-8"))
    path = f"screens/{screen}/index.html"
    with sync_playwright() as playwright:
        browser = launch(playwright)
        context = browser.new_context(viewport={"width": data["screen"]["width"], "height": data["screen"]["height"]},
                                      service_workers="block")
        page = context.new_page()
        weighing = Weighing(context, page)
        page.clock.install(time=screen_morning(data["built"]))
        page.goto(base + path)
        page.wait_for_function("window.exhibitKiosk && window.exhibitKiosk.current !== null")
        page.wait_for_load_state("networkidle")
        size = f"{data['screen']['width']}x{data['screen']['height']}"
        print(f"page weight {path} ({size}), first slide up: {weighing.figures(base)}")
        shown = [page.evaluate("i => window.exhibitKiosk.goto(i)", index) for index in range(len(data["slides"]))]
        page.wait_for_load_state("networkidle")
        print(f"page weight {path}, one loop of {len(data['slides'])} slides "
              f"({shown.count('shown')} shown): {weighing.figures(base)}")
        context.close()
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=50)
    parser.add_argument("--minify", action="store_true", help="build with --minify")
    parser.add_argument("--screen", default=DEFAULT_SCREEN, help="the kiosk screen to weigh (its id)")
    parser.add_argument("--keep", type=Path, help="build here and keep it (default: a temporary folder)")
    args = parser.parse_args()
    root = args.keep.resolve() if args.keep else Path(tempfile.mkdtemp(prefix="exhibit-bench-"))
    if root.exists():
        shutil.rmtree(root)
    for part in ("content", "templates", "assets"):
        shutil.copytree(REPO / part, root / part)
    print(f"machine: {os.cpu_count()} cores; site: {root}")
    made = make_photos(root / "content", args.photos)
    source_bytes = sum(p.stat().st_size for p in (root / "content/activities/bench").iterdir())
    print(f"generated {args.photos} photos of {PHOTO_SIZE[0]}x{PHOTO_SIZE[1]} "
          f"({source_bytes / 1e6:.0f} MB) in {made:.1f} s (not part of the build)")

    first, first_counts, first_out = timed_build(root, args.minify)
    again, again_counts, _ = timed_build(root, args.minify)
    print(f"first build (empty cache):  {first:7.2f} s   images {first_counts[0]}, processed {first_counts[1]}")
    print(f"no-change rebuild:          {again:7.2f} s   images {again_counts[0]}, processed {again_counts[1]}, "
          f"from cache {again_counts[2]}")
    print(f"rebuild / first build:      {again / first:7.1%}   (target: under 10%, zero images reprocessed)")

    site = root / "site"
    published = sum(p.stat().st_size for p in (site / "media/activities/bench").iterdir())
    print(f"bench photos in the site:   {published / 1e6:7.1f} MB  (sources {source_bytes / 1e6:.0f} MB)")
    fonts = sorted((site / "assets/fonts").glob("*.woff2")) if (site / "assets/fonts").is_dir() else []
    for font in fonts:
        verdict = "under" if font.stat().st_size < FONT_LIMIT else "OVER"
        print(f"font subset:                {font.stat().st_size / 1024:7.1f} KB  {font.name} "
              f"({verdict} the 500 KB limit)")
    if not fonts:
        print("font subset:                none (no CJK font found; see the build's warning)")
    for line in first_out.splitlines():
        if line.startswith("font subset"):
            print(f"  {line}")

    server, base = serve(site)
    try:
        screens = sorted(path.parent.name for path in site.glob("screens/*/playlist.json"))
        if args.screen in screens:
            weigh_screen(base, site, args.screen)
        elif screens:
            sys.exit(f"no screen {args.screen!r}; the site has: {', '.join(screens)}")
        else:
            item = sorted((site / "activities").glob("bench-*.html"))[0]
            weigh_pages(base, ["index.html", item.relative_to(site).as_posix()])
    finally:
        server.shutdown()
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
