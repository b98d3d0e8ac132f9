"""Content hashes of the inputs, and the key of each page: a hash of everything its rendering read.

A page's key covers the engine version, its path and template, the hash of every
template its last render loaded (extends, include, import), the hash of every
input its context reaches (engine/deps.py; the inputs of each item it shows, as
one digest per item), its plain context values and the globals its templates see.
Equal keys mean equal HTML, so a page whose key is in the cache is not rendered
again; a template edit changes exactly the keys of the pages that loaded it, an
item edit those of the pages that show it.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from exhibit.engine.cache import ENGINE_VERSION, digest

if TYPE_CHECKING:
    from exhibit.engine.deps import InputCollector, TemplateScanner
    from exhibit.model.items import Item
    from exhibit.render.outputs import Page

WATCHED_FOLDERS = ("content", "templates", "assets")
_MISSING = "-"


def input_files(root: Path) -> Iterator[tuple[str, os.stat_result]]:
    """Every file a build may read, as (path relative to root, stat); hidden files and folders left out."""
    for folder in WATCHED_FOLDERS:
        base = root / folder
        for current, dirs, files in os.walk(base):
            dirs[:] = sorted(name for name in dirs if not name.startswith("."))
            rel_dir = Path(current).relative_to(root).as_posix()
            for name in sorted(files):
                if name.startswith("."):
                    continue
                try:
                    yield f"{rel_dir}/{name}", os.stat(os.path.join(current, name))
                except OSError:
                    continue


def input_signature(root: Path, options: Iterable[object]) -> tuple[str, dict[str, tuple[int, int]]]:
    """A hash of every input's path, size and mtime and of the options, and each file's (size, mtime).

    Exhibit's own code is not in it: a state the code did not write is not read at all (cache.py)."""
    stats = {rel: (stat.st_size, stat.st_mtime_ns) for rel, stat in input_files(root)}
    hasher = hashlib.sha256(repr((ENGINE_VERSION, tuple(options))).encode())
    for rel, (size, mtime) in stats.items():
        hasher.update(f"{rel}\0{size}\0{mtime}\n".encode())
    return hasher.hexdigest(), stats


_TEXT_SUFFIXES = (".md", ".markdown", ".yaml", ".yml")
_KEPT_BYTES = 1024 * 1024  # a larger text file is read again rather than held (stories are a few KB)


class FileHashes:
    """sha256 of input files, reusing the last build's hash of a file whose size and mtime are unchanged."""

    def __init__(self, root: Path, stats: dict[str, tuple[int, int]],
                 known: dict[str, tuple[int, int, str]]) -> None:
        self.root = root
        self.stats = stats
        self.known = known
        self.hashes: dict[str, tuple[int, int, str]] = {}
        self.values: dict[str, str] = {}  # virtual inputs (`@collection:…`): a hash of their value
        self._unread: dict[str, bytes] = {}  # content text files hashed here, their bytes until the read stage's

    def of(self, rel: str) -> str:
        if rel.startswith("@"):
            return self.values.get(rel, _MISSING)
        found = self.hashes.get(rel)
        if found is not None:
            return found[2]
        stat = self.stats.get(rel)
        if stat is None:
            return _MISSING
        known = self.known.get(rel)
        if known is not None and known[:2] == stat:
            self.hashes[rel] = known
            return known[2]
        try:
            data = (self.root / rel).read_bytes()
        except OSError:
            return _MISSING
        value = digest(data)
        self.hashes[rel] = (*stat, value)
        if rel.startswith("content/") and rel.endswith(_TEXT_SUFFIXES) and len(data) <= _KEPT_BYTES:
            self._unread[rel] = data
        return value

    def take_bytes(self, rel: str) -> bytes | None:
        """The bytes of a content text file this object hashed, handed over once (then forgotten): the read stage
        parses them rather than reading the file a second time (1,000 opens and reads in a cold build's parent)."""
        return self._unread.pop(rel, None)

    def content(self, rel: str) -> str | None:
        """The file's sha256, or None when it is not an input (or unreadable): what the read stage may key by."""
        value = self.of(rel)
        return None if value == _MISSING else value

    def set_values(self, values: dict[str, object]) -> None:
        self.values = {key: digest(repr(value).encode()) for key, value in values.items()}


