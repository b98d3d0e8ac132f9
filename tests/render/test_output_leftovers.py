"""A build deletes only folders it made: leftovers are known by the marker inside them, not by their name."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import REPO, WORKER_MD, run_cli, tree_bytes, write_files

from exhibit.render.output import LEFTOVER_MARKER, MARKER_NAME

_DEAD_BUILD = """
import os, sys
from pathlib import Path
sys.path.insert(0, {repo!r})
from exhibit.render.output import StagedOutput
staged = StagedOutput(Path({out!r}))
staged.open()
staged.write("index.html", b"half a site")
os._exit(9)  # killed mid-build: no discard, no commit
"""


def _user_folders(root: Path) -> dict[str, dict[str, str]]:
    """Folders a user might keep beside site/, whose names look like a build's leftovers."""
    return {
        ".site.backup-2024": {"index.html": "my backup", MARKER_NAME: "{}"},
        ".site.staging-123": {"notes.txt": "mine"},
        ".site.old-999999": {"index.html": "an old copy"},
        ".site.staging-999998": {LEFTOVER_MARKER: "not what a build writes"},
        ".site.copy-1": {"a.txt": "a"},
    }


def test_user_folders_named_like_leftovers_survive_builds(make_site):
    root = make_site({"content/workers/邵志村.md": WORKER_MD})
    for name, files in _user_folders(root).items():
        write_files(root / name, files)
    before = {name: tree_bytes(root / name) for name in _user_folders(root)}
    assert run_cli(root).returncode == 0
    (root / "content/workers/邵志村.md").write_text(WORKER_MD.replace("邵志村", "邵志"), encoding="utf-8")
    assert run_cli(root).returncode == 0  # a second build replaces site/, with the swap
    assert {name: tree_bytes(root / name) for name in _user_folders(root)} == before
    assert "邵志" in (root / "site/workers/shao-zhi-cun.html").read_text(encoding="utf-8")
    assert not (root / "site" / LEFTOVER_MARKER).exists()


def test_staging_folder_of_a_killed_build_is_removed(make_site):
    root = make_site({"content/workers/邵志村.md": WORKER_MD})
    assert run_cli(root).returncode == 0
    dead = subprocess.run([sys.executable, "-c", _DEAD_BUILD.format(repo=str(REPO), out=str(root / "site"))],
                          capture_output=True, text=True)
    assert dead.returncode == 9, dead.stderr
    leftovers = sorted(root.glob(".site.staging-*"))
    assert len(leftovers) == 1 and (leftovers[0] / LEFTOVER_MARKER).is_file()
    write_files(root, {".site.backup-2024/index.html": "my backup"})
    assert run_cli(root).returncode == 0
    assert sorted(root.glob(".site.staging-*")) == []
    assert (root / ".site.backup-2024/index.html").read_text() == "my backup"


def test_built_site_carries_no_leftover_marker(make_site):
    root = make_site({"content/workers/邵志村.md": WORKER_MD})
    assert run_cli(root).returncode == 0
    assert run_cli(root).returncode == 0
    assert not (root / "site" / LEFTOVER_MARKER).exists()
    assert sorted(path.name for path in root.iterdir() if path.name.startswith(".site.")) == []
