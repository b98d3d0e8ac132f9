"""The preview's quick pass (engine/quick.py): the pages a save reached, written before the rest of the run.

What it writes must already be what a clean build writes for those pages, and exactly the pages whose bytes the
save changed (beside the screens, which the regular run that follows brings); what it cannot know it declines.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
from pathlib import Path

from conftest import make_image, tree_bytes
from engine_support import Builder, full_build, seed_site, worker_text

from exhibit.engine import EngineOptions
from exhibit.engine.quick import quick_pass
from exhibit.project import Project

OPTIONS = EngineOptions(subset_font=False, preview=True)


def _pages(tree: dict[str, bytes]) -> dict[str, bytes]:
    return {path: data for path, data in tree.items() if path.endswith(".html") and not path.startswith("screens/")}


def _quick_then_compare(root: Path, tmp_path: Path, changed: list[Path], step: int) -> list[str]:
    """Run the quick pass on `changed`; check what it wrote against clean builds before and after; the paths."""
    before = _pages(tree_bytes(root / "site"))
    first = quick_pass(Project(root, root / "site"), OPTIONS, changed, contextlib.nullcontext)
    out = tmp_path / f"full-{step}"
    assert full_build(root, out).ok
    full = _pages(tree_bytes(out))
    shutil.rmtree(out)
    now = _pages(tree_bytes(root / "site"))
    differ = sorted(path for path in full if full[path] != before.get(path))
    if not differ:  # the save changed no page (a field only a screen shows): left to the regular run
        assert first is None, step
        return []
    assert first is not None, f"step {step}: the quick pass declined"
    assert sorted(first.change.written) == differ, step
    assert {path: now[path] for path in first.change.written} == {path: full[path] for path in first.change.written}
    return first.change.written


def test_a_reworded_worker_reaches_its_page_and_listings_first_as_a_clean_build_writes_them(make_site, tmp_path):
    root = seed_site(make_site)
    builder = Builder(Project(root, root / "site"))
    assert builder.build().ok
    path = root / "content/workers/邵志村.md"
    path.write_text(worker_text("邵志村", "smelting-1", "photo: shao.jpg\nsince: 2008\nquote: 越是艰险越向前\n"),
                    encoding="utf-8")
    written = _quick_then_compare(root, tmp_path, [path], 0)
    assert {"workers/shao-zhi-cun.html", "units/smelting-1.html", "workers/index.html"} <= set(written)
    follow = builder.build()
    assert follow.ok and not set(follow.change.written) & set(written)  # the regular run left them as they were
    out = tmp_path / "final"
    assert full_build(root, out).ok
    assert tree_bytes(root / "site") == tree_bytes(out)


def test_a_story_with_a_picture_keeps_pointing_at_its_renditions(make_site, tmp_path):
    root = seed_site(make_site)
    make_image(root / "content/history/kiln.jpg", (120, 80))
    path = root / "content/history/2019.md"
    path.write_text("---\ntitle: 建厂\ndate: 2019\n---\n历史。\n\n![第一座炉](kiln.jpg)\n", encoding="utf-8")
    builder = Builder(Project(root, root / "site"))
    assert builder.build().ok
    path.write_text("---\ntitle: 建厂\ndate: 2019\n---\n历史改写。\n\n![第一座炉](kiln.jpg)\n", encoding="utf-8")
    written = _quick_then_compare(root, tmp_path, [path], 0)
    page = (root / "site" / next(path for path in written if path.startswith("history/2019"))).read_text("utf-8")
    assert "历史改写" in page and "kiln" in page and "<picture" in page


def test_reworded_stories_in_a_row_each_match_a_clean_build(make_site, tmp_path):
    root = seed_site(make_site)
    builder = Builder(Project(root, root / "site"))
    assert builder.build().ok
    rng = random.Random(7)
    quick = 0
    for step in range(8):
        path = rng.choice(sorted((root / "content").glob(f"{rng.choice(['workers', 'teams', 'activities'])}/*.md")))
        text = path.read_text(encoding="utf-8")
        if step % 2:
            text += f"\n第{step}次改写。\n"
        else:
            text = text.replace("---\n", f"---\nquote: 格言{step}\n", 1) if "quote: " not in text else \
                text.replace("quote: ", f"quote: 改{step}", 1)
        path.write_text(text, encoding="utf-8")
        quick += bool(_quick_then_compare(root, tmp_path, [path], step))
        assert builder.build().ok
    assert quick >= 4  # most of these saves showed on pages, and went through the quick pass


def test_what_the_quick_pass_cannot_know_it_leaves_to_the_regular_run(make_site):
    root = seed_site(make_site)
    project = Project(root, root / "site")
    builder = Builder(project)
    assert builder.build().ok
    worker = root / "content/workers/wang.md"
    saves = {
        "another unit": (worker, worker_text("王海峰", "acid")),
        "another place in the list": (worker, worker_text("王海峰", "smelting", "order: 1\n")),
        "another name": (worker, worker_text("王海平", "smelting")),
        "a problem": (worker, worker_text("王海峰", "nowhere")),
        "a new file": (root / "content/workers/li.md", worker_text("李静", "acid")),
        "the settings": (root / "content/site.yaml", (root / "content/site.yaml").read_text("utf-8") + "\n"),
        "a screen": (root / "content/screens/hall.yaml",
                     (root / "content/screens/hall.yaml").read_text("utf-8").replace("大厅", "大厅二")),
        "nothing any page shows": (worker, worker.read_text("utf-8") + "\n"),
    }
    for what, (path, text) in saves.items():
        path.write_text(text, encoding="utf-8")
        assert quick_pass(project, OPTIONS, [path], contextlib.nullcontext) is None, what
        builder.build()
    css = root / "assets/css/site.css"
    css.write_text(css.read_text("utf-8") + "\n", encoding="utf-8")
    assert quick_pass(project, OPTIONS, [css], contextlib.nullcontext) is None  # not a content file


def test_an_editors_swap_and_passing_files_in_the_batch_do_not_stop_it(make_site, tmp_path):
    root = seed_site(make_site)
    builder = Builder(Project(root, root / "site"))
    assert builder.build().ok
    path = root / "content/workers/wang.md"
    swap = path.with_name(".wang.md.swp")
    swap.write_bytes(b"vim swap")  # hidden: no build reads it
    backup, probe = path.with_name("wang.md~"), path.with_name("4913")  # came and went within the save
    os.rename(path, backup)
    probe.write_text("", encoding="utf-8")
    probe.unlink()
    path.write_text(worker_text("王海峰", "smelting", "quote: 一切工作到支部\n"), encoding="utf-8")
    backup.unlink()
    written = _quick_then_compare(root, tmp_path, [path, backup, probe, swap], 0)
    assert "workers/wang.html" in written
    deleted = root / "content/workers/zhu.md"
    deleted.unlink()  # a file that was there and is gone: the regular run removes its pages
    assert quick_pass(Project(root, root / "site"), OPTIONS, [deleted], contextlib.nullcontext) is None


def test_quick_passes_in_a_row_then_the_regular_run_match_a_clean_build(make_site, tmp_path):
    """`serve` runs the regular run only once the saves pause: several quick passes may come first."""
    root = seed_site(make_site)
    builder = Builder(Project(root, root / "site"))
    assert builder.build().ok
    for step, (name, quote) in enumerate([("wang", "一"), ("zhu", "二"), ("wang", "三"), ("邵志村", "四")]):
        path = root / f"content/workers/{name}.md"
        text = path.read_text(encoding="utf-8")
        text = text.replace("---\n", f"---\nquote: {quote}\n", 1) if "quote: " not in text else \
            text.replace("quote: ", f"quote: {quote}", 1)
        path.write_text(text, encoding="utf-8")
        _quick_then_compare(root, tmp_path, [path], step)
    result = builder.build()
    assert result.ok
    out = tmp_path / "final"
    assert full_build(root, out).ok
    assert tree_bytes(root / "site") == tree_bytes(out)
