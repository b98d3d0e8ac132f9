"""Helpers for the screen browser tests: a real loopback HTTP server with faults, and clock stepping."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import re
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from exhibit.engine import build
from exhibit.project import Project

KIOSK = "window.exhibitKiosk"


class _Handler(SimpleHTTPRequestHandler):
    server: SiteServer._Server  # type: ignore[name-defined]

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        return

    def do_GET(self) -> None:
        owner = self.server.owner
        path = self.path.split("?", 1)[0]
        owner.requests.append(self.path)
        owner.ranges.append((path, self.headers.get("Range")))
        for suffix, fault in owner.faults.items():
            if path.endswith(suffix):
                if isinstance(fault, int):
                    self.send_error(fault)
                    return
                body = (owner.site / path.lstrip("/")).read_bytes()
                cut = body[: len(body) // 2]  # a half-copied file
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(cut)))
                self.end_headers()
                self.wfile.write(cut)
                return
        if self.headers.get("Range") and self._send_range():
            return
        super().do_GET()

    def _send_range(self) -> bool:
        """Answer `Range: bytes=a-b` (or `a-`, `-n`) with 206 Partial Content, as nginx does for the player."""
        match = re.fullmatch(r"bytes=(\d*)-(\d*)", self.headers["Range"].strip())
        file = Path(self.translate_path(self.path))
        if match is None or not file.is_file() or match.groups() == ("", ""):
            return False
        data, (first, last) = file.read_bytes(), match.groups()
        start = int(first) if first else max(len(data) - int(last), 0)
        end = min(int(last), len(data) - 1) if first and last else len(data) - 1
        if start > end:
            self.send_error(416)
            return True
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(str(file)))
        self.send_header("Content-Range", f"bytes {start}-{end}/{len(data)}")
        self.send_header("Content-Length", str(end - start + 1))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Last-Modified", self.date_time_string(int(file.stat().st_mtime)))
        self.end_headers()
        self.wfile.write(data[start:end + 1])
        return True


class SiteServer:
    """Serves a built site/ on 127.0.0.1; faults map a path suffix to an HTTP status or 'truncate'."""

    class _Server(ThreadingHTTPServer):
        daemon_threads = True
        allow_reuse_address = True
        owner: SiteServer

    def __init__(self, site: Path) -> None:
        self.site = site
        self.port = 0  # the system picks a free one at the first start; a restart takes the same again
        self.faults: dict[str, int | str] = {}
        self.requests: list[str] = []
        self.ranges: list[tuple[str, str | None]] = []  # (path, Range header) of every GET
        self.httpd: SiteServer._Server | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> SiteServer:
        handler = functools.partial(_Handler, directory=str(self.site))
        self.httpd = self._Server(("127.0.0.1", self.port), handler)
        self.port = self.httpd.server_address[1]
        self.httpd.owner = self
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.httpd is not None:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.httpd = None


class Publisher:
    """A site whose content a test edits and republishes into the folder a server serves."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.site = root / "site"
        self.server = SiteServer(self.site)

    @contextlib.contextmanager
    def serving(self) -> Iterator[Publisher]:
        """Published once and served on 127.0.0.1 for the block (a fixture's whole test)."""
        self.publish()
        self.server.start()
        try:
            yield self
        finally:
            self.server.stop()

    def publish(self) -> str:
        result = build(Project(self.root, self.site))
        assert result.ok and result.written, [d.message("en") for d in result.diagnostics.items]
        return self.version()

    def version(self) -> str:
        return self.version_file()["version"]

    def version_file(self, site: Path | None = None) -> dict:
        return json.loads(((site or self.site) / "screens/hall/version.json").read_text(encoding="utf-8"))

    def playlist(self) -> dict:
        return json.loads((self.site / "screens/hall/playlist.json").read_text(encoding="utf-8"))

    def file(self, url: str) -> Path:
        """The published file behind a URL relative to the screen's page."""
        return (self.site / "screens/hall" / url).resolve()

    def write(self, rel: str, text: str) -> None:
        (self.root / rel).write_text(text, encoding="utf-8")

    @property
    def url(self) -> str:
        return f"{self.server.url}screens/hall/index.html"


