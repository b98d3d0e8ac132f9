"""Videos in activities: length and size read by ffprobe, played muted and looped, bad files reported."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, check_site, missing_tool, run_cli

ACTIVITY = "---\ntitle: 主题党日\nunit: acid\ndate: 2024-05-01\nphotos:\n  - cover.png\n  - {video}\n---\n活动。\n"
VIDEO_LINE = 7


def _ffmpeg() -> str:
    path = shutil.which("ffmpeg")
    if path is None or shutil.which("ffprobe") is None:
        missing_tool("ffmpeg (ffprobe)", "sudo apt-get install ffmpeg")
    return str(path)


def _clip(path: Path, seconds: float, size: str = "320x240", codec: str = "libx264") -> Path:
    """A real video made by ffmpeg from its test pattern."""
    path.parent.mkdir(parents=True, exist_ok=True)
    args = ["-c:v", codec] + (["-pix_fmt", "yuv420p"] if codec == "libx264" else [])
    subprocess.run([_ffmpeg(), "-v", "error", "-f", "lavfi", "-i", f"testsrc=duration={seconds}:size={size}:rate=10",
                    *args, "-y", str(path)], check=True, timeout=120)
    return path


def _site(make_site, video: str) -> Path:
    from PIL import Image

    root = make_site({"content/activities/day.md": ACTIVITY.format(video=video)})
    Image.new("RGB", (640, 480), "#b71c1c").save(root / "content/activities/cover.png")
    return root


@pytest.mark.parametrize(("name", "codec", "seconds", "size"), [
    ("clip.mp4", "libx264", 2.5, (320, 240)),
    ("clip.webm", "libvpx-vp9", 1.2, (160, 120)),
])
def test_video_plays_muted_and_looped_with_its_length_from_the_file(make_site, name, codec, seconds, size):
    root = _site(make_site, name)
    _clip(root / f"content/activities/{name}", seconds, f"{size[0]}x{size[1]}", codec)
    result = check_site(root, write=True)
    assert result.ok, [d.message("en") for d in result.diagnostics.items]
    assert result.assets.videos == 1
    page = (root / "site/activities/day.html").read_text(encoding="utf-8")
    tag = re.search(r"<video\b[^>]*>", page)
    assert tag, page
    video = tag.group(0)
    assert f'src="../media/activities/{name}"' in video
    for attribute in ("muted", "loop", "playsinline"):
        assert re.search(rf"\s{attribute}[\s>]", video), video
    assert f'data-duration="{seconds}"' in video
    assert f'width="{size[0]}" height="{size[1]}"' in video
    assert (root / f"site/media/activities/{name}").read_bytes() == (root / f"content/activities/{name}").read_bytes()
    # the cover photo is still the card's picture, not the video
    index = (root / "site/activities/index.html").read_text(encoding="utf-8")
    assert "cover-" in index and name not in index


def test_unreadable_video_is_reported_at_its_line(make_site):
    root = _site(make_site, "broken.mp4")
    (root / "content/activities/broken.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"not really a video" * 40)
    _ffmpeg()
    run = run_cli(root)
    assert run.returncode == 1
    assert f"content/activities/day.md:{VIDEO_LINE}:1: error: 无法读取视频“broken.mp4”" in run.stderr, run.stderr
    assert "/" + "broken.mp4" not in run.stderr.split("（", 1)[-1]  # no absolute path of the build machine


def test_without_ffprobe_the_build_warns_and_still_succeeds(make_site, tmp_path):
    root = _site(make_site, "clip.mp4")
    _clip(root / "content/activities/clip.mp4", 1.0)
    empty_path = tmp_path / "no-tools"
    empty_path.mkdir()
    run = subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(root)], capture_output=True,
                         text=True, timeout=120, env={**os.environ, "PATH": str(empty_path)})
    assert run.returncode == 0, run.stderr
    assert f"content/activities/day.md:{VIDEO_LINE}:1: warning:" in run.stderr
    assert "ffmpeg" in run.stderr
    page = (root / "site/activities/day.html").read_text(encoding="utf-8")
    assert "<video" in page and "data-duration" not in page
