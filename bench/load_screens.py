"""1,000 screens against nginx: what polling costs, and what one publish costs the fleet.

nginx (Debian's, with hosting/nginx.conf as shipped) serves a published copy of the sample.
Each simulated screen does what assets/kiosk/kiosk.js does: every `poll` seconds (the
screens' own setting, or --interval to compress time) it asks for version.json on a
keep-alive HTTP/1.1 connection; when the version changes it fetches the new playlist and
then every image and runtime file the playlist names that it does not hold yet (its
browser keeps fingerprinted files). Midway, the sample is changed and published again with
`exhibit publish`. Loopback (127.0.0.1) only; the run is bounded in screens, requests and
seconds, and stops by itself. Prints requests/s, latency percentiles, the bytes one publish
costs the fleet and the error count (non-zero exits 1).

    .venv/bin/python bench/load_screens.py                  # real interval: ~90 s
    .venv/bin/python bench/load_screens.py --interval 3     # time compressed: ~10 s
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gzip
import json
import posixpath
import random
import resource
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.hosting_nginx import serve_published  # noqa: E402
from exhibit.project import Project  # noqa: E402
from exhibit.publish import PublishOptions, publish  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
REQUEST_TIMEOUT = 10.0
HARD_LIMIT_SECONDS = 900


@dataclass
class Fleet:
    """What every screen saw, added up."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: int = 0
    bytes_total: int = 0
    publish_bytes: int = 0
    publish_requests: int = 0
    updated_at: list[float] = field(default_factory=list)
    published_at: float | None = None
    request_cap: int = 0


class Connection:
    """One keep-alive HTTP/1.1 connection to nginx, reopened when the server closes it."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> tuple[int, bytes, int]:
        """(status, body decoded from gzip, bytes on the wire) for GET path."""
        if self.writer is None or self.writer.is_closing():
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\nAccept-Encoding: gzip\r\n"
                          f"Cache-Control: no-cache\r\n\r\n".encode("ascii"))
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
        body, wire = await self._body(headers)
        if headers.get("content-encoding") == "gzip":
            body = gzip.decompress(body)
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return status, body, len(head) + wire

    async def _body(self, headers: dict[str, str]) -> tuple[bytes, int]:
        assert self.reader is not None
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
            return body, len(body)
        parts, wire = [], 0
        while True:  # Transfer-Encoding: chunked (nginx's gzip output)
            size_line = await self.reader.readuntil(b"\r\n")
            size = int(size_line.split(b";")[0], 16)
            chunk = await self.reader.readexactly(size + 2)
            wire += len(size_line) + len(chunk)
            if size == 0:
                return b"".join(parts), wire
            parts.append(chunk[:-2])

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError, ConnectionError):
                await self.writer.wait_closed()
        self.reader = self.writer = None


@dataclass
class Screen:
    """One simulated screen: which playlist it shows, what it holds, and where it polls."""

    folder: str  # /showcase/screens/<id>/
    version: str
    held: set[str]
    interval: float


def held_files(playlist: dict, folder: str) -> set[str]:
    """The URL paths of every image and runtime file a playlist names (what a running screen already holds)."""
    urls = [*playlist["runtime"], *(u for slide in playlist["slides"] for u in slide["images"])]
    return {posixpath.normpath(posixpath.join(folder, url)) for url in urls}


async def run_screen(screen: Screen, port: int, fleet: Fleet, deadline: float) -> None:
    connection = Connection(port)
    await asyncio.sleep(random.uniform(0, screen.interval))  # screens were switched on at different moments
    try:
        while time.monotonic() < deadline and fleet.requests < fleet.request_cap:
            started = time.monotonic()
            version = await request(connection, f"{screen.folder}version.json?t={int(time.time() * 1000)}", fleet)
            if version is not None and json.loads(version)["version"] != screen.version:
                await take_update(connection, screen, json.loads(version)["version"], fleet)
            wait = min(screen.interval - (time.monotonic() - started), deadline - time.monotonic())
            await asyncio.sleep(max(0.0, wait))
    finally:
        await connection.close()


async def take_update(connection: Connection, screen: Screen, version: str, fleet: Fleet) -> None:
    """The playlist, then every file it names that the screen does not hold: the cost of a publish."""
    cost = [0, 0]  # bytes, requests: this screen's own (the other screens run in between)
    body = await request(connection, f"{screen.folder}playlist.json?v={version}&t={int(time.time() * 1000)}", fleet,
                         cost)
    if body is None:
        return
    playlist = json.loads(body)
    wanted = held_files(playlist, screen.folder)
    for path in sorted(wanted - screen.held):
        if await request(connection, path, fleet, cost) is None:
            return
    screen.held |= wanted
    screen.version = version
    fleet.publish_bytes += cost[0]
    fleet.publish_requests += cost[1]
    fleet.updated_at.append(time.monotonic())


async def request(connection: Connection, path: str, fleet: Fleet, cost: list[int] | None = None) -> bytes | None:
    """GET path, recorded in the fleet's figures (and in `cost`: bytes, requests, when given)."""
    started = time.monotonic()
    fleet.requests += 1
    if cost is not None:
        cost[1] += 1
    try:
        status, body, wire = await asyncio.wait_for(connection.get(path), REQUEST_TIMEOUT)
    except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as error:
        fleet.errors.append(f"{path}: {type(error).__name__} {error}")
        await connection.close()
        return None
    fleet.latencies.append(time.monotonic() - started)
    fleet.bytes_total += wire
    if cost is not None:
        cost[0] += wire
    if status != 200:
        fleet.errors.append(f"{path}: HTTP {status}")
        return None
    return body


