"""What a run of the engine sets up around itself, and undoes after: fewer garbage collections, `check`'s
scratch folder."""

from __future__ import annotations

import contextlib
import gc
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def scratch_cache(write: bool) -> Iterator[Path | None]:
    """`check` writes nothing in the site folder: its asset cache is a temporary folder, removed after."""
    if write:
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="exhibit-check-") as scratch:
        yield Path(scratch)


# Objects allocated between two collections of the youngest generation; Python's default is 700.
_FIRST_GENERATION_THRESHOLD = 50_000


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """The cyclic garbage collector run less often while a run builds: its objects (records, items, pages) are
    freed by reference counting, and a collection walks every live container. A one-item rebuild of the
    1,000-item benchmark collected 138 times for 38 to 60 ms, the parent of a cold build for 78 ms; with this
    threshold for the run, 28 times for 20 to 24 ms, all of them during imports, before the run (mypy raises it
    to 200,000, to the same end). Forked workers inherit it;
    the caller's thresholds come back afterwards (the preview runs many builds in one process)."""
    before = gc.get_threshold()
    gc.set_threshold(_FIRST_GENERATION_THRESHOLD, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)
