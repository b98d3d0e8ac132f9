"""Engine runs after edits: whatever the sequence of edits, the output is byte-identical to a clean full build."""

from __future__ import annotations

import json
import os
import random
import re
import shutil
from pathlib import Path

import pytest
from conftest import SITE_YAML, make_image, tree_bytes, write_files

from exhibit.devserver import DevSession, ServeOptions
from exhibit.devserver.watcher import Batch
from exhibit.engine import BuildResult, Engine, EngineOptions, build
from exhibit.project import Project

NAMES = ["邵志村", "朱卫国", "王海峰", "李静", "陈刚", "张伟", "刘洋", "赵敏", "孙磊", "周婷"]
UNITS = ["plant", "smelting", "smelting-1", "acid"]


def _worker(name: str, unit: str, extra: str = "", body: str = "他带头攻关。") -> str:
    return f"---\nname: {name}\nunit: {unit}\n{extra}---\n{body}\n"


def _seed_site(make_site, page_size: int | None = None) -> Path:
    files: dict[str, str | bytes] = {
        # A tiny page size makes listings span pages, so edits shift items from page to page.
        **({"content/site.yaml": SITE_YAML + f"page_size: {page_size}\n"} if page_size else {}),
        "content/workers/邵志村.md": _worker("邵志村", "smelting-1", "photo: shao.jpg\nsince: 2008\n"),
        "content/workers/zhu.md": _worker("朱卫国", "acid", body="见[邵志村](邵志村.md)。"),
        "content/workers/wang.md": _worker("王海峰", "smelting"),
        "content/teams/commando.md": "---\nname: 熔炼党员突击队\nunit: smelting-1\nleader: 邵志村\n---\n突击。\n",
        "content/honors.yaml": "- title: 优秀共产党员\n  date: 2021\n  recipient: zhu\n"
                               "- title: 示范党支部\n  date: 2022-06\n  recipient: acid\n",
        "content/history/2019.md": "---\ntitle: 建厂\ndate: 2019\n---\n历史。\n",
        "content/activities/a1.md": "---\ntitle: 解难题\nunit: acid\ndate: 2024-05-01\nphotos: [a1.jpg]\n---\n活动。\n",
        "content/philosophy/p1.md": "---\ntitle: 理念\nslogan: 一切工作到支部\n---\n",
        # A kiosk screen: its playlist and page follow the items it shows (and the newest content change).
        "content/screens/hall.yaml": "name: 大厅\norientation: 横屏\nresolution: 1920x1080\nunit: smelting\n"
                                     "playlist:\n  - collection: workers\n    unit: plant\n"
                                     "  - collection: activities\n  - item: workers/邵志村\n",
    }
    root = make_site(files)
    make_image(root / "content/workers/shao.jpg", (40, 60))
    make_image(root / "content/activities/a1.jpg", (80, 40))
    return root