def change_content(root: Path) -> None:
    """Publish B: a new subtitle, which every playlist and page shows."""
    site_yaml = root / "content" / "site.yaml"
    old = "subtitle: 一切工作到支部"
    text = site_yaml.read_text(encoding="utf-8").replace(old, f"{old}（新版）", 1)
    site_yaml.write_text(text, encoding="utf-8")


def publish_or_exit(root: Path, dest: Path) -> float:
    started = time.perf_counter()
    outcome = publish(Project(root, root / "site"), str(dest), PublishOptions(quiet=True))
    if outcome.exit_code != 0:
        raise SystemExit("publishing the sample failed")
    return time.perf_counter() - started


async def run_fleet(args: argparse.Namespace, root: Path, dest: Path, port: int, screens: list[Screen],
                    duration: float, publish_after: float) -> tuple[Fleet, float, float]:
    fleet = Fleet(request_cap=int(len(screens) * (duration / screens[0].interval + 4) * 3))
    start = time.monotonic()
    deadline = start + duration
    tasks = [asyncio.create_task(run_screen(screen, port, fleet, deadline)) for screen in screens]
    await asyncio.sleep(publish_after)
    change_content(root)
    publish_seconds = await asyncio.to_thread(publish_or_exit, root, dest)
    fleet.published_at = time.monotonic()
    await asyncio.gather(*tasks)
    return fleet, time.monotonic() - start, publish_seconds


def screens_of(dest: Path, count: int, interval: float | None) -> tuple[list[Screen], float]:
    """`count` screens spread over the sample's screens; the interval is their own poll setting unless overridden."""
    playlists = sorted(dest.glob("screens/*/playlist.json"))
    screens, real = [], 0.0
    for n in range(count):
        path = playlists[n % len(playlists)]
        playlist = json.loads(path.read_text(encoding="utf-8"))
        real = float(playlist["settings"]["poll"])
        folder = f"/showcase/screens/{path.parent.name}/"
        screens.append(Screen(folder, playlist["version"], held_files(playlist, folder), interval or real))
    return screens, real


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else float("nan")


def report(fleet: Fleet, screens: list[Screen], seconds: float, publish_seconds: float, real: float,
           args: argparse.Namespace) -> None:
    interval = screens[0].interval
    how = (f"{interval:g} s (--interval: time compressed; the screens' own setting is {real:g} s)"
           if args.interval else f"{interval:g} s (the screens' own poll setting)")
    updated = len(fleet.updated_at)
    last = max(fleet.updated_at) - fleet.published_at if fleet.updated_at and fleet.published_at else float("nan")
    print(f"screens:                 {len(screens)} on 127.0.0.1 (nginx, hosting/nginx.conf), keep-alive HTTP/1.1")
    print(f"poll interval:           {how}")
    print(f"run:                     {seconds:.1f} s; publish B took {publish_seconds:.1f} s")
    print(f"requests:                {fleet.requests}  ({fleet.requests / seconds:.0f} requests/s)")
    print(f"latency:                 p50 {percentile(fleet.latencies, .5) * 1000:.2f} ms, "
          f"p99 {percentile(fleet.latencies, .99) * 1000:.2f} ms, max {max(fleet.latencies, default=0) * 1000:.2f} ms")
    print(f"screens updated:         {updated}/{len(screens)}, the last {last:.1f} s after the publish finished")
    print(f"one publish costs:       {fleet.publish_bytes / 1e6:.2f} MB for the fleet in {fleet.publish_requests} "
          f"requests ({fleet.publish_bytes / max(updated, 1) / 1e3:.1f} kB per screen: playlist and new files)")
    poll_bytes = (fleet.bytes_total - fleet.publish_bytes) / max(fleet.requests - fleet.publish_requests, 1)
    print(f"polling costs:           {poll_bytes:.0f} B per poll, "
          f"{poll_bytes * len(screens) * 3600 / real / 1e6:.1f} MB per hour for the fleet at the real interval")
    print(f"errors:                  {len(fleet.errors)}")
    for error in fleet.errors[:10]:
        print(f"  {error}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--screens", type=int, default=1000, help="simulated screens (default 1000, at most 5000)")
    parser.add_argument("--interval", type=float, default=None,
                        help="poll every N seconds instead of the screens' own setting (compresses time)")
    parser.add_argument("--polls", type=int, default=3, help="poll rounds in the run (default 3; publish after 1)")
    args = parser.parse_args()
    count = max(1, min(args.screens, 5000))
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, count * 2 + 256)), hard))
    work = Path(tempfile.mkdtemp(prefix="exhibit-load-"))
    try:
        root = work / "project"
        for part in ("content", "templates", "assets"):
            shutil.copytree(REPO / part, root / part)
        dest = work / "www" / "showcase"
        publish_or_exit(root, dest)
        screens, real = screens_of(dest, count, args.interval)
        interval = screens[0].interval
        duration = min(interval * max(args.polls, 2) + 5, HARD_LIMIT_SECONDS)
        with serve_published(work / "www", work / "nginx", connections=count + 256) as base:
            port = int(base.split(":")[2].split("/")[0])
            fleet, seconds, publish_seconds = asyncio.run(
                asyncio.wait_for(run_fleet(args, root, dest, port, screens, duration, interval * 1.2),
                                 HARD_LIMIT_SECONDS))
        report(fleet, screens, seconds, publish_seconds, real, args)
        return 1 if fleet.errors or len(fleet.updated_at) != len(screens) else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
