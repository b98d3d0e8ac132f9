"""The catalogue holds exactly what the code shows a person, in every language alike.

Fails on a key the code uses that is not in the catalogue, a key nothing uses, an
entry whose languages disagree on their `{placeholders}`, and a key defined twice.
"Used" is read from the sources, so it cannot drift from them:


* exhibit/**/*.py: the first argument of the calls that take a key (KEY_CALLS),
  when it is a string literal (or a conditional between literals). Any other
  first argument is a computed key and must be in COMPUTED, with the keys it can
  be; those are checked against the file that spells them (or imported from the
  value set the code itself uses), and a listed place that no longer computes a
  key fails too;
* templates/**/*.html: `t('key')`; `t(expr)` and `expr|label` show a value from
  a set the model defines, listed in TEMPLATE_VALUES;
* the scripts never hold a key: exhibit/devserver/client.js shows the overlay
  texts the server sends (overlay_labels), assets/**/*.js read the labels that
  templates put in `data-label-*` attributes.
"""

from __future__ import annotations

import ast
import re
import string
from functools import cache
from pathlib import Path
from typing import NamedTuple

import pytest

from exhibit import i18n
from exhibit.authoring.docx_source import PROBLEM_CODES
from exhibit.devserver.channel import overlay_labels
from exhibit.i18n import LABELS, LANGUAGES, MESSAGES, SHARED_KEYS, CatalogueError, check_apart, merge
from exhibit.kiosk.screens import ORIENTATIONS
from exhibit.model.collections import COLLECTIONS, HONOR_LEVELS
from exhibit.model.media import FAILED, NOT_IMAGE, SVG_REFUSED, TOO_LARGE, TRUNCATED
from exhibit.model.units import TIERS, UNIT_KINDS
from exhibit.read.lint import RULES

REPO = Path(__file__).resolve().parents[2]
CATALOGUE_MODULES = (*i18n.MESSAGE_MODULES, i18n.labels)

# Calls whose first argument is a key, and the namespace it is looked up in.
KEY_CALLS = {
    "format_message": "message",
    "error": "message",  # Diagnostics.error, FieldReader.error
    "warning": "message",  # Diagnostics.warning
    "Diagnostic": "message",
    "Finding": "message",  # a lint finding, turned into a Diagnostic
    "task": "message",  # ProgressDisplay.task: a progress line
    "_error": "message",  # authoring.scaffold's error printer
    "_usage_error": "message",  # cli's printer for a wrong option value
    "label": "label",
}


class Computed(NamedTuple):
    """What a computed key argument can be, and where those keys are spelled out."""

    keys: tuple[str, ...]  # () when the argument is a key its caller passed, found at the caller
    spelled_in: str | None  # a file holding each key as a literal or after an f-string prefix; None: imported


def _values(choices: dict[str, str]) -> tuple[str, ...]:
    return tuple(sorted(set(choices.values())))


PUBLISH_REFUSALS = ("publish_refused_root", "publish_refused_home", "publish_refused_project",
                    "publish_refused_not_folder", "publish_refused_not_empty")  # refusal_for()'s codes
