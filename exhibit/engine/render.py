"""Renders the pages whose key changed, spread over worker processes, results in plan order.

Workers are forked (exhibit/workers.py), so they inherit the environment, model
and plan that `render_pages` puts in `_JOB` before starting them: nothing is
pickled on the way in, only each page's bytes and problems on the way out.
When a font subset will be cut, the workers also list each page's characters:
at 5,000 items that scan took the parent 0.5 s while the workers rendered. Each
worker also names the characters it has not reported before, so the parent's
union of every page's characters (assets/stage.py FontPrefetch) takes those few
rather than every page's few hundred again (another 0.4 s of the parent's at
5,000 items).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment

from exhibit.assets.fonts import new_page_characters
from exhibit.diagnostics import Diagnostic, Diagnostics
from exhibit.render.outputs import Page
from exhibit.render.renderer import PageRenderer
from exhibit.workers import map_ordered


@dataclass(frozen=True)
class PageResult:
    """One page rendered (html None when its template failed) and the problems its render found."""

    index: int
    html: bytes | None
    templates: frozenset[str]
    problems: tuple[Diagnostic, ...]
    chars: str | None = None  # the characters the page may show (assets/fonts.py page_characters), when asked
    new_chars: str | None = None  # those of them no earlier page of this process had: all a union of pages needs


@dataclass
class _Job:
    env: Environment
    pages: list[Page]
    templates_dir: Path
    root: Path
    count_chars: bool
    reported_chars: set[str] = field(default_factory=set)  # in each process: the characters its pages had so far


_JOB: _Job | None = None
# A page renders in milliseconds and starting worker processes costs tens of them: chunks hold at least this
# many pages, so a small site (or a small edit) renders in this process and a large one on every core.
MIN_PAGES_PER_CHUNK = 16


def _render_chunk(indexes: list[int]) -> list[PageResult]:
    """Runs in a worker (or in the parent for small jobs): renders the pages at these plan indexes."""
    job = _JOB
    assert job is not None, "render_pages sets the job before any worker starts"
    results = []
    for index in indexes:
        problems = Diagnostics()
        renderer = PageRenderer(job.env, job.templates_dir, job.root, problems)
        rendered = renderer.render(job.pages[index])
        if rendered is None:
            results.append(PageResult(index, None, frozenset(), tuple(problems.items)))
            continue
        chars = new_chars = None
        if job.count_chars:
            chars, new_chars = new_page_characters(rendered.html.decode("utf-8"), job.reported_chars)
        results.append(PageResult(index, rendered.html, rendered.templates, tuple(problems.items), chars, new_chars))
    return results


def render_pages(env: Environment, pages: list[Page], indexes: list[int], templates_dir: Path, root: Path,
                 jobs: int, count_chars: bool = False) -> Iterator[PageResult]:
    """The pages at `indexes`, rendered by `jobs` processes, yielded in the order asked (`count_chars`: with
    each page's characters, for the font subset)."""
    global _JOB
    _JOB = _Job(env, pages, templates_dir, root, count_chars)
    try:
        chunk_size = max(MIN_PAGES_PER_CHUNK, math.ceil(len(indexes) / (max(jobs, 1) * 4)))
        yield from map_ordered(_render_chunk, indexes, jobs, chunk_size)
    finally:
        _JOB = None