@dataclass(frozen=True)
class KeyRecord:
    """A page's key with what it was computed from: what a resident engine's next run checks to reuse it."""

    key: str
    template: str
    templates: frozenset[str]
    files: frozenset[str]  # its inputs besides its items and templates
    items: tuple[Item, ...]  # the items it showed (each stands for its inputs)
    plain: str  # its plain context values, as hashed
    whole_site: bool


@dataclass
class KeptKeys:
    """A run's page keys, with the inputs' stats and virtual values then and the globals' hash."""

    records: dict[str, KeyRecord]
    stats: dict[str, tuple[int, int]]
    values: dict[str, str]
    global_hash: str
    item_inputs: dict[int, frozenset[str]]  # by id of an item the records hold (which keeps it alive)
    readers: dict[str, list[str]] = field(init=False, default_factory=dict)  # input (or item by `#id`) -> pages
    whole_site: list[str] = field(init=False, default_factory=list)  # the pages that read every item

    def __post_init__(self) -> None:
        self._index(self.records)

    def _index(self, records: dict[str, KeyRecord]) -> None:
        for path, record in records.items():
            if record.whole_site:
                self.whole_site.append(path)
            for key in record.files:
                self.readers.setdefault(key, []).append(path)
            for item in record.items:
                self.readers.setdefault(f"#{id(item)}", []).append(path)

    def update(self, newer: KeptKeys) -> None:
        """A later run's keys of some pages (the quick pass's) in place of these pages' keys.

        The stats stay this run's: the next run finds the changed files changed, keys again every page that read
        them (the quick pass's pages come out as it keyed them) and so misses none it did not key. The index
        keeps the old entries too: a page found through one is keyed again, which costs a little."""
        self.records.update(newer.records)
        self.item_inputs.update(newer.item_inputs)
        self._index(newer.records)

    def pages_reading(self, changed: frozenset[str]) -> set[str]:
        """The pages whose last render read a changed input: through a file, an item whose inputs hold one, or
        the whole site (templates left out: the quick pass runs only when none changed)."""
        found = set(self.whole_site)
        for key in changed:
            found.update(self.readers.get(key, ()))
        for item_id, inputs in self.item_inputs.items():
            if not inputs.isdisjoint(changed):
                found.update(self.readers.get(f"#{item_id}", ()))
        return found

    def changed_since(self, hashes: FileHashes, among: Iterable[str] | None = None) -> frozenset[str]:
        """The inputs (files and virtual ones) whose stat or value is not what it was then (`among`: the only
        files whose stat may differ, when the caller knows)."""
        stats, values = hashes.stats, hashes.values
        candidates = stats.keys() | self.stats.keys() if among is None else among
        files = {rel for rel in candidates if stats.get(rel) != self.stats.get(rel)}
        return frozenset(files | {key for key in values.keys() | self.values.keys()
                                  if values.get(key) != self.values.get(key)})


