"""Soak benchmark: a screen played through thousands of slide changes and three days, on Playwright's clock.

    python bench/soak_kiosk.py [--screen er-lou-zou-lang] [--changes 2000] [--days 3]

Builds the sample site, opens one screen from file:// in Chromium, and moves the page's clock
from slide boundary to slide boundary (quiet hours in ten-minute steps). At slide 200 and at
slide 2,000 it forces garbage collection over CDP (HeapProfiler.collectGarbage) and records
the JS heap; then it runs on to the end of the third day. Prints the figures and the ratio;
the target is a heap at slide 2,000 within 10% of the heap at slide 200.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import tempfile
import time
from pathlib import Path

from kiosk_common import browser, build_sample
from playwright.sync_api import Error as PlaywrightError

KIOSK = "window.exhibitKiosk"
QUIET_STEP_MS = 600_000


def settle(page: object) -> None:
    page.wait_for_function(f"{KIOSK} && {KIOSK}.busy === 0")  # type: ignore[attr-defined]


def next_slide(page: object) -> None:
    """Move the clock just past the current slide's end (or ten minutes, while the screen is dark)."""
    settle(page)
    mode, left = page.evaluate(f"[{KIOSK}.mode, {KIOSK}.due - performance.now()]")  # type: ignore[attr-defined]
    step = QUIET_STEP_MS if mode == "quiet" else max(int(left) + 20, 1)
    page.clock.run_for(step)  # type: ignore[attr-defined]


def measure(page: object, cdp: object) -> dict[str, float]:
    settle(page)
    cdp.send("HeapProfiler.collectGarbage")  # type: ignore[attr-defined]
    cdp.send("HeapProfiler.collectGarbage")  # type: ignore[attr-defined]
    heap = cdp.send("Runtime.getHeapUsage")  # type: ignore[attr-defined]
    nodes = page.evaluate("document.getElementsByTagName('*').length")  # type: ignore[attr-defined]
    slides = page.evaluate("document.querySelectorAll('.k-slide').length")  # type: ignore[attr-defined]
    return {"heap": heap["usedSize"], "nodes": nodes, "slides": slides}


def start_time(built_ms: int) -> dt.datetime:
    day = dt.datetime.fromtimestamp(built_ms / 1000).date() + dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(7, 0))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--screen", default="er-lou-zou-lang")
    parser.add_argument("--changes", type=int, default=2000, help="slide changes before the second heap reading")
    parser.add_argument("--days", type=float, default=3.0, help="simulated days to run in all")
    args = parser.parse_args()
    began = time.perf_counter()
    with tempfile.TemporaryDirectory() as temp, browser() as chromium:
        site = build_sample(Path(temp) / "site")
        page_path = site / "screens" / args.screen / "index.html"
        data = json.loads((page_path.parent / "playlist.json").read_text(encoding="utf-8"))
        context = chromium.new_context(viewport={"width": data["screen"]["width"], "height": data["screen"]["height"]})
        page = context.new_page()
        start = start_time(data["built"])
        page.clock.install(time=start - dt.timedelta(seconds=2))
        page.clock.pause_at(start)
        page.goto(page_path.as_uri())
        cdp = context.new_cdp_session(page)
        cdp.send("HeapProfiler.enable")
        readings: dict[int, dict[str, float]] = {}
        end_ms = args.days * 86_400_000
        start_ms = start.timestamp() * 1000
        earlier = reloads = last_changes = 0  # a planned daily reload restarts the page's own count
        elapsed = 0.0
        while True:
            try:
                changes, now_ms = page.evaluate(f"[{KIOSK}.changes, Date.now()]")
                if changes < last_changes:
                    earlier, reloads = earlier + last_changes, reloads + 1
                    print(f"planned reload at simulated {elapsed / 3_600_000:.1f} h", flush=True)
                last_changes = changes
                total, elapsed = changes + earlier, now_ms - start_ms
                for mark in sorted({200, 500, 1000, 1500, args.changes}):
                    if total >= mark and mark not in readings:
                        readings[mark] = measure(page, cdp) | {"changes": total, "hours": elapsed / 3_600_000}
                        print(f"slide {total:>6}  simulated {elapsed / 3_600_000:6.1f} h  "
                              f"heap {readings[mark]['heap'] / 1e6:7.3f} MB  DOM nodes {readings[mark]['nodes']}  "
                              f"slide elements {readings[mark]['slides']}", flush=True)
                if elapsed >= end_ms and args.changes in readings:
                    break
                next_slide(page)
            except PlaywrightError:  # the planned daily reload navigated away mid-call
                page.wait_for_function(f"{KIOSK} && {KIOSK}.mode !== 'boot'")
                cdp = context.new_cdp_session(page)
                cdp.send("HeapProfiler.enable")
        final = measure(page, cdp)
        changes, errors = page.evaluate(f"[{KIOSK}.changes, {KIOSK}.errors]")
        print(f"end: {changes + earlier} slide changes over {args.days:g} simulated days, {reloads} planned reloads; "
              f"heap {final['heap'] / 1e6:.3f} MB, DOM nodes {final['nodes']}, slide elements {final['slides']}, "
              f"errors since the last reload {len(errors)}")
        ratio = readings[args.changes]["heap"] / readings[200]["heap"]
        print(f"heap ratio slide {args.changes} / slide 200: {ratio:.3f} "
              f"({(ratio - 1) * 100:+.1f}%; target within ±10%) — {'OK' if abs(ratio - 1) <= 0.10 else 'OVER TARGET'}")
        print(f"wall time {time.perf_counter() - began:.0f} s")
        context.close()


if __name__ == "__main__":
    main()
