"""The theme compiled early, in the background: the environment that renders loads that code instead of compiling."""

from __future__ import annotations

from pathlib import Path

from conftest import REPO, paginated_content, tree_bytes
from jinja2 import FileSystemBytecodeCache

from exhibit.engine import build, precompile
from exhibit.engine.precompile import COMPILE_EARLY_FROM, _compile_theme, compile_theme_in_background
from exhibit.engine.render import MIN_PAGES_PER_CHUNK
from exhibit.project import Project
from exhibit.render.templates import theme_environment

THEME_PAGES = sorted(path.relative_to(REPO / "templates").as_posix() for path in (REPO / "templates").rglob("*.html"))


def _compiles_counted(templates_dir: Path, folder: Path) -> tuple[list[str], object]:
    env, _ = theme_environment(templates_dir)
    env.bytecode_cache = FileSystemBytecodeCache(str(folder))
    compiled_names: list[str] = []
    original = env.compile

    def counting(source, name=None, filename=None, raw=False, defer_init=False):
        compiled_names.append(name)
        return original(source, name, filename, raw, defer_init)

    env.compile = counting
    return compiled_names, env


def test_the_rendering_environment_loads_every_template_compiled_early(tmp_path: Path) -> None:
    folder = tmp_path / "jinja"
    assert _compile_theme(REPO / "templates", folder) == len(THEME_PAGES)
    compiled_names, env = _compiles_counted(REPO / "templates", folder)
    for name in THEME_PAGES:
        env.get_template(name)
    assert compiled_names == []  # the keys and checksums the early compile wrote are the renderer's


def test_a_broken_template_is_left_to_the_render_that_reports_it(make_site) -> None:
    root = make_site()
    (root / "templates/workers/item.html").write_text("{% extends 'base.html' %}\n{% block main %}{{ oops(}}")
    folder = root / ".exhibit-cache/engine/jinja"
    assert _compile_theme(root / "templates", folder) == len(THEME_PAGES) - 1
    compiled_names, env = _compiles_counted(root / "templates", folder)
    env.get_template("home.html")
    assert compiled_names == []


def test_only_a_cache_without_compiled_templates_gets_them_early(tmp_path: Path) -> None:
    folder = tmp_path / "jinja"
    future = compile_theme_in_background(REPO / "templates", folder)
    assert future is not None and future.result(timeout=60) == len(THEME_PAGES)
    assert compile_theme_in_background(REPO / "templates", folder) is None


def test_a_large_site_comes_out_the_same_with_its_theme_compiled_early(make_site, monkeypatch) -> None:
    early = make_site(paginated_content(workers=80, page_size=5), name="early")
    started: list[Path] = []
    original = precompile.compile_theme_in_background

    def recording(templates_dir: Path, folder: Path):
        started.append(folder)
        return original(templates_dir, folder)

    monkeypatch.setattr(precompile, "compile_theme_in_background", recording)
    assert build(Project(early, early / "site"), subset_font=False).diagnostics.items == []
    assert started == [early / ".exhibit-cache/engine/jinja"]
    assert len(list(started[0].iterdir())) >= len(THEME_PAGES)

    monkeypatch.setattr(precompile, "compile_theme_in_background", lambda templates_dir, folder: None)
    late = make_site(paginated_content(workers=80, page_size=5), name="late")
    assert build(Project(late, late / "site"), subset_font=False).diagnostics.items == []
    assert tree_bytes(early / "site") == tree_bytes(late / "site")


def test_the_theme_is_compiled_early_from_the_size_whose_pages_render_on_every_core() -> None:
    assert COMPILE_EARLY_FROM == 4 * MIN_PAGES_PER_CHUNK
