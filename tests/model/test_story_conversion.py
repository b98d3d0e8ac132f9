"""Stories converted in worker processes, or taken from a cache, give the same site as one process."""

from __future__ import annotations

from pathlib import Path

from conftest import SITE_YAML, check_site, found

from exhibit.diagnostics import Diagnostics
from exhibit.model.collections import COLLECTIONS
from exhibit.model.config import load_config
from exhibit.model.markup import StoryConversions, convert_markdown, story_key
from exhibit.model.site import ModelBuilder
from exhibit.read.sources import discover

STORIES = 48  # three chunks of sixteen: enough for the conversion to fork workers


def _story(number: int) -> str:
    return (f"## 第{number}段经历\n\n他在**熔炼车间**工作了{number}年。\n\n"
            f"- 第一项\n- 第二项\n\n| 年份 | 成绩 |\n|---|---|\n| 20{number:02d} | 优秀 |\n\n"
            f"见[上一位](w{max(number - 1, 0):02d}.md)。\n")


def _site_files() -> dict[str, str]:
    files = {"content/site.yaml": SITE_YAML}
    for number in range(STORIES):
        files[f"content/workers/w{number:02d}.md"] = (
            f"---\nname: 工人{number:02d}\nunit: acid\n---\n{_story(number)}")
    return files


def _site_bytes(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes()
            for path in sorted((root / "site").rglob("*")) if path.is_file()}


def test_a_parallel_build_writes_the_same_bytes_as_a_serial_one(make_site, monkeypatch):
    serial_root = make_site(_site_files(), name="serial")
    parallel_root = make_site(_site_files(), name="parallel")
    monkeypatch.setenv("EXHIBIT_JOBS", "1")
    serial = check_site(serial_root, write=True)
    monkeypatch.setenv("EXHIBIT_JOBS", "2")
    parallel = check_site(parallel_root, write=True)
    assert serial.written and parallel.written
    assert _site_bytes(serial_root) == _site_bytes(parallel_root)
    assert 'href="w04.html">上一位</a>' in (parallel_root / "site/workers/w05.html").read_text("utf-8")


def test_a_broken_link_found_in_a_parallel_build_names_its_file_and_line(make_site, monkeypatch):
    files = _site_files()
    files["content/workers/w47.md"] += "\n[不存在的页面](nowhere.md)\n"
    monkeypatch.setenv("EXHIBIT_JOBS", "2")
    result = check_site(make_site(files))
    broken = found(result.diagnostics.items, "link_broken")
    assert [(problem.path, problem.line) for problem in broken] == [("content/workers/w47.md", 18)]


def _builder(root: Path, story_html: object) -> tuple[ModelBuilder, list]:
    diagnostics = Diagnostics()
    config = load_config(root, root / "content", diagnostics, None)
    records = discover(root, root / "content", COLLECTIONS, diagnostics)
    builder = ModelBuilder(root, root / "content", root / "assets", config, diagnostics, story_html=story_html,
                           jobs=2)
    return builder, records


def test_the_engine_cache_receives_every_converted_story_and_is_used(make_site):
    root = make_site(_site_files())
    cache: dict[str, str] = {story_key(_story(0)): "<p>来自缓存</p>"}
    builder, records = _builder(root, cache)
    model = builder.build(records)
    bodies = {item.slug: str(item.body) for item in model.items()}
    assert bodies["w00"] == "<p>来自缓存</p>"
    assert "<h2>第1段经历</h2>" in bodies["w01"]
    assert len(cache) == STORIES
    assert cache[story_key(_story(3))] == convert_markdown(_story(3))


def test_a_conversion_function_replaces_markdown(make_site):
    root = make_site(_site_files())
    builder, records = _builder(root, lambda text: f"<p>{len(text)}</p>")
    model = builder.build(records)
    worker = next(item for item in model.items() if item.slug == "w02")
    assert str(worker.body) == f"<p>{len(_story(2))}</p>"


def test_stories_are_converted_once_each_and_known_ones_kept():
    texts = [_story(number % 20) for number in range(60)]
    known = {story_key(texts[0]): "<p>known</p>"}
    with StoryConversions(texts, jobs=2, known=known) as conversions:
        converted = conversions.finish()
    assert converted is known
    assert len(converted) == 20
    assert converted[story_key(texts[0])] == "<p>known</p>"
    assert converted[story_key(texts[7])] == convert_markdown(texts[7])


def test_content_paths_resolve_as_path_resolve_does(tmp_path):
    """The model resolves every content file's path by its folder's (see model/site.py _resolved)."""
    from exhibit.model.site import _resolved

    real = tmp_path / "real"
    real.mkdir()
    (real / "a.md").write_text("a", encoding="utf-8")
    (tmp_path / "linked").symlink_to(real, target_is_directory=True)
    (real / "b.md").symlink_to(real / "a.md")
    for path in (real / "a.md", real / "b.md", tmp_path / "linked/a.md", tmp_path / "linked/b.md",
                 real / "missing.md", tmp_path / "linked/../real/a.md"):
        assert _resolved(path) == path.resolve(), path


def test_stories_arrive_in_order_and_one_asked_for_waits_only_for_those_before_it():
    texts = [_story(number) for number in range(STORIES)]
    keys = [story_key(text) for text in texts]
    with StoryConversions(texts, jobs=2) as conversions:
        conversions.ask(keys[20])
        assert list(conversions.converted) == keys[:21]
        conversions.ask(keys[3])  # arrived already: nothing more is taken
        assert list(conversions.converted) == keys[:21]
        everything = conversions.finish()
    assert list(everything) == keys
    assert [everything[key] for key in keys] == [convert_markdown(text) for text in texts]