IMAGE_PROBLEMS = (NOT_IMAGE, TRUNCATED, TOO_LARGE, FAILED, SVG_REFUSED)  # describe_problem(), SVG refusals
COLLECTION_LABELS = tuple(spec.label for spec in COLLECTIONS.values())
COMPUTED: dict[str, Computed] = {
    # pass on a key their caller gave (a literal there, or computed and listed here)
    "exhibit/diagnostics.py:Diagnostics.error": Computed((), None),
    "exhibit/diagnostics.py:Diagnostics.warning": Computed((), None),
    "exhibit/diagnostics.py:Diagnostic.message": Computed((), None),
    "exhibit/diagnostics.py:Diagnostic.hint": Computed((), None),
    "exhibit/read/fields.py:FieldReader.error": Computed((), None),
    "exhibit/read/lint.py:lint_file": Computed((), None),  # Diagnostic(f.code): the Finding's code
    "exhibit/read/lint.py:_cached_warning": Computed((), None),  # a cached warning's code
    "exhibit/authoring/fix.py:fix_text": Computed((), None),  # format_message(finding.code)
    "exhibit/authoring/scaffold.py:_error": Computed((), None),
    "exhibit/cli.py:_usage_error": Computed((), None),
    "exhibit/authoring/docx_import.py:import_one": Computed((), None),  # Diagnostic(f.code): a lint Finding's
    # the code an ImportProblem carries
    "exhibit/authoring/docx_import.py:import_documents": Computed(PROBLEM_CODES, None),
    "exhibit/authoring/docx_import.py:import_upload": Computed(PROBLEM_CODES, None),
    "exhibit/assets/progress.py:ProgressDisplay.task": Computed((), None),
    "exhibit/render/templates.py:theme_environment": Computed((), None),
    "exhibit/publish/report.py:error": Computed((), None),  # t() and |label: the templates' keys
    # build a key
    "exhibit/publish/__init__.py:publish": Computed(PUBLISH_REFUSALS, "exhibit/publish/target.py"),
    "exhibit/cli.py:_report": Computed(("summary_failed", "summary_check_failed"), "exhibit/cli.py"),
    "exhibit/read/lint.py:lint_text": Computed(RULES, "exhibit/read/lint.py"),  # for rule in RULES
    "exhibit/read/limits.py:yaml_limits": Computed(("yaml_too_deep", "yaml_too_many_nodes"), "exhibit/read/limits.py"),
    "exhibit/read/fields.py:FieldReader.date": Computed(("field_date_no_month", "field_date_no_day"),
                                                        "exhibit/read/dates.py"),  # impossible_date()
    "exhibit/model/media.py:MediaResolver.resolve": Computed(IMAGE_PROBLEMS, None),
    "exhibit/assets/images.py:ImageStage._report": Computed(IMAGE_PROBLEMS, None),
    "exhibit/devserver/channel.py:overlay_labels": Computed(("overlay_title", "overlay_note", "overlay_close"),
                                                            "exhibit/devserver/channel.py"),
    "exhibit/read/dates.py:PartialDate.display": Computed(tuple(f"month_{n}" for n in range(1, 13)),
                                                          "exhibit/read/dates.py"),
    "exhibit/kiosk/slides.py:_honor_pages": Computed(_values(HONOR_LEVELS), None),  # label(honor.level)
    # label(spec.label) for each registered collection
    "exhibit/authoring/scaffold.py:resolve_collection": Computed(COLLECTION_LABELS, None),
    "exhibit/cli.py:_collection_help": Computed(COLLECTION_LABELS, None),
}

# Read by the lookup itself rather than through a call.
USED_BY_THE_LOOKUP = {"did_you_mean": "message"}  # format_message fills {did_you_mean} from it

# What `t(expr)` and `expr|label` in the templates can show.
TEMPLATE_VALUES: dict[str, tuple[str, ...]] = {
    "collection": COLLECTIONS,
    "c": COLLECTIONS,
    "section": COLLECTIONS,
    "screen.orientation": _values(ORIENTATIONS),
    "tier": _values(TIERS),
    "kind": _values(UNIT_KINDS),
    "level": _values(HONOR_LEVELS),
    "item.level": _values(HONOR_LEVELS),
    "band.level": _values(HONOR_LEVELS),
}

_T_LITERAL = re.compile(r"""\bt\(\s*(['"])([^'"]+)\1\s*\)""")
_T_COMPUTED = re.compile(r"""\bt\(\s*([^'"\s)][^)]*?)\s*\)""")
_LABEL_FILTER = re.compile(r"""([\w.]+)\s*\|\s*label\b""")


def _rel(path: Path) -> str:
    return path.relative_to(REPO).as_posix()


