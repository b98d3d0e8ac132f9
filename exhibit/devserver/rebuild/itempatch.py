"""The dev server's quick path: an edit that changes what items say, but not where they stand.

Most saves while writing change a story, a quote or a caption. For such an edit
a full relink of the model and a new render plan would give the very same plan:
the same pages, in the same order, holding the same item objects. So instead the
edited file's items are built again with the last build's ModelBuilder (same
config, same workers, same media objects) and copied into the live item objects
the model and the plan already point at. Every page that showed them is then
found through the dependency map and rendered again.

An edit qualifies only when each of the file's records rebuilds, without any
problem, into an item that stands where the old one stood:

* the same collection, slug and class; the file still holds as many records;
* the same sort position (the collection stays strictly sorted with the new keys);
* the same value of every field the render plan read from items when it was made
  (noted by exhibit/devserver/rebuild/readlog.py: the unit, an honor's level on the honors wall, ...);
* the same units (unit pages list it), the same linked workers (team leaders,
  honor recipients), and for a worker the same name (other items look it up by it);
* the very same media objects (so the site's files do not change) and the same
  files linked from its story.

Anything else (and any problem) leaves the live items untouched and the caller
takes the full path, which is always right.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

from exhibit.devserver.rebuild.modelcache import CachingModelBuilder, ItemCache
from exhibit.devserver.rebuild.sourcecache import FileEntry
from exhibit.diagnostics import Diagnostic, Diagnostics
from exhibit.model.collections import COLLECTIONS
from exhibit.model.items import Item, Worker
from exhibit.model.media import Media
from exhibit.model.site import SiteModel, sort_key_for, units_of
from exhibit.read.sources import Record

EntryOf = Callable[[str], FileEntry]


@dataclass
class ItemPatch:
    """A qualifying edit, checked and ready: live items and what they become."""

    pairs: list[tuple[Item, Item, Record, Record]]  # live item, rebuilt item, old record, new record
    problems: list[Diagnostic]  # the edited files' reading and lint warnings (errors never qualify)

    @property
    def items(self) -> list[Item]:
        return [live for live, *_ in self.pairs]


class ItemPatcher:
    """Checks an edit against the last build's model, then applies it in place."""

    def __init__(self, builder: CachingModelBuilder, model: SiteModel, cache: ItemCache,
                 records_by_file: dict[str, list[Record]], placing: set[str]) -> None:
        self.builder = builder
        self.placing = sorted(name for name in placing if not name.startswith("__"))
        self.model = model
        self.cache = cache
        self.records_by_file = records_by_file
        self._positions: dict[int, tuple[str, int]] | None = None

    def check(self, changed: set[str], entry_of: EntryOf) -> ItemPatch | None:
        """The patch for edits to `changed` files, or None when only the full path is right."""
        pairs: list[tuple[Item, Item, Record, Record]] = []
        problems: list[Diagnostic] = []
        for rel in sorted(changed):
            old_records = self.records_by_file.get(rel)
            if not old_records:
                return None
            entry = entry_of(rel)
            if any(problem.severity.value == "error" for problem in entry.problems) \
                    or len(entry.records) != len(old_records):
                return None
            for old, new in zip(old_records, entry.records, strict=True):
                pair = self._rebuild(old, new)
                if pair is None:
                    return None
                pairs.append((pair[0], pair[1], old, new))
            problems += [*entry.problems, *entry.lint]
        if not pairs or not self._order_kept(pairs):
            return None
        return ItemPatch(pairs, problems)

    def apply(self, patch: ItemPatch) -> None:
        """Copy the rebuilt items into the live ones; later full builds find them through the cache."""
        by_file: dict[str, list[Record]] = {}
        for live, rebuilt, old, new in patch.pairs:
            vars(live).update(vars(rebuilt))
            self.cache.adopt(old, new, live)
            self.builder.slugs.pop(id(old), None)
            by_file.setdefault(new.rel, []).append(new)
        self.records_by_file.update(by_file)

    # --- one record ------------------------------------------------------------------------------
    def _rebuild(self, old: Record, new: Record) -> tuple[Item, Item] | None:
        builder = self.builder
        live = self.cache.item_of(old)
        slug = builder.slugs.get(id(old))
        if live is None or slug is None or new.collection != old.collection \
                or builder.new_slug(new) != slug:
            return None
        builder.slugs[id(new)] = slug
        problems = Diagnostics()
        rebuilt = builder.build_alone(new, problems)
        if problems.items or not self.cache.holds(new) or type(rebuilt) is not type(live):
            builder.slugs.pop(id(new), None)
            return None
        if _standing(live) != _standing(rebuilt) or self.cache.link_files(old) != self.cache.link_files(new) \
                or not self._placed_alike(live, rebuilt):
            builder.slugs.pop(id(new), None)
            return None
        return live, rebuilt

    def _placed_alike(self, live: Item, rebuilt: Item) -> bool:
        """Every field the plan read has the same value (items compare by identity, see items.py)."""
        missing = object()
        return all(getattr(live, name, missing) == getattr(rebuilt, name, missing) for name in self.placing)

    def _order_kept(self, pairs: list[tuple[Item, Item, Record, Record]]) -> bool:
        """The collection is still strictly sorted when the rebuilt items' keys replace the live ones'."""
        positions = self._position_index()
        replaced = {id(live): rebuilt for live, rebuilt, _, _ in pairs}
        for live, _, _, _ in pairs:
            collection, index = positions[id(live)]
            items = self.model.collections[collection]
            key = sort_key_for(collection)
            window = [replaced.get(id(item), item) for item in items[max(index - 1, 0):index + 2]]
            keys = [key(item) for item in window]
            if any(first >= second for first, second in pairwise(keys)):
                return False
        return True

    def warm_up(self) -> None:
        self._position_index()

    def _position_index(self) -> dict[int, tuple[str, int]]:
        if self._positions is None:
            self._positions = {id(item): (name, index) for name, items in self.model.collections.items()
                               for index, item in enumerate(items)}
        return self._positions


def _standing(item: Item) -> tuple[object, ...]:
    """What places an item in the site (as opposed to what it says): must not change on the quick path."""
    media = tuple(id(value) for value in _media_of(item))
    linked = tuple(id(getattr(item, name)) for name in COLLECTIONS[item.collection].linked)
    name = item.name if isinstance(item, Worker) else None
    return (item.collection, item.slug, tuple(unit.id for unit in units_of(item)), linked, name, media)


def _media_of(item: Item) -> list[Media]:
    found: list[Media] = []
    for value in vars(item).values():
        if isinstance(value, Media):
            found.append(value)
        elif isinstance(value, list):
            found += [entry for entry in value if isinstance(entry, Media)]
        elif isinstance(value, dict):
            found += [entry for entry in value.values() if isinstance(entry, Media)]
    return found
