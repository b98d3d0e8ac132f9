"""Engine runs after edits: whatever the sequence of edits, the output is byte-identical to a clean full build."""

from __future__ import annotations

import json
import os
import random
import re
import shutil
from pathlib import Path

import pytest
from conftest import SITE_YAML, tree_bytes, write_files
from engine_support import UNITS, Builder, Editor, full_build, seed_site, worker_text

from exhibit.devserver import DevSession, ServeOptions
from exhibit.devserver.watcher import Batch
from exhibit.project import Project


def _assert_same_as_full(root: Path, tmp_path: Path, step: int, incremental_ok: bool) -> None:
    out = tmp_path / f"full-{step}"
    full = full_build(root, out)
    assert full.ok == incremental_ok, [d.code for d in full.diagnostics.errors]
    if full.ok:
        assert tree_bytes(root / "site") == tree_bytes(out), f"step {step}"
    shutil.rmtree(out, ignore_errors=True)


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "page_size", "preview"), [(1, None, True), (2, None, False), (3, 2, True)])
def test_random_edits_match_a_full_build(make_site, tmp_path, seed, page_size, preview):
    root = seed_site(make_site, page_size)
    rng = random.Random(seed)
    builder = Builder(Project(root, root / "site"), jobs=2 if seed % 2 else 1, preview=preview,  # parallel, serial
                      quick=preview)
    assert builder.build().ok
    editor = Editor(root, rng)
    done = []
    for step in range(52):
        name, touched = editor.edit()
        done.append(name)
        if (root / "content/workers/broken.md").exists() and rng.random() < 0.5:
            (root / "content/workers/broken.md").unlink()
            touched.append(root / "content/workers/broken.md")
        result = builder.build(touched if step % 3 else None)
        if step % 4 == 3 or step == 51:  # a clean build to compare with costs most of the test: every 4th edit
            _assert_same_as_full(root, tmp_path, step, result.ok)
    assert len(set(done)) >= 10  # the sequence really mixed the kinds of edit
    assert builder.quick_passes >= 3 or not preview  # and the preview's quick pass wrote pages first, now and then


def test_the_preview_session_matches_a_full_build_after_edits(make_site, tmp_path):
    """serve's own loop (DevSession.build after each batch the watcher reports) makes what a clean build makes."""
    root = seed_site(make_site)
    session = DevSession(Project(root, root / "site"), ServeOptions(jobs=2))
    assert session.build(None).ok
    editor = Editor(root, random.Random(4))
    for step in range(12):
        _, touched = editor.edit()
        broken = root / "content/workers/broken.md"
        if broken.exists() and step % 2:
            broken.unlink()
            touched.append(broken)
        result = session.build(Batch(set(touched)))
        _assert_same_as_full(root, tmp_path, step, result.ok)
    assert session.count >= 3  # the reload channel announced the new builds


def test_one_worker_edit_rerenders_only_what_shows_it(make_site):
    root = seed_site(make_site)
    builder = Builder(Project(root, root / "site"))
    assert builder.build().full
    path = root / "content/workers/wang.md"
    path.write_text(worker_text("王海峰", "smelting", "title: 新职务\n"), encoding="utf-8")
    result = builder.build([path])
    assert result.ok and not result.full
    pages = [path for path in result.change.written if not path.startswith("screens/")]
    assert pages == ["units/plant.html", "units/smelting.html", "workers/index.html", "workers/wang.html"]
    # The kiosk screen shows the plant's workers: its playlist, version and page follow.
    assert set(result.change.written) - set(pages) == {"screens/hall/index.html", "screens/hall/playlist.json",
                                                       "screens/hall/version.json"}
    assert len(result.rendered_paths) < result.pages / 2
    assert "新职务" in (root / "site/workers/wang.html").read_text(encoding="utf-8")


def _big_site(make_site, count: int) -> Path:
    """`count` workers spread over the units, each with a place in the order."""
    files: dict[str, str | bytes] = {
        f"content/workers/w{n:04d}.md": worker_text(f"工人{n}", UNITS[n % len(UNITS)], f"order: {n}\n")
        for n in range(count)}
    return make_site(files, name=f"big-{count}")


