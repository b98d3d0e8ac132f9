"""The font subset started while pages render: used when its guess was exact, never a font missing a character."""

from __future__ import annotations

import io

import pytest
from conftest import SITE_YAML, missing_tool, run_cli

from exhibit.assets.fonts import characters_in
from exhibit.assets.fontsource import fontconfig_cjk_font
from exhibit.assets.stage import FontPrefetch

LATE_CHARACTER = "龘"  # only on the last worker's page, long after the guess is made


def _page(text: str) -> bytes:
    return f"<p>{text}</p>".encode()


def test_the_subset_starts_once_pages_stop_bringing_new_characters():
    started: list[set[str]] = []
    prefetch = FontPrefetch(lambda chars: started.append(set(chars)), total_pages=60, base={"页"})
    for number in range(10):
        prefetch.seen(_page(f"第{number}位工人"))
    assert started == []  # new digits until now, and not half the pages yet
    for _ in range(30):
        prefetch.seen(_page("第1位工人"))
    assert started == [characters_in(["页第位工人0123456789<p></p>"]) | {"页"}]
    prefetch.seen(_page("新字"))
    assert len(started) == 1  # started once; whatever comes later is finish's to notice


def test_nothing_starts_without_a_font_to_cut():
    prefetch = FontPrefetch(None, total_pages=2, base=set())
    assert prefetch.seen(_page("字")) is None and prefetch.seen(_page("字")) is None  # not even counted
    assert not prefetch.counting
    assert prefetch.cutting(set()) is None


def test_a_character_after_the_guess_is_still_in_the_font(make_site):
    font = fontconfig_cjk_font()
    if font is None:
        missing_tool("a CJK font", "sudo apt-get install fonts-noto-cjk")
    files = {"content/site.yaml": SITE_YAML}
    for number in range(80):
        files[f"content/workers/w{number:02d}.md"] = f"---\nname: 工人{number:02d}\nunit: acid\n---\n同样的故事。\n"
    files["content/workers/w79.md"] += f"他的外号叫{LATE_CHARACTER}。\n"
    root = make_site(files)
    run = run_cli(root)
    assert run.returncode == 0, run.stderr
    from fontTools.ttLib import TTFont

    (subset,) = (root / "site/assets/fonts").glob("*.woff2")
    covered = {chr(code) for code in TTFont(io.BytesIO(subset.read_bytes())).getBestCmap()}
    assert LATE_CHARACTER in covered
    assert LATE_CHARACTER in (root / "site/workers/w79.html").read_text("utf-8")


def _build(root):
    from exhibit.engine.run import build
    from exhibit.project import Project

    result = build(Project(root, root / "site"))
    assert result.written, result.diagnostics.items
    return [path.read_bytes() for path in sorted((root / "site/assets/fonts").glob("*.woff2"))]


@pytest.mark.parametrize("late", [False, True])
def test_the_font_is_the_same_whether_the_guess_was_right_or_not(make_site, monkeypatch, late):
    """Built with the prefetch, and with it switched off: the same subset bytes."""
    if fontconfig_cjk_font() is None:
        missing_tool("a CJK font", "sudo apt-get install fonts-noto-cjk")
    files = {"content/site.yaml": SITE_YAML}
    for number in range(80):
        files[f"content/workers/w{number:02d}.md"] = f"---\nname: 工人{number:02d}\nunit: acid\n---\n同样的故事。\n"
    if late:
        files["content/workers/w79.md"] += f"他的外号叫{LATE_CHARACTER}。\n"
    with_prefetch = _build(make_site(files, name="with"))
    monkeypatch.setattr(FontPrefetch, "seen", lambda self, html, chars=None, rendered=True, new=None: None)
    without = _build(make_site(files, name="without"))
    assert len(with_prefetch) == 1
    assert with_prefetch == without
