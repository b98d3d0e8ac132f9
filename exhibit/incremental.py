"""Rebuilds after edits, redoing only what the edit touched; the dev server's engine.

Each build re-reads the changed files (the rest come from SourceCache), links the
whole model again (cheap), plans again (pure), then renders only the pages whose
inputs changed (exhibit/deps.py), writes only files whose bytes changed, and
deletes outputs that are gone. The first successful build, and any build after
site/ went missing, writes everything through the staging folder, exactly as
`build` does. A build with errors writes nothing and keeps its changes pending,
so the build that fixes them redoes everything they touched.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment

from exhibit.deps import (
    DependencyMap,
    InputCollector,
    TemplateScanner,
    fingerprints,
    page_dependencies,
    template_key,
)
from exhibit.diagnostics import Diagnostics
from exhibit.inplace import copy_if_changed, ensure_marker, has_marker, remove_output, write_if_changed
from exhibit.markup import StoryCache
from exhibit.media import ImageProbes
from exhibit.messages import normalise_language
from exhibit.model import SiteModel
from exhibit.modelcache import CachingModelBuilder, ItemCache
from exhibit.output import OutputRefused, StagedOutput
from exhibit.pipeline import Project, _check_layout
from exhibit.plan import SitePlan, plan_site
from exhibit.render import PageRenderer
from exhibit.sourcecache import SourceCache
from exhibit.templates import bind_model, make_environment

WriteGuard = Callable[[], AbstractContextManager[object]]


@dataclass
class Change:
    """What a build did to the output folder."""

    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def css_only(self) -> bool:
        """Only stylesheets changed: open pages can swap them without reloading."""
        paths = self.written + self.removed
        return bool(paths) and all(path.endswith(".css") for path in paths)


@dataclass
class IncrementalResult:
    diagnostics: Diagnostics
    language: str
    change: Change = field(default_factory=Change)
    rendered: int = 0
    pages: int = 0
    full: bool = False
    written: bool = False
    skipped: bool = False
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.diagnostics.has_errors()


def _templates_in(inputs: frozenset[str]) -> list[str]:
    return [key.removeprefix("templates/") for key in inputs if key.startswith("templates/")]


@dataclass
class _SiteState:
    """The output folder as the last successful build left it."""

    deps: DependencyMap
    fingerprints: dict[str, object]


@dataclass
class _Work:
    """What one build decided to write."""

    pages: dict[str, bytes] = field(default_factory=dict)
    copies: dict[str, Path] = field(default_factory=dict)
    deps: DependencyMap = field(default_factory=DependencyMap)


class IncrementalBuilder:
    """Keeps a site's parsed inputs and dependency map in memory between builds."""

    def __init__(self, project: Project, lang: str | None = None,
                 write_guard: WriteGuard = contextlib.nullcontext) -> None:
        self.project = Project(project.root.resolve(), project.out.resolve())
        self.lang = lang
        self.write_guard = write_guard
        self.sources = SourceCache(self.project.root)
        self.probes = ImageProbes()
        self.stories = StoryCache()
        self.items = ItemCache()
        self.pending: set[str] = set()
        self._state: _SiteState | None = None
        self._env: Environment | None = None
        self._scanner: TemplateScanner | None = None
        self._scanned = False
        self._last: IncrementalResult | None = None

    def build(self, changed: Iterable[Path] | None = None) -> IncrementalResult:
        """Rebuild after `changed` files (None: find out by comparing every file)."""
        started = time.perf_counter()
        diagnostics = Diagnostics()
        result = IncrementalResult(diagnostics, normalise_language(self.lang))
        if _check_layout(self.project, diagnostics):
            self._note_changes(changed)
            if not self.pending and self._last is not None and self._state is not None \
                    and has_marker(self.project.out):
                return IncrementalResult(self._last.diagnostics, self._last.language, skipped=True,
                                         seconds=time.perf_counter() - started)
            self._build(result)
        result.seconds = time.perf_counter() - started
        self._last = result
        return result

    def _note_changes(self, changed: Iterable[Path] | None) -> None:
        paths = None if changed is None else list(changed)
        if paths is None or not self._scanned or any(path.is_dir() for path in paths):
            # First builds and folder changes compare everything (the watcher asks for that
            # itself when a folder is renamed or deleted, since it cannot list what was inside).
            self.pending |= self.sources.scan()
            self._scanned = True
        else:
            self.pending |= self.sources.update(paths)
        if any(key.startswith("templates/") for key in self.pending):
            self._env = None  # compiled templates are stale

    def _build(self, result: IncrementalResult) -> None:
        diagnostics = result.diagnostics
        config, problems = self.sources.config(self.lang)
        diagnostics.extend(problems)
        if config is None:
            return
        result.language = config.language
        diagnostics.extend(self.sources.lint_config(config.language))
        records = self.sources.records(config.language, diagnostics)
        project = self.project
        model = CachingModelBuilder(project.root, project.content_dir, project.assets_dir, config, diagnostics,
                                    self.probes, self.stories, self.items, self.sources.version_of).build(records)
        plan = plan_site(model, project.assets_dir, diagnostics)
        self.stories.forget_except({record.rel for record in records})
        prints = fingerprints(model)
        work = self._render(model, plan, prints, diagnostics, result)
        if diagnostics.has_errors():
            return
        if self._write(work, plan, result, diagnostics):
            self._state = _SiteState(work.deps, prints)
            self.pending.clear()

    # --- deciding and rendering ----------------------------------------------------------------
    def _environment(self, model: SiteModel) -> Environment:
        if self._env is None:
            self._env, _ = make_environment(self.project.templates_dir, model)
            self._scanner = TemplateScanner(self._env, self.project.templates_dir)
        else:
            bind_model(self._env, model)
        return self._env

    def _is_full(self) -> bool:
        return self._state is None or not has_marker(self.project.out)

    def _render(self, model: SiteModel, plan: SitePlan, prints: dict[str, object], diagnostics: Diagnostics,
                result: IncrementalResult) -> _Work:
        env = self._environment(model)
        renderer = PageRenderer(env, self.project.templates_dir, self.project.root, diagnostics)
        collector = InputCollector(model, self.project.root)
        scanner = self._scanner or TemplateScanner(env, self.project.templates_dir)
        scanner.new_build()
        full = self._is_full()
        state = self._state
        changed = set(self.pending)
        if state is not None:
            changed |= {key for key, value in prints.items() if state.fingerprints.get(key) != value}
        work = _Work()
        whole_site: list[bool] = []  # computed once, and only if a page reads the whole site

        def whole_site_changed() -> bool:
            if not whole_site:
                whole_site.append(not collector.all_items().isdisjoint(changed))
            return whole_site[0]

        for page in plan.pages:
            old = state.deps.inputs_of(page.path) if state is not None else frozenset()
            if full or not old or template_key(page.template) not in old or not old.isdisjoint(changed) \
                    or collector.page_touched(page, changed) \
                    or scanner.reads_whole_site(_templates_in(old)) and whole_site_changed():
                rendered = renderer.render(page)
                if rendered is not None:
                    work.pages[page.path] = rendered.html
                    work.deps.add(page.path, page_dependencies(collector, scanner, page, rendered.templates))
                    result.rendered += 1
            else:
                # Nothing it was made from changed, so it is made from the same inputs as before.
                work.deps.add(page.path, old)
        for file in plan.files:
            key = collector.rel(file.source)
            work.deps.add(file.path, {key})
            old = state.deps.inputs_of(file.path) if state is not None else frozenset()
            if full or not old or key in changed:
                work.copies[file.path] = file.source
        result.pages = len(plan.pages)
        result.full = full
        return work

    # --- writing ---------------------------------------------------------------------------------
    def _write(self, work: _Work, plan: SitePlan, result: IncrementalResult, diagnostics: Diagnostics) -> bool:
        try:
            with self.write_guard():
                if result.full:
                    self._write_staged(work, result)
                else:
                    self._write_in_place(work, result)
        except OutputRefused:
            diagnostics.error("out_not_site", folder=str(self.project.out))
            return False
        except OSError as error:
            diagnostics.error("write_failed", detail=f"{error.filename or ''} {error.strerror or error}".strip())
            return False
        result.written = True
        return True

    def _write_staged(self, work: _Work, result: IncrementalResult) -> None:
        output = StagedOutput(self.project.out)
        output.open()
        try:
            for path, html in work.pages.items():
                output.write(path, html)
            for path, source in work.copies.items():
                output.copy(path, source)
            output.commit()
        except BaseException:
            output.discard()
            raise
        result.change.written = sorted([*work.pages, *work.copies])

    def _write_in_place(self, work: _Work, result: IncrementalResult) -> None:
        out = self.project.out
        written = [path for path, html in work.pages.items() if write_if_changed(out / path, html)]
        written += [path for path, source in work.copies.items() if copy_if_changed(out / path, source)]
        stale = self._state.deps.paths() - work.deps.paths() if self._state is not None else set()
        removed = [path for path in sorted(stale) if remove_output(out, path)]
        ensure_marker(out)
        result.change.written = sorted(written)
        result.change.removed = removed