CACHED = "caches.open('exhibit-screens-v1').then(c => c.keys()).then(keys => keys.map(r => new URL(r.url).pathname))"


def cached_after(page, ready) -> list[str]:
    """The paths the service worker holds, once `ready(paths)` holds (it prunes in the background)."""
    for _ in range(100):
        paths = page.evaluate(CACHED)
        if ready(paths):
            return paths
        page.wait_for_timeout(100)
    raise AssertionError(f"the service worker's cache never got there: {sorted(paths)}")


def css_of(data: dict) -> str:
    return next(url for url in data["runtime"] if url.endswith(".css"))


def weekday_morning(after: float) -> dt.datetime:
    """10:30 on the first weekday after a moment (the build time): inside every sample schedule."""
    day = dt.datetime.fromtimestamp(after).date() + dt.timedelta(days=1)
    while day.isoweekday() > 5:
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(10, 30))


def settle(page: object) -> None:
    """Wait (in real time) until the runtime has no image decode or fetch in flight."""
    page.wait_for_function(f"{KIOSK} && {KIOSK}.mode !== 'boot' && {KIOSK}.busy === 0")  # type: ignore[attr-defined]


def current(page: object) -> str | None:
    return page.evaluate(f"{KIOSK}.current && {KIOSK}.current.slide.id")  # type: ignore[attr-defined]


def run(page: object, ms: float, step: float = 1000) -> None:
    """Advance the page's clock by `ms`, letting real async work (decodes, fetches) finish at each step."""
    left = ms
    while left > 0:
        settle(page)
        chunk = min(step, left)
        page.clock.run_for(int(chunk))  # type: ignore[attr-defined]
        left -= chunk
    settle(page)


def next_slide(page: object) -> str | None:
    """Advance the clock just past the current slide's end; return the slide then shown."""
    settle(page)
    left = page.evaluate(f"{KIOSK}.due - performance.now()")  # type: ignore[attr-defined]
    page.clock.run_for(max(int(left) + 20, 1))  # type: ignore[attr-defined]
    settle(page)
    return current(page)


def freeze(page: object, at: dt.datetime) -> None:
    """Fake timers at `at`, paused: from here on time moves only when the test moves it."""
    page.clock.install(time=at - dt.timedelta(seconds=2))  # type: ignore[attr-defined]
    page.clock.pause_at(at)  # type: ignore[attr-defined]


def open_screen(page: object, url: str, at: dt.datetime) -> None:
    freeze(page, at)
    page.goto(url)  # type: ignore[attr-defined]
    settle(page)


def platform_fonts(page: object, selector: str) -> list[dict]:
    """The fonts Chromium drew the text of the first element matching `selector` with (DevTools protocol)."""
    client = page.context.new_cdp_session(page)  # type: ignore[attr-defined]
    try:
        client.send("DOM.enable")
        client.send("CSS.enable")
        document = client.send("DOM.getDocument", {"depth": -1})
        node = client.send("DOM.querySelector", {"nodeId": document["root"]["nodeId"], "selector": selector})
        assert node["nodeId"], selector
        return client.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]
    finally:
        client.detach()


def web_font_faces(page: object) -> list[str]:
    """The status of every "Exhibit CJK" face the document holds (one, loaded, when all is well)."""
    return page.evaluate(  # type: ignore[attr-defined]
        "[...document.fonts].filter(f => f.family.replace(/\"/g, '') === 'Exhibit CJK').map(f => f.status)")


def stylesheets(page: object) -> list[str]:
    """The href of every stylesheet link in the document, in order, with its media when it is not the default."""
    return page.evaluate(  # type: ignore[attr-defined]
        "[...document.querySelectorAll('link[rel=stylesheet]')]"
        ".map(l => l.getAttribute('href') + (l.media && l.media !== 'all' ? ' [' + l.media + ']' : ''))")
