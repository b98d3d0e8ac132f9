"""The site model: every item, sorted per collection, and the files they use; what every later stage reads.

Made by the model build (model/site.py ModelBuilder) and patched by the preview (model/patch.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from exhibit.model.collections import COLLECTIONS, Order
from exhibit.model.config import SiteConfig
from exhibit.model.items import Item, Worker
from exhibit.model.media import Media
from exhibit.model.units import Unit


@dataclass
class SiteModel:
    """Every item, sorted per collection, plus the files they use."""

    config: SiteConfig
    collections: dict[str, list[Item]]
    media: list[Media]
    links: dict[str, set[str]] = field(default_factory=dict)
    """Per source file, the files its stories link to (relative to the root): page dependencies."""
    _members: dict[str, dict[str, list[Item]]] | None = field(default=None, repr=False)

    def items(self) -> Iterator[Item]:
        for items in self.collections.values():
            yield from items

    def unit_members(self, unit: Unit) -> dict[str, list[Item]]:
        """Items of the unit and of every unit below it, per collection (in collection order)."""
        if self._members is None:
            self._members = self._index_members()
        found = self._members.get(unit.id, {})
        return {name: list(found.get(name, [])) for name in self.collections}

    def _index_members(self) -> dict[str, dict[str, list[Item]]]:
        """One pass over the items instead of one per unit: an item counts for its units and their ancestors."""
        index: dict[str, dict[str, list[Item]]] = {}
        for name, items in self.collections.items():
            for item in items:
                family: dict[str, None] = {}
                for unit in units_of(item):
                    for member in (unit, *unit.ancestors):
                        family[member.id] = None
                for unit_id in family:
                    index.setdefault(unit_id, {}).setdefault(name, []).append(item)
        return index


def units_of(item: Item) -> list[Unit]:
    """The units an item belongs to: its own, and its recipient's (an honor: the unit, or the worker's)."""
    units = [item.unit]
    for name in COLLECTIONS[item.collection].recipients:
        worker = getattr(item, f"{name}_worker")
        units += [getattr(item, f"{name}_unit"), worker.unit if isinstance(worker, Worker) else None]
    return [unit for unit in units if unit is not None]


def sort_key_for(collection: str) -> Callable[[Item], tuple]:
    """The registry's order for the collection: by date (forward or newest first) or by `order`, then file."""
    order = COLLECTIONS[collection].order
    if order is Order.OLDEST_FIRST:
        return lambda item: (item.date.sort_key() if item.date else (0, 0, 0), item.source, item.line)
    if order is Order.NEWEST_FIRST:
        return lambda item: (tuple(-part for part in item.date.sort_key()) if item.date else (0, 0, 0),
                             item.source, item.line)
    return lambda item: (item.order if item.order is not None else float("inf"), item.source, item.line)
