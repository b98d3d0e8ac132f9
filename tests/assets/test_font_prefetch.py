"""The font subset started while pages render: used when its guess was exact, never a font missing a character."""

from __future__ import annotations

import io

import pytest
from conftest import SITE_YAML, missing_tool, run_cli

from exhibit.assets import sitechars
from exhibit.assets.fonts import characters_in
from exhibit.assets.fontsource import fontconfig_cjk_font
from exhibit.assets.sitechars import FontPrefetch, NewCharacters

LATE_CHARACTER = "龘"  # only on the last worker's page, long after the guess is made


def _page(text: str) -> str:
    return f"<p>{text}</p>"


def test_the_subset_starts_once_pages_stop_bringing_new_characters():
    started: list[set[str]] = []
    prefetch = FontPrefetch(lambda chars: started.append(set(chars)), total_pages=60, base={"页"})
    scan = NewCharacters()
    for number in range(10):
        prefetch.seen(f"w{number}.html", scan.new_in(_page(f"第{number}位工人")))
    assert started == []  # new digits until now, and not half the pages yet
    for number in range(30):
        prefetch.seen(f"v{number}.html", scan.new_in(_page("第1位工人")))
    assert started == [characters_in(["页第位工人0123456789<p></p>"]) | {"页"}]
    prefetch.seen("new.html", scan.new_in(_page("新字")))
    assert len(started) == 1  # started once; whatever comes later is finish's to notice


def test_nothing_starts_without_a_font_to_cut():
    prefetch = FontPrefetch(None, total_pages=2, base=set())
    prefetch.begin({"字": "a.html"}, set(), ["a.html"], lambda page: b"")
    prefetch.seen("b.html", "字")
    prefetch.complete()
    assert not prefetch.counting and prefetch.characters() is None and prefetch.cutting(set()) is None
    # not counted: the last count's witnesses stay, and the page rendered now waits for a build that counts
    assert prefetch.for_next_build(["a.html", "b.html"]) == ({"字": "a.html"}, {"b.html"})


def _counted(rendered: dict[str, str], last: tuple[dict[str, str] | None, set[str]] = (None, set()),
             kept: dict[str, str] | None = None, read: list[str] | None = None) -> FontPrefetch:
    """One build's count: `rendered` (path -> text) rendered, `kept` as they were, after a build that left `last`."""
    prefetch = FontPrefetch(lambda chars: None, total_pages=len(rendered), base={"页"})
    kept = kept or {}

    def read_page(page: str) -> bytes:
        (read if read is not None else []).append(page)
        return kept[page].encode()

    prefetch.begin(last[0], last[1], kept, read_page)
    scan = NewCharacters()
    for path, text in rendered.items():
        prefetch.seen(path, scan.new_in(text))
    prefetch.complete()
    return prefetch


def _every(*texts: str) -> set[str]:
    return characters_in(texts) | {"页"}


def test_each_character_has_a_page_that_shows_it():
    pages = {"a.html": "<p>甲乙</p>", "b.html": "<p>乙丙</p>"}
    prefetch = _counted(pages)
    assert prefetch.characters() == _every(*pages.values())
    witnesses, uncounted = prefetch.for_next_build(pages)
    assert uncounted == set() and set(witnesses) == characters_in(pages.values())
    assert all(char in characters_in([pages[page]]) for char, page in witnesses.items())


def test_a_character_whose_page_changed_is_kept_only_while_a_page_still_shows_it():
    first = _counted({"a.html": "<p>甲乙</p>", "b.html": "<p>乙丙丁</p>", "c.html": "<p>丙</p>"})
    last = first.for_next_build(["a.html", "b.html", "c.html"])
    assert last[0]["丁"] == "b.html" and last[0]["丙"] == "b.html"
    # b.html rendered again without 丙 and 丁; a.html and c.html kept as they were
    read: list[str] = []
    again = _counted({"b.html": "<p>乙戊</p>"}, last, {"a.html": "<p>甲乙</p>", "c.html": "<p>丙</p>"}, read)
    assert again.characters() == _every("<p>甲乙</p>", "<p>乙戊</p>", "<p>丙</p>")
    witnesses, _ = again.for_next_build(["a.html", "b.html", "c.html"])
    assert "丁" not in witnesses and witnesses["丙"] == "c.html"
    assert read == ["a.html", "c.html"]  # looked for 丙 and 丁 until every kept page was read


def test_kept_pages_are_read_only_while_a_character_is_missing():
    last = _counted({"a.html": "<p>甲</p>", "b.html": "<p>乙</p>"}).for_next_build(["a.html", "b.html"])
    read: list[str] = []
    again = _counted({"b.html": "<p>乙</p>"}, last, {"a.html": "<p>甲</p>"}, read)
    assert read == [] and again.characters() == _every("<p>甲</p>", "<p>乙</p>")


def test_a_page_changed_by_a_run_that_did_not_count_is_scanned_by_the_next_that_does():
    last = _counted({"a.html": "<p>甲</p>", "b.html": "<p>乙</p>"}).for_next_build(["a.html", "b.html"])
    preview = FontPrefetch(None, total_pages=1, base=set())  # the preview's run: no font cut, nothing counted
    preview.begin(last[0], last[1], ["b.html"], lambda page: b"")
    preview.seen("a.html", "")
    preview.complete()
    after_preview = preview.for_next_build(["a.html", "b.html"])
    assert after_preview == (last[0], {"a.html"})
    read: list[str] = []
    build = _counted({}, after_preview, {"a.html": "<p>丙</p>", "b.html": "<p>乙</p>"}, read)
    assert build.characters() == _every("<p>丙</p>", "<p>乙</p>")  # 甲 left with the preview's a.html
    assert read[0] == "a.html"


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
    monkeypatch.setattr(sitechars, "_STABLE_PAGES", 10**9)  # never guessed: cut once every page is counted
    without = _build(make_site(files, name="without"))
    assert len(with_prefetch) == 1
    assert with_prefetch == without
