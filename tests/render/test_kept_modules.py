"""Macros imported without context: Jinja's module is kept, yet every page records what it read and links right."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from exhibit.diagnostics import Diagnostics
from exhibit.render.outputs import Page
from exhibit.render.renderer import PageRenderer
from exhibit.render.templates import bind_model, current_page, theme_environment

THEME = {
    "page.html": '{% import "partials/cards.html" as cards %}<main>{{ cards.card(target) }}</main>',
    "partials/cards.html": '{% import "partials/media.html" as media %}'
                           '{% macro card(target) %}<a href="{{ url(target) }}">{{ media.badge() }}</a>{% endmacro %}',
    "partials/media.html": '{% macro badge() %}<img src="{{ asset("b.png") }}" alt="{{ tag() }}" '
                           'data-on="{{ on_page() }}">{% endmacro %}',
}


def _environment(tmp_path: Path, tag: str):
    for name, text in THEME.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    env, _ = theme_environment(tmp_path)
    _bind(env, tag)
    return env


def _bind(env, tag: str) -> None:
    config = SimpleNamespace(units=[], language="zh-CN")

    def on_page() -> str:  # a helper that needs the page, as the asset stage's picture_tag does
        return current_page()

    bind_model(env, SimpleNamespace(config=config, collections={}), {"tag": lambda: tag, "on_page": on_page})


def _render(env, tmp_path: Path, path: str, target: str):
    diagnostics = Diagnostics()
    page = PageRenderer(env, tmp_path, tmp_path, diagnostics).render(Page(path, "page.html", {"target": target}))
    assert not diagnostics.items, diagnostics.items
    assert page is not None
    return page


def test_a_kept_module_links_relative_to_each_page(tmp_path):
    env = _environment(tmp_path, "一")
    top = _render(env, tmp_path, "index.html", "workers/a.html")
    deep = _render(env, tmp_path, "workers/page/2.html", "workers/a.html")
    assert top.html.decode() == ('<main><a href="workers/a.html"><img src="assets/b.png" alt="一" '
                                 'data-on="index.html"></a></main>')
    assert deep.html.decode() == ('<main><a href="../a.html"><img src="../../assets/b.png" alt="一" '
                                  'data-on="workers/page/2.html"></a></main>')


def test_every_page_records_the_templates_the_kept_module_imported(tmp_path):
    env = _environment(tmp_path, "一")
    first = _render(env, tmp_path, "a.html", "x.html")
    second = _render(env, tmp_path, "b.html", "x.html")
    expected = {"page.html", "partials/cards.html", "partials/media.html"}
    assert first.templates == expected
    assert second.templates == expected


def test_a_new_binding_makes_the_module_again(tmp_path):
    env = _environment(tmp_path, "一")
    assert 'alt="一"' in _render(env, tmp_path, "a.html", "x.html").html.decode()
    _bind(env, "二")  # the preview rebinds its environment to each new model and helpers
    again = _render(env, tmp_path, "a.html", "x.html")
    assert 'alt="二"' in again.html.decode()
    assert again.templates == {"page.html", "partials/cards.html", "partials/media.html"}


def test_a_template_with_globals_of_its_own_lends_them_to_what_it_imports(tmp_path):
    """Jinja's rule: then the module is made for that import, with those globals, and not kept."""
    env = _environment(tmp_path, "一")
    (tmp_path / "partials/own.html").write_text("{% macro show() %}{{ own }}{% endmacro %}", encoding="utf-8")
    (tmp_path / "own_page.html").write_text('{% import "partials/own.html" as p %}{{ p.show() }}', encoding="utf-8")
    for value in ("甲", "乙"):
        html = env.get_template("own_page.html", globals={"own": value}).render(page=Page("a.html", "own_page.html"))
        assert html == value
        env.cache.clear()  # the next get_template makes the page template again, with the next value