class Editor:
    """Random edits of the kinds people make, returning the paths each touched (as a watcher reports)."""

    def __init__(self, root: Path, rng: random.Random) -> None:
        self.root = root
        self.rng = rng
        self.counter = 0

    def files(self, folder: str, suffix: str = ".md") -> list[Path]:
        return sorted((self.root / "content" / folder).glob(f"*{suffix}"))

    def pick(self, folder: str) -> Path | None:
        files = self.files(folder)
        return self.rng.choice(files) if files else None

    def edit(self) -> tuple[str, list[Path]]:
        operations = [self.edit_worker, self.add_worker, self.delete_item, self.rename_item, self.move_activity,
                      self.edit_honors, self.edit_team, self.edit_template, self.edit_css, self.replace_photo,
                      self.link_story, self.edit_site, self.break_and_keep, self.add_activity, self.whole_site_template,
                      self.rename_person, self.edit_screen, self.edit_text, self.edit_text]  # most change words
        operation = self.rng.choice(operations)
        self.counter += 1
        return operation.__name__, operation()

    def _write(self, path: Path, text: str) -> list[Path]:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return [path]

    def edit_worker(self) -> list[Path]:
        path = self.pick("workers")
        if path is None:
            return self.add_worker()
        text = path.read_text(encoding="utf-8")
        choice = self.rng.randrange(3)
        if choice == 0:
            text = text.replace("---\n", f"---\ntitle: 职务{self.counter}\n", 1) if "title:" not in text else \
                text.replace("title: ", f"title: 改{self.counter}", 1)
        elif choice == 1:
            for unit in UNITS:
                text = text.replace(f"unit: {unit}\n", f"unit: {self.rng.choice(UNITS)}\n", 1)
        else:
            text += f"\n第{self.counter}次补充。\n"
        return self._write(path, text)

    def edit_text(self) -> list[Path]:
        """What most saves are: a story or a caption reworded, nothing that moves the item."""
        path = self.pick(self.rng.choice(["workers", "teams", "activities", "history", "philosophy"]))
        if path is None:
            return []
        text = path.read_text(encoding="utf-8")
        if self.rng.random() < 0.5:
            text = text.rstrip("\n") + f"第{self.counter}次改写。\n"
        elif "quote: " in text:
            text = text.replace("quote: ", f"quote: 改{self.counter}", 1)
        else:
            text = text.replace("---\n", f"---\nquote: 格言{self.counter}\n", 1)
        return self._write(path, text)

    def rename_person(self) -> list[Path]:
        """A worker's name changes: a team led by that name, or an honor given to it, must follow."""
        path = self.pick("workers")
        if path is None:
            return []
        text = path.read_text(encoding="utf-8")
        old = text.split("name: ", 1)[1].split("\n", 1)[0]
        new = self.rng.choice([*NAMES, old + "甲"])
        return self._write(path, text.replace(f"name: {old}\n", f"name: {new}\n", 1))

    def add_worker(self) -> list[Path]:
        name = self.rng.choice(NAMES) + str(self.counter)
        return self._write(self.root / f"content/workers/{name}.md", _worker(name, self.rng.choice(UNITS)))

    def add_activity(self) -> list[Path]:
        date = f"2024-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}"
        return self._write(self.root / f"content/activities/act{self.counter}.md",
                           f"---\ntitle: 活动{self.counter}\nunit: {self.rng.choice(UNITS)}\ndate: {date}\n---\n内容\n")

    def delete_item(self) -> list[Path]:
        path = self.pick(self.rng.choice(["workers", "activities", "history"]))
        if path is None:
            return []
        path.unlink()
        return [path]

    def rename_item(self) -> list[Path]:
        path = self.pick(self.rng.choice(["workers", "teams", "activities"]))
        if path is None:
            return []
        target = path.with_name(f"renamed-{self.counter}.md")
        path.rename(target)
        return [path, target]

    def move_activity(self) -> list[Path]:
        path = self.pick("activities")
        if path is None:
            return self.add_activity()
        text = path.read_text(encoding="utf-8")
        lines = [f"date: 20{self.rng.randint(10, 30)}-0{self.rng.randint(1, 9)}" if line.startswith("date:") else line
                 for line in text.split("\n")]
        return self._write(path, "\n".join(lines))

    def edit_honors(self) -> list[Path]:
        path = self.root / "content/honors.yaml"
        workers = [p.stem for p in self.files("workers")] or ["acid"]
        recipient = self.rng.choice([*workers, "acid", "smelting"])
        entry = f"- title: 荣誉{self.counter}\n  date: 20{self.rng.randint(10, 25)}\n  recipient: {recipient}\n"
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        if self.rng.random() < 0.3 and text.count("- title") > 1:
            text = text[text.index("- title", 1):]
        return self._write(path, text + entry)

    def edit_team(self) -> list[Path]:
        names = [p.read_text(encoding="utf-8").split("name: ", 1)[1].split("\n", 1)[0] for p in self.files("workers")]
        leader = self.rng.choice([*names, "无名氏"])
        return self._write(self.root / "content/teams/commando.md",
                           f"---\nname: 突击队{self.counter}\nunit: smelting-1\nleader: {leader}\n---\n突击。\n")

    def edit_template(self) -> list[Path]:
        name = self.rng.choice(["partials/cards.html", "workers/item.html", "base.html", "partials/item_page.html"])
        path = self.root / "templates" / name
        marker = f"\n{{# edit {self.counter} #}}<!-- v{self.counter} -->\n"
        return self._write(path, path.read_text(encoding="utf-8") + marker)

    def whole_site_template(self) -> list[Path]:
        path = self.root / "templates/philosophy/item.html"
        text = path.read_text(encoding="utf-8")
        marker = "{% block after_body %}"
        if "collections.workers" not in text and marker not in text:
            text += "\n{% block after_body %}<p class=\"n\">{{ collections.workers|length }}</p>{% endblock %}\n"
        elif "collections.workers" not in text:
            text = text.replace(marker, marker + "<p>{{ collections.workers|length }}</p>", 1)
        return self._write(path, text)

    def edit_screen(self) -> list[Path]:
        """A screen's playlist or name changes, or a second screen comes and goes."""
        second = self.root / "content/screens/stairs.yaml"
        if self.rng.random() < 0.4:
            if second.exists():
                second.unlink()
                return [second]
            return self._write(second, "name: 楼梯\norientation: 竖屏\nresolution: 1080x1920\nunit: acid\n"
                                       "playlist:\n  - collection: honors\n")
        path = self.root / "content/screens/hall.yaml"
        text = path.read_text(encoding="utf-8")
        collection = self.rng.choice(["activities", "teams", "history"])
        text = text.replace("  - collection: activities\n", f"  - collection: {collection}\n", 1) \
            .replace("  - collection: teams\n", f"  - collection: {collection}\n", 1)
        return self._write(path, re.sub(r"name: 大厅\d*", f"name: 大厅{self.counter}", text, count=1))

    def edit_css(self) -> list[Path]:
        path = self.root / "assets/css/site.css"
        return self._write(path, path.read_text(encoding="utf-8") + f"\n/* {self.counter} */\n")

    def replace_photo(self) -> list[Path]:
        path = self.root / "content/workers/shao.jpg"
        make_image(path, (self.rng.randint(10, 90), self.rng.randint(10, 90)))
        return [path]

    def link_story(self) -> list[Path]:
        source, target = self.pick("workers"), self.pick("workers")
        if source is None or target is None:
            return []
        return self._write(source, source.read_text(encoding="utf-8") + f"\n参见[同事]({target.name})。\n")

    def edit_site(self) -> list[Path]:
        path = self.root / "content/site.yaml"
        text = path.read_text(encoding="utf-8").replace("name: 硫酸党支部", f"name: 硫酸党支部{self.counter}", 1)
        text = text.replace(f"name: 硫酸党支部{self.counter - 1}", f"name: 硫酸党支部{self.counter}")
        return self._write(path, text)

    def break_and_keep(self) -> list[Path]:
        """An error that stays until a later edit happens to remove the file (or a fix below)."""
        return self._write(self.root / "content/workers/broken.md", _worker("坏", "nowhere"))


