"""The preview's HTTP side: serves site/ as it is on disk, plus the reload channel.

Only responses get the client script (before `</body>`); built files never
carry it. Page requests wait while a build writes, so nobody sees half a build.
Requests are untrusted: an address no file can have (a NUL, control characters,
bad UTF-8, a segment longer than a file name) is answered 400 or 404, never with
a traceback; idle connections time out so they cannot hold every thread.
"""

from __future__ import annotations

import html
import ipaddress
import json
import mimetypes
import posixpath
import queue
import socket
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from exhibit.devserver.channel import KEEPALIVE_SECONDS, ReloadChannel, SiteLock
from exhibit.i18n import format_message
from exhibit.project import Project

EVENTS_PATH = "/__exhibit/events"
IMPORT_PATH = "/__exhibit/import"  # POST a dropped .docx (the client sends X-Exhibit-Import, which no form can)
MAX_DROP_BYTES = 50 * 1024 * 1024
READY_TIMEOUT = 120.0
IDLE_TIMEOUT = 60.0
"""Seconds a connection may stay silent; longer than the event stream's keep-alive, so that stream lives."""
LISTEN_BACKLOG = 128
MAX_SEGMENT_BYTES = 255
_BODY_END = b"</body>"
_QUIET_ERRORS = (ConnectionError, TimeoutError)


def client_script() -> str:
    return resources.files("exhibit.devserver").joinpath("client.js").read_text(encoding="utf-8")


