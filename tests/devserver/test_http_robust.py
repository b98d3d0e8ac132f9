"""The preview's HTTP server on hostile or careless requests: real sockets, a real server on port 0."""

from __future__ import annotations

import select
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from exhibit.devserver.channel import BuildState, ReloadChannel, SiteLock
from exhibit.devserver.http import LISTEN_BACKLOG, PreviewServer

ServerFactory = Callable[..., PreviewServer]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerFactory]:
    """Start a PreviewServer on port 0 over a tiny site/, with a configurable host and idle timeout."""
    started: list[tuple[PreviewServer, bool]] = []
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("<html><body>home</body></html>", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("outside", encoding="utf-8")

    def start(host: str = "127.0.0.1", idle: float | None = None, serve: bool = True) -> PreviewServer:
        ready = threading.Event()
        ready.set()
        preview = PreviewServer((host, 0), out, ReloadChannel(BuildState("b1")), SiteLock(), ready, "en")
        if idle is not None:
            preview.idle_timeout = idle
        if serve:
            threading.Thread(target=preview.serve_forever, daemon=True).start()
        started.append((preview, serve))
        return preview

    yield start
    for preview, serving in started:
        preview.channel.close()
        if serving:
            preview.shutdown()
        preview.server_close()


def _raw(preview: PreviewServer, request: bytes) -> bytes:
    """Send bytes as they are (no client library cleans them up) and read the whole answer."""
    host, port = preview.server_address[:2]
    with socket.create_connection((host, port), timeout=10) as conn:
        conn.sendall(request)
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def _status(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


@pytest.mark.parametrize("target", [
    b"/%00", b"/index.html%00.txt", b"/%0d%0aSet-Cookie:x=1", b"/%ff%fe", b"/%c3%28",
    b"/" + b"a" * 300, b"/" + b"%e7%86%94" * 100 + b"/index.html", b"/x/" + b"b" * 5000,
    b"/../secret.txt", b"/%2e%2e/secret.txt", b"/..%2fsecret.txt", b"/a/../../secret.txt", b"/%zz", b"//etc/passwd",
])
def test_malformed_requests_get_400_or_404_and_no_traceback(server, capfd, target):
    preview = server()
    answer = _raw(preview, b"GET " + target + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert _status(answer) in (400, 404), answer[:200]
    assert b"outside" not in answer
    captured = capfd.readouterr()
    assert "Traceback" not in captured.err + captured.out
    assert _status(_raw(preview, b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")) == 200


def test_bad_request_page_says_what_is_wrong(server):
    answer = _raw(server(), b"GET /%00 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert _status(answer) == 400
    assert b"this address cannot be read" in answer


def test_listen_backlog_holds_a_burst_of_connections(server):
    """With nobody accepting, the kernel queues as many connections as the backlog allows (plus one)."""
    preview = server(serve=False)
    host, port = preview.server_address[:2]
    sockets = []
    try:
        for _ in range(LISTEN_BACKLOG + 20):
            conn = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            conn.setblocking(False)
            conn.connect_ex((host, port))
            sockets.append(conn)
        _, writable, _ = select.select([], sockets, [], 3.0)
        connected = [conn for conn in writable if conn.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0]
        assert LISTEN_BACKLOG >= 128
        assert len(connected) >= 128
    finally:
        for conn in sockets:
            conn.close()


def test_idle_connection_is_closed_by_the_server(server):
    preview = server(idle=0.5)
    host, port = preview.server_address[:2]
    with socket.create_connection((host, port), timeout=30) as conn:
        assert conn.recv(1024) == b""  # the server hung up on a client that never spoke


def test_idle_keep_alive_connection_is_closed_after_a_request(server):
    preview = server(idle=0.5)
    host, port = preview.server_address[:2]
    with socket.create_connection((host, port), timeout=30) as conn:
        conn.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
        assert _status(answer) == 200 and b"home" in answer


def _has_ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _has_ipv6_loopback(), reason="this machine has no IPv6 loopback (::1)")
def test_ipv6_loopback_host_serves(server):
    preview = server(host="::1")
    answer = _raw(preview, b"GET / HTTP/1.1\r\nHost: [::1]\r\nConnection: close\r\n\r\n")
    assert _status(answer) == 200 and b"home" in answer
