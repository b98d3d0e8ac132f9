"""What one process keeps between engine runs (the preview runs it on every save): the output and the caches
are what a fresh process would make, nothing kept is trusted once its file or its inputs changed, and a
one-shot build keeps nothing."""

from __future__ import annotations

from pathlib import Path

from conftest import SITE_YAML, tree_bytes

from exhibit.engine import BuildResult, build
from exhibit.engine import cache as engine_cache
from exhibit.model import markup
from exhibit.project import Project


def _worker(name: str, body: str) -> str:
    return f"---\nname: {name}\nunit: acid\n---\n{body}\n"


def _site(make_site) -> Path:
    files = {f"content/workers/w{n:02d}.md": _worker(f"工人{n:02d}", f"故事{n}。") for n in range(12)}
    files["content/site.yaml"] = SITE_YAML
    files["content/workers/shao.md"] = _worker("邵志村", "见[工人01](w01.md)。")
    return make_site(files)


def _build(root: Path) -> BuildResult:
    """One save in the preview: a resident run, then the caches saved (as DevSession.build does)."""
    from exhibit.engine import Engine, EngineOptions

    engine = Engine(Project(root, root / "site"), EngineOptions(preview=True))
    result = engine.run()
    engine.cache.save_pending()
    return result


def _edit(root: Path, number: int, body: str) -> None:
    (root / f"content/workers/w{number:02d}.md").write_text(_worker(f"工人{number:02d}", body), encoding="utf-8")


def test_after_saves_in_one_process_a_fresh_build_converts_no_story_again(make_site, monkeypatch):
    root = _site(make_site)
    assert _build(root).ok
    _edit(root, 5, "改过的故事。")  # this run takes every other story from the process's memory
    assert _build(root).ok
    monkeypatch.setattr(engine_cache, "_RESIDENT", {})  # a new process: only the files under .exhibit-cache
    converted: list[str] = []
    original = markup.convert_markdown
    monkeypatch.setattr(markup, "convert_markdown", lambda text: converted.append(text) or original(text))
    _edit(root, 6, "故事6。")  # saved again with the same story: the build runs, every story is in the cache
    assert _build(root).ok
    assert converted == []


def test_a_story_whose_link_now_leads_nowhere_is_rendered_again(make_site):
    root = _site(make_site)
    first = _build(root)
    assert first.ok
    assert 'href="w01.html"' in (root / "site/workers/shao.html").read_text(encoding="utf-8")
    (root / "content/workers/w01.md").unlink()  # shao.md is unchanged; what its link finds is not
    second = _build(root)
    assert [(d.code, d.path) for d in second.diagnostics.errors] == [("link_broken", "content/workers/shao.md")]


def test_a_cache_file_another_process_replaced_is_read_again(make_site):
    root = _site(make_site)
    assert _build(root).ok
    state = root / ".exhibit-cache/engine/state.pickle"
    state.write_bytes(b"not a state")  # what this process remembers of the file no longer holds
    _edit(root, 3, "改过。")
    result = _build(root)
    assert result.ok and result.full
    assert len(result.rendered_paths) == result.pages


def test_the_previews_old_sites_are_removed_after_it_answers(make_site, tmp_path):
    from exhibit.engine import Engine, EngineOptions
    from exhibit.render.output import wait_for_removals

    root = _site(make_site)
    project = Project(root, root / "site")
    for number in range(3):
        _edit(root, number, f"预览里改的第{number}次。")
        assert Engine(project, EngineOptions(subset_font=False, preview=True)).run().ok  # each waits for the last
    wait_for_removals()
    assert sorted(path.name for path in root.iterdir() if path.name.startswith(".site")) == []
    assert "预览里改的第2次。" in (root / "site/workers/w02.html").read_text(encoding="utf-8")


def test_the_preview_saves_the_caches_a_later_build_reads_when_idle(make_site, monkeypatch):
    from exhibit.devserver import DevSession, ServeOptions
    from exhibit.devserver.watcher import Batch
    from exhibit.engine.cache import EngineCache

    root = _site(make_site)
    session = DevSession(Project(root, root / "site"), ServeOptions())
    assert session.build(None).ok
    _edit(root, 4, "预览时写的新故事。")
    assert session.build(Batch({root / "content/workers/w04.md"})).ok
    assert not (root / ".exhibit-cache/engine/rendered").exists()  # not while edits come: the reload is
    # announced without waiting for the caches to be pickled
    session.save_caches()  # what serve does after a second without edits, and when it stops
    monkeypatch.setattr(engine_cache, "_RESIDENT", {})  # what a `build` started now reads from disk
    monkeypatch.setattr(engine_cache, "_PENDING", {})
    stories = EngineCache(root).load_rendered()
    assert "预览时写的新故事。\n" in {text for text, _, _ in stories.values()}


def _preview(root: Path) -> BuildResult:
    from exhibit.engine import Engine, EngineOptions

    result = Engine(Project(root, root / "site"), EngineOptions(subset_font=False, preview=True)).run()
    assert result.ok, [d.code for d in result.diagnostics.errors]
    return result


def _clean(root: Path, tmp_path: Path) -> dict[str, bytes]:
    import shutil

    clean = tmp_path / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    shutil.copytree(root, clean, ignore=shutil.ignore_patterns("site", ".exhibit-cache"))
    assert build(Project(clean, clean / "site"), subset_font=False).ok
    return tree_bytes(clean / "site")