def _literals(node: ast.expr) -> set[str] | None:
    """The strings an argument can be when it is spelled out; None when it is computed."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        body, orelse = _literals(node.body), _literals(node.orelse)
        return body | orelse if body is not None and orelse is not None else None
    return None


class ComputedArgument(NamedTuple):
    written: str  # the argument as written
    namespace: str
    passes_on: bool  # a parameter of the enclosing function, or the `.code` a Diagnostic or Finding carries


class PythonUse(NamedTuple):
    literal: dict[str, set[str]]  # namespace -> keys
    where: dict[str, str]  # key -> first place
    computed: dict[str, list[ComputedArgument]]  # "file:Class.function" -> its computed key arguments


@cache
def _python_uses() -> PythonUse:
    use = PythonUse({"message": set(), "label": set()}, {}, {})
    catalogue_files = {Path(module.__file__).resolve() for module in CATALOGUE_MODULES}
    for path in sorted((REPO / "exhibit").rglob("*.py")):
        if path.resolve() in catalogue_files:
            continue
        _visit(ast.parse(path.read_text(encoding="utf-8")), _rel(path), [], frozenset(), use)
    return use


def _visit(node: ast.AST, rel: str, scope: list[str], params: frozenset[str], use: PythonUse) -> None:
    for child in ast.iter_child_nodes(node):
        inner, inner_params = scope, params
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            inner = [*scope, child.name]
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            arguments = child.args
            inner_params = params | {a.arg for a in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)}
        if isinstance(child, ast.Call) and child.args:
            func = child.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name in KEY_CALLS:
                argument, namespace = child.args[0], KEY_CALLS[name]
                keys = _literals(argument)
                if keys is None:
                    passes_on = (isinstance(argument, ast.Name) and argument.id in inner_params) or (
                        isinstance(argument, ast.Attribute) and argument.attr == "code")
                    use.computed.setdefault(f"{rel}:{'.'.join(inner)}", []).append(
                        ComputedArgument(ast.unparse(argument), namespace, passes_on))
                for key in keys or ():
                    use.literal[namespace].add(key)
                    use.where.setdefault(key, f"{rel}:{child.lineno}")
        _visit(child, rel, inner, inner_params, use)


@cache
def _template_uses() -> tuple[set[str], dict[str, str]]:
    """Keys the templates name, and every computed expression with the template that uses it."""
    keys: set[str] = set()
    computed: dict[str, str] = {}
    for path in sorted((REPO / "templates").rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        keys |= {match.group(2) for match in _T_LITERAL.finditer(text)}
        for match in (*_T_COMPUTED.finditer(text), *_LABEL_FILTER.finditer(text)):
            computed.setdefault(match.group(1), _rel(path))
    return keys, computed


@cache
def _used() -> dict[str, set[str]]:
    python = _python_uses()
    used = {namespace: set(keys) for namespace, keys in python.literal.items()}
    for site, arguments in python.computed.items():
        for argument in arguments:
            used[argument.namespace] |= set(COMPUTED[site].keys) if site in COMPUTED else set()
    template_keys, template_computed = _template_uses()
    used["label"] |= template_keys
    for expression in template_computed:
        used["label"] |= set(TEMPLATE_VALUES.get(expression, ()))
    for key, namespace in USED_BY_THE_LOOKUP.items():
        used[namespace].add(key)
    return used


# --- used and defined -------------------------------------------------------------------------

def test_the_scan_finds_the_code_s_keys():
    used = _used()
    assert {"field_required", "summary_built", "serve_listening", "lint_pinyin", "overlay_title"} <= used["message"]
    assert {"site_nav", "page_n", "workers", "benchmark", "month_6", "date_day"} <= used["label"]


@pytest.mark.parametrize("namespace", ["message", "label"])
def test_every_key_the_code_uses_is_in_the_catalogue(namespace):
    defined = MESSAGES if namespace == "message" else LABELS
    where = _python_uses().where
    missing = sorted(_used()[namespace] - set(defined))
    assert missing == [], [f"{key} ({where.get(key, 'templates or COMPUTED')})" for key in missing]


@pytest.mark.parametrize("namespace", ["message", "label"])
def test_every_key_in_the_catalogue_is_used(namespace):
    defined = MESSAGES if namespace == "message" else LABELS
    assert sorted(set(defined) - _used()[namespace]) == []


def test_every_computed_key_is_accounted_for():
    """A new computed key must be listed; a listed place must still compute one."""
    found = _python_uses().computed
    assert {site: [a.written for a in found[site]] for site in set(found) - set(COMPUTED)} == {}
    assert sorted(set(COMPUTED) - set(found)) == []


@pytest.mark.parametrize("site", sorted(site for site, c in COMPUTED.items() if not c.keys))
def test_places_listed_as_passing_a_key_on_build_none(site):
    arguments = _python_uses().computed.get(site, [])
    assert [a.written for a in arguments if not a.passes_on] == []


@pytest.mark.parametrize("site", sorted(site for site, c in COMPUTED.items() if c.spelled_in))
def test_computed_keys_are_spelled_where_they_are_built(site):
    computed = COMPUTED[site]
    tree = ast.parse((REPO / str(computed.spelled_in)).read_text(encoding="utf-8"))
    literals = {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)}
    prefixes = {node.values[0].value for node in ast.walk(tree) if isinstance(node, ast.JoinedStr)
                and node.values and isinstance(node.values[0], ast.Constant) and node.values[0].value}
    stale = [key for key in computed.keys
             if key not in literals and not any(key.startswith(prefix) for prefix in prefixes)]
    assert stale == []


def test_every_computed_template_expression_is_accounted_for():
    _, computed = _template_uses()
    assert computed, "the pattern should find t(collection)"
    assert {expression: rel for expression, rel in computed.items() if expression not in TEMPLATE_VALUES} == {}


def test_the_preview_overlay_shows_only_texts_the_server_sends():
    script = (REPO / "exhibit/devserver/client.js").read_text(encoding="utf-8")
    read = set(re.findall(r"\blabels\.(\w+)", script))
    assert read, "the pattern should find state.labels.title"
    for lang in LANGUAGES:
        sent = overlay_labels(lang)
        assert read <= set(sent) and all(sent.values())


def test_the_scripts_read_labels_the_templates_fill():
    filled = set()
    for path in (REPO / "templates").rglob("*.html"):
        filled |= set(re.findall(r"""(data-label-[\w-]+)="\{\{\s*t\(""", path.read_text(encoding="utf-8")))
    read = set()
    for path in (REPO / "assets").rglob("*.js"):
        read |= set(re.findall(r"data-label-[\w-]+", path.read_text(encoding="utf-8")))
    assert read <= filled


