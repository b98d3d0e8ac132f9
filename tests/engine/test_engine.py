"""The engine: cold serial, cold parallel and warm builds equal a clean build; keys pick exactly the pages to redo."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
from pathlib import Path

from conftest import SITE_YAML, make_image, tree_bytes

import exhibit
from exhibit import workers
from exhibit.engine import BuildResult, build
from exhibit.engine import cache as engine_cache
from exhibit.engine import finish as engine_finish
from exhibit.engine import render as engine_render
from exhibit.engine.cache import EngineCache
from exhibit.model.items import Item
from exhibit.project import Project
from exhibit.read import lint, sources

UNITS = ["plant", "smelting", "smelting-1", "acid"]


def _worker(name: str, unit: str, extra: str = "", body: str = "他带头攻关。") -> str:
    return f"---\nname: {name}\nunit: {unit}\n{extra}---\n{body}\n"


def _site(make_site, name: str = "site-root") -> Path:
    files: dict[str, str | bytes] = {
        f"content/workers/w{n:02d}.md": _worker(f"工人{n:02d}", UNITS[n % 4], f"order: {n}\n", f"故事{n}。")
        for n in range(30)}
    files.update({
        "content/site.yaml": SITE_YAML + "page_size: 6\n",
        "content/workers/shao.md": _worker("邵志村", "smelting-1", "photo: shao.jpg\n", "见[工人01](w01.md)。"),
        "content/teams/commando.md": "---\nname: 熔炼党员突击队\nunit: smelting-1\nleader: 邵志村\n---\n突击。\n",
        "content/honors.yaml": "- title: 优秀共产党员\n  date: 2021\n  recipient: shao\n",
        "content/activities/a1.md": "---\ntitle: 解难题\nunit: acid\ndate: 2024-05-01\n---\n活动。\n",
        "content/screens/hall.yaml": "name: 大厅\norientation: 横屏\nresolution: 1920x1080\nunit: smelting\n"
                                     "playlist:\n  - collection: workers\n    unit: acid\n",
    })
    root = make_site(files, name=name)
    make_image(root / "content/workers/shao.jpg", (40, 60))
    return root


def _clean_build(root: Path, tmp_path: Path, jobs: int = 1) -> dict[str, bytes]:
    """What a build from nothing makes: a copy of the inputs, no cache, no output folder."""
    clean = tmp_path / f"clean-{jobs}"
    shutil.rmtree(clean, ignore_errors=True)
    shutil.copytree(root, clean, ignore=shutil.ignore_patterns("site", ".exhibit-cache"))
    fonts = root / ".exhibit-cache/fonts"
    if fonts.is_symlink():  # make_site's shared font cache: subsets are keyed by font and characters
        (clean / ".exhibit-cache").mkdir()
        (clean / ".exhibit-cache/fonts").symlink_to(fonts.readlink(), target_is_directory=True)
    assert build(Project(clean, clean / "site"), jobs=jobs).ok
    return tree_bytes(clean / "site")


def _build(root: Path, jobs: int | None = None) -> BuildResult:
    result = build(Project(root, root / "site"), jobs=jobs)
    assert result.ok, [d.code for d in result.diagnostics.errors]
    return result


def test_cold_serial_cold_parallel_and_warm_builds_are_byte_identical(make_site, tmp_path, monkeypatch):
    root = _site(make_site)
    serial = _clean_build(root, tmp_path, jobs=1)
    forked: list[str] = []
    map_parallel = workers._map_parallel
    monkeypatch.setattr(workers, "_map_parallel", lambda fn, chunks, jobs: forked.append(fn.__name__) or map_parallel(
        fn, chunks, jobs))
    monkeypatch.setattr(engine_render, "MIN_PAGES_PER_CHUNK", 1)  # this small site on two processes too
    monkeypatch.setattr(engine_finish, "MIN_PAGES_PER_CHUNK", 1)
    parallel = _clean_build(root, tmp_path, jobs=2)
    assert {"_render_chunk", "_finish_chunk"} <= set(forked) and serial == parallel and len(serial) > 40
    first = _build(root, jobs=2)
    assert first.full and len(first.rendered_paths) == first.pages
    assert tree_bytes(root / "site") == serial
    (root / "content/workers/w03.md").write_text(_worker("工人03", "acid", "order: 3\n", "改了。"), encoding="utf-8")
    warm = _build(root, jobs=2)
    assert 0 < len(warm.rendered_paths) < warm.pages / 3
    assert tree_bytes(root / "site") == _clean_build(root, tmp_path)


def test_nothing_changed_reads_and_writes_nothing(make_site):
    root = _site(make_site)
    _build(root)
    stamps = {path: path.stat().st_mtime_ns for path in (root / "site").rglob("*")}
    again = _build(root)
    assert again.skipped and again.written and not again.rendered_paths
    assert {path: path.stat().st_mtime_ns for path in (root / "site").rglob("*")} == stamps


def test_unchanged_files_keep_their_inode_and_mtime(make_site):
    root = _site(make_site)
    _build(root)
    site = root / "site"
    before = {path: (path.stat().st_ino, path.stat().st_mtime_ns) for path in site.rglob("*") if path.is_file()}
    (root / "content/workers/w07.md").write_text(_worker("工人07", "smelting", "order: 7\n", "新故事。"),
                                                 encoding="utf-8")
    result = _build(root)
    after = {path: (path.stat().st_ino, path.stat().st_mtime_ns) for path in site.rglob("*") if path.is_file()}
    changed = {path.relative_to(site).as_posix() for path in before if before[path] != after.get(path)}
    assert "workers/w07.html" in changed
    gone = set(result.change.removed)
    assert gone and not any((site / path).exists() for path in gone)  # w07 left acid: its second page went
    assert changed - gone - {".exhibit-site"} == set(result.change.written)  # the rest: same inode and mtime
    assert len(changed) < len(before) / 4


def test_a_template_edit_rerenders_exactly_the_pages_that_use_it(make_site):
    root = _site(make_site)
    _build(root)
    state = EngineCache(root).load_state()
    users = {path for path, entry in state.pages.items() if "teams/item.html" in entry.templates}
    assert users == {"teams/commando.html"}
    name = "workers/item.html"
    worker_pages = {path for path, entry in state.pages.items() if name in entry.templates}
    assert 20 < len(worker_pages) < len(state.pages) - 20
    template = root / "templates" / name
    template.write_text(template.read_text(encoding="utf-8") + "{# edited #}\n", encoding="utf-8")
    assert set(_build(root).rendered_paths) == worker_pages


def test_an_item_edit_rerenders_only_the_pages_that_show_it(make_site):
    root = _site(make_site)
    _build(root)
    path = root / "content/workers/w05.md"
    path.write_text(_worker("工人05", "smelting", "order: 5\ntitle: 新职务甲\n", "故事5。"), encoding="utf-8")
    result = _build(root)
    showing = {page.relative_to(root / "site").as_posix() for page in (root / "site").rglob("*.html")
               if "工人05" in page.read_text(encoding="utf-8")}
    # Screens also show when the content last changed (their playlist's version): any edit reaches them.
    shown_elsewhere = {path for path in result.rendered_paths if not path.startswith("screens/")}
    assert shown_elsewhere <= showing  # nothing that does not show the item
    assert "workers/w05.html" in result.rendered_paths
    assert "新职务甲" in (root / "site/workers/w05.html").read_text(encoding="utf-8")
    assert len(showing) < result.pages / 4


def test_files_read_before_are_not_parsed_again_and_keep_their_warnings(make_site, tmp_path, monkeypatch):
    root = _site(make_site)
    (root / "content/workers/gbk.md").write_bytes(_worker("工人甲", "acid", "", "旧编码保存。").encode("gb18030"))
    first = _build(root)
    warned = [(d.code, d.path) for d in first.diagnostics.warnings]
    assert ("decoded_as_gbk", "content/workers/gbk.md") in warned
    parsed: list[str] = []
    original = sources.read_content_file
    monkeypatch.setattr(sources, "read_content_file",
                        lambda root_, content, path, *rest: parsed.append(path.name) or original(root_, content, path,
                                                                                                 *rest))
    (root / "content/workers/w05.md").write_text(_worker("工人05", "smelting", "order: 5\n", "新故事5。"),
                                                 encoding="utf-8")
    second = _build(root)
    assert parsed == ["w05.md"]  # only the edited file was decoded and parsed
    assert [(d.code, d.path) for d in second.diagnostics.warnings] == warned  # the others' warnings kept
    assert tree_bytes(root / "site") == _clean_build(root, tmp_path)


def test_a_page_changed_in_site_by_hand_is_written_again(make_site, tmp_path):
    root = _site(make_site)
    _build(root)
    page = root / "site/workers/w03.html"
    page.write_bytes(page.read_bytes().replace("工人03".encode(), "改过的".encode()))  # another size, another mtime
    same_size = root / "site/workers/w04.html"
    stat = same_size.stat()
    same_size.write_bytes(same_size.read_bytes()[:-8] + b"<!--x-->")  # the same size ...
    os.utime(same_size, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))  # ... a later mtime
    os.utime(root / "content/site.yaml")  # the next build runs, and renders nothing for these pages
    result = _build(root)
    assert "workers/w03.html" not in result.rendered_paths
    assert tree_bytes(root / "site") == _clean_build(root, tmp_path)


def test_new_code_makes_the_next_build_run_and_render_again(make_site, monkeypatch):
    """After an upgrade (the same version number under an editable install) no page the old code made is kept."""
    root = _site(make_site)
    _build(root)
    assert _build(root).skipped
    monkeypatch.setattr(engine_cache, "code_fingerprint", lambda: "the code after a git pull")
    result = _build(root)
    assert not result.skipped and len(result.rendered_paths) == result.pages


def test_the_code_fingerprint_follows_every_file_of_the_package(tmp_path):
    package = tmp_path / "package"
    (package / "render").mkdir(parents=True)
    (package / "render/page.py").write_text("A = 1\n", encoding="utf-8")
    (package / "__pycache__").mkdir()
    before = engine_cache.fingerprint_of(package)
    (package / "__pycache__/page.cpython-311.pyc").write_bytes(b"compiled")  # bytecode is not code
    assert engine_cache.fingerprint_of(package) == before
    (package / "render/page.py").write_text("A = 2\n", encoding="utf-8")
    os.utime(package / "render/page.py", ns=(1, 1))
    assert engine_cache.fingerprint_of(package) != before


def test_a_damaged_cache_is_rebuilt_not_trusted(make_site, tmp_path, monkeypatch):
    monkeypatch.setattr(engine_finish, "MIN_PAGES_PER_CHUNK", 1)  # pages finished in two worker processes
    root = _site(make_site)
    _build(root)
    cache = EngineCache(root)
    state = cache.load_state()
    entry = state.pages["workers/w02.html"]
    _damage_page(cache, entry.key, b"<p>not what was rendered</p>")  # a page entry damaged
    text = cache.state_path.read_bytes()
    (root / "content/workers/w02.md").write_text(_worker("工人02", "smelting-1", "order: 2\n", "故事2。"),
                                                 encoding="utf-8")
    cache.state_path.write_bytes(text[:-40] + b"x" * 40)  # and the state file: its checksum fails
    assert len(cache.load_rendered()) >= 30  # every story's HTML was kept ...
    for shard in range(16):
        cache.shard_path("rendered", shard).write_bytes(b"\x80junk")  # ... and is damaged now
    result = _build(root)
    assert result.full and len(result.rendered_paths) == result.pages
    assert tree_bytes(root / "site") == _clean_build(root, tmp_path)
    _damage_page(cache, EngineCache(root).load_state().pages["workers/w02.html"].key, b"broken")
    os.utime(root / "content/site.yaml")  # a run that needs no stored page does not read the damaged one ...
    assert all(path.startswith("screens/") for path in _build(root).rendered_paths)  # screens show the mtime
    assert tree_bytes(root / "site") == _clean_build(root, tmp_path)
    css = next((root / "assets").rglob("*.css"))
    css.write_text(css.read_text(encoding="utf-8") + "\n/* changed */\n", encoding="utf-8")
    result = _build(root)  # ... one that finishes every page again (new stylesheet URL) does: all re-rendered
    assert "workers/w02.html" in result.rendered_paths and len(result.rendered_paths) == result.pages
    assert tree_bytes(root / "site") == _clean_build(root, tmp_path)


def _damage_page(cache: EngineCache, key: str, html: bytes) -> None:
    with contextlib.closing(cache.open_pages()) as store:
        store.put(key, html)


def test_a_page_store_sqlite_cannot_read_is_started_afresh(make_site, tmp_path):
    root = _site(make_site)
    _build(root)
    cache = EngineCache(root)
    cache.pages_path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)  # a torn or overwritten file
    os.utime(root / "content/site.yaml")
    result = _build(root)
    assert result.ok and len(result.rendered_paths) == result.pages
    assert tree_bytes(root / "site") == _clean_build(root, tmp_path)
    os.utime(root / "content/site.yaml")
    again = _build(root).rendered_paths  # the fresh file serves the next build (screens show the newest mtime)
    assert all(path.startswith("screens/") for path in again)


def test_a_page_store_in_the_earlier_layout_is_removed_and_every_page_rendered_again(make_site, tmp_path):
    root = _site(make_site)
    _build(root)
    cache = EngineCache(root)
    cache.pages_path.rename(cache.dir / "pages.sqlite")  # what the engine kept before the store's rowid table
    os.utime(root / "content/site.yaml")
    result = _build(root)
    assert result.ok and len(result.rendered_paths) == result.pages
    assert not (cache.dir / "pages.sqlite").exists() and cache.pages_path.is_file()
    assert tree_bytes(root / "site") == _clean_build(root, tmp_path)


def test_check_writes_nothing_into_the_site_root(make_site):
    root = _site(make_site)
    result = build(Project(root, root / "site"), write=False)
    assert result.ok and not result.written
    assert not (root / "site").exists() and not (root / ".exhibit-cache/engine").exists()


def test_the_modules_the_engine_replaced_are_gone():
    package = Path(exhibit.__file__).parent
    assert not (package / "pipeline.py").exists() and not (package / "devserver/rebuild").exists()
    devserver = sorted(path.name for path in (package / "devserver").iterdir() if path.name != "__pycache__")
    assert devserver == ["__init__.py", "channel.py", "client.js", "http.py", "watcher.py"]
    for name in ("itempatch", "readlog", "incremental", "sourcecache", "modelcache", "liveassets", "inplace"):
        assert importlib.util.find_spec(f"exhibit.devserver.{name}") is None
    assert "__getattribute__" not in vars(Item)  # no run-time patching of the model's classes


def test_copy_lint_warnings_come_from_the_cache_for_unchanged_files(make_site, monkeypatch):
    root = _site(make_site)
    pasted = root / "content/workers/w05.md"
    pasted.write_text(pasted.read_text(encoding="utf-8") + "\n他冲锋在前,战(zhàn)斗在一线。\n", encoding="utf-8")
    first = _build(root)
    warned = sorted((d.path, d.line, d.code) for d in first.diagnostics.items if d.path and d.path.endswith("w05.md"))
    assert warned, "the pasted line gives copy-lint warnings"
    linted: list[str] = []
    original = lint.lint_file
    monkeypatch.setattr(lint, "lint_file", lambda path, rel, language: linted.append(rel) or original(path, rel,
                                                                                                          language))
    (root / "content/workers/w03.md").write_text(_worker("工人03", "acid", "order: 3\n", "改了。"), encoding="utf-8")
    second = _build(root, jobs=1)
    assert linted == ["content/workers/w03.md"]  # only the edited file is linted again
    assert sorted((d.path, d.line, d.code) for d in second.diagnostics.items
                  if d.path and d.path.endswith("w05.md")) == warned
    pasted.write_text(pasted.read_text(encoding="utf-8").replace("战(zhàn)斗", "战斗"), encoding="utf-8")
    third = _build(root, jobs=1)
    assert len([d for d in third.diagnostics.items if d.path and d.path.endswith("w05.md")]) < len(warned)


def test_copy_lint_warnings_taken_last_stand_where_a_serial_build_puts_them(make_site, tmp_path):
    """The parallel build's lint runs on idle-priority workers and its warnings are taken after the pages are
    written: the report, and the next build's (restored from the state), list them as a serial build does."""
    root = _site(make_site)
    for n in range(30, 80):  # enough text files that the lint runs on workers
        pasted = "他冲锋在前,战(zhàn)斗在一线。" if n % 7 == 0 else f"故事{n}。"
        (root / f"content/workers/w{n:02d}.md").write_text(
            _worker(f"工人{n:02d}", UNITS[n % 4], f"order: {n}\n", pasted), encoding="utf-8")
    (root / "content/workers/w75.md").write_text("---\nname: 工人75\nunit: nowhere\n---\n战(zhàn)斗。\n",
                                                 encoding="utf-8")  # an error too: the warnings go around it
    serial = tmp_path / "serial"
    shutil.copytree(root, serial, ignore=shutil.ignore_patterns("site", ".exhibit-cache"))

    def report(result: BuildResult) -> list[tuple[str | None, int | None, str]]:
        return [(d.path, d.line, d.code) for d in result.diagnostics.items]

    expected = report(build(Project(serial, serial / "site"), jobs=1))
    codes = [code for _, _, code in expected]
    assert codes.count("lint_pinyin") >= 7 and codes.index("unit_unknown") == len(codes) - 1  # read, then model
    assert report(build(Project(root, root / "site"), jobs=2)) == expected
    (root / "content/workers/w75.md").write_text(_worker("工人75", "acid", "", "战(zhàn)斗。"), encoding="utf-8")
    (serial / "content/workers/w75.md").write_bytes((root / "content/workers/w75.md").read_bytes())
    expected = report(build(Project(serial, serial / "site"), jobs=1))
    written = build(Project(root, root / "site"), jobs=2)
    assert written.written and report(written) == expected
    assert report(build(Project(root, root / "site"), jobs=2)) == expected  # nothing changed: from the state


def test_a_cold_build_parses_each_story_from_the_bytes_it_hashed(make_site, monkeypatch):
    """The engine hashes a content file (its cache keys) and parses it from the same read: each story is read
    once for both, and once more by the copy lint (which runs apart)."""
    from collections import Counter

    root = _site(make_site)
    reads: Counter[str] = Counter()
    original = Path.read_bytes

    def counting(path: Path) -> bytes:
        if path.suffix == ".md" and "content" in path.parts:
            reads[path.name] += 1
        return original(path)

    monkeypatch.setattr(Path, "read_bytes", counting)
    _build(root, jobs=1)
    assert reads and set(reads.values()) == {2}, reads