def _rerendered_after_one_edit(make_site, count: int) -> tuple[int, list[str]]:
    root = _big_site(make_site, count)
    builder = Builder(Project(root, root / "site"))
    assert builder.build().full
    edited = count - 2  # in smelting-1, the deepest unit, and past every unit page's preview
    path = root / f"content/workers/w{edited:04d}.md"
    path.write_text(worker_text(f"工人{edited}", "smelting-1", f"order: {edited}\ntitle: 新职务\n"), encoding="utf-8")
    result = builder.build([path])
    assert result.ok and not result.full
    listing = root / f"site/workers/page/{edited // 24 + 1}.html"
    assert "新职务" in listing.read_text(encoding="utf-8")  # the index page that shows the worker follows
    return len(result.rendered_paths), result.change.written


def test_one_worker_edit_rerenders_a_bounded_number_of_pages(make_site):
    """Listings are paginated, so no page shows every item: the work of an edit does not grow with the site."""
    small, small_written = _rerendered_after_one_edit(make_site, 60)
    big, big_written = _rerendered_after_one_edit(make_site, 240)
    assert small == big, (small_written, big_written)
    # Rendered: its own page, its neighbours (their prev/next links show its name, unchanged here), the index
    # page and the unit listing pages that show it (its unit's and each ancestor's). Nothing else.
    assert big == 7
    assert sorted(big_written) == [
        "units/plant/workers/page/10.html", "units/smelting-1/workers/page/3.html",
        "units/smelting/workers/page/5.html", "workers/page/10.html", "workers/w0238.html"]


def test_moving_an_item_shifts_the_pages_between_and_they_follow(make_site, tmp_path):
    """Pages 2 and 3 hold none of the edited file's items, before or after, yet their slices shift."""
    files = {f"content/workers/w{n:02d}.md": worker_text(f"工人{n}", "acid", f"order: {n}\n") for n in range(12)}
    root = make_site({**files, "content/site.yaml": SITE_YAML + "page_size: 3\n"})
    builder = Builder(Project(root, root / "site"))
    assert builder.build().full
    moved = root / "content/workers/w01.md"
    moved.write_text(worker_text("工人1", "acid", "order: 100\n"), encoding="utf-8")
    result = builder.build([moved])
    assert result.ok and not result.full
    assert {"workers/page/2.html", "workers/page/3.html", "units/acid/workers/page/2.html"} <= set(
        result.change.written)
    second = (root / "site/workers/page/2.html").read_text(encoding="utf-8")
    assert re.findall(r'card__title">([^<]+)<', second) == ["工人4", "工人5", "工人6"]  # was 3, 4, 5
    _assert_same_as_full(root, tmp_path, 0, True)


def test_deleted_and_renamed_files_remove_their_pages(make_site):
    root = seed_site(make_site)
    builder = Builder(Project(root, root / "site"))
    builder.build()
    old = root / "content/workers/wang.md"
    new = root / "content/workers/wang-haifeng.md"
    old.rename(new)
    result = builder.build([old, new])
    assert "workers/wang.html" in result.change.removed
    assert (root / "site/workers/wang-haifeng.html").is_file()
    (root / "content/activities/a1.md").unlink()
    (root / "content/activities/a1.jpg").unlink()
    result = builder.build([root / "content/activities/a1.md", root / "content/activities/a1.jpg"])
    removed = set(result.change.removed)
    assert "activities/a1.html" in removed
    assert {path for path in removed if path != "activities/a1.html"} and all(  # the photo's renditions
        path.startswith("media/activities/a1-") for path in removed if path != "activities/a1.html")
    assert not list((root / "site/media/activities").glob("a1*"))
    assert not (root / "site/activities").joinpath("a1.html").exists()


def test_errors_keep_the_last_good_site_and_the_fix_catches_up(make_site):
    root = seed_site(make_site)
    builder = Builder(Project(root, root / "site"))
    builder.build()
    before = tree_bytes(root / "site")
    path = root / "content/workers/wang.md"
    write_files(root, {"content/workers/wang.md": worker_text("王海峰", "nowhere")})
    result = builder.build([path])
    assert not result.ok and not result.written
    assert tree_bytes(root / "site") == before
    write_files(root, {"content/workers/zhu.md": worker_text("朱卫国", "plant")})  # an edit made meanwhile
    write_files(root, {"content/workers/wang.md": worker_text("王海峰", "acid")})
    result = builder.build([path, root / "content/workers/zhu.md"])
    assert result.ok and result.written
    full = full_build(root, root / "full")
    assert full.ok and tree_bytes(root / "site") == tree_bytes(root / "full")