class PageKeys:
    """The keys of one build's pages (see the module docstring).

    What many pages share is hashed once per build: a set of templates (most pages of a kind load the same
    ones), an item (its inputs, for every page that shows it), and every item's inputs at once (for pages
    whose templates read the whole site).

    `previous`: the last run's keys, when this run's model is that run's with only changed items built again
    (engine/resident.py, the preview's). A page whose plain values, templates and page are as they were, none
    of whose inputs changed since (nor any input of an item it showed), has its old key: equal inputs, equal key.
    `keep`: record each page's key with its inputs, for a next run to reuse (`kept`). `changed`: the only files
    whose stats may differ from `previous`'s (the quick pass's, engine/quick.py)."""

    def __init__(self, hashes: FileHashes, collector: InputCollector, scanner: TemplateScanner,
                 global_hash: str, previous: KeptKeys | None = None, keep: bool = False,
                 changed: Iterable[str] | None = None) -> None:
        self.hashes = hashes
        self.collector = collector
        self.scanner = scanner
        self.global_hash = global_hash
        self._templates: dict[tuple[frozenset[str], str], tuple[str, bool]] = {}
        self._whole_site = ""
        self.previous = previous if previous is not None and previous.global_hash == global_hash else None
        self.changed = self.previous.changed_since(hashes, changed) if self.previous is not None else frozenset()
        self._changed_items: dict[int, bool] = {}
        self._changed_templates: dict[tuple[frozenset[str], str], bool] = {}
        self.records: dict[str, KeyRecord] | None = {} if keep else None

    def key(self, page: Page, templates: frozenset[str]) -> str:
        """Equal keys, equal HTML."""
        from exhibit.engine.deps import inputs_digest, plain_values  # Jinja: only for a run with work to do
        plain = repr(plain_values(page.context))
        record = self.previous.records.get(page.path) if self.previous is not None else None
        if record is not None and self._unchanged(record, page, templates, plain):
            if self.records is not None:
                self.records[page.path] = record
            return record.key
        templates_digest, whole_site = self._templates_of(templates, page.template)
        of = self.hashes.of
        inputs = self.collector.page_inputs(page)
        items = sorted(self.collector.item_digest(item, of) for item in inputs.items.values())
        hasher = hashlib.sha256(f"{ENGINE_VERSION}\0{page.path}\0{page.template}\0{self.global_hash}\n".encode())
        files_digest = inputs_digest(inputs.files, of)
        hasher.update(f"{files_digest}\1{templates_digest}\1{''.join(items)}\1{self._site() if whole_site else ''}\1"
                      .encode())
        hasher.update(plain.encode())
        key = hasher.hexdigest()
        if self.records is not None:
            self.records[page.path] = KeyRecord(key, page.template, templates, frozenset(inputs.files),
                                                tuple(inputs.items.values()), plain, whole_site)
        return key

    def kept(self) -> KeptKeys | None:
        """This run's keys, for the next (None unless `keep`)."""
        if self.records is None:
            return None
        held = {id(item) for record in self.records.values() for item in record.items}
        inputs = {key: value for key, value in self.collector.known_item_inputs().items() if key in held}
        return KeptKeys(self.records, self.hashes.stats, dict(self.hashes.values), self.global_hash, inputs)

    def _unchanged(self, record: KeyRecord, page: Page, templates: frozenset[str], plain: str) -> bool:
        return (record.plain == plain and record.template == page.template and record.templates == templates
                and not self._reads_changed(record))

    def _reads_changed(self, record: KeyRecord) -> bool:
        """Whether the last run's page read an input that changed since: a file, a template, an item's input,
        or (reading the whole site) anything."""
        return (record.whole_site or not record.files.isdisjoint(self.changed)
                or self._templates_changed(record.templates, record.template)
                or any(self._item_changed(item) for item in record.items))

    def _templates_changed(self, templates: frozenset[str], template: str) -> bool:
        known = self._changed_templates.get((templates, template))
        if known is None:
            known = not _template_keys(templates, template).isdisjoint(self.changed)
            self._changed_templates[(templates, template)] = known
        return known

    def _item_changed(self, item: Item) -> bool:
        """Whether an input of an item the last run's page showed changed: its inputs as that run found them."""
        known = self._changed_items.get(id(item))
        if known is None:
            assert self.previous is not None  # asked only about the previous run's records
            inputs = self.previous.item_inputs.get(id(item))
            if inputs is None:
                inputs = self.collector.item_inputs(item)
            known = self._changed_items[id(item)] = not inputs.isdisjoint(self.changed)
        return known

    def _templates_of(self, templates: frozenset[str], template: str) -> tuple[str, bool]:
        """The digest of the templates a render loaded (and the page's own), and whether one reads the whole site."""
        known = self._templates.get((templates, template))
        if known is None:
            from exhibit.engine.deps import inputs_digest
            known = (inputs_digest(_template_keys(templates, template), self.hashes.of),
                     self.scanner.reads_whole_site(templates))
            self._templates[(templates, template)] = known
        return known

    def _site(self) -> str:
        if not self._whole_site:
            from exhibit.engine.deps import inputs_digest
            self._whole_site = inputs_digest(self.collector.all_items(), self.hashes.of)
        return self._whole_site


def _template_keys(templates: frozenset[str], template: str) -> set[str]:
    """The input keys of the templates a render loaded, and of the page's own."""
    from exhibit.engine.deps import template_key  # Jinja: only for a run with work to do
    return {template_key(name) for name in (*templates, template)}
