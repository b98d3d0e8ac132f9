"""Rebuilds after edits, redoing only what the edit touched; the dev server's engine.

Each build re-reads the changed files (the rest come from SourceCache), links the
model again reusing unchanged items (ItemCache), plans again (pure), renders only
the pages whose inputs changed (exhibit/devserver/rebuild/deps.py), lets the asset stage finish
what changed (exhibit/devserver/rebuild/liveassets.py), writes only files whose bytes changed and
deletes outputs that are gone. The first successful build, and any build after
site/ went missing, writes everything through the staging folder, exactly as
`build` does. A build with errors writes nothing and keeps its changes pending,
so the build that fixes them redoes everything they touched.

Pages, copied files and generated files (kiosk playlists) are handled alike:
whatever the plan lists is compared with what was written last time.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment

from exhibit.devserver.rebuild.deps import (
    DependencyMap,
    InputCollector,
    TemplateScanner,
    fingerprints,
    page_dependencies,
    plain_values,
    template_key,
)
from exhibit.devserver.rebuild.inplace import LiveOutput, ensure_marker, has_marker
from exhibit.devserver.rebuild.itempatch import ItemPatch, ItemPatcher
from exhibit.devserver.rebuild.liveassets import Finished, LiveAssets
from exhibit.devserver.rebuild.modelcache import CachingModelBuilder, ItemCache
from exhibit.devserver.rebuild.readlog import item_reads
from exhibit.devserver.rebuild.sourcecache import SourceCache
from exhibit.diagnostics import Diagnostic, Diagnostics
from exhibit.i18n import normalise_language
from exhibit.kiosk.playlists import plan_screens
from exhibit.kiosk.screens import ScreenSet, load_screens, read_kiosk_settings
from exhibit.model.config import SiteConfig
from exhibit.model.markup import StoryCache
from exhibit.model.media import ImageProbes
from exhibit.model.site import SiteModel
from exhibit.pipeline import with_screens
from exhibit.project import Project, check_layout
from exhibit.read.sources import Record, discover_screens
from exhibit.render.output import OutputRefused, StagedOutput
from exhibit.render.outputs import SitePlan
from exhibit.render.renderer import PageRenderer
from exhibit.render.showcase import plan_showcase
from exhibit.render.templates import bind_model, make_environment

WriteGuard = Callable[[], AbstractContextManager[object]]


@dataclass
class Change:
    """What a build did to the output folder."""

    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    rerendered: int = 0
    renamed: dict[str, str] = field(default_factory=dict)  # hashed asset names that changed: old -> new

    @property
    def css_only(self) -> bool:
        """Only stylesheets changed (pages changed at most by a stylesheet's hashed name): no reload needed."""
        if self.rerendered or not (self.written or self.removed):
            return False
        if self.renamed and not all(path.endswith(".css") for path in self.renamed):
            return False
        renamed_pages_only = bool(self.renamed)
        return all(path.endswith(".css") or renamed_pages_only and path.endswith(".html")
                   for path in self.written + self.removed)


@dataclass
class IncrementalResult:
    diagnostics: Diagnostics
    language: str
    change: Change = field(default_factory=Change)
    rendered: int = 0
    pages: int = 0
    full: bool = False
    quick: bool = False  # taken by the quick path (exhibit/devserver/rebuild/itempatch.py)
    written: bool = False
    skipped: bool = False
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.diagnostics.has_errors()


@dataclass
class _SiteState:
    """The output folder as the last successful build left it."""

    deps: DependencyMap
    fingerprints: dict[str, object]
    plain: dict[str, object]  # per page, the plain values of its context (see deps.plain_values)
    whole_site: set[str]  # pages whose templates read every item (see deps.TemplateScanner)


@dataclass
class _LiveSite:
    """The last full build's model and plan, kept for the quick path (see exhibit/devserver/rebuild/itempatch.py)."""

    config: SiteConfig
    model: SiteModel
    screens: ScreenSet
    plan: SitePlan
    patcher: ItemPatcher
    problems: list[Diagnostic]  # that build's diagnostics after the config's, before the asset finish
    screen_problems: list[Diagnostic]


def _by_file(records: list[Record]) -> dict[str, list[Record]]:
    found: dict[str, list[Record]] = {}
    for record in records:
        found.setdefault(record.rel, []).append(record)
    return found


class IncrementalBuilder:
    """Keeps a site's parsed inputs, pages and dependency map in memory between builds."""

    def __init__(self, project: Project, lang: str | None = None,
                 write_guard: WriteGuard = contextlib.nullcontext) -> None:
        self.project = Project(project.root.resolve(), project.out.resolve())
        self.lang = lang
        self.write_guard = write_guard
        self.sources = SourceCache(self.project.root)
        self.probes = ImageProbes()
        self.stories = StoryCache()
        self.items = ItemCache()
        self.assets = LiveAssets(self.project.root, self.project.content_dir, self.project.assets_dir)
        self.output = LiveOutput(self.project.out)
        self.pending: set[str] = set()
        self._rendered: dict[str, bytes] = {}  # every page as rendered, before the asset stage finishes it
        self._state: _SiteState | None = None
        self._env: Environment | None = None
        self._scanner: TemplateScanner | None = None
        self._scanned = False
        self._last: IncrementalResult | None = None
        self._live: _LiveSite | None = None

    def build(self, changed: Iterable[Path] | None = None) -> IncrementalResult:
        """Rebuild after `changed` files (None: find out by comparing every file)."""
        started = time.perf_counter()
        diagnostics = Diagnostics()
        result = IncrementalResult(diagnostics, normalise_language(self.lang))
        if check_layout(self.project, diagnostics):
            self._note_changes(changed)
            if not self.pending and not self._screens_stale() and self._last is not None \
                    and self._state is not None and has_marker(self.project.out):
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

    def _screens_stale(self) -> bool:
        """A content file saved with the same bytes still moves the newest change, which screens show."""
        return bool(self.sources.touched) and self._live is not None and self._live.plan.screen_pages > 0

    def _build(self, result: IncrementalResult) -> None:
        diagnostics = result.diagnostics
        config, problems = self.sources.config(self.lang)
        diagnostics.extend(problems)
        if config is None:
            return
        result.language = config.language
        diagnostics.extend(self.sources.lint_config(config.language))
        if self._quick_build(config, result):
            return
        self._live = None
        start = len(diagnostics.items)
        model, builder, records = self._model(config, diagnostics)
        screens, screen_problems = self._load_screens(model, diagnostics)
        helpers = self.assets.prepare(model, screens, config, diagnostics)
        with item_reads() as placing:  # the fields the plan places items by: a quick edit must keep them
            showcase = plan_showcase(model, self.project.assets_dir)
        plan = with_screens(showcase, plan_screens(model, screens, self.project.assets_dir, self.project.templates_dir),
                            diagnostics)
        prints = fingerprints(model)
        fresh: dict[str, bytes] = {}
        deps, plain, whole = self._render(model, screens, plan, prints, helpers, fresh, diagnostics, result)
        if diagnostics.has_errors():
            return  # pages rendered by a failed build are not kept: the fix renders them again
        rendered = {page.path: fresh.get(page.path) or self._rendered[page.path] for page in plan.pages}
        problems = diagnostics.items[start:]
        finished = self.assets.finish(rendered, plan.files, plan.generated, config, diagnostics)
        if diagnostics.has_errors():
            return
        if self._write(finished, result, diagnostics):
            self._rendered = rendered
            self._state = _SiteState(deps, prints, plain, whole)
            self.pending.clear()
            self.sources.touched.clear()
            patcher = ItemPatcher(builder, model, self.items, _by_file(records), placing)
            self._live = _LiveSite(config, model, screens, plan, patcher, problems, screen_problems)

    def _model(self, config: SiteConfig,
               diagnostics: Diagnostics) -> tuple[SiteModel, CachingModelBuilder, list[Record]]:
        project = self.project
        records = self.sources.records(config.language, diagnostics)
        builder = CachingModelBuilder(project.root, project.content_dir, project.assets_dir, config, diagnostics,
                                      self.probes, self.stories, self.items, self.sources.version_of)
        model = builder.build(records)
        self.stories.forget_except({record.rel for record in records})
        return model, builder, records

    def _load_screens(self, model: SiteModel, diagnostics: Diagnostics) -> tuple[ScreenSet, list[Diagnostic]]:
        """Screens read again (their playlists show items); their problems, also added to `diagnostics`."""
        project, problems = self.project, Diagnostics()
        found = discover_screens(project.root, project.content_dir, problems)
        if found:
            screens = load_screens(found, model, project.root, project.content_dir, project.assets_dir,
                                         problems)
        else:  # as load_screens would make it, without its walk over every file for a time no screen uses
            screens = ScreenSet([], read_kiosk_settings(model.config.extra.get("kiosk"), problems), 0, [])
        diagnostics.extend(problems.items)
        return screens, problems.items

    # --- deciding and rendering ----------------------------------------------------------------
    def _environment(self, model: SiteModel, screens: ScreenSet, helpers: dict[str, object]) -> Environment:
        if self._env is None:
            self._env, _ = make_environment(self.project.templates_dir, model, helpers, screens)
            self._scanner = TemplateScanner(self._env, self.project.templates_dir)
        else:
            bind_model(self._env, model, helpers, screens)
        return self._env

    def _is_full(self) -> bool:
        return self._state is None or not has_marker(self.project.out)

    def _render(self, model: SiteModel, screens: ScreenSet, plan: SitePlan, prints: dict[str, object],
                helpers: dict[str, object], fresh: dict[str, bytes], diagnostics: Diagnostics,
                result: IncrementalResult) -> tuple[DependencyMap, dict[str, object], set[str]]:
        """Render the pages whose inputs changed into `fresh`.

        Returns the dependency map, the plain values of every page and the pages that read the whole site.
        """
        env = self._environment(model, screens, helpers)
        renderer = PageRenderer(env, self.project.templates_dir, self.project.root, diagnostics)
        collector = InputCollector(model, self.project.root)
        scanner = self._scanner or TemplateScanner(env, self.project.templates_dir)
        scanner.new_build()
        full = self._is_full()
        state = self._state
        changed = set(self.pending)
        if state is not None:
            changed |= {key for key, value in prints.items() if state.fingerprints.get(key) != value}
        whole_site: list[bool] = []  # computed once, and only if a page reads the whole site

        def whole_site_changed() -> bool:
            if not whole_site:
                whole_site.append(not collector.all_items().isdisjoint(changed))
            return whole_site[0]

        deps = DependencyMap()
        plain: dict[str, object] = {}
        whole: set[str] = set()  # pages whose templates read the whole site (the `collections` global)
        for page in plan.pages:
            old = state.deps.inputs_of(page.path) if state is not None else frozenset()
            plain[page.path] = plain_values(page.context)
            if full or not old or page.path not in self._rendered or template_key(page.template) not in old \
                    or state is None or state.plain.get(page.path) != plain[page.path] \
                    or not old.isdisjoint(changed) or not changed.isdisjoint(page.sources) \
                    or page.path in state.whole_site and whole_site_changed():
                # (The items a page holds are in its plain values: one it did not hold before re-renders it.)
                rendered = renderer.render(page)
                if rendered is not None:
                    fresh[page.path] = rendered.html
                    deps.add(page.path, page_dependencies(collector, scanner, page, rendered.templates))
                    if scanner.reads_whole_site(rendered.templates):
                        whole.add(page.path)
                    result.rendered += 1
            else:
                # Nothing it was made from changed, so it is made from the same inputs as before.
                deps.add(page.path, old)
                if page.path in state.whole_site:
                    whole.add(page.path)
        result.pages = len(plan.pages)
        result.full = full
        result.change.rerendered = 0 if full else result.rendered
        return deps, plain, whole

    # --- the quick path: an edit that changes what items say, not where they stand ------------------
    def warm_up(self) -> None:
        """Make the quick path's indexes now (the preview calls this when idle), not on the next save."""
        if self._state is not None:
            self._state.deps.readers(())
        if self._live is not None:
            self._live.patcher.warm_up()

    def _quick_build(self, config: SiteConfig, result: IncrementalResult) -> bool:
        """Patch the live items and render only the pages that show them; False if the edit does not qualify."""
        live, state, changed = self._live, self._state, set(self.pending)
        if live is None or state is None or live.config is not config or self._env is None \
                or not (changed or self._screens_stale()) or not has_marker(self.project.out):
            return False
        patch = live.patcher.check(changed, lambda rel: self.sources.file_entry(rel, config.language)) \
            if changed else ItemPatch([], [])  # only the screens' build time moved
        if patch is None:
            return False
        self._live = None  # the live items change now: should this build fail, the next takes the full path
        result.quick = True
        live.patcher.apply(patch)
        self.assets.rewrite_stories(patch.items)
        diagnostics = result.diagnostics
        problems = [d for d in live.problems if d.path not in changed and d not in live.screen_problems]
        problems += patch.problems
        diagnostics.extend(problems)
        plan, screens = live.plan, live.screens
        if plan.screen_pages:
            screens, screen_problems = self._load_screens(live.model, diagnostics)
            problems += screen_problems
            kiosk = plan_screens(live.model, screens, self.project.assets_dir, self.project.templates_dir)
            plan = SitePlan(plan.pages[:-plan.screen_pages] + kiosk.pages, plan.files, kiosk.generated,
                            len(kiosk.pages))
        else:
            screen_problems = []
        fresh, deps = self._render_quick(live.model, plan, state, changed, diagnostics, result)
        if diagnostics.has_errors():
            return True
        finished = self.assets.finish_some(fresh, plan.generated, config, diagnostics)
        if not diagnostics.has_errors() and self._write(finished, result, diagnostics):
            self._rendered.update(fresh)
            for path, inputs in deps.items():
                state.deps.add(path, inputs)
            state.plain.update({page.path: plain_values(page.context) for page in plan.pages[-plan.screen_pages:]}
                               if plan.screen_pages else {})
            self.pending.clear()
            self.sources.touched.clear()
            self._live = _LiveSite(config, live.model, screens, plan, live.patcher, problems, screen_problems)
        return True

    def _render_quick(self, model: SiteModel, plan: SitePlan, state: _SiteState, changed: set[str],
                      diagnostics: Diagnostics,
                      result: IncrementalResult) -> tuple[dict[str, bytes], dict[str, frozenset[str]]]:
        """Render the pages made from a changed file, and the screens whose playlists changed."""
        env = self._env
        assert env is not None and self._scanner is not None
        renderer = PageRenderer(env, self.project.templates_dir, self.project.root, diagnostics)
        collector = InputCollector(model, self.project.root)
        self._scanner.new_build()
        readers = state.deps.readers(changed)
        screens = plan.pages[-plan.screen_pages:] if plan.screen_pages else []
        chosen = [page for page in plan.pages[:len(plan.pages) - len(screens)] if page.path in readers]
        chosen += [page for page in screens if page.path in readers or page.path not in self._rendered
                   or state.plain.get(page.path) != plain_values(page.context)]
        fresh: dict[str, bytes] = {}
        deps: dict[str, frozenset[str]] = {}
        for page in chosen:
            rendered = renderer.render(page)
            if rendered is not None:
                fresh[page.path] = rendered.html
                deps[page.path] = page_dependencies(collector, self._scanner, page, rendered.templates)
                if self._scanner.reads_whole_site(rendered.templates):
                    state.whole_site.add(page.path)  # (templates are unchanged: nothing stops reading it)
        result.rendered = result.change.rerendered = len(fresh)
        result.pages = len(plan.pages)
        return fresh, deps

    # --- writing ---------------------------------------------------------------------------------
    def _write(self, finished: Finished, result: IncrementalResult, diagnostics: Diagnostics) -> bool:
        try:
            with self.write_guard():
                if result.full:
                    self._write_staged(finished, result)
                else:
                    self._write_in_place(finished, result)
        except OutputRefused:
            diagnostics.error("out_not_site", folder=str(self.project.out))
            return False
        except OSError as error:
            diagnostics.error("write_failed", detail=f"{error.filename or ''} {error.strerror or error}".strip())
            return False
        result.written = True
        return True

    def _write_staged(self, finished: Finished, result: IncrementalResult) -> None:
        output = StagedOutput(self.project.out)
        output.open()
        data = {**finished.pages, **{file.path: file.data for file in finished.generated}}
        copies = {file.path: file.source for file in finished.files}
        try:
            for path, content in data.items():
                output.write(path, content)
            for path, source in copies.items():
                output.copy(path, source)
            output.commit()
        except BaseException:
            output.discard()
            raise
        self.output.reset(data, copies)
        result.change.written = sorted([*data, *copies])

    def _write_in_place(self, finished: Finished, result: IncrementalResult) -> None:
        """Write what changed; a quick build's `finished` holds only its pages, so nothing is removed then."""
        output = self.output
        before = output.paths()
        written = [path for path, html in finished.pages.items() if output.write(path, html)]
        written += [file.path for file in finished.generated if output.write(file.path, file.data)]
        written += [file.path for file in finished.files if output.copy(file.path, file.source)]
        current = {*finished.pages, *(file.path for file in finished.generated),
                   *(file.path for file in finished.files)}
        gone = before - current if not finished.partial else set()
        removed = [path for path in sorted(gone) if output.remove(path)]
        ensure_marker(self.project.out)
        result.change.written = sorted(written)
        result.change.removed = removed
        result.change.renamed = finished.renamed
