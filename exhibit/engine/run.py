"""The one build engine behind `build`, `check` and `serve`: each run redoes only what its inputs changed.

A run: layout check → nothing changed since the last build? stop → read and
model → plan → each page's key (engine/keys.py) → render, in worker processes,
only the pages whose key is not in the cache, each put into the page store as it
arrives → the asset stage finishes the pages one at a time, read back from the
store, as they are written (no run holds every page's HTML) → the site is staged
(unchanged files hard-linked, so they keep their mtime) and swapped in atomically
→ the state is saved for the next run.
A `build` and a running `serve` on one root take turns through a file lock.

The stages (Jinja, the model, the asset stage) are imported only once a run
knows it has work to do: a build with nothing changed stops before paying for them.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from exhibit.diagnostics import Diagnostics
from exhibit.engine.cache import BuildState, EngineCache, PageEntry, UsedEntries, digest
from exhibit.engine.keys import FileHashes, PageKeys, input_signature
from exhibit.engine.latelint import LateLint
from exhibit.engine.lock import SiteWriteLock
from exhibit.engine.pagestore import PageStore
from exhibit.engine.result import BuildResult, EngineOptions, WriteGuard
from exhibit.engine.scope import fewer_collections, scratch_cache
from exhibit.i18n import normalise_language
from exhibit.project import Project, check_layout
from exhibit.render.inplace import InPlaceOutput
from exhibit.render.output import OutputRefused, StagedOutput, marker_identity

if TYPE_CHECKING:
    from jinja2 import Environment

    from exhibit.assets.stage import AssetOptions, AssetStage, FinishedSite
    from exhibit.engine.finish import FinishedPage
    from exhibit.engine.stages import LoadedSite
    from exhibit.kiosk.screens import ScreenSet
    from exhibit.model.sitemodel import SiteModel
    from exhibit.render.outputs import SitePlan

_HASHED_COPY_LIMIT = 256 * 1024


def build(project: Project, lang: str | None = None, write: bool = True, minify: bool = False,
          progress: bool = False, subset_font: bool | None = None, jobs: int | None = None) -> BuildResult:
    """Run every stage; write the site only when the whole run found no error."""
    return Engine(project, EngineOptions(lang, write, minify, progress, subset_font, jobs)).run()


class Engine:
    """One run of the engine over a project; `write_guard` is held while site/ is swapped (the preview's)."""

    def __init__(self, project: Project, options: EngineOptions,
                 write_guard: WriteGuard = contextlib.nullcontext) -> None:
        self.project = project
        self.options = options
        self.write_guard = write_guard
        self.cache = EngineCache(project.root, writable=options.write, resident=options.preview)
        self.template_reads: dict[str, tuple[tuple[int, int] | None, bool]] = {}
        self._scratch: Path | None = None  # `check`'s asset cache: a temporary folder, never ROOT/.exhibit-cache
        self._patched = False  # this run's model is the preview's last one, patched (engine/resident.py)
        self._rendered_with: tuple[Environment, str] | None = None  # the environment and globals' hash of _pages
        self._unsaved: list[Callable[[], None]] = []  # the content caches' saves, left for `_save_caches`
        self._page_characters: dict[str, str] | None = None  # each character the pages show -> a page showing it
        self._uncounted: set[str] = set()  # pages whose characters no build counted since they changed
        self._late = LateLint()  # the copy lint left running to the end of the run

    def run(self) -> BuildResult:
        started = time.perf_counter()
        diagnostics = Diagnostics()
        result = BuildResult(diagnostics, normalise_language(self.options.lang))
        if check_layout(self.project, diagnostics):
            with fewer_collections():
                result = self._locked_run(result)
        result.seconds = time.perf_counter() - started
        return result

    def _locked_run(self, result: BuildResult) -> BuildResult:
        """The run, holding the site's write lock; a damaged stored page makes it start over, trusting none."""
        lock = SiteWriteLock(self.project.root) if self.options.write else contextlib.nullcontext()
        with lock, scratch_cache(self.options.write) as scratch:
            self._scratch = scratch
            layout = list(result.diagnostics.items)
            try:
                self._run(result)
            except DamagedPage:
                result = BuildResult(Diagnostics(), normalise_language(self.options.lang))
                result.diagnostics.extend(layout)
                self._run(result, trust_pages=False)
            finally:
                self._late.stop()
        return result

    def _run(self, result: BuildResult, trust_pages: bool = True) -> None:
        state = self.cache.load_state()
        signature, stats = input_signature(self.project.root, self.options.signature())
        site_is_last = state.marker is not None and state.marker == marker_identity(self.project.out)
        if self.options.write and state.signature == signature and site_is_last:
            self._output().recover_leftovers()  # what a killed build left beside site/
            result.restore_from(state)
            return
        result.full = not site_is_last
        self._compile_theme_early(stats)  # first: its process imports Jinja while this one imports the stages
        from exhibit.assets.stage import AssetStage  # the stages: only now that there is work
        from exhibit.engine.stages import plan_site
        hashes = FileHashes(self.project.root, stats, state.file_hashes)
        loaded = self._load(result, hashes)
        if loaded is None:
            return
        config, model, screens = loaded
        result.language = config.language
        assets = AssetStage(self.project.root, self.project.content_dir, self.project.assets_dir, config,
                            result.diagnostics, self._asset_options())
        result.assets = assets.report
        assets.prepare(model, screens)
        plan = plan_site(model, screens, self.project.assets_dir, result.diagnostics, self.project.templates_dir)
        result.items = sum(1 for _ in model.items())
        result.pages = len(plan.pages)
        with contextlib.closing(self.cache.open_pages()) as store, self._staged_early(plan, state,
                                                                                     site_is_last) as staged:
            if store.fresh or not trust_pages:  # nothing an earlier build stored is in it, or it failed a check
                state = dataclasses.replace(state, pages={})
            paths, entries = self._pages(model, screens, plan, assets, hashes, state, result, store)
            site = assets.finish(paths, lambda path: _stored(store, entries[path]), plan.files, plan.generated)
            result.page_paths = paths
            result.files = len(site.files) + len(site.generated)
            if self.options.write and not result.diagnostics.has_errors():
                new_state = BuildState(signature, None, entries, file_hashes=_known_hashes(state, stats, hashes),
                                       asset_urls=dict(assets.report.asset_urls), finish_key=site.finish_key,
                                       items=result.items, pages_total=result.pages, files_total=result.files,
                                       language=config.language, diagnostics=[],  # `_write` adds them
                                       template_reads=self.template_reads, page_characters=self._page_characters,
                                       uncounted_pages=self._uncounted)
                result.written = self._write(site, state, new_state, result, store, staged)
                if result.written:
                    store.keep_only(entry.key for entry in new_state.pages.values())
                if result.written and self.options.preview:
                    self._keep_render(plan, site)
            self._late.take(result.diagnostics)  # when `_write` did not take it (nothing written)
            site.settle()  # not written: the font (if any) is still reported, and its cut not left running

    def _load(self, result: BuildResult, hashes: FileHashes) -> LoadedSite | None:
        """Read and model the site through the caches of rendered stories, lint findings and records; save them.

        The preview's runs first try the model their process kept (engine/resident.py). What the caches gained is
        saved by `_save_caches`, once the first pages have rendered: profile of a cold 1,000-item build, pickling
        them took the parent 0.08 s while the second core idled before the render workers started (0.35 s at 5,000
        items). The caches go then: the records they hold are not kept alive while pages render."""
        from exhibit.engine.stages import ModelSources, load_site
        rendered = UsedEntries(self.cache.load_rendered())
        findings = UsedEntries(self.cache.load_lint())
        records = UsedEntries(self.cache.load_records())
        newest = max((stat[1] for rel, stat in hashes.stats.items() if rel.startswith("content/")), default=0)
        caches = ((rendered, self.cache.save_rendered), (findings, self.cache.save_lint),
                  (records, self.cache.save_records))
        if self.options.preview:
            from exhibit.engine import resident
            loaded = resident.patched_site(self.project, self.options.signature(), hashes.stats, result.diagnostics,
                                           resident.Caches(records, findings, rendered, hashes.content), newest)
            if loaded is not None:  # only the changed files' entries were asked for: the others stay
                self._patched = True
                for cache, save in caches:
                    if cache.added:
                        save(cache, cache.added, added_only=True)
                return loaded
        sources = ModelSources() if self.options.preview else None
        self._late.stop()  # a run started over (DamagedPage) lints again
        late = None if self.options.preview else self._late.pending  # the preview's model keeps its warnings
        loaded = load_site(self.project, result.diagnostics, self.options.lang, None, self.options.jobs,
                           findings, records, hashes.content, newest, rendered, sources, late, hashes.take_bytes)
        if self._late.save_findings_with(findings, self.cache.save_lint):
            caches = tuple((cache, save) for cache, save in caches if cache is not findings)
        self._unsaved = [functools.partial(save, cache.in_use(), cache.added) for cache, save in caches
                         if cache.changed()]
        if loaded is None:
            self._save_caches()
        if sources is not None:
            from exhibit.engine import resident
            if loaded is None:
                resident.forget(self.project.root)
            else:
                resident.keep(self.project.root, self.options.signature(), hashes.stats, loaded, sources)
        return loaded

    def _save_caches(self) -> None:
        """Save what `_load` left to save (once; later calls do nothing)."""
        unsaved, self._unsaved = self._unsaved, []
        for save in unsaved:
            save()

    def _compile_theme_early(self, stats: dict[str, tuple[int, int]]) -> None:
        """A site large enough for its pages to render on every core gets its theme compiled while it is read."""
        from exhibit.engine.precompile import COMPILE_EARLY_FROM, compile_theme_in_background
        if self.cache.writable and sum(rel.startswith("content/") for rel in stats) >= COMPILE_EARLY_FROM:
            compile_theme_in_background(self.project.templates_dir, self.cache.dir / "jinja")

    def _keep_render(self, plan: SitePlan, site: FinishedSite) -> None:
        """What the next save's quick pass renders and finishes with (engine/quick.py)."""
        from exhibit.engine import resident
        render = None
        if self._rendered_with is not None:
            env, global_hash = self._rendered_with
            showcase = plan.pages[:len(plan.pages) - plan.screen_pages]  # screens: loaded again by each run
            render = resident.KeptRender(env, {page.path: page for page in showcase}, global_hash,
                                         site.finish_page, site.finish_key)
        resident.keep_render(self.project.root, render)

    def _asset_options(self) -> AssetOptions:
        from exhibit.assets.stage import AssetOptions
        options = self.options
        subset = options.write if options.subset_font is None else options.subset_font
        return AssetOptions(minify=options.minify, progress=options.progress, subset_font=subset,
                            cache_dir=self._scratch)

    # --- pages: keys, the cache, rendering ------------------------------------------------------
    def _pages(self, model: SiteModel, screens: ScreenSet, plan: SitePlan, assets: AssetStage, hashes: FileHashes,
               state: BuildState, result: BuildResult, store: PageStore) -> tuple[list[str], dict[str, PageEntry]]:
        """Every page rendered into `store` unless its key is there already: the paths of the pages it holds.

        The asset stage reads them back one at a time (`entries` has each page's key), so none is held here.
        A page kept from the last build is not read here: most are linked from the last site unread, and one
        that is read and fails its check stops the run (DamagedPage), which `run` then does again."""
        from exhibit.assets.screens import largest_screen
        from exhibit.engine.compiled import CompiledTemplates
        from exhibit.engine.deps import InputCollector, TemplateScanner, fingerprints
        from exhibit.engine.render import render_pages, report_once, templates_first
        from exhibit.render.templates import make_environment
        from exhibit.workers import worker_count

        project = self.project
        env, _ = make_environment(project.templates_dir, model, assets.template_helpers(), screens)
        collector = InputCollector(model, project.root)
        on_disk = None
        if self.cache.writable:  # compiled templates kept by source checksum (Jinja's own cache)
            from jinja2 import FileSystemBytecodeCache
            (self.cache.dir / "jinja").mkdir(parents=True, exist_ok=True)
            on_disk = FileSystemBytecodeCache(str(self.cache.dir / "jinja"))
        env.bytecode_cache = CompiledTemplates(on_disk)
        scanner = TemplateScanner(env, project.templates_dir, dict(state.template_reads))
        self.template_reads = scanner.known
        hashes.set_values(dict(fingerprints(model)))
        box = largest_screen((screen.width, screen.height) for screen in screens)
        global_hash = digest(repr((model.config.language, len(screens), box)).encode())
        self._rendered_with = (env, global_hash)

        previous = None
        if self._patched:
            from exhibit.engine import resident
            previous = resident.kept_keys(project.root)
        keys = PageKeys(hashes, collector, scanner, global_hash, previous, keep=self.options.preview)

        def key_of(index: int, templates: frozenset[str]) -> str:
            return keys.key(plan.pages[index], templates)

        templates: list[frozenset[str] | None] = [None] * len(plan.pages)
        entries: dict[str, PageEntry] = {}
        missing: list[int] = []
        for index, page in enumerate(plan.pages):
            entry = state.pages.get(page.path)
            if entry is not None and entry.key == key_of(index, entry.templates):
                templates[index], entries[page.path] = entry.templates, entry
            else:
                missing.append(index)
        reported: set[tuple[str | None, int | None, str]] = set()
        jobs = worker_count(self.options.jobs)
        font = assets.font_prefetch(len(missing), [file.data.decode("utf-8") for file in plan.generated])
        kept = dict(entries)  # the pages that come out as they were
        font.begin(state.page_characters, state.uncounted_pages, kept, lambda path: _stored(store, kept[path]))
        for done in render_pages(env, plan.pages, templates_first(missing, plan.pages), project.templates_dir,
                                 project.root, jobs, font.counting):
            self._save_caches()  # the first pages are back: the workers render on while this process saves
            report_once(done.problems, reported, result.diagnostics)
            if done.html is None:
                continue
            font.seen(plan.pages[done.index].path, done.new_chars)
            key = key_of(done.index, done.templates)
            store.put(key, done.html)  # streamed: from here on the page is read back one at a time
            templates[done.index] = done.templates
            entries[plan.pages[done.index].path] = PageEntry(key, done.templates, digest(done.html))
        self._save_caches()  # no page rendered
        font.complete()
        self._page_characters, self._uncounted = font.for_next_build(entries)
        store.commit()
        if self.options.preview:
            from exhibit.engine import resident
            resident.keep_keys(project.root, keys.kept())
        result.rendered_paths = [plan.pages[index].path for index in missing]
        result.change.rerendered = 0 if result.full else len(missing)
        return [page.path for page, used in zip(plan.pages, templates, strict=True) if used is not None], entries

    # --- writing ---------------------------------------------------------------------------------
    def _write(self, site: FinishedSite, old: BuildState, new: BuildState, result: BuildResult,
               store: PageStore, staged: StagedOutput | None) -> bool:
        """site/ written (staged and swapped in, or, for the preview on its own last site, in place)."""
        try:
            if self.options.preview and not result.full:
                try:
                    self._write_outputs(InPlaceOutput(self.project.out, old.outputs), site, old, new, store)
                except (OSError, OutputRefused):  # a file where a folder must go, a full disk: stage it all
                    new.outputs.clear()
                    new.output_stats.clear()
                    self._write_outputs(self._output(), site, old, new, store)
            else:
                self._write_outputs(staged or self._output(), site, old, new, store)
        except OutputRefused:
            result.diagnostics.error("out_not_site", folder=str(self.project.out))
            return False
        except OSError as error:
            result.diagnostics.error("write_failed",
                                     detail=f"{error.filename or ''} {error.strerror or error}".strip())
            return False
        self._late.take(result.diagnostics)  # last: its workers had the finishing's idle cores too
        new.diagnostics = list(result.diagnostics.items)
        new.marker = marker_identity(self.project.out)
        self.cache.save_state(new)
        result.change.describe(BuildState() if result.full else old, new)
        return True

    def _write_outputs(self, output: StagedOutput | InPlaceOutput, site: FinishedSite, old: BuildState,
                       new: BuildState, store: PageStore) -> None:
        """Every page, generated and copied file into `output`, then committed; on any failure nothing is."""
        from exhibit.engine.finish import link_unchanged_page  # the workers' module: only for a run that writes
        try:
            output.open()
            fresh = [path for path in site.pages if not link_unchanged_page(output, path, site.finish_key, old, new)]
            for page in self._finish_pages(output, site, [(path, new.pages[path]) for path in fresh], store):
                if page.stat is None:
                    raise DamagedPage(new.pages[page.path].key)
                new.output_stats[page.path], new.outputs[page.path] = page.stat, page.output_hash
            for generated in site.generated:
                output.write(generated.path, generated.data)
                new.outputs[generated.path] = digest(generated.data)
            site.settle()  # the font subset was cut while the pages were written: its file is copied below
            for file in site.files:
                output.copy(file.path, file.source)
                new.outputs[file.path] = _copy_identity(file.source)
            if isinstance(output, StagedOutput):
                output.release(new.output_stats)
            with self.write_guard():
                output.commit()
        except BaseException:
            output.discard()
            raise

    @contextlib.contextmanager
    def _staged_early(self, plan: SitePlan, state: BuildState, site_is_last: bool) -> Iterator[StagedOutput | None]:
        """A run that will stage many pages the current site lacks opens its staging now and has their files
        created while the pages render (render/output.py `reserve`); the folder goes when the run ends without
        swapping it in. Not for the preview's runs that write in place, nor a site folder that is not ours
        (reported when written)."""
        from exhibit.engine.finish import many_pages
        from exhibit.render.output import is_replaceable
        new = [page.path for page in plan.pages if not site_is_last or page.path not in state.outputs]
        if (not self.options.write or (self.options.preview and site_is_last) or not many_pages(len(new))
                or not is_replaceable(self.project.out)):
            yield None
            return
        staged = self._output()
        try:
            staged.open()
            staged.reserve(new)
            yield staged
        finally:
            staged.discard()  # after a commit its folder holds nothing of ours: nothing is removed

    def _output(self) -> StagedOutput:
        """site/'s staging; the preview's old sites are removed by a thread, after the new one is announced."""
        return StagedOutput(self.project.out, self.cache.dir / "old-sites" if self.options.preview else None)

    def _finish_pages(self, output: StagedOutput | InPlaceOutput, site: FinishedSite,
                      pages: list[tuple[str, PageEntry]], store: PageStore) -> Iterator[FinishedPage]:
        """The pages read from the store, finished and staged: on every core when there are many to stage into a
        new site (engine/finish.py), else here (the preview's writes in place are renamed in by this process)."""
        from exhibit.engine.finish import finish_pages, many_pages
        from exhibit.workers import worker_count
        many = isinstance(output, StagedOutput) and many_pages(len(pages))
        return finish_pages(output, site.finish_page, store, pages, worker_count(self.options.jobs) if many else 1)


class DamagedPage(Exception):
    """A page kept in the store is missing or no longer has the bytes the state recorded."""


def _stored(store: PageStore, entry: PageEntry) -> bytes:
    """A page's HTML from the store, checked against the hash recorded when it was rendered."""
    html = store.get(entry.key, entry.html_hash)
    if html is None:
        raise DamagedPage(entry.key)
    return html


def _copy_identity(source: Path) -> str:
    """What tells a copied file's new bytes: its hash when small (theme files, rewritten each run), else its stat."""
    stat = source.stat()
    if stat.st_size <= _HASHED_COPY_LIMIT:
        return digest(source.read_bytes())
    return f"{stat.st_size}:{stat.st_mtime_ns}"


def _known_hashes(state: BuildState, stats: dict[str, tuple[int, int]],
                  hashes: FileHashes) -> dict[str, tuple[int, int, str]]:
    """The hashes worth keeping: last build's for files not changed since, and this run's."""
    kept = {rel: known for rel, known in state.file_hashes.items() if stats.get(rel) == known[:2]}
    kept.update(hashes.hashes)
    return kept
