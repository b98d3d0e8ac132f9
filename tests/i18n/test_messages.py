"""The message catalogue: every message formats in both languages, and every diagnostic the engine raises
names a catalogued code with the arguments its messages need."""

from __future__ import annotations

import ast
import string

import pytest
from conftest import REPO

from exhibit.i18n import LANGUAGES, format_message
from exhibit.i18n import MESSAGES as CATALOGUE


def _fields(template: str | None) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template or "") if name}


def _sample_args(code: str) -> dict[str, object]:
    args: dict[str, object] = {}
    for lang in LANGUAGES:
        for template in CATALOGUE[code].get(lang, (None, None)):
            for _, name, spec, _ in string.Formatter().parse(template or ""):
                if name:
                    args[name] = 1.5 if spec and spec.endswith("f") else f"<{name}>"
    return args


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_every_message_formats_in_both_languages(code, lang):
    args = _sample_args(code)
    args.pop("did_you_mean", None)
    assert set(CATALOGUE[code]) == set(LANGUAGES)
    for with_suggestion in (False, True):
        values = {**args, "suggestion": "workers"} if with_suggestion else dict(args)
        message, hint = format_message(code, lang, values)
        assert message.strip()
        for text in (message, hint or ""):
            assert not any(f"<{name}>" not in text and f"{{{name}}}" in text for name in args)
        shown = message + (hint or "")
        for name in args:
            if name != "suggestion" and (f"{{{name}}}" in CATALOGUE[code][lang][0]
                                         or f"{{{name}}}" in (CATALOGUE[code][lang][1] or "")):
                assert f"<{name}>" in shown
        template_text = CATALOGUE[code][lang][0] + (CATALOGUE[code][lang][1] or "")
        if with_suggestion and "{did_you_mean}" in template_text:
            assert "workers" in shown


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_both_languages_use_the_same_arguments(code):
    zh, en = (_fields(CATALOGUE[code][lang][0]) | _fields(CATALOGUE[code][lang][1]) for lang in LANGUAGES)
    assert zh == en


def _engine_calls() -> list[tuple[str, str, set[str], set[str]]]:
    """(code, where, message argument names, clashes) for every diagnostic the engine's source raises.

    A clash is a message argument named like a location parameter given by position
    (`diagnostics.error(code, rel, line, 1, line=...)`): a TypeError at run time.
    """
    calls = []
    for source in sorted((REPO / "exhibit").rglob("*.py")):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            first = node.args[0]
            if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                continue
            where = f"{source.name}:{node.lineno}"
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in ("error", "warning") and isinstance(func, ast.Attribute):
                keywords = {k.arg for k in node.keywords if k.arg}
                if ast.unparse(func.value).endswith("diagnostics"):
                    # Diagnostics.error(code, path, line, col, **args)
                    positional = set(("code", "path", "line", "col")[:len(node.args)])
                    calls.append((first.value, where, keywords - {"path", "line", "col"}, keywords & positional))
                else:
                    # FieldReader.error(code, field_name, **args) adds `field` and passes path and line itself
                    calls.append((first.value, where, keywords | {"field"},
                                  keywords & {"path", "line", "col", "field"}))
            elif name in ("Diagnostic", "format_message") and len(node.args) >= 2:
                table = node.args[1] if name == "Diagnostic" else (node.args[2] if len(node.args) > 2 else None)
                if isinstance(table, ast.Dict):
                    keys = {k.value for k in table.keys if isinstance(k, ast.Constant)}
                    spread = {"*"} if any(k is None for k in table.keys) else set()
                    calls.append((first.value, where, keys | spread, set()))
    return calls


def _engine_call_params() -> list[object]:
    params = []
    for code, where, given, clash in _engine_calls():
        params.append(pytest.param(code, given, clash, id=f"{where}-{code}"))
    return params


def test_the_engine_raises_diagnostics():
    codes = {code for code, *_ in _engine_calls()}
    assert {"field_required", "unit_unknown", "link_broken", "url_collision", "template_failed"} <= codes


@pytest.mark.parametrize(("code", "given", "clash"), _engine_call_params())
def test_every_diagnostic_the_engine_raises_has_its_message_arguments(code, given, clash):
    assert code in CATALOGUE, f"unknown message code {code!r}"
    assert not clash, f"{sorted(clash)} is both a location and a message argument"
    if "*" in given:
        return  # part of the arguments come from elsewhere (**)
    for lang in LANGUAGES:
        message, hint = CATALOGUE[code][lang]
        needed = (_fields(message) | _fields(hint)) - {"did_you_mean"}
        assert needed <= given, f"{code} needs {sorted(needed - given)}"
