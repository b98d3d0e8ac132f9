"""Output stage: the build is atomic, never half-written, and never replaces a folder it does not own."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, SITE_YAML, WORKER_MD, made_once, make_image, run_cli, tree_bytes, write_files
from PIL import Image

from exhibit.render.output import MARKER_NAME, StagedOutput, is_replaceable, mark_leftover


def _staging_dirs(root: Path) -> list[Path]:
    return sorted(root.glob(".site.staging-*"))


def test_build_writes_marker_and_removes_stale_pages(make_site):
    root = make_site({"content/workers/邵志村.md": WORKER_MD, "content/workers/other.md": WORKER_MD})
    assert run_cli(root).returncode == 0
    assert (root / "site" / MARKER_NAME).is_file()
    assert (root / "site/workers/other.html").is_file()
    (root / "content/workers/other.md").unlink()
    assert run_cli(root).returncode == 0
    assert not (root / "site/workers/other.html").exists()
    assert (root / "site/workers/shao-zhi-cun.html").is_file()
    assert _staging_dirs(root) == []


def test_bad_content_leaves_previous_site_byte_for_byte(make_site):
    root = make_site({"content/workers/邵志村.md": WORKER_MD})
    assert run_cli(root).returncode == 0
    before = tree_bytes(root / "site")
    write_files(root, {"content/workers/bad.md": "---\nname: 张三\nunit: nowhere\n---\n正文\n"})
    result = run_cli(root)
    assert result.returncode == 1
    assert "content/workers/bad.md:3:1: error:" in result.stderr
    assert "提示" in result.stderr  # the hint line
    assert tree_bytes(root / "site") == before
    assert _staging_dirs(root) == []


def test_refuses_to_replace_a_folder_it_did_not_make(make_site, tmp_path):
    root = make_site({"content/workers/邵志村.md": WORKER_MD})
    foreign = tmp_path / "documents"
    write_files(foreign, {"report.docx": "precious"})
    result = run_cli(root, "--out", str(foreign))
    assert result.returncode == 1
    assert "documents" in result.stderr and "--out" in result.stderr
    assert tree_bytes(foreign) == {"report.docx": b"precious"}


def test_empty_out_folder_is_used(make_site, tmp_path):
    root = make_site({"content/workers/邵志村.md": WORKER_MD})
    out = tmp_path / "empty"
    out.mkdir()
    assert run_cli(root, "--out", str(out)).returncode == 0
    assert (out / "index.html").is_file()
    assert is_replaceable(out)


def test_out_inside_content_is_refused(make_site):
    root = make_site({"content/workers/邵志村.md": WORKER_MD})
    result = run_cli(root, "--out", str(root / "content" / "site"))
    assert result.returncode == 1
    assert not (root / "content" / "site").exists()


def test_leftovers_of_a_dead_build_are_cleaned(make_site):
    root = make_site({"content/workers/邵志村.md": WORKER_MD})
    assert run_cli(root).returncode == 0
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    leftover = root / f".site.staging-{dead}"
    write_files(leftover, {"index.html": "half"})
    mark_leftover(leftover, "site", int(dead))
    assert run_cli(root).returncode == 0
    assert not leftover.exists()


def test_moved_away_site_is_restored_when_a_build_died_mid_swap(tmp_path):
    out = tmp_path / "site"
    write_files(tmp_path / ".site.old-999999", {"index.html": "previous", MARKER_NAME: "{}"})
    staged = StagedOutput(out)
    staged.open()
    assert (out / "index.html").read_text() == "previous"
    staged.discard()


def _make_large_site(root: Path) -> None:
    """Enough pages and photo bytes that writing the site takes a while; built once by the CLI."""
    rng = random.Random(7)
    files: dict[str, str | bytes] = {"content/site.yaml": SITE_YAML}
    story = "外堰出口烧穿后，他第一个冲到现场，带领职工轮流突击。\n\n" * 40
    for index in range(1500):
        files[f"content/workers/w{index:04d}.md"] = (
            f"---\nname: 职工{index}\nunit: smelting-1\nphoto: /photos/p{index % 25}.png\n---\n{story}")
    write_files(root, files)
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(REPO / "assets", root / "assets")
    for index in range(25):
        noise = rng.randbytes(600 * 600 * 3)  # incompressible, so each photo is about 1 MB
        (root / "content/photos").mkdir(exist_ok=True)
        Image.frombytes("RGB", (600, 600), noise).save(root / f"content/photos/p{index}.png")
    assert run_cli(root).returncode == 0


@pytest.fixture
def large_site(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the large site, built (made once per run, then copied: faster than building)."""
    built = made_once(tmp_path_factory, "large-site", _make_large_site)
    root = tmp_path / "large"
    shutil.copytree(built, root, ignore=shutil.ignore_patterns(".made"))
    return root


@pytest.mark.slow
def test_killed_build_leaves_previous_site_unchanged(large_site):
    root = large_site
    before = tree_bytes(root / "site")
    for photo in (root / "content/photos").iterdir():  # force real copies, not reuse
        os.utime(photo, (time.time() + 5, time.time() + 5))
    (root / "content/workers/w0000.md").write_text(
        "---\nname: 改过的名字\nunit: smelting-1\n---\n新的故事\n", encoding="utf-8")
    process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "--root", str(root)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not _staging_dirs(root) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.0005)
    assert _staging_dirs(root), "the build finished before it could be killed mid-way"
    time.sleep(0.01)  # let it write part of the staging folder
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL
    assert tree_bytes(root / "site") == before
    # The next build cleans up and completes.
    assert run_cli(root).returncode == 0
    assert _staging_dirs(root) == []
    assert "改过的名字" in (root / "site/workers/w0000.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_terminated_build_discards_its_staging_folder(large_site):
    root = large_site
    before = tree_bytes(root / "site")
    for photo in (root / "content/photos").iterdir():
        os.utime(photo, (time.time() + 5, time.time() + 5))
    process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "--root", str(root)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    while not _staging_dirs(root) and process.poll() is None:
        time.sleep(0.0005)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    if process.returncode == 0:  # it had already committed: then the new site is complete
        assert (root / "site" / MARKER_NAME).is_file()
    else:
        assert process.returncode == 130
        assert "中断" in stderr
        assert tree_bytes(root / "site") == before
    assert _staging_dirs(root) == []


def test_image_fixture_is_real(tmp_path):
    path = make_image(tmp_path / "a.jpg")
    assert path.read_bytes()[:2] == b"\xff\xd8"
