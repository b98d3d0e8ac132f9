"""Pages finished (asset URLs, minifying) and staged in worker processes, results in page order.

Profile of a cold 1,000-item build: after the last page rendered, the parent alone read each page back from
the page store, put the asset URLs in and wrote it into the staging folder, 0.35 s of a 3 s build while the
second core idled (0.55 s under the profiler, most of it creating files). Finishing needs every page rendered
first (the stylesheets' names follow from the font subset, which follows from every page's characters), so
this stage cannot overlap rendering; it can use every core. Workers are forked, as for rendering
(exhibit/workers.py): each inherits the finishing function and the staged output, opens the page store
read-only on its own connection (an SQLite connection must not cross a fork) and returns what it wrote.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Protocol

from exhibit.engine.cache import BuildState, PageEntry, digest
from exhibit.engine.pagestore import PageStore
from exhibit.workers import map_ordered

# Finishing a page takes a fraction of a millisecond: chunks are large enough that forking pays for itself.
MIN_PAGES_PER_CHUNK = 64


class Staging(Protocol):
    def write(self, rel: str, data: bytes) -> tuple[int, int]: ...

    def link_unchanged(self, rel: str, staged_as: tuple[int, int] | None) -> bool: ...


@dataclass(frozen=True)
class FinishedPage:
    """One page staged: its path, the (size, mtime) of the staged file and its bytes' hash; no stat when the
    page store no longer held the bytes its entry recorded (nothing staged then)."""

    path: str
    stat: tuple[int, int] | None
    output_hash: str = ""


@dataclass
class _Job:
    output: Staging
    finish_page: Callable[[str, bytes], bytes]
    store: PageStore  # the caller's: read in the caller's process, through a connection of their own in workers
    pid: int


_JOB: _Job | None = None


def _finish_chunk(pages: list[tuple[str, PageEntry]]) -> list[FinishedPage]:
    """Runs in a worker (or here, for few pages): reads, finishes and stages these pages."""
    job = _JOB
    assert job is not None, "finish_pages sets the job before any worker starts"
    done = []
    forked = os.getpid() != job.pid
    with contextlib.closing(PageStore(job.store.path, writable=False)) if forked else contextlib.nullcontext(
            job.store) as store:
        for path, entry in pages:
            html = store.get(entry.key, entry.html_hash)
            if html is None:
                done.append(FinishedPage(path, None))
                continue
            finished = job.finish_page(path, html)
            done.append(FinishedPage(path, job.output.write(path, finished), digest(finished)))
    return done


def many_pages(count: int) -> bool:
    """Enough pages to stage that finishing them runs on every core and their files are created ahead (run.py)."""
    return count >= 2 * MIN_PAGES_PER_CHUNK


def finish_pages(output: Staging, finish_page: Callable[[str, bytes], bytes], store: PageStore,
                 pages: list[tuple[str, PageEntry]], jobs: int) -> Iterator[FinishedPage]:
    """Each page read from `store` (committed), finished and written to `output`, in the order given."""
    global _JOB
    _JOB = _Job(output, finish_page, store, os.getpid())
    try:
        chunk_size = max(MIN_PAGES_PER_CHUNK, -(-len(pages) // (max(jobs, 1) * 4)))
        yield from map_ordered(_finish_chunk, pages, jobs, chunk_size)
    finally:
        _JOB = None


def link_unchanged_page(output: Staging, path: str, finish_key: str, old: BuildState, new: BuildState) -> bool:
    """Whether the page came out as last time, its file linked (or, in place, left) without reading anything.

    A page rendered to the HTML it had last time, finished under the same key, comes out as the bytes it had,
    when its file's size and mtime are still the ones it was staged with (as input files are trusted by theirs,
    engine/keys.py FileHashes). False: the page is to be finished and written (`finish_pages`)."""
    entry, before = new.pages[path], old.pages.get(path)
    same = before is not None and before.html_hash == entry.html_hash and old.finish_key == finish_key
    if same and output.link_unchanged(path, old.output_stats.get(path)):
        new.output_stats[path] = old.output_stats[path]
        new.outputs[path] = old.outputs[path]
        return True
    return False
