"""Reserved page files: created empty ahead of their bytes, filled by the writes, never published empty."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import tree_bytes

from exhibit.engine import build
from exhibit.engine import finish as engine_finish
from exhibit.project import Project
from exhibit.render.output import MARKER_NAME, StagedOutput


def _site_with(out: Path, files: dict[str, bytes]) -> None:
    """A site an earlier build committed, holding `files`."""
    output = StagedOutput(out)
    output.open()
    for rel, data in files.items():
        output.write(rel, data)
    output.commit()


def _appears(path: Path, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.exists():
            return True
        time.sleep(0.01)
    return False


def test_reserved_files_are_created_empty_only_for_pages_the_site_lacks(tmp_path):
    out = tmp_path / "site"
    _site_with(out, {"kept.html": b"<p>kept</p>"})
    output = StagedOutput(out)
    output.open()
    output.reserve(["kept.html", "workers/new.html"])
    assert _appears(output.staging / "workers/new.html")
    assert (output.staging / "workers/new.html").read_bytes() == b""
    assert not (output.staging / "kept.html").exists()  # the site has it: `write` may link it instead
    output.write("workers/new.html", b"<p>new</p>")
    output.write("kept.html", b"<p>kept</p>")
    output.release({"kept.html", "workers/new.html"})
    output.commit()
    assert tree_bytes(out) == {"kept.html": b"<p>kept</p>", "workers/new.html": b"<p>new</p>",
                               MARKER_NAME: (out / MARKER_NAME).read_bytes()}


def test_a_reserved_file_no_page_was_written_into_is_not_published(tmp_path):
    out = tmp_path / "site"
    output = StagedOutput(out)
    output.open()
    output.reserve(["a.html", "b/unwritten.html"])
    output.write("a.html", b"<p>a</p>")
    output.release({"a.html"})
    output.commit()
    assert sorted(path.relative_to(out).as_posix() for path in out.rglob("*") if path.is_file()) == [
        MARKER_NAME, "a.html"]


def test_commit_refuses_reserved_files_not_yet_released(tmp_path):
    output = StagedOutput(tmp_path / "site")
    output.open()
    output.reserve(["a.html"])
    output.write("a.html", b"<p>a</p>")
    with pytest.raises(RuntimeError, match="release"):
        output.commit()
    output.discard()
    assert not output.staging.exists() and not (tmp_path / "site").exists()


def test_discard_waits_for_the_reservation_and_leaves_no_folder(tmp_path):
    output = StagedOutput(tmp_path / "site")
    output.open()
    output.reserve([f"p{n:04d}/index.html" for n in range(600)])
    output.discard()
    assert list(tmp_path.iterdir()) == []


def test_a_cold_build_that_reserves_its_pages_publishes_each_one_whole(make_site, monkeypatch):
    files: dict[str, str | bytes] = {
        f"content/workers/w{n:02d}.md": f"---\nname: 工人{n:02d}\nunit: plant\n---\n故事{n}。\n" for n in range(12)}
    root = make_site(files)
    reserved: list[list[str]] = []
    reserve = StagedOutput.reserve
    monkeypatch.setattr(StagedOutput, "reserve", lambda self, rels: reserved.append(rels) or reserve(self, rels))
    monkeypatch.setattr(engine_finish, "MIN_PAGES_PER_CHUNK", 1)  # this small site counts as many pages
    result = build(Project(root, root / "site"), jobs=2)
    assert result.ok and len(reserved) == 1 and "workers/w03.html" in reserved[0]
    pages = [path for path in (root / "site").rglob("*.html")]
    assert len(pages) == result.pages and all(path.stat().st_size > 0 for path in pages)
    assert list(root.glob(".site.staging-*")) == []


def _file_flags(folder: Path) -> int:
    import fcntl
    import os
    import struct

    from exhibit.render import output

    descriptor = os.open(folder, os.O_RDONLY)
    try:
        return struct.unpack("i", fcntl.ioctl(descriptor, output._FS_IOC_GETFLAGS, bytes(4)))[0]
    finally:
        os.close(descriptor)


def test_the_staging_folder_asks_ext4_to_spread_its_subfolders(tmp_path):
    """ext4's `chattr +T` on the staging folder: its subfolders (and the pages in them) go to block groups with
    free inodes, not the site folder's, where the last site's were just freed (output._spread_subfolders)."""
    try:
        _file_flags(tmp_path)
    except (ImportError, OSError):
        pytest.skip("this file system keeps no ext2/3/4 file flags (the flag is ext4's `chattr +T`)")
    staged = StagedOutput(tmp_path / "site")
    staged.open()
    try:
        (staged.staging / "workers").mkdir()
        assert _file_flags(staged.staging) & 0x00020000
        assert not _file_flags(staged.staging / "workers") & 0x00020000  # only the top: pages stay together
        staged.commit()
    finally:
        staged.discard()
    assert _file_flags(tmp_path / "site") & 0x00020000
