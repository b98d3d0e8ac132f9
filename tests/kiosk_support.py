"""Helpers for the screen browser tests: a real loopback HTTP server with faults, and clock stepping."""

from __future__ import annotations

import datetime as dt
import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from conftest import free_port

KIOSK = "window.exhibitKiosk"


class _Handler(SimpleHTTPRequestHandler):
    server: SiteServer._Server  # type: ignore[name-defined]

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        return

    def do_GET(self) -> None:
        owner = self.server.owner
        path = self.path.split("?", 1)[0]
        owner.requests.append(self.path)
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
        super().do_GET()


class SiteServer:
    """Serves a built site/ on 127.0.0.1; faults map a path suffix to an HTTP status or 'truncate'."""

    class _Server(ThreadingHTTPServer):
        daemon_threads = True
        allow_reuse_address = True
        owner: SiteServer

    def __init__(self, site: Path) -> None:
        self.site = site
        self.port = free_port()
        self.faults: dict[str, int | str] = {}
        self.requests: list[str] = []
        self.httpd: SiteServer._Server | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> SiteServer:
        handler = functools.partial(_Handler, directory=str(self.site))
        self.httpd = self._Server(("127.0.0.1", self.port), handler)
        self.httpd.owner = self
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.httpd is not None:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.httpd = None


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
