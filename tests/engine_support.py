"""Sites and edits for the engine's tests: a seeded site, random edits of the kinds people make, the preview's
runs (`Builder`) and a clean build to compare with (tests/engine/test_incremental.py, test_quick.py)."""

from __future__ import annotations

import contextlib
import random
import re
import shutil
from pathlib import Path

from conftest import SITE_YAML, make_image

from exhibit.engine import BuildResult, Engine, EngineOptions, build
from exhibit.engine.quick import quick_pass
from exhibit.project import Project

NAMES = ["邵志村", "朱卫国", "王海峰", "李静", "陈刚", "张伟", "刘洋", "赵敏", "孙磊", "周婷"]
UNITS = ["plant", "smelting", "smelting-1", "acid"]


def worker_text(name: str, unit: str, extra: str = "", body: str = "他带头攻关。") -> str:
    return f"---\nname: {name}\nunit: {unit}\n{extra}---\n{body}\n"


def seed_site(make_site, page_size: int | None = None) -> Path:
    files: dict[str, str | bytes] = {
        # A tiny page size makes listings span pages, so edits shift items from page to page.
        **({"content/site.yaml": SITE_YAML + f"page_size: {page_size}\n"} if page_size else {}),
        "content/workers/邵志村.md": worker_text("邵志村", "smelting-1", "photo: shao.jpg\nsince: 2008\n"),
        "content/workers/zhu.md": worker_text("朱卫国", "acid", body="见[邵志村](邵志村.md)。"),
        "content/workers/wang.md": worker_text("王海峰", "smelting"),
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
        return self._write(self.root / f"content/workers/{name}.md", worker_text(name, self.rng.choice(UNITS)))

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
        return self._write(self.root / "content/workers/broken.md", worker_text("坏", "nowhere"))


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
    saving the caches after each run), or as `build` runs it; one run per save, the persistent cache in between.

    `quick`: a save whose changed files are known goes through the preview's quick pass first (engine/quick.py),
    as `serve` does; `quick_passes` counts the saves it wrote."""

    def __init__(self, project: Project, jobs: int | None = None, preview: bool = True, quick: bool = False) -> None:
        self.project = project
        self.jobs = jobs
        self.preview = preview
        self.quick = quick
        self.quick_passes = 0

    def build(self, changed: list[Path] | None = None) -> BuildResult:
        if not self.preview:
            return build(self.project, subset_font=False, jobs=self.jobs)
        options = EngineOptions(subset_font=False, jobs=self.jobs, preview=True)
        if self.quick and changed:
            first = quick_pass(self.project, options, changed, contextlib.nullcontext)
            self.quick_passes += first is not None and bool(first.change.written)
        engine = Engine(self.project, options)
        result = engine.run()
        engine.cache.save_pending()
        return result


