"""The theme's calls skip Jinja's per-call inspection only where it would find nothing to pass."""

from __future__ import annotations

from pathlib import Path

import markupsafe
import pytest
from hypothesis import given
from hypothesis import strategies as st
from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    pass_context,
    pass_environment,
    pass_eval_context,
    select_autoescape,
)
from jinja2.runtime import Context

from exhibit.render.templates import (
    DirectCallContext,
    ThemeMacro,
    _escape_text,
    escape_output,
    theme_environment,
)


def _env(tmp_path: Path, **templates: str):
    for name, text in templates.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    env, _ = theme_environment(tmp_path)
    return env


@pytest.fixture
def jinja_calls(monkeypatch) -> list[object]:
    """The callables that went through Jinja's own Context.call."""
    seen: list[object] = []
    original = Context.call

    def counting(self, obj, *args, **kwargs):
        seen.append(obj)
        return original(self, obj, *args, **kwargs)

    monkeypatch.setattr(Context, "call", counting)
    return seen


def test_macros_functions_and_methods_in_loops_and_blocks_are_called_directly(tmp_path, jinja_calls):
    class Shelf:
        def label(self, **kwargs) -> str:
            return ",".join(sorted(kwargs)) or "none"

    env = _env(tmp_path, **{"page.html": (
        '{% macro tag(x) %}<b>{{ x }}{{ caller() if caller is defined else "" }}</b>{% endmacro %}'
        '{% block main %}{% for x in items %}{{ tag(x) }}{% call tag(x) %}!{% endcall %}'
        '{{ shelf.label() }}{{ keys(a=1) }}{% endfor %}{% endblock %}')})
    env.globals["keys"] = lambda **kwargs: "|".join(sorted(kwargs))
    html = env.get_template("page.html").render(items=[1, 2], shelf=Shelf())
    assert html == "<b>1</b><b>1!</b>nonea<b>2</b><b>2!</b>nonea"  # no _loop_vars or _block_vars reach a callable
    assert jinja_calls == [], jinja_calls


def test_callables_that_ask_for_the_context_or_environment_still_get_them(tmp_path, jinja_calls):
    @pass_context
    def page_name(context) -> str:
        return context.name

    @pass_environment
    def autoescaping(environment) -> str:
        return str(environment.autoescape("x.html"))

    @pass_eval_context
    def volatile(eval_context) -> str:
        return str(eval_context.volatile)

    class Named:
        @pass_context
        def __call__(self, context) -> str:
            return context.name.upper()

    class Helper:
        @pass_context
        def name(self, context) -> str:
            return context.name + "!"

    env = _env(tmp_path, **{"page.html": "{{ page_name() }} {{ autoescaping() }} {{ volatile() }} {{ named() }}"
                                         " {{ helper.name() }}"})
    env.globals.update(page_name=page_name, autoescaping=autoescaping, volatile=volatile, named=Named(),
                       helper=Helper())
    assert env.get_template("page.html").render() == "page.html True False PAGE.HTML page.html!"
    assert len(jinja_calls) == 5


def test_a_callable_that_raises_stop_iteration_gives_undefined_as_in_jinja(tmp_path):
    def exhausted() -> str:
        raise StopIteration

    env = _env(tmp_path, **{"page.html": "{{ exhausted() }}"})
    env.globals["exhausted"] = exhausted
    with pytest.raises(Exception, match="StopIteration") as raised:
        env.get_template("page.html").render()
    assert type(raised.value).__name__ == "UndefinedError"  # the theme's StrictUndefined, as Jinja's call gives


def test_the_theme_environment_uses_the_direct_call_context(tmp_path):
    env = _env(tmp_path, **{"page.html": "x"})
    template = env.get_template("page.html")
    assert isinstance(template.new_context(), DirectCallContext)
    assert template.root_render_func.__globals__["escape"] is escape_output
    assert template.root_render_func.__globals__["Macro"] is ThemeMacro


class _Helper:
    def shout(self, text: str, end: str = "!") -> str:
        return text.upper() + end

    @pass_context
    def page(self, context) -> str:
        return str(context.get("who"))


@pass_context
def _who(context, prefix: str = "") -> str:
    return prefix + str(context.get("who"))