# --- entries ------------------------------------------------------------------------------------

def _fields(template: str | None) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template or "") if name}


@pytest.mark.parametrize("key", sorted(MESSAGES) + [f"label:{key}" for key in sorted(LABELS)])
def test_both_languages_have_text_and_the_same_placeholders(key):
    entry = LABELS[key.removeprefix("label:")] if key.startswith("label:") else MESSAGES[key]
    assert set(entry) == set(LANGUAGES)
    assert all(entry[lang][0].strip() for lang in LANGUAGES)
    zh, en = (_fields(entry[lang][0]) | _fields(entry[lang][1]) for lang in LANGUAGES)
    assert zh == en


# --- one namespace each, no key twice --------------------------------------------------------------

@pytest.mark.parametrize("module", CATALOGUE_MODULES, ids=lambda module: module.__name__)
def test_no_module_repeats_a_key(module):
    """A dict literal keeps the last of two equal keys without a word (ruff's F601 also says so)."""
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    (table,) = [node.value for node in tree.body
                if isinstance(node, ast.AnnAssign) and isinstance(node.value, ast.Dict)]
    keys = [key.value for key in table.keys if isinstance(key, ast.Constant)]
    assert len(keys) == len(table.keys) and sorted({key for key in keys if keys.count(key) > 1}) == []


def test_a_key_in_two_modules_is_refused():
    entry = {"zh-CN": ("甲", None), "en": ("a", None)}
    with pytest.raises(CatalogueError, match="'close'.*one.*two"):
        merge([("one", {"close": entry}), ("two", {"close": entry})])


def test_a_message_code_that_is_also_a_label_key_is_refused():
    entry = {"zh-CN": ("甲", None), "en": ("a", None)}
    with pytest.raises(CatalogueError, match="close"):
        check_apart({"close": entry}, {"close": entry})
    assert set(MESSAGES) & set(LABELS) == SHARED_KEYS, "a shared key that is gone should leave SHARED_KEYS"


@pytest.mark.parametrize("entry", [
    {"zh-CN": ("甲", None)},
    {"zh-CN": ("甲", None), "en": ("a", None), "fr": ("a", None)},
    {"zh-CN": ("甲", None), "en": ("a",)},
    {"zh-CN": ("甲", None), "en": ("", None)},
    {"zh-CN": ("甲", None), "en": ("a", 1)},
    ("甲", "a"),
], ids=["one-language", "three-languages", "no-hint", "empty", "hint-not-text", "old-label-tuple"])
def test_an_entry_of_another_shape_is_refused(entry):
    with pytest.raises(CatalogueError):
        merge([("module", {"key": entry})])