def full_build(root: Path, out: Path) -> BuildResult:
    """A clean build as the preview makes it (all but cutting the web font), with no cache to start from."""
    clean = out.parent / f"{out.name}-root"
    shutil.copytree(root, clean, ignore=shutil.ignore_patterns("site", ".exhibit-cache"))
    try:
        return build(Project(clean, out), subset_font=False, jobs=1)
    finally:
        shutil.rmtree(clean, ignore_errors=True)


class Builder:
    """The engine as the preview runs it on a root (`preview`: in one process, writing its own site in place,
    saving the caches after each run), or as `build` runs it; one run per save, the persistent cache in between."""

    def __init__(self, project: Project, jobs: int | None = None, preview: bool = True) -> None:
        self.project = project
        self.jobs = jobs
        self.preview = preview

    def build(self, changed: object = None) -> BuildResult:
        if not self.preview:
            return build(self.project, subset_font=False, jobs=self.jobs)
        engine = Engine(self.project, EngineOptions(subset_font=False, jobs=self.jobs, preview=True))
        result = engine.run()
        engine.cache.save_pending()
        return result


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
    root = _seed_site(make_site, page_size)
    rng = random.Random(seed)
    builder = Builder(Project(root, root / "site"), jobs=2 if seed % 2 else 1, preview=preview)  # parallel, serial
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


def test_the_preview_session_matches_a_full_build_after_edits(make_site, tmp_path):
    """serve's own loop (DevSession.build after each batch the watcher reports) makes what a clean build makes."""
    root = _seed_site(make_site)
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
    root = _seed_site(make_site)
    builder = Builder(Project(root, root / "site"))
    assert builder.build().full
    path = root / "content/workers/wang.md"
    path.write_text(_worker("王海峰", "smelting", "title: 新职务\n"), encoding="utf-8")
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
        f"content/workers/w{n:04d}.md": _worker(f"工人{n}", UNITS[n % len(UNITS)], f"order: {n}\n")
        for n in range(count)}
    return make_site(files, name=f"big-{count}")


