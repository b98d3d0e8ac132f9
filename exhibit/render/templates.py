"""The Jinja environment: strict, autoescaped, relative URLs only, and a loader that records dependencies."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, MutableMapping, Sized
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from types import CodeType, FunctionType, MethodType
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote

import markupsafe
from jinja2 import (
    BaseLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    Template,
    pass_eval_context,
    select_autoescape,
)
from jinja2.environment import TemplateModule
from jinja2.nodes import EvalContext
from jinja2.runtime import Context, Macro
from jinja2.utils import internalcode, missing

from exhibit.i18n import label
from exhibit.read.dates import PartialDate

if TYPE_CHECKING:  # not imported for the theme's compiling process (engine/precompile.py), which needs no model
    from exhibit.model.sitemodel import SiteModel

# The path of the page being rendered (`rendering`), for url(), asset() and the asset stage's helpers.
_CURRENT_PAGE: ContextVar[str | None] = ContextVar("exhibit_current_page", default=None)
_PLACEHOLDER = re.compile(r"""(["'])exhibit:/([^"'#]*)(#[^"']*)?\1""")
_SRCSET = re.compile(r"""(\ssrcset=)(["'])([^"']*)\2""")


def relative_url(from_page: str, to_path: str) -> str:
    """A URL from one site path to another that works under any sub-path and from file://.

    Both are clean site paths ('workers/a.html'), so plain segment arithmetic suffices;
    it runs for every link of every page, hence no os.path calls. Only the page's folder
    matters, and the cache is keyed by it: the pages of one folder share their links'
    URLs (a serial cold 1,000-item build: 20 % of 24,522 calls missed, against 81 % keyed by page).
    """
    return _relative_url_from_folder(from_page.rpartition("/")[0], to_path)


@lru_cache(maxsize=1 << 16)
def _relative_url_from_folder(from_folder: str, to_path: str) -> str:
    from_dirs = from_folder.split("/") if from_folder else []
    to_parts = to_path.split("/")
    common = 0
    while common < len(from_dirs) and common < len(to_parts) - 1 and from_dirs[common] == to_parts[common]:
        common += 1
    target = "/".join([".."] * (len(from_dirs) - common) + to_parts[common:])
    return quote(target or "./", safe="/")


def resolve_placeholders(html: str, page_path: str) -> str:
    """Turn `exhibit:/site/path` (from stories) into URLs relative to this page, also inside srcset lists.

    Placeholders carry percent-encoded paths (see exhibit.model.markup.site_url); relative_url encodes again.
    """
    # Both patterns start at every quote or space (35 µs a page): a page without their words is only scanned.
    if "srcset=" in html:
        html = _SRCSET.sub(lambda m: f"{m.group(1)}{m.group(2)}{_resolve_srcset(m.group(3), page_path)}{m.group(2)}",
                           html)
    if "exhibit:/" not in html:
        return html
    return _PLACEHOLDER.sub(
        lambda m: f"{m.group(1)}{relative_url(page_path, unquote(m.group(2)))}{m.group(3) or ''}{m.group(1)}", html)


def _resolve_srcset(value: str, page_path: str) -> str:
    candidates = []
    for candidate in value.split(","):
        url, _, descriptor = candidate.strip().partition(" ")
        if url.startswith("exhibit:/"):
            url = relative_url(page_path, unquote(url[len("exhibit:/"):]))
        candidates.append(f"{url} {descriptor}".strip())
    return ", ".join(candidates)


@contextmanager
def rendering(page_path: str) -> Iterator[None]:
    """url() and asset() relative to this page (`current_page`)."""
    token = _CURRENT_PAGE.set(page_path)
    try:
        yield
    finally:
        _CURRENT_PAGE.reset(token)


class RecordingLoader(BaseLoader):
    """Loads from templates/; `loaded` holds every template the current render asked for.

    The recording itself happens in RecordingEnvironment, because Jinja's cache
    answers repeated requests without asking the loader again.
    """

    def __init__(self, templates_dir: Path) -> None:
        self.inner = FileSystemLoader(str(templates_dir), encoding="utf-8-sig")
        self.templates_dir = templates_dir
        self.loaded: set[str] = set()
        self.capturing: list[set[str]] = []  # what each module being made loads (RecordingTemplate)

    def get_source(self, environment: Environment, template: str) -> tuple[str, str | None, Callable[[], bool] | None]:
        self.record((template,))
        return self.inner.get_source(environment, template)

    def record(self, names: Iterable[str]) -> None:
        for capture in (self.loaded, *self.capturing):
            capture.update(names)


def _escape_text(text: str) -> str:
    """The five replacements MarkupSafe's escaping makes, as a str: for a MarkupSafe without its C `_escape_inner`
    (`_ESCAPE_TEXT` takes that one where it is, as in 3.x)."""
    return (text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;").replace("'", "&#39;")
            .replace('"', "&#34;"))


_ESCAPE_TEXT: Callable[[str], str] = getattr(markupsafe, "_escape_inner", _escape_text)


def escape_output(value: object) -> str:
    """What a template writes for `{{ value }}` under autoescape: MarkupSafe's `escape`, without the Markup.

    Jinja's compiled templates call `escape` only on what they output, and output is only joined: into the
    page, or into a block or macro's text, which Jinja then wraps in Markup itself. Profile of a cold 1,000-item
    build: 115,000 calls, each building a Markup through its Python `__new__` (0.5 to 0.9 µs a call, against
    0.1 to 0.2 µs here). tests/render/test_direct_calls.py renders the theme both ways."""
    if type(value) is str:
        return _ESCAPE_TEXT(value)
    html = getattr(value, "__html__", None)
    if html is not None:
        return html()
    return _ESCAPE_TEXT(str(value))


class RecordingTemplate(Template):
    """A template that keeps its module when imported without context, and still records what the module loaded.

    Profile of a cold 1,000-item build: importing the theme's macros `with context` made each module again for
    every page (15 % of rendering). Jinja keeps a module imported without context, with the globals it was made
    with; here it is kept per binding of the environment (`bind_model`), so a rebound model or new helpers make it
    again. A kept module no longer loads what it imports, so the templates it loaded when made are recorded again
    each time it is used: a page's key still covers every template its render read.
    """

    _kept_module: tuple[object, TemplateModule, frozenset[str]] | None = None  # binding, module, its imports

    @classmethod
    def from_code(cls, environment: Environment, code: CodeType, globals: MutableMapping[str, Any],  # noqa: A002
                  uptodate: Callable[[], bool] | None = None) -> Template:
        """Jinja's template, its output escaped by `escape_output` (the module's functions share its globals)."""
        template = super().from_code(environment, code, globals, uptodate)
        namespace = template.root_render_func.__globals__
        if namespace.get("escape") is markupsafe.escape:
            namespace["escape"] = escape_output
        if namespace.get("Macro") is Macro:
            namespace["Macro"] = ThemeMacro
        return template

    def _get_default_module(self, ctx: Context | None = None) -> TemplateModule:
        env, loader = self.environment, self.environment.loader
        fresh = ctx is not None and _has_own_globals(ctx, self)  # Jinja makes it anew then
        if fresh or not isinstance(env, RecordingEnvironment) or not isinstance(loader, RecordingLoader):
            return super()._get_default_module(ctx)
        kept = self._kept_module
        if kept is not None and kept[0] is env.binding:
            loader.record(kept[2])
            return kept[1]
        imported: set[str] = set()
        loader.capturing.append(imported)
        try:
            module = self.make_module()
        finally:
            loader.capturing.remove(imported)
        self._kept_module = (env.binding, module, frozenset(imported))
        return module


def _has_own_globals(ctx: Context, template: Template) -> bool:
    """Whether the importing context has globals the imported template lacks (Jinja's test, `ctx.globals_keys -
    template.globals.keys()`, went through the ChainMap's key view in Python: 8 % of rendering). A context has
    every environment global; one with no others has none the template lacks (the template's include them)."""
    if len(ctx.globals_keys) == len(template.environment.globals):
        return False
    return bool(ctx.globals_keys - template.globals.keys())


# What Jinja marks a callable that takes the eval context with; Jinja's Macro.__call__ takes it (the autoescape of
# the place it is called from, which `{% autoescape false %}` turns off).
_EVAL_CONTEXT = pass_eval_context(lambda context: context).jinja_pass_arg  # type: ignore[attr-defined]
_MACRO_TAKES_EVAL_CONTEXT = getattr(Macro.__call__, "jinja_pass_arg", None) is _EVAL_CONTEXT


class ThemeMacro(Macro):
    """Jinja's Macro, called straight when there are no arguments to match: positional ones only, and no
    caller, `varargs` or `kwargs` in its body (a missing argument is passed as Jinja passes it, `missing`).

    Profile of a cold 1,000-item build: 21,000 macro calls, each matching its arguments in Python in
    `Macro.__call__` and `_invoke`. Any other call, or a macro of an async environment, is Jinja's own."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._plain = not (self.caller or self.catch_kwargs or self.catch_varargs or self.explicit_caller
                           or self._environment.is_async)

    @internalcode
    @pass_eval_context
    def __call__(self, *args: Any, **kwargs: Any) -> str:
        if self._plain and not kwargs and args and type(args[0]) is EvalContext:
            given = len(args) - 1
            if given <= self._argument_count:
                output = self._func(*args[1:], *(missing,) * (self._argument_count - given))
                return markupsafe.Markup(output) if args[0].autoescape else output
        return super().__call__(*args, **kwargs)


class DirectCallContext(Context):
    """Jinja's context, calling the theme's macros and plain functions without Jinja's per-call inspection.

    Profile of a cold 1,000-item build: templates call a macro, t(), url() or a method 80,000 times, each through
    `Context.call`, which asks the callable and its `__call__` whether it takes the context, environment or eval
    context (five attribute lookups) before calling it: 11 % of rendering's profile. A macro always takes the eval
    context, and gets it here as Jinja gives it; a function or method takes one only when it carries
    `jinja_pass_arg` (pass_context and the like), so those, and every other kind of callable, still go through
    Jinja's own `call`. tests/render/test_direct_calls.py renders the same templates through both.
    """

    @internalcode
    def call(__self, __obj: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:  # noqa: N805 (Jinja's names)
        kind = type(__obj)
        if (kind is ThemeMacro or kind is Macro) and _MACRO_TAKES_EVAL_CONTEXT:
            args = (__self.eval_ctx, *args)
        elif kind is not FunctionType and kind is not MethodType or hasattr(__obj, "jinja_pass_arg"):
            return super().call(__obj, *args, **kwargs)
        __traceback_hide__ = True  # noqa: F841 (Jinja's traceback rewriting leaves this frame out)
        if kwargs:
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.environment.undefined("value was undefined because a callable raised a StopIteration"
                                                " exception")


class RecordingEnvironment(Environment):
    """Records every template name a render requests (extends, include, import), cached or not.

    A name is recorded before it is loaded, so a page also depends on a template
    it asked for that does not exist yet.
    """

    template_class = RecordingTemplate
    context_class = DirectCallContext
    binding: object = None  # replaced by bind_model: modules kept for another binding are made again

    def _load_template(self, name: str, globals: MutableMapping[str, Any] | None) -> Template:  # noqa: A002
        loader = self.loader
        if isinstance(loader, RecordingLoader):
            loader.record((name,))
        return super()._load_template(name, globals)


def current_page() -> str:
    """The path of the page being rendered, which url() and asset() are relative to.

    Not read from Jinja's context: a macro of a kept module (RecordingTemplate) has no page in its context, and a
    function that takes the context is handed a copy of it made for that call whenever it is called in a loop or
    a block (`Context.derived`, 8 % of rendering)."""
    path = _CURRENT_PAGE.get()
    if path is None:
        raise RuntimeError("url(), asset() and picture_tag() work only while a page renders (PageRenderer)")
    return path


def _target_path(target: object) -> str:
    if isinstance(target, str):
        return target
    path = getattr(target, "href_path", None) or getattr(target, "url_path", None)
    if isinstance(path, str):
        return path
    raise TypeError(f"url() needs a page path, an item, a unit or a media file, not {target!r}")


def make_environment(templates_dir: Path, model: SiteModel, helpers: dict[str, object] | None = None,
                     screens: Sized | None = None) -> tuple[Environment, RecordingLoader]:
    """The environment; `helpers` (from the asset stage: asset, picture_tag) replace or add globals.

    The dev server keeps one environment and rebinds it to each new model (bind_model).
    """
    env, loader = theme_environment(templates_dir)
    bind_model(env, model, helpers, screens)
    return env, loader


def theme_environment(templates_dir: Path) -> tuple[Environment, RecordingLoader]:
    """The environment before any model is bound: what compiling a template depends on (engine/compiled.py
    compiles the theme with it before the model exists)."""
    loader = RecordingLoader(templates_dir)
    env = RecordingEnvironment(
        loader=loader,
        autoescape=select_autoescape(enabled_extensions=("html", "htm", "xml", "svg"), default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # whoever edits templates clears env.cache (the dev server does)
    )

    def url(target: object) -> str:
        return relative_url(current_page(), _target_path(target))

    def asset(path: str) -> str:
        return relative_url(current_page(), "assets/" + path.lstrip("/"))

    # Filters and `t` read the language at call time: compiled templates keep the
    # filter functions they saw first, and a rebound model may change language.
    def format_date(value: object) -> str:
        lang = str(env.globals["lang"])
        return value.display(lang) if isinstance(value, PartialDate) else ("" if value is None else str(value))

    env.globals.update(url=url, asset=asset, t=lambda key: label(key, str(env.globals["lang"])))
    env.filters["date"] = format_date
    # <time datetime=...>: the machine-readable form HTML requires, year-only and year-month dates included
    env.filters["datetime"] = lambda value: value.iso() if isinstance(value, PartialDate) else ""
    env.filters["label"] = lambda value: label(value, str(env.globals["lang"])) if value is not None else ""
    return env, loader


def bind_model(env: Environment, model: SiteModel, helpers: dict[str, object] | None = None,
               screens: Sized | None = None) -> None:
    """Point an environment's globals at a (new) model and its screens, keeping its compiled templates (the
    modules made with the old globals are made again)."""
    if isinstance(env, RecordingEnvironment):
        env.binding = object()
    env.globals.update(
        site=model.config,
        units=model.config.units,
        collections=model.collections,
        collection_names=tuple(model.collections),  # names only: reading them depends on no item
        screens=screens,
        lang=model.config.language,
    )
    env.globals.update(helpers or {})