def test_the_preview_writes_a_save_into_its_own_site_in_place(make_site, tmp_path):
    root = _site(make_site)
    _preview(root)
    marker = (root / "site/.exhibit-site").stat().st_ino
    kept = (root / "site/workers/w07.html").stat()
    _edit(root, 5, "就地写入的新故事。")
    (root / "content/workers/w09.md").unlink()
    result = _preview(root)
    assert "workers/w05.html" in result.change.written and "workers/w09.html" in result.change.removed
    assert (root / "site/.exhibit-site").stat().st_ino == marker  # the same site, not a new one swapped in
    after = (root / "site/workers/w07.html").stat()
    assert (after.st_ino, after.st_mtime_ns) == (kept.st_ino, kept.st_mtime_ns)
    assert not [path for path in (root / "site").rglob(".*.tmp")]
    assert tree_bytes(root / "site") == _clean(root, tmp_path)


def test_a_file_in_the_way_of_the_previews_write_makes_it_stage_the_site(make_site, tmp_path):
    import shutil

    root = _site(make_site)
    _preview(root)
    shutil.rmtree(root / "site/workers")
    (root / "site/workers").write_text("someone's file", encoding="utf-8")  # where a folder of pages must go
    _edit(root, 2, "又改了。")
    _preview(root)
    assert tree_bytes(root / "site") == _clean(root, tmp_path)


def test_a_one_shot_build_keeps_nothing_in_memory_for_a_next_run(make_site):
    """Kept, they raised a 10,000-item cold build's peak from 260 to 395 MiB (bench/peers.py), for no next run."""
    root = _site(make_site)
    assert build(Project(root, root / "site")).ok
    assert not [path for path in engine_cache._RESIDENT if path.startswith(str(root))]


def test_a_one_shot_build_after_an_edit_renders_only_the_edited_story(make_site, monkeypatch):
    """Stories are rendered (links, excerpt, nesting scan) once; a later process takes them from the cache."""
    from exhibit.model import site as model_site

    root = _site(make_site)
    project = Project(root, root / "site")
    assert build(project).ok
    rendered: list[str] = []
    original = model_site.render_story
    monkeypatch.setattr(model_site, "render_story", lambda text, *rest: rendered.append(text) or original(text, *rest))
    _edit(root, 7, "另一个进程里改的故事。")
    result = build(project)
    assert result.ok
    assert rendered == ["另一个进程里改的故事。\n"]
    assert "另一个进程里改的故事。" in (root / "site/workers/w07.html").read_text(encoding="utf-8")
    (root / "content/workers/w01.md").rename(root / "content/workers/w01b.md")  # shao.md's link now finds nothing
    result = build(project)
    assert [(d.code, d.path) for d in result.diagnostics.errors] == [("link_broken", "content/workers/shao.md")]
    assert sorted(rendered[1:]) == ["故事1。\n", "见[工人01](w01.md)。\n"]  # the moved story, the unchanged one


def test_an_edit_rewrites_only_the_cache_shards_that_hold_what_changed(make_site):
    """Each content cache is kept in shards: a one-shot build after an edit does not pickle every record again."""
    from exhibit.engine.cache import EngineCache, shard_of

    root = _site(make_site)
    project = Project(root, root / "site")
    assert build(project).ok
    cache = EngineCache(root)
    shards = {name: {shard: cache.shard_path(name, shard).stat().st_mtime_ns for shard in range(16)}
              for name in ("records", "rendered")}
    _edit(root, 7, "只改了这一个故事。")
    assert build(project).ok
    place = ("content/workers/w07.md", 5)
    assert EngineCache(root).load_rendered()[place][0] == "只改了这一个故事。\n"
    changed = {name: {shard for shard, mtime in before.items()
                      if cache.shard_path(name, shard).stat().st_mtime_ns != mtime}
               for name, before in shards.items()}
    assert changed["rendered"] == {shard_of(place)}
    assert len(changed["records"]) <= 2  # the new record's shard, and the old one's (no longer used)


def test_a_preview_save_that_rewords_a_leader_models_only_what_changed_and_matches_a_full_build(
        make_site, monkeypatch, tmp_path):
    """The preview patches the model it kept (engine/resident.py); a change other items read models it all again."""
    from exhibit.engine import stages

    root = _site(make_site)
    (root / "content/teams").mkdir()
    (root / "content/teams/t.md").write_text("---\nname: 突击队\nunit: acid\nleader: 工人03\n---\n突击。\n",
                                             encoding="utf-8")
    read: list[str] = []
    original = stages.load_site
    monkeypatch.setattr(stages, "load_site", lambda project, *rest, **named: (
        read.append("all") if project.root == root else None) or original(project, *rest, **named))
    _preview(root)
    (root / "content/workers/w03.md").write_text(_worker("工人03", "新写的故事。").replace(
        "unit: acid\n", "unit: acid\nquote: 新格言\n"), encoding="utf-8")
    result = _preview(root)
    assert read == ["all"]  # the first run read the site; the save did not
    assert "workers/w03.html" in result.rendered_paths and "teams/t.html" in result.rendered_paths
    assert tree_bytes(root / "site") == _clean(root, tmp_path)
    _edit(root, 3, "新写的故事。")  # and back: still patched
    _preview(root)
    assert read == ["all"]
    assert tree_bytes(root / "site") == _clean(root, tmp_path)
    (root / "content/workers/w03.md").write_text(_worker("工人三", "改了名字。"), encoding="utf-8")
    _preview(root)  # the team finds its leader by name: the whole site is read and modelled again
    assert read == ["all", "all"]
    assert tree_bytes(root / "site") == _clean(root, tmp_path)