def test_css_only_change_is_reported_as_such(make_site):
    root = seed_site(make_site)
    builder = Builder(Project(root, root / "site"))
    builder.build()
    css = root / "assets/css/site.css"
    css.write_text(css.read_text(encoding="utf-8") + "\nbody { color: red; }\n", encoding="utf-8")
    result = builder.build([css])
    assert result.change.css_only and not result.rendered_paths
    (old, new), = result.change.renamed.items()  # the stylesheet's hashed name changed ...
    assert old.startswith("assets/css/site.") and new.startswith("assets/css/site.") and old != new
    assert new in result.change.written and old in result.change.removed
    page = (root / "site/workers/wang.html").read_text(encoding="utf-8")
    assert new.removeprefix("assets/") in page and old.removeprefix("assets/") not in page  # ... in every page
    assert "color: red" in (root / "site" / new).read_text(encoding="utf-8")


def test_site_folder_deleted_while_serving_is_rebuilt_whole(make_site):
    root = seed_site(make_site)
    builder = Builder(Project(root, root / "site"))
    builder.build()
    shutil.rmtree(root / "site")
    result = builder.build([])
    assert result.full and (root / "site/index.html").is_file()


def test_a_reworded_story_rerenders_few_pages_and_matches_a_full_build(make_site, tmp_path):
    root = seed_site(make_site)
    builder = Builder(Project(root, root / "site"))
    assert builder.build().ok
    path = root / "content/workers/wang.md"
    path.write_text(worker_text("王海峰", "smelting", "quote: 干就干一流\n", body="他改写了故事。"), encoding="utf-8")
    result = builder.build([path])
    assert result.ok and not result.full
    assert "他改写了故事。" in (root / "site/workers/wang.html").read_text(encoding="utf-8")
    assert len(result.rendered_paths) < result.pages / 2
    _assert_same_as_full(root, tmp_path, 0, True)


@pytest.mark.parametrize(("stem", "text"), [
    ("zhu", worker_text("朱卫国", "acid", "order: 1\n", body="见[邵志村](邵志村.md)。")),  # first in the list now
    ("wang", worker_text("王海峰", "acid")),  # another unit's page lists him now
    ("邵志村", worker_text("邵志刚", "smelting-1", "photo: shao.jpg\nsince: 2008\n")),  # the team looks him up by name
    ("zhu", worker_text("朱卫国", "acid", body="见[王海峰](wang.md)。")),  # the story links another file
], ids=["order", "unit", "name-looked-up", "story-link"])
def test_edits_that_move_an_item_match_a_full_build(make_site, tmp_path, stem, text):
    root = seed_site(make_site)
    builder = Builder(Project(root, root / "site"))
    assert builder.build().ok
    path = root / f"content/workers/{stem}.md"
    path.write_text(text, encoding="utf-8")
    result = builder.build([path])
    assert result.ok and not result.full
    _assert_same_as_full(root, tmp_path, 0, True)


def test_an_honor_changing_level_moves_on_the_paginated_wall(make_site, tmp_path):
    """The wall pages honors band by band: a new level moves an honor though its date (its sort key) stays."""
    honors = "".join(f"- title: 荣誉{n}\n  date: 20{10 + n}\n  level: {level}\n"
                     for n, level in enumerate(["厂级", "国家级", "厂级", "省级", "厂级"]))
    root = make_site({"content/site.yaml": SITE_YAML + "page_size: 2\n", "content/honors.yaml": honors})
    builder = Builder(Project(root, root / "site"))
    assert builder.build().ok
    path = root / "content/honors.yaml"
    path.write_text(honors.replace("  date: 2010\n  level: 厂级\n", "  date: 2010\n  level: 国家级\n"),
                    encoding="utf-8")
    assert builder.build([path]).ok
    first = (root / "site/honors/index.html").read_text(encoding="utf-8")
    assert re.findall(r'card__title">([^<]+)<', first) == ["荣誉1", "荣誉0"]
    _assert_same_as_full(root, tmp_path, 0, True)


def test_a_save_with_the_same_bytes_still_moves_the_screens_build_time(make_site, tmp_path):
    """A full build takes the screens' build time from the newest content file; the preview must follow."""
    root = seed_site(make_site)
    builder = Builder(Project(root, root / "site"))
    assert builder.build().ok
    path = root / "content/workers/wang.md"
    path.write_bytes(path.read_bytes())
    later = path.stat().st_mtime + 5
    os.utime(path, (later, later))
    result = builder.build([path])
    assert result.ok and not result.skipped
    assert json.loads((root / "site/screens/hall/playlist.json").read_bytes())["built"] == int(later) * 1000
    _assert_same_as_full(root, tmp_path, 0, True)
    assert builder.build([path]).skipped  # saved again with nothing new: nothing to do
