"""A build killed during photo processing takes its worker processes with it."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, WORKER_MD
from PIL import Image

PHOTOS = 16


def _children(pid: int) -> set[int]:
    """Live processes whose parent is `pid`, read from /proc."""
    found = set()
    for entry in Path("/proc").iterdir():
        state = _state(int(entry.name)) if entry.name.isdigit() else None
        if state is not None and state[1] == pid and state[0] != "Z":
            found.add(int(entry.name))
    return found


def _state(pid: int) -> tuple[str, int] | None:
    """(state letter, parent pid) of a process, None when it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2:].split()
    return fields[0], int(fields[1])


def _alive(pid: int) -> bool:
    state = _state(pid)
    return state is not None and state[0] not in ("Z", "X")


def _photo_site(make_site) -> Path:
    rng = random.Random(11)
    files: dict[str, str | bytes] = {}
    for index in range(PHOTOS):
        files[f"content/workers/w{index:02d}.md"] = WORKER_MD.replace("邵志村", f"职工{index}").replace(
            "since: 2008\n", f"since: 2008\nphoto: /photos/p{index}.jpg\n")
    root = make_site(files)
    (root / "content/photos").mkdir()
    for index in range(PHOTOS):
        Image.frombytes("RGB", (1800, 1200), rng.randbytes(1800 * 1200 * 3)).save(
            root / f"content/photos/p{index}.jpg", quality=95)
    return root


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to find the worker processes")
@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="photos are processed in a pool only with two or more cores")
def test_sigkill_during_photo_processing_leaves_no_worker(make_site):
    root = _photo_site(make_site)
    build = subprocess.Popen([sys.executable, str(REPO / "build.py"), "--root", str(root), "-q"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    deadline = time.monotonic() + 120
    while len(workers) < 2 and build.poll() is None and time.monotonic() < deadline:
        workers |= _children(build.pid)
        time.sleep(0.01)
    assert len(workers) >= 2, "the build finished before its photo workers could be seen"
    build.send_signal(signal.SIGKILL)
    build.wait()
    deadline = time.monotonic() + 30
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [pid for pid in workers if _alive(pid)] == []
    assert not (root / "site").exists()  # killed before writing: nothing half-made


def test_worker_exits_when_its_parent_is_killed(tmp_path):
    """Without the pool: a grandchild that called die_with_parent ends when its parent is SIGKILLed."""
    script = f"""
import os, sys, time
sys.path.insert(0, {str(REPO)!r})
from exhibit.assets.lifetime import die_with_parent
parent = os.getpid()
child = os.fork()
if child == 0:
    die_with_parent(parent)
    time.sleep(600)
    os._exit(0)
print(child, flush=True)
time.sleep(600)
"""
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    child = int(parent.stdout.readline())  # type: ignore[union-attr]
    assert _alive(child)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 30
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(child)
