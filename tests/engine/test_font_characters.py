"""The font subset after edits: built by witness pages across builds, it covers exactly what a clean build's does."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from conftest import SITE_YAML, missing_tool, tree_bytes, write_files

from exhibit.assets.fontsource import fontconfig_cjk_font
from exhibit.engine import build
from exhibit.engine.result import EngineOptions
from exhibit.engine.run import Engine
from exhibit.project import Project

RARE = "龘鱻靐齉麤"  # each in one story only, at first


def _worker(number: int, story: str) -> str:
    return f"---\nname: 工人{number:02d}\nunit: acid\n---\n{story}\n"


def _site(make_site) -> Path:
    if fontconfig_cjk_font() is None:
        missing_tool("a CJK font", "sudo apt-get install fonts-noto-cjk")
    files: dict[str, str | bytes] = {"content/site.yaml": SITE_YAML}
    for number in range(24):
        files[f"content/workers/w{number:02d}.md"] = _worker(number, "同样的故事。")
    for number, char in enumerate(RARE):
        files[f"content/workers/w{number:02d}.md"] = _worker(number, f"同样的故事，外号{char}。")
    return make_site(files)


def _clean(root: Path, tmp_path: Path, step: int) -> dict[str, bytes]:
    clean = tmp_path / f"clean-{step}"
    shutil.copytree(root, clean, ignore=shutil.ignore_patterns("site", ".exhibit-cache"))
    fonts = root / ".exhibit-cache/fonts"
    if fonts.is_symlink():  # make_site's shared font cache: subsets are keyed by font and characters
        (clean / ".exhibit-cache").mkdir()
        (clean / ".exhibit-cache/fonts").symlink_to(fonts.readlink(), target_is_directory=True)
    assert build(Project(clean, clean / "site"), jobs=1).ok
    made = tree_bytes(clean / "site")
    shutil.rmtree(clean)
    return made


def _covered(root: Path) -> set[str]:
    from fontTools.ttLib import TTFont

    (subset,) = (root / "site/assets/fonts").glob("*.woff2")
    return {chr(code) for code in TTFont(io.BytesIO(subset.read_bytes())).getBestCmap()}


@pytest.mark.slow
def test_each_build_after_an_edit_cuts_the_font_a_clean_build_cuts(make_site, tmp_path):
    root = _site(make_site)
    workers = root / "content/workers"
    preview = EngineOptions(subset_font=False, jobs=1, preview=True)
    edits = [
        ("a rare character leaves its only story", lambda: write_files(root, {
            "content/workers/w00.md": _worker(0, "同样的故事。")})),
        ("a new character arrives", lambda: write_files(root, {
            "content/workers/w10.md": _worker(10, "同样的故事，外号爨。")})),
        ("the page that brought a character is removed", lambda: (workers / "w01.md").unlink()),
        ("a character moves to another story", lambda: write_files(root, {
            "content/workers/w02.md": _worker(2, "同样的故事。"),
            "content/workers/w20.md": _worker(20, f"同样的故事，外号{RARE[2]}。")})),
        ("the preview changes a page without counting, then a build counts", lambda: (
            write_files(root, {"content/workers/w03.md": _worker(3, "同样的故事，外号鬱。")}),
            Engine(Project(root, root / "site"), preview).run())),
        ("a character stays on one of its two pages", lambda: (
            write_files(root, {"content/workers/w21.md": _worker(21, "同样的故事，外号爨。")}),
            build(Project(root, root / "site"), jobs=2),
            write_files(root, {"content/workers/w10.md": _worker(10, "同样的故事。")}))),
    ]
    assert build(Project(root, root / "site"), jobs=2).ok
    assert set(RARE) <= _covered(root)
    for step, (what, edit) in enumerate(edits):
        edit()
        result = build(Project(root, root / "site"), jobs=2)
        assert result.ok and len(result.rendered_paths) < result.pages, what  # not a full build
        assert tree_bytes(root / "site") == _clean(root, tmp_path, step), what
    covered = _covered(root)
    assert {RARE[2], "爨", "鬱"} <= covered and not {RARE[0], RARE[1], RARE[3]} & covered
