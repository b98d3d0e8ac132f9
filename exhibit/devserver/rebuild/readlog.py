"""Which item fields a piece of code reads: what the dev server's quick path must find unchanged.

The render plan places items by their fields: the sort order, the unit, an
honor's level on the honors wall, and whatever a later version of the plan
groups by. Rather than keep a list of those fields by hand (and forget one),
the dev server's full builds note every attribute the plan reads from an item;
an edit that changes none of them leaves the plan as it was (exhibit/devserver/rebuild/itempatch.py).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from exhibit.model.items import Item

_lock = threading.Lock()


@contextmanager
def item_reads() -> Iterator[set[str]]:
    """Note, while the block runs, the name of every attribute read from any Item (in this thread)."""
    reads: set[str] = set()
    owner = threading.get_ident()

    def noting(item: object, name: str) -> object:
        if threading.get_ident() == owner:
            reads.add(name)
        return object.__getattribute__(item, name)

    with _lock:
        Item.__getattribute__ = noting  # type: ignore[method-assign, assignment]
        try:
            yield reads
        finally:
            del Item.__getattribute__