SAME_AS_JINJA = {
    "autoescape off": '{% macro m(x) %}<i>{{ x }}</i>{% endmacro %}{% autoescape false %}{{ m("<a>") + "<b>" }}'
                      '{% set y = m("<a>") %}{{ y.replace("i", "<u>") }}{% endautoescape %}{{ m("<a>") + "<b>" }}',
    "defaults, keywords, varargs": '{% macro m(a, b="<b>") %}{{ a }}{{ b }}{{ varargs }}{{ kwargs }}{% endmacro %}'
                                   '{{ m(1) }}{{ m(1, b=2) }}{{ m(1, 2, 3, c="<c>") }}',
    "caller": '{% macro box(x) %}[{{ caller(x) }}]{% endmacro %}{% call(y) box("<1>") %}{{ y }}!{% endcall %}',
    "loops and blocks": '{% block b %}{% for w in "ab" %}{{ who_is("<") }}{{ helper.shout(w, end="?") }}'
                        '{{ helper.page() }}{{ loop.cycle("x", "y") }}{% endfor %}{% endblock %}',
    "built-ins and filters": '{{ range(3)|list }}{{ dict(a="<a>") }}{{ "<x>"|e }}{{ joiner(",")() }}'
                             '{{ lipsum(1)[:3] }}',
    "imported macros": '{% import "lib.html" as lib %}{% from "lib.html" import tag_who with context %}'
                       '{{ lib.tag("<x>") }}{{ tag_who("<y>") }}{% autoescape false %}{{ lib.tag("<z>") + "<w>" }}'
                       '{% endautoescape %}',
    "escaped values": "{{ 3 }}{{ 2.5 }}{{ none }}{{ [1, '<'] }}{{ safe }}{{ html_obj }}{{ sub }}{{ '<&' }}{{ '\"' }}"
                      '{{ who ~ "<" ~ safe }}{{ who|upper }}{{ who|safe }}{{ (who ~ "")|length }}',
    "plain macros": '{% macro p(a, b="<d>") %}{{ a }}{{ b }}{% endmacro %}{{ p("<1>") }}{{ p("<1>", "<2>") }}'
                    '{% autoescape false %}{{ p("<3>") ~ "<x>" }}{% endautoescape %}{{ p("<4>") ~ "<y>" }}'
                    '{% macro c(x, caller=none) %}{{ x }}{{ caller() }}{% endmacro %}'
                    '{% call c("<q>") %}<{{ who }}>{% endcall %}',
    "output into blocks and macros": '{% set s %}{{ who }}<{{ safe }}{% endset %}{{ s }}{{ s|length }}'
                                     '{% macro m() %}{{ who }}{% endmacro %}{{ m() ~ who }}{{ m()|upper }}'
                                     '{{ m()|length }}{% filter upper %}{{ who }}<i>{% endfilter %}'
                                     '{% call(y) box() %}{{ y }}{{ who }}{% endcall %}',
}


class _Html:
    def __html__(self) -> str:
        return "<em>as html</em>"


class _Text(str):
    pass


def _stock_jinja(templates: Path) -> Environment:
    """Jinja as it comes, set up as the theme's environment is (theme_environment)."""
    return Environment(loader=FileSystemLoader(str(templates), encoding="utf-8-sig"),
                       autoescape=select_autoescape(enabled_extensions=("html", "htm", "xml", "svg"), default=True),
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


@pytest.mark.parametrize("source", SAME_AS_JINJA.values(), ids=SAME_AS_JINJA.keys())
def test_templates_render_as_through_jinja_as_it_comes(tmp_path, source):
    (tmp_path / "lib.html").write_text('{% macro tag(x) %}<b>{{ x }}</b>{% endmacro %}'
                                       '{% macro tag_who(x) %}<b>{{ x }}</b>{{ who }}{% endmacro %}', encoding="utf-8")
    source = '{% macro box(x="<x>") %}[{{ caller(x) }}]{% endmacro %}' + source
    outputs = []
    for env in (_stock_jinja(tmp_path), theme_environment(tmp_path)[0]):
        env.globals.update(helper=_Helper(), who_is=_who)
        values = {"who": "<w>", "safe": markupsafe.Markup("<s>&amp;"), "html_obj": _Html(), "sub": _Text("<t>")}
        outputs.append(env.from_string(source).render(**values))
    assert outputs[1] == outputs[0]
    assert "&lt;" in outputs[0] or "<" not in source


@pytest.mark.parametrize(("source", "message"), [
    ("{% macro p(a) %}{{ a }}{% endmacro %}{{ p(1, 2) }}", "macro 'p' takes not more than 1 argument(s)"),
    ("{% macro p(a) %}{{ a }}{% endmacro %}{{ p() }}", "parameter 'a' was not provided"),
])
def test_a_macro_given_too_many_or_too_few_arguments_fails_as_in_jinja(tmp_path, source, message):
    errors = []
    for env in (_stock_jinja(tmp_path), theme_environment(tmp_path)[0]):
        with pytest.raises(Exception) as raised:  # noqa: PT011 - the two must fail alike, whatever the type
            env.from_string(source).render()
        errors.append((type(raised.value), str(raised.value)))
    assert errors[1] == errors[0]
    assert errors[0][1] == message


def test_an_undefined_value_in_output_is_still_an_error(tmp_path):
    env, _ = theme_environment(tmp_path)
    with pytest.raises(Exception, match="'missing' is undefined") as raised:
        env.from_string("{{ missing }}").render()
    assert type(raised.value).__name__ == "UndefinedError"


@given(st.one_of(st.text(), st.integers(), st.floats(allow_nan=False), st.none(), st.lists(st.text(max_size=3))))
def test_output_escaping_writes_what_markupsafe_escape_does(value):
    assert escape_output(value) == str(markupsafe.escape(value))
    if isinstance(value, str):
        assert _escape_text(value) == str(markupsafe.escape(value))  # the fallback, where MarkupSafe has no C one
