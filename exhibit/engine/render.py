"""Renders the pages whose key changed, spread over worker processes, results in plan order.

Workers are forked (exhibit/workers.py), so they inherit the environment, model
and plan that `render_pages` puts in `_JOB` before starting them: nothing is
pickled on the way in, only each page's bytes and problems on the way out.
When a font subset will be cut, each worker also names the characters of each
page that its earlier pages did not have (assets/sitechars.py NewCharacters):
the parent's union of every page's characters takes those few, and the page
that brought each one is its witness for the next build.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment

from exhibit.assets.sitechars import NewCharacters
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
    new_chars: str = ""  # the characters it shows that no earlier page of its process had (when counted)


@dataclass
class _Job:
    env: Environment
    pages: list[Page]
    templates_dir: Path
    root: Path
    count_chars: bool
    characters: NewCharacters = field(default_factory=NewCharacters)  # in each process: what its pages showed


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
        new_chars = job.characters.new_in(rendered.html.decode("utf-8")) if job.count_chars else ""
        results.append(PageResult(index, rendered.html, rendered.templates, tuple(problems.items), new_chars))
    return results


def render_pages(env: Environment, pages: list[Page], indexes: list[int], templates_dir: Path, root: Path,
                 jobs: int, count_chars: bool = False) -> Iterator[PageResult]:
    """The pages at `indexes`, rendered by `jobs` processes, yielded in the order asked (`count_chars`: with
    the characters each page adds to what its process's pages showed, for the font subset)."""
    global _JOB
    _JOB = _Job(env, pages, templates_dir, root, count_chars)
    try:
        chunk_size = max(MIN_PAGES_PER_CHUNK, math.ceil(len(indexes) / (max(jobs, 1) * 4)))
        yield from map_ordered(_render_chunk, indexes, jobs, chunk_size)
    finally:
        _JOB = None


def templates_first(indexes: list[int], pages: list[Page]) -> list[int]:
    """One page of each template first: the font prefetch sees every kind of page's labels early."""
    firsts: dict[str, int] = {}
    for index in indexes:
        firsts.setdefault(pages[index].template, index)
    chosen = set(firsts.values())
    return [*firsts.values(), *(index for index in indexes if index not in chosen)]


def report_once(problems: tuple[Diagnostic, ...], reported: set[tuple[str | None, int | None, str]],
                diagnostics: Diagnostics) -> None:
    """A broken template is reported once, not once per page it draws."""
    for problem in problems:
        key = (problem.path, problem.line, problem.code + str(problem.args.get("detail", "")))
        if key not in reported:
            reported.add(key)
            diagnostics.add(problem)
