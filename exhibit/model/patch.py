"""A model built again only where a save changed it: the items of the records that changed, and the items
that point at them.

The preview builds the model on every save; at 5,000 items that was a quarter of a save's time, for an edit
that changed one story or one caption. A new record can take the place of the old one without building the
other items again when nothing another item reads of it changed:

* its slug (addresses, story links to its file) and, for a worker, its name (teams and honors find workers
  by either) stay as they were;
* its pictures and media stay the same files (the model's list of files to publish follows from them);
* its story links to the same places, with the same answers;
* building it reports no problem (its file reported none before either, as the caller checks), so the
  build's messages stay those of a full build.

Anything else (its unit, dates, order, captions, its story) may change: the plan, the unit index and the
listings' order are made again from the patched model. When a condition fails, the caller builds the whole
model again, as any other build does.
"""

from __future__ import annotations

from collections.abc import Sequence

from exhibit.diagnostics import Diagnostics
from exhibit.model.collections import COLLECTIONS, Kind
from exhibit.model.items import Item, Worker
from exhibit.model.site import ModelBuilder
from exhibit.model.sitemodel import SiteModel, sort_key_for
from exhibit.read.sources import Record


def patch_model(builder: ModelBuilder, model: SiteModel,
                changes: Sequence[tuple[Record, Record]]) -> SiteModel | None:
    """`model` (the last one `builder` built or patched) with each change's (old, new) record built again;
    None when a change reaches beyond its items (see the module docstring).

    On None the old model is as it was, and so are the builder's links, slugs, workers and records; files a
    refused story linked to may be left among its media, so the caller builds the whole model again (with a
    new builder) rather than patching this one further."""
    by_record = {id(record): item for name in {old.collection for old, _ in changes}
                 for item in model.collections.get(name, [])
                 if (record := builder.records_of.get(id(item))) is not None}
    olds = [by_record.get(id(old)) for old, _ in changes]
    if any(item is None for item in olds):
        return None
    saved = _BuilderState(builder)
    scratch = Diagnostics()
    builder.diagnostics = builder.media.diagnostics = scratch
    patched = None
    try:
        if all(_same_shape(builder, old, new) for old, new in changes):
            replaced = _rebuild(builder, [(item, new) for item, (_, new) in zip(olds, changes, strict=True)])
            if replaced is not None:
                patched = _with_items(builder, model, replaced)
    finally:
        builder.diagnostics = builder.media.diagnostics = saved.diagnostics
    if patched is None or scratch.items:
        saved.restore(builder)
        return None
    return patched


class _BuilderState:
    """What a patch changes in the builder, to put back when the patch is refused."""

    def __init__(self, builder: ModelBuilder) -> None:
        self.diagnostics = builder.diagnostics
        self.links = builder.links
        self.records_of = dict(builder.records_of)
        self.slugs = dict(builder.slugs)
        self.workers = dict(builder.workers)
        builder.links = dict(builder.links)  # the old model keeps its own; the patched one gets this copy

    def restore(self, builder: ModelBuilder) -> None:
        builder.links = self.links
        builder.records_of = self.records_of
        builder.slugs = self.slugs
        builder.workers = self.workers
        builder.forget_worker_names()


def _same_shape(builder: ModelBuilder, old: Record, new: Record) -> bool:
    """The new record keeps what other items read of the old one (the module docstring's first two points)."""
    if (old.collection, old.rel, old.stem) != (new.collection, new.rel, new.stem):
        return False
    spec = COLLECTIONS[old.collection]
    fixed = {"slug", *(entry.name for entry in spec.fields if entry.kind in (Kind.IMAGE, Kind.MEDIA))}
    if issubclass(spec.item_class, Worker):
        fixed.add(spec.item_class.HEADING_FIELD)
    if any(old.fields.get(name) != new.fields.get(name) or old.fields.raw.get(name) != new.fields.raw.get(name)
           for name in fixed):
        return False
    return builder.slug_for(old) == builder.slug_for(new)


def _rebuild(builder: ModelBuilder, changes: list[tuple[Item, Record]]) -> dict[int, Item] | None:
    """The new item for each changed one, by id of the old item; None when a story now links elsewhere."""
    replaced: dict[int, Item] = {}
    for old_item, record in changes:
        builder.slugs[id(record)] = old_item.slug  # the same (_same_shape)
        item = _build_again(builder, record)
        if item is None:
            return None
        replaced[id(old_item)] = item
    return replaced


def _build_again(builder: ModelBuilder, record: Record) -> Item | None:
    """The record's item, registered as its record's; None when its story's links lead elsewhere than before.

    The file's set of link targets is a new set: the old model's stays as it was."""
    links_before = builder.links.get(record.rel, set())
    builder.links[record.rel] = set()
    item = builder.build_item(record.collection, record)
    if builder.links[record.rel] != links_before:
        return None
    builder.register(item, record)
    return item


def _with_items(builder: ModelBuilder, model: SiteModel, replaced: dict[int, Item]) -> SiteModel | None:
    """The model with the replaced items in their places, and every item pointing at one built again."""
    pending = dict(replaced)
    while pending:
        pointing = [item for name in _LINKING for item in model.collections.get(name, [])
                    if id(item) not in replaced and _points_at(item, pending)]
        pending = {}
        for item in pointing:
            new = _build_again(builder, builder.records_of[id(item)])
            if new is None:
                return None
            replaced[id(item)] = pending[id(item)] = new
    collections = {}
    for name, items in model.collections.items():
        if any(id(item) in replaced for item in items):
            items = sorted((replaced.get(id(item), item) for item in items), key=sort_key_for(name))
        collections[name] = items
    for old in replaced:
        record = builder.records_of.pop(old, None)
        if record is not None and record is not builder.records_of.get(id(replaced[old])):
            builder.slugs.pop(id(record), None)  # an old version of a record: no item comes from it now
    return SiteModel(model.config, collections, list(builder.media.files.values()), builder.links)


_LINKING = tuple(name for name, spec in COLLECTIONS.items() if spec.linked)  # the collections whose items point


def _points_at(item: Item, targets: dict[int, Item]) -> bool:
    return any(id(getattr(item, name, None)) in targets for name in COLLECTIONS[item.collection].linked)
