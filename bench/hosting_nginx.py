"""Debian's nginx on a loopback port with the sample config from hosting/nginx.conf, for tests and benchmarks.

The sample is used as shipped: only its `listen` and `root` lines are pointed at this
machine's loopback and a temporary folder, so what passes here is what an admin installs.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "hosting" / "nginx.conf"
SUB_PATH = "/showcase/"

WRAPPER = """\
daemon off;
master_process on;
worker_processes {workers};
worker_rlimit_nofile {files};
{user}
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections {connections}; }}
http {{
    include {mime_types};
    default_type application/octet-stream;
    access_log off;
    keepalive_requests 100000;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {prefix}/exhibit.conf;
}}
"""


def nginx_executable() -> str | None:
    for candidate in (shutil.which("nginx"), "/usr/sbin/nginx"):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def sample_server(www_root: Path, port: int) -> str:
    """hosting/nginx.conf with its listen and root lines pointed at 127.0.0.1:port and www_root."""
    text = SAMPLE.read_text(encoding="utf-8")
    for old, new in (("listen 80;", f"listen 127.0.0.1:{port};"), ("root /srv/www;", f"root {www_root};")):
        if text.count(old) != 1:
            raise ValueError(f"hosting/nginx.conf must hold exactly one {old!r}")
        text = text.replace(old, new)
    return text


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _listening(port: int, process: subprocess.Popen[bytes], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
        time.sleep(0.05)
    return False


@contextlib.contextmanager
def serve_published(www_root: Path, prefix: Path, connections: int = 64, workers: int = 1) -> Iterator[str]:
    """Run nginx on a free loopback port; yields the base URL (http://127.0.0.1:PORT/showcase/).

    nginx cannot listen on port 0, so a free port is picked with a bind and, should another
    process take it first, another is tried.
    """
    executable = nginx_executable()
    if executable is None:
        raise FileNotFoundError("nginx")
    mime_types = next((p for p in ("/etc/nginx/mime.types", "/usr/local/nginx/conf/mime.types")
                       if Path(p).is_file()), "/dev/null")
    prefix.mkdir(parents=True, exist_ok=True)
    for _attempt in range(5):
        port = _free_port()
        (prefix / "exhibit.conf").write_text(sample_server(www_root.resolve(), port), encoding="utf-8")
        (prefix / "nginx.conf").write_text(WRAPPER.format(
            workers=workers, files=connections * 2 + 64, connections=connections, prefix=prefix,
            user="user root;" if os.geteuid() == 0 else "", mime_types=mime_types), encoding="utf-8")
        process = subprocess.Popen([executable, "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if _listening(port, process):
            break
        process.kill()
        _, error = process.communicate(timeout=10)
        if b"in use" not in error:
            raise RuntimeError(f"nginx did not start: {error.decode(errors='replace')}")
    else:
        raise RuntimeError("no free loopback port for nginx after 5 tries")
    try:
        yield f"http://127.0.0.1:{port}{SUB_PATH}"
    finally:
        process.terminate()
        process.wait(timeout=10)
