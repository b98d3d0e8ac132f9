"""Videos play on with the network down: the service worker keeps each video whole, once, and answers
the player's byte ranges (206) from that copy; an update that no longer plays a video drops it.

A real HTTP server on 127.0.0.1 answers ranges as nginx does; stopping it is the dead network.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import missing_tool
from kiosk_support import CACHED, KIOSK, Publisher, cached_after, css_of, open_screen, run, settle

pytestmark = pytest.mark.browser

BUILT = dt.datetime(2025, 3, 3, 9, 0)
MORNING = dt.datetime(2025, 3, 4, 10, 0)
POLL = 10
PHILOSOPHY = "  - collection: philosophy\n    duration: 5\n"
SCREEN = "name: 走廊\nplaylist:\n  - video: film.webm\n" + PHILOSOPHY
SHOWN_VIDEO = "(() => { const v = document.querySelector('.k-slide.is-in video'); " \
              "return !!v && v.currentTime > 0 && v.readyState >= 2; })()"
STORED = "u => caches.open('exhibit-screens-v1').then(c => c.match(u))" \
         ".then(async r => [r.status, (await r.blob()).size])"
FETCH = """([u, range]) => fetch(u, range ? {headers: {Range: range}} : {}).then(async r => ({
    status: r.status, range: r.headers.get('content-range'), length: r.headers.get('content-length'),
    type: r.headers.get('content-type'), accept: r.headers.get('accept-ranges'),
    body: Array.from(new Uint8Array(await r.arrayBuffer()))}))"""


def make_video(path: Path) -> None:
    """A real three-second VP9 clip of ffmpeg's test pattern."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        missing_tool("ffmpeg", "sudo apt-get install ffmpeg")
    subprocess.run([str(ffmpeg), "-v", "error", "-f", "lavfi", "-i", "testsrc=duration=3:size=320x240:rate=10",
                    "-c:v", "libvpx-vp9", "-y", str(path)], check=True, timeout=120)


@pytest.fixture
def publisher(make_site, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(BUILT.timestamp())))
    root = make_site({
        "content/site.yaml": f"title: 展厅\nkiosk:\n  poll_seconds: {POLL}\n",
        "content/philosophy/p.md": "---\ntitle: 理念\nslogan: 旧的理念\n---\n",
        "content/screens/hall.yaml": SCREEN,
    })
    make_video(root / "content/screens/film.webm")
    with Publisher(root).serving() as publisher:
        yield publisher


@pytest.fixture
def screen(browser, publisher):
    """A screen whose every file went through the service worker (it took control, then the page reloaded)."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    open_screen(page, publisher.url, MORNING)
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller !== null")
    page.reload()
    settle(page)
    yield page
    context.close()


def video_path(page) -> str:
    """The site path of the video the screen's playlist plays."""
    return page.evaluate(f"new URL({KIOSK}.data.slides.find(s => s.layout === 'video').d.src, location.href).pathname")


def taken(page, publisher) -> None:
    """Play on (a video slide ends in real time) until the screen shows the latest publish."""
    latest = publisher.version()
    for _ in range(60):
        run(page, 1000)
        if page.evaluate(f"{KIOSK}.data.version") == latest:
            return
        page.wait_for_timeout(200)
    raise AssertionError(f"{latest} was not taken: {page.evaluate(f'{KIOSK}.errors')}")


def video_slide(page) -> dict:
    return page.evaluate(f"{KIOSK}.data.slides.find(s => s.layout === 'video')")


def play_video(page) -> None:
    """Show the video slide now and wait (in real time: the player's clock is not faked) until it moves."""
    index = page.evaluate(f"{KIOSK}.data.slides.findIndex(s => s.layout === 'video')")
    assert page.evaluate(f"{KIOSK}.goto({index})") == "shown", page.evaluate(f"{KIOSK}.errors")
    page.wait_for_function(SHOWN_VIDEO, timeout=15_000)
    assert page.evaluate(f"{KIOSK}.current.slide.layout") == "video"


def whole_downloads(publisher, path: str) -> int:
    """GETs of the video without a Range header: the worker's whole-file fetches (the player always asks ranges)."""
    return sum(1 for served, asked in publisher.server.ranges if served == path and asked is None)


def test_a_video_plays_offline_from_the_one_whole_copy_the_worker_keeps(screen, publisher) -> None:
    src = video_slide(screen)["d"]["src"]
    data = publisher.file(src).read_bytes()
    url, path = screen.evaluate("u => new URL(u, location.href).href", src), video_path(screen)
    play_video(screen)
    cached_after(screen, lambda paths: path in paths)
    assert screen.evaluate(STORED, url) == [200, len(data)]  # the whole file, not a part of it
    assert any(served == path and asked for served, asked in publisher.server.ranges)  # the player asked ranges
    assert whole_downloads(publisher, path) == 1
    play_video(screen)  # played again online: from the network (network first), not downloaded whole again
    screen.wait_for_timeout(500)
    assert whole_downloads(publisher, path) == 1
    assert screen.evaluate(CACHED).count(path) == 1

    publisher.server.stop()
    screen.reload()  # a screen rebooted with the network down
    settle(screen)
    play_video(screen)
    errors = screen.evaluate(f"{KIOSK}.errors")
    assert not [error for error in errors if "video" in error], errors
    part = screen.evaluate(FETCH, [url, "bytes=100-1099"])
    assert part == {"status": 206, "range": f"bytes 100-1099/{len(data)}", "length": "1000", "type": "video/webm",
                    "accept": "bytes", "body": list(data[100:1100])}
    tail = screen.evaluate(FETCH, [url, "bytes=-16"])
    size = len(data)
    assert (tail["status"], tail["range"], bytes(tail["body"])) == (206, f"bytes {size - 16}-{size - 1}/{size}",
                                                                      data[-16:])
    beyond = screen.evaluate(FETCH, [url, f"bytes={len(data)}-"])
    assert (beyond["status"], beyond["range"]) == (416, f"bytes */{len(data)}")
    full = screen.evaluate(FETCH, [url, None])
    assert full["status"] == 200 and bytes(full["body"]) == data


def test_an_update_keeps_the_video_it_still_plays_and_drops_the_one_it_no_longer_does(screen, publisher) -> None:
    path = video_path(screen)
    play_video(screen)
    old_css = "/assets/kiosk/" + Path(css_of(publisher.version_file())).name
    cached_after(screen, lambda paths: path in paths and old_css in paths)
    publisher.write("content/philosophy/p.md", "---\ntitle: 鑫淼理念\nslogan: 旧的理念\n---\n")  # new characters
    publisher.publish()
    new_css = "/assets/kiosk/" + Path(css_of(publisher.version_file())).name
    taken(screen, publisher)  # at a slide boundary; then the page tells the worker what it uses
    paths = cached_after(screen, lambda paths: new_css in paths and old_css not in paths)  # the clean-up ran...
    assert path in paths  # ...and kept the video the playlist still plays

    publisher.write("content/screens/hall.yaml", "name: 走廊\nplaylist:\n" + PHILOSOPHY)
    publisher.publish()
    taken(screen, publisher)
    assert video_slide(screen) is None
    cached_after(screen, lambda paths: path not in paths)
