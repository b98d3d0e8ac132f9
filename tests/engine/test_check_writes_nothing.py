"""`check` validates everything and writes nothing in the site folder, cache included."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import WORKER_MD, make_image, run_cli

from exhibit.assets.cache import CACHE_DIR_NAME


def _snapshot(root: Path) -> dict[str, tuple[str, bytes, int]]:
    """Every path under root (folders too) with its kind, bytes and modification time."""
    found: dict[str, tuple[str, bytes, int]] = {}
    for path in sorted(root.rglob("*")):
        stat = path.lstat()
        kind = "dir" if path.is_dir() else "file"
        found[path.relative_to(root).as_posix()] = (kind, path.read_bytes() if kind == "file" else b"",
                                                     stat.st_mtime_ns)
    return found


@pytest.mark.own_font_cache
def test_check_leaves_the_whole_root_tree_untouched(make_site):
    worker = WORKER_MD.replace("since: 2008\n", "since: 2008\nphoto: /photos/a.jpg\n")
    root = make_site({"content/workers/邵志村.md": worker,
                      "content/workers/other.md": worker.replace("邵志村", "王强")})
    make_image(root / "content/photos/a.jpg", (900, 600))
    make_image(root / "content/photos/b.jpg", (600, 900))
    before = _snapshot(root)
    result = run_cli(root, "check")
    assert result.returncode == 0, result.stderr
    assert _snapshot(root) == before
    assert not (root / CACHE_DIR_NAME).exists()


def test_check_with_errors_leaves_the_root_untouched_too(make_site):
    root = make_site({"content/workers/邵志村.md": WORKER_MD.replace("smelting-1", "nowhere")})
    make_image(root / "content/photos/a.jpg")
    before = _snapshot(root)
    result = run_cli(root, "check", "--lang", "en")
    assert result.returncode == 1
    assert "nowhere" in result.stderr
    assert _snapshot(root) == before


def test_build_still_keeps_its_cache_in_the_root(make_site):
    root = make_site({"content/workers/邵志村.md": WORKER_MD.replace("since: 2008\n",
                                                                    "since: 2008\nphoto: /photos/a.jpg\n")})
    make_image(root / "content/photos/a.jpg", (900, 600))
    assert run_cli(root).returncode == 0
    assert any(path.is_file() for path in (root / CACHE_DIR_NAME).rglob("*"))
    assert os.listdir(root / "site")