def _rerendered_after_one_edit(make_site, count: int) -> tuple[int, list[str]]:
    root = _big_site(make_site, count)
    builder = Builder(Project(root, root / "site"))
    assert builder.build().full
    edited = count - 2  # in smelting-1, the deepest unit, and past every unit page's preview
    path = root / f"content/workers/w{edited:04d}.md"
    path.write_text(_worker(f"工人{edited}", "smelting-1", f"order: {edited}\ntitle: 新职务\n"), encoding="utf-8")
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
    files = {f"content/workers/w{n:02d}.md": _worker(f"工人{n}", "acid", f"order: {n}\n") for n in range(12)}
    root = make_site({**files, "content/site.yaml": SITE_YAML + "page_size: 3\n"})
    builder = Builder(Project(root, root / "site"))
    assert builder.build().full
    moved = root / "content/workers/w01.md"
    moved.write_text(_worker("工人1", "acid", "order: 100\n"), encoding="utf-8")
    result = builder.build([moved])
    assert result.ok and not result.full
    assert {"workers/page/2.html", "workers/page/3.html", "units/acid/workers/page/2.html"} <= set(
        result.change.written)
    second = (root / "site/workers/page/2.html").read_text(encoding="utf-8")
    assert re.findall(r'card__title">([^<]+)<', second) == ["工人4", "工人5", "工人6"]  # was 3, 4, 5
    _assert_same_as_full(root, tmp_path, 0, True)


def test_deleted_and_renamed_files_remove_their_pages(make_site):
    root = _seed_site(make_site)
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
    root = _seed_site(make_site)
    builder = Builder(Project(root, root / "site"))
    builder.build()
    before = tree_bytes(root / "site")
    path = root / "content/workers/wang.md"
    write_files(root, {"content/workers/wang.md": _worker("王海峰", "nowhere")})
    result = builder.build([path])
    assert not result.ok and not result.written
    assert tree_bytes(root / "site") == before
    write_files(root, {"content/workers/zhu.md": _worker("朱卫国", "plant")})  # an edit made meanwhile
    write_files(root, {"content/workers/wang.md": _worker("王海峰", "acid")})
    result = builder.build([path, root / "content/workers/zhu.md"])
    assert result.ok and result.written
    full = full_build(root, root / "full")
    assert full.ok and tree_bytes(root / "site") == tree_bytes(root / "full")


def test_css_only_change_is_reported_as_such(make_site):
    root = _seed_site(make_site)
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
    root = _seed_site(make_site)
    builder = Builder(Project(root, root / "site"))
    builder.build()
    shutil.rmtree(root / "site")
    result = builder.build([])
    assert result.full and (root / "site/index.html").is_file()


def test_a_reworded_story_rerenders_few_pages_and_matches_a_full_build(make_site, tmp_path):
    root = _seed_site(make_site)
    builder = Builder(Project(root, root / "site"))
    assert builder.build().ok
    path = root / "content/workers/wang.md"
    path.write_text(_worker("王海峰", "smelting", "quote: 干就干一流\n", body="他改写了故事。"), encoding="utf-8")
    result = builder.build([path])
    assert result.ok and not result.full
    assert "他改写了故事。" in (root / "site/workers/wang.html").read_text(encoding="utf-8")
    assert len(result.rendered_paths) < result.pages / 2
    _assert_same_as_full(root, tmp_path, 0, True)


@pytest.mark.parametrize(("stem", "text"), [
    ("zhu", _worker("朱卫国", "acid", "order: 1\n", body="见[邵志村](邵志村.md)。")),  # first in the list now
    ("wang", _worker("王海峰", "acid")),  # another unit's page lists him now
    ("邵志村", _worker("邵志刚", "smelting-1", "photo: shao.jpg\nsince: 2008\n")),  # the team looks him up by name
    ("zhu", _worker("朱卫国", "acid", body="见[王海峰](wang.md)。")),  # the story links another file
], ids=["order", "unit", "name-looked-up", "story-link"])
def test_edits_that_move_an_item_match_a_full_build(make_site, tmp_path, stem, text):
    root = _seed_site(make_site)
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
    root = _seed_site(make_site)
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