class PreviewServer(ThreadingHTTPServer):
    """Holds what every request needs; one thread per request (server-sent events stay open)."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = LISTEN_BACKLOG  # a page opening many files at once must not overflow the queue
    idle_timeout = IDLE_TIMEOUT
    project: Project | None = None  # set by serve(): where a dropped document is imported

    def __init__(self, address: tuple[str, int], out_dir: Path, channel: ReloadChannel, lock: SiteLock,
                 ready: threading.Event, lang: str) -> None:
        self.address_family = address_family(address[0])
        super().__init__(address, PreviewHandler)
        self.out_dir = out_dir.resolve()
        self.channel = channel
        self.lock = lock
        self.ready = ready
        self.lang = lang
        self.script = client_script()

    def handle_error(self, request: object, client_address: object) -> None:
        """One line instead of the standard library's traceback; a dropped connection is not worth one."""
        error = sys.exc_info()[1]
        if error is None or isinstance(error, _QUIET_ERRORS):
            return
        detail = f"{type(error).__name__}: {error}"
        print(format_message("serve_request_failed", self.lang, {"detail": detail})[0], file=sys.stderr, flush=True)

    def injected(self, body: bytes) -> bytes:
        """The page with the client script added before </body> (or at the end)."""
        config = html.escape(json.dumps({"build": self.channel.state.build, "events": EVENTS_PATH,
                                             "import": IMPORT_PATH}), quote=True)
        tag = f'<script data-exhibit="{config}">{self.script}</script>'.encode()
        index = body.lower().rfind(_BODY_END)
        return body[:index] + tag + body[index:] if index >= 0 else body + tag


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        """Every read and write on the connection gives up after the server's idle timeout."""
        self.timeout = self.server.idle_timeout
        super().setup()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        """Quiet: the terminal is for build messages."""

    def do_HEAD(self) -> None:  # noqa: N802 - http.server's naming
        self._serve(head=True)

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._serve(head=False)

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        """A Word document dropped on the page: imported like `build.py import`, from this computer only."""
        self.close_connection = True
        url = urlsplit(self.path)
        length = self.headers.get("Content-Length", "")
        size = int(length) if length.isdigit() else -1
        if url.path != IMPORT_PATH or self.server.project is None:
            self._send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", b"", head=False)
            return
        if not (_loopback(self.client_address[0]) and self.headers.get("X-Exhibit-Import") == "1"
                and 0 < size <= MAX_DROP_BYTES):
            self._answer(HTTPStatus.FORBIDDEN, None, format_message(
                "import_drop_refused", self.server.lang, {"megabytes": MAX_DROP_BYTES // 2**20})[0])
            return
        from exhibit.authoring.docx_import import import_upload

        query = parse_qs(url.query)
        result = import_upload(self.server.project, query.get("name", ["upload.docx"])[0], self.rfile.read(size),
                               query.get("collection", [""])[0], self.server.lang)
        status = HTTPStatus.OK if result.url_path else HTTPStatus.UNPROCESSABLE_ENTITY
        self._answer(status, result.url_path, result.message, result.hint)

    def _answer(self, status: HTTPStatus, url_path: str | None, message: str, hint: str | None = None) -> None:
        body = json.dumps({"url": "/" + url_path if url_path else None, "message": message, "hint": hint},
                          ensure_ascii=False).encode()
        self._send(status, "application/json; charset=utf-8", body, head=False)

    def _serve(self, head: bool) -> None:
        path = decoded_path(self.path)
        if path is None:
            self._send(HTTPStatus.BAD_REQUEST, "text/html; charset=utf-8", self._bad_request(), head)
            return
        if path == EVENTS_PATH:
            self._events()
            return
        self.server.ready.wait(READY_TIMEOUT)
        target = self._target(path)
        if target is None:
            self._send(HTTPStatus.NOT_FOUND, "text/html; charset=utf-8", self._not_found(path), head)
            return
        if target.is_dir():
            self._redirect(urlsplit(self.path).path + "/")
            return
        with self.server.lock.read():
            try:
                body = target.read_bytes()
            except OSError:
                body = None
        if body is None:
            self._send(HTTPStatus.NOT_FOUND, "text/html; charset=utf-8", self._not_found(path), head)
            return
        content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if content_type == "text/html":
            body = self.server.injected(body)
        if content_type.startswith("text/") or content_type in ("application/javascript", "application/json"):
            content_type += "; charset=utf-8"
        self._send(HTTPStatus.OK, content_type, body, head)

    def _target(self, url_path: str) -> Path | None:
        """The file a URL names inside site/, or None (also for anything outside it or no file can be)."""
        clean = posixpath.normpath(url_path)
        relative = clean.lstrip("/")
        if any(len(segment.encode()) > MAX_SEGMENT_BYTES for segment in relative.split("/")):
            return None
        target = (self.server.out_dir / relative) if relative not in ("", ".") else self.server.out_dir
        try:
            target = target.resolve()
            if not target.is_relative_to(self.server.out_dir):
                return None
            if target.is_dir() and url_path.endswith("/"):
                target = target / "index.html"
            return target if target.exists() else None
        except (OSError, ValueError):
            return None

    def _not_found(self, path: str) -> bytes:
        message = format_message("serve_not_found", self.server.lang, {"path": path})[0]
        return self._page("404", message)

    def _bad_request(self) -> bytes:
        return self._page("400", format_message("serve_bad_request", self.server.lang, {})[0])

    def _page(self, status: str, message: str) -> bytes:
        page = (f'<!DOCTYPE html><html lang="{self.server.lang}"><head><meta charset="utf-8">'
                f"<title>{status}</title></head><body><h1>{status}</h1><p>{html.escape(message)}</p>"
                f'<p><a href="/">/</a></p></body></html>')
        return self.server.injected(page.encode())

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, status: HTTPStatus, content_type: str, body: bytes, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _events(self) -> None:
        """Server-sent events: the current state at once, then every new one."""
        self.close_connection = True
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        channel = self.server.channel
        subscriber = channel.subscribe()
        try:
            self.wfile.write(b"retry: 500\n\n")
            while not channel.closed.is_set():
                try:
                    state = subscriber.get(timeout=KEEPALIVE_SECONDS)
                except queue.Empty:
                    self.wfile.write(b": keepalive\n\n")
                    self.wfile.flush()
                    continue
                if state is None:
                    break
                self.wfile.write(f"data: {state.to_json()}\n\n".encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            pass
        finally:
            channel.unsubscribe(subscriber)


def decoded_path(request_target: str) -> str | None:
    """The request's path, percent-decoded as UTF-8; None when it holds bad UTF-8 or control characters."""
    try:
        path = unquote(urlsplit(request_target).path, errors="strict")
    except (UnicodeDecodeError, ValueError):
        return None
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in path):
        return None
    return path


def address_family(host: str) -> socket.AddressFamily:
    """IPv6 for an IPv6 address (`::1`) or a name only IPv6 knows; IPv4 otherwise, as before."""
    try:
        return socket.AF_INET6 if ipaddress.ip_address(host.strip("[]")).version == 6 else socket.AF_INET
    except ValueError:
        pass
    try:
        families = {info[0] for info in socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)}
    except (OSError, UnicodeError):
        return socket.AF_INET
    return socket.AF_INET6 if families == {socket.AF_INET6} else socket.AF_INET


def is_loopback(host: str) -> bool:
    """True when only this computer can reach the address (127.x.x.x, ::1, localhost)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address.split("%", 1)[0]).is_loopback
    except ValueError:
        return False
