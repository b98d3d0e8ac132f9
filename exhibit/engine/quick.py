"""The preview's quick pass: the pages a save reached, written and announced before the rest of the run.

Profile (5,000 items, a reworded quote, in process): a whole run took 0.27 s. Reading and patching the one
changed file and rendering the ten pages that show it took a tenth of that; the rest went on what a run does
for every page: the stat walk of every input (30 ms), the plan (22 ms), each page's plain values and key
(100 ms), the check of every output in place (20 ms) and the state (21 ms). `hugo server` answers the same
way (its "fast render mode"): the pages that show the change first, everything else after.

So when the watcher's batch holds only content files that were there before (no folder event, no setting,
no picture), and the last run left its model, keys, plan and environment (engine/resident.py), the preview:

1. stats only the files the batch names and patches the kept model with them (engine/resident.py);
2. takes the pages whose last render read a changed file or showed a changed item, with the new items put
   in their contexts in place of the old ones;
3. keys them as every run does (engine/keys.py), renders those whose key changed, finishes them with the
   last run's asset URLs, puts them in the page store and writes them in place (render/inplace.py), under
   the engine's lock;
4. records them in the state the process holds, as a run that wrote them would (the file is the next run's).

The reload is announced then. The regular run follows once the saves pause (exhibit/devserver/): it stats
every input, plans, keys every page and writes what changed, so whatever the quick pass could not know (the
screens' pages and data, which it leaves alone; a file the watcher missed) is brought up to date and the state
saved; its own announcement names what it changed. Several quick passes may come before it: each records the
keys it made (engine/keys.py KeptKeys.update) but not the stats, so the regular run still finds the changed
files changed and keys again every page that read one. The quick pass declines (None) whenever a condition
fails: a problem in a changed file, a new or deleted file, an item that moved in a listing or changed units or
level, more pages than a handful, a page whose context holds the old item where the swap does not reach. Then
the regular run does it all, at once.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from exhibit.assets.pictures import point_stories_at_renditions
from exhibit.diagnostics import Diagnostics
from exhibit.engine import resident
from exhibit.engine.cache import BuildState, EngineCache, PageEntry, UsedEntries, digest
from exhibit.engine.deps import InputCollector, TemplateScanner
from exhibit.engine.keys import FileHashes, PageKeys
from exhibit.engine.lock import SiteWriteLock
from exhibit.engine.render import PageResult, render_pages
from exhibit.engine.result import BuildResult, EngineOptions, WriteGuard
from exhibit.model.items import Item
from exhibit.model.sitemodel import SiteModel, units_of
from exhibit.project import Project
from exhibit.read.sources import SCREENS_FOLDER
from exhibit.render.inplace import InPlaceOutput
from exhibit.render.output import OutputRefused, marker_identity
from exhibit.render.outputs import Page
from exhibit.render.templates import bind_model

_Written = tuple[PageEntry, str, tuple[int, int]]  # a page's entry, its finished bytes' hash, its file's stat
_SCREENS = f"content/{SCREENS_FOLDER}/"
MOST_PAGES = 48  # more pages than this: the regular run renders them on every core, and sooner
_SWAP_DEPTH = 4  # as deep as engine/deps.py looks for items in a context


def quick_pass(project: Project, options: EngineOptions, paths: Iterable[Path],
               write_guard: WriteGuard) -> BuildResult | None:
    """The pages the changed `paths` reach, written in place (see the module docstring); None: not done."""
    started = time.perf_counter()
    kept = resident.kept_site(project.root)
    if kept is None or kept.keys is None or kept.render is None or kept.options != options.signature() \
            or not options.write:
        return None
    rels = _content_rels(project.root, paths, kept.stats)
    if rels is None:
        return None
    cache = EngineCache(project.root, writable=True, resident=True)
    with SiteWriteLock(project.root):
        state = cache.load_state()
        if state.marker is None or state.marker != marker_identity(project.out) \
                or state.finish_key != kept.render.finish_key:
            return None
        stats = _stats_with(project.root, kept.stats, rels)
        if stats is None:
            return None
        if all(stats[rel] == kept.stats.get(rel) for rel in rels):  # saved with the same size and time
            return None
        result = BuildResult(Diagnostics(), kept.loaded.config.language)
        pages = _patched_pages(project, kept, rels, stats, state, cache, result)
        if pages is None:
            return None
        written = _render_and_write(project, kept, state, cache, pages, result, write_guard)
        if not written:  # none of its pages changed (a screen's slide may have): the regular run, now
            return None
    result.written = True
    result.change.written = written
    result.seconds = time.perf_counter() - started
    return result


def _content_rels(root: Path, paths: Iterable[Path], known: dict[str, tuple[int, int]]) -> list[str] | None:
    """The batch's files relative to the root, when each is under content/; else None.

    What no build reads is left out: hidden files (an editor's swap file) and files that came and went within
    the save (Vim's `4913` test file, a backup renamed away and removed)."""
    rels = []
    for path in paths:
        try:
            rel = path.relative_to(root).as_posix()
        except ValueError:
            return None
        if not rel.startswith("content/") or rel.startswith(_SCREENS):  # a screen: the regular run's
            return None
        if any(part.startswith(".") for part in rel.split("/")) or rel not in known and not path.exists():
            continue
        rels.append(rel)
    return sorted(set(rels)) or None


def _stats_with(root: Path, stats: dict[str, tuple[int, int]], rels: list[str]) -> dict[str, tuple[int, int]] | None:
    """The kept stats with the changed files stat-ed again; None when one is gone."""
    updated = dict(stats)
    for rel in rels:
        try:
            stat = os.stat(root / rel)
        except OSError:
            return None
        updated[rel] = (stat.st_size, stat.st_mtime_ns)
    return updated


@dataclasses.dataclass
class _Patched:
    """The pages to key again, on the patched model, with what keys them."""

    pages: list[Page]
    keys: PageKeys
    model: SiteModel
    collector: InputCollector


def _patched_pages(project: Project, kept: resident.KeptSite, rels: list[str], stats: dict[str, tuple[int, int]],
                   state: BuildState, cache: EngineCache, result: BuildResult) -> _Patched | None:
    """The kept model patched with the changed files, and the pages that read what changed, or None."""
    assert kept.keys is not None and kept.render is not None
    old_model = kept.loaded.model
    hashes = FileHashes(project.root, stats, state.file_hashes)
    template_reads = state.template_reads
    caches = [UsedEntries(cache.load_records()), UsedEntries(cache.load_lint()), UsedEntries(cache.load_rendered())]
    newest = max((stat[1] for rel, stat in stats.items() if rel.startswith("content/")), default=0)
    loaded = resident.patched_site(project, kept.options, stats, result.diagnostics,
                                   resident.Caches(caches[0], caches[1], caches[2], hashes.content), newest,
                                   quick=rels)
    for entries, save in zip(caches, (cache.save_records, cache.save_lint, cache.save_rendered), strict=True):
        if entries.added:
            save(entries, entries.added, added_only=True)
    if loaded is None or result.diagnostics.has_errors():
        return None
    replaced = _replaced(old_model, loaded.model)
    if replaced is None:
        return None
    kept.swap_bodies(replaced)
    point_stories_at_renditions(replaced.values(), loaded.model.media)  # the others' are, as the last run left them
    collector = InputCollector(loaded.model, project.root)
    hashes.values = kept.keys.values  # the collections hold the same items in the same order (_replaced)
    scanner = TemplateScanner(kept.render.env, project.templates_dir, dict(template_reads))
    keys = PageKeys(hashes, collector, scanner, kept.render.global_hash, kept.keys, keep=True, changed=rels)
    if keys.previous is None:
        return None
    # The screens' pages are left to the regular run: their screens hold items (kiosk/screens.py), loaded again
    # by each run, which a swap in the context would not reach.
    stale = sorted(path for path in kept.keys.pages_reading(keys.changed) if path in kept.render.pages)
    if len(stale) > MOST_PAGES:
        return None
    pages = [_swapped(kept.render.pages[path], replaced) for path in stale]
    if any(not replaced.keys().isdisjoint(collector.page_inputs(page).items) for page in pages):
        return None  # an old item is still in a context, somewhere the swap does not reach
    return _Patched(pages, keys, loaded.model, collector)


def _replaced(old: SiteModel, new: SiteModel) -> dict[int, Item] | None:
    """The new item for each old one a patch replaced, by id of the old; None when an item moved: its place in a
    collection, its units or its level (listings, unit pages and the honor wall would change around it)."""
    replaced: dict[int, Item] = {}
    for name, old_items in old.collections.items():
        new_items = new.collections.get(name, [])
        if len(new_items) != len(old_items):
            return None
        for before, after in zip(old_items, new_items, strict=True):
            if before is after:
                continue
            if (before.slug, before.source) != (after.slug, after.source) or not _same_place(before, after):
                return None
            replaced[id(before)] = after
    return replaced


def _same_place(before: Item, after: Item) -> bool:
    return ([unit.id for unit in units_of(before)] == [unit.id for unit in units_of(after)]
            and getattr(before, "level", None) == getattr(after, "level", None))


def _swapped(page: Page, replaced: dict[int, Item]) -> Page:
    """The page with each replaced item in its context swapped for the new one."""
    return dataclasses.replace(page, context=_swap(page.context, replaced, 0))


def _swap(value: object, replaced: dict[int, Item], depth: int) -> object:
    """`value` with replaced items swapped, through dicts, lists and tuples (a copy only where one changed)."""
    if isinstance(value, Item):
        return replaced.get(id(value), value)
    if depth >= _SWAP_DEPTH:
        return value
    if isinstance(value, dict):
        swapped = {key: _swap(inner, replaced, depth + 1) for key, inner in value.items()}
        return value if all(swapped[key] is inner for key, inner in value.items()) else swapped
    if isinstance(value, (list, tuple)):
        items = [_swap(inner, replaced, depth + 1) for inner in value]
        if all(new is old for new, old in zip(items, value, strict=True)):
            return value
        return items if isinstance(value, list) else tuple(items)
    return value


def _render_and_write(project: Project, kept: resident.KeptSite, state: BuildState, cache: EngineCache,
                      patched: _Patched, result: BuildResult,
                      write_guard: WriteGuard) -> list[str] | None:
    """The patched pages whose key changed rendered, stored, finished and written; the paths written, or None
    when a render failed (nothing written then)."""
    assert kept.render is not None
    entries = {page.path: entry for page in patched.pages if (entry := state.pages.get(page.path)) is not None}
    if len(entries) != len(patched.pages):
        return None  # a page the last run did not render (its template failed): the regular run reports it
    keyed = [(page, patched.keys.key(page, entries[page.path].templates)) for page in patched.pages]
    todo = [(page, key) for page, key in keyed if key != entries[page.path].key]
    env = kept.render.env
    bind_model(env, patched.model, None, kept.loaded.screens)
    pages = [page for page, _ in todo]
    rendered = list(render_pages(env, pages, list(range(len(pages))), project.templates_dir, project.root, 1))
    if any(done.html is None or done.problems for done in rendered):
        return None
    try:
        new_entries = _write(project, kept.render.finish_page, cache, list(zip(rendered, todo, strict=True)),
                             write_guard)
    except (OSError, OutputRefused):  # a full disk, site/ gone: the regular run writes or reports it
        return None
    written: list[str] = []
    for path, (entry, output_hash, stat) in new_entries.items():
        if state.outputs.get(path) != output_hash:
            written.append(path)
        state.pages[path], state.outputs[path], state.output_stats[path] = entry, output_hash, stat
        state.uncounted_pages.add(path)  # its characters: the next build that counts them (assets/sitechars.py)
    _keep(kept, patched, keyed)
    result.rendered_paths = [page.path for page in pages]
    return written


def _write(project: Project, finish_page: Callable[[str, bytes], bytes], cache: EngineCache,
           done: list[tuple[PageResult, tuple[Page, str]]],
           write_guard: WriteGuard) -> dict[str, _Written]:
    """Each rendered page into the page store, then finished and written in place, all renamed in together; by
    path, its entry, the hash of its finished bytes and the file's stat."""
    output = InPlaceOutput(project.out, ())
    entries = {}
    with contextlib.closing(cache.open_pages()) as store:
        try:
            output.open()
            for result, (page, key) in done:
                assert result.html is not None
                store.put(key, result.html)
                finished = finish_page(page.path, result.html)
                stat = output.write(page.path, finished)
                entries[page.path] = (PageEntry(key, result.templates, digest(result.html)), digest(finished), stat)
            store.commit()
            with write_guard():
                output.commit()
        except BaseException:
            output.discard()
            raise
    return entries


def _keep(kept: resident.KeptSite, patched: _Patched, keyed: list[tuple[Page, str]]) -> None:
    """The new keys and pages, for the regular run that follows (and the next save's quick pass)."""
    assert kept.keys is not None and kept.render is not None
    keys = patched.keys.kept()
    assert keys is not None
    kept.keys.update(keys)
    for page, _ in keyed:
        kept.render.pages[page.path] = page
