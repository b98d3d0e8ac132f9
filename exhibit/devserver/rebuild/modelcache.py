"""Reusing typed items between dev-server builds: after a one-file edit, one record is built again.

Linking the model is the other per-edit cost that grows with the site (the
first is rendering listing pages). An item is reused when everything it was
built from is provably the same:

* the same Record object (SourceCache keeps it while its file is unchanged),
  the same SiteConfig object (kept while site.yaml is unchanged) and the same slug;
* every file it named (photos, images, files its story links to) has the same
  version (signature and digest), and every story link still resolves the same;
* every worker lookup it made (a team's leader, an honor's recipient) finds the
  very same Worker object;
* building it reported no problem at all (so messages never go stale).

Anything else builds the item again, exactly as a full build would.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from exhibit.diagnostics import Diagnostics
from exhibit.model.config import SiteConfig
from exhibit.model.items import Item, Worker
from exhibit.model.markup import StoryCache
from exhibit.model.media import ImageProbes, Media, MediaResolver
from exhibit.model.site import ModelBuilder, SiteModel
from exhibit.read.sources import Record

VersionOf = Callable[[str], object]


@dataclass
class _Built:
    """One item and what it was built from."""

    record: Record
    config: SiteConfig
    slug: str
    item: Item
    media: list[tuple[Path, Media]] = field(default_factory=list)
    versions: list[tuple[str, object]] = field(default_factory=list)
    links: list[tuple[str, str | None]] = field(default_factory=list)
    link_files: set[str] = field(default_factory=set)
    workers: list[tuple[str, Worker | None]] = field(default_factory=list)


class ItemCache:
    """Items by the identity of the record they came from."""

    def __init__(self) -> None:
        self.entries: dict[int, _Built] = {}
        self.reused = 0
        self.built = 0

    def keep_only(self, records: list[Record]) -> None:
        alive = {id(record) for record in records}
        self.entries = {key: entry for key, entry in self.entries.items() if key in alive}

    def holds(self, record: Record) -> bool:
        return id(record) in self.entries

    def item_of(self, record: Record) -> Item | None:
        entry = self.entries.get(id(record))
        return entry.item if entry is not None else None

    def link_files(self, record: Record) -> set[str] | None:
        entry = self.entries.get(id(record))
        return entry.link_files if entry is not None else None

    def adopt(self, old: Record, new: Record, live: Item) -> None:
        """`new` replaced `old`, and its item's fields were copied into `live`, the object pages hold."""
        self.entries[id(new)].item = live
        self.entries.pop(id(old), None)


class _LoggingResolver(MediaResolver):
    """A MediaResolver that notes every file an item asked for."""

    log: list[tuple[Path | None, Media | None]] | None = None

    def resolve(self, value: str, base_dir: Path, rel: str, line: int,
                require_image: bool = False, allow_video: bool = False) -> Media | None:
        media = super().resolve(value, base_dir, rel, line, require_image, allow_video)
        if self.log is not None:
            self.log.append((self.locate(value, base_dir), media))  # None: a path that cannot be used
        return media


class CachingModelBuilder(ModelBuilder):
    """ModelBuilder that takes unchanged items from an ItemCache (see the module docstring)."""

    def __init__(self, root: Path, content_dir: Path, assets_dir: Path, config: SiteConfig,
                 diagnostics: Diagnostics, probes: ImageProbes, stories: StoryCache, items: ItemCache,
                 version_of: VersionOf) -> None:
        super().__init__(root, content_dir, assets_dir, config, diagnostics, probes, stories)
        self.media = _LoggingResolver(root, content_dir, assets_dir, diagnostics, probes)
        self.items = items
        self.version_of = version_of
        self._lookups: list[tuple[str, Worker | None]] | None = None
        self._links: list[tuple[str, str | None]] | None = None

    def build(self, records: list[Record]) -> SiteModel:
        model = super().build(records)
        self.items.keep_only(records)
        return model

    def new_slug(self, record: Record) -> str | None:
        """The slug a record would get, reporting nothing (a problem sends the edit the full way)."""
        real, self.diagnostics = self.diagnostics, Diagnostics()
        try:
            return self._slug_for(record)
        finally:
            self.diagnostics = real

    def build_alone(self, record: Record, problems: Diagnostics) -> Item:
        """One record built again after the model was built, its problems going to `problems`."""
        real, self.diagnostics, self.media.diagnostics = self.diagnostics, problems, problems
        try:
            return self._build_item(record.collection, record)
        finally:
            self.diagnostics = self.media.diagnostics = real

    def _build_item(self, collection: str, record: Record) -> Item:
        entry = self.items.entries.get(id(record))
        if entry is not None and self._still_valid(entry):
            self._replay(entry)
            self.items.reused += 1
            return entry.item
        self.items.built += 1
        return self._build_fresh(collection, record)

    def _still_valid(self, entry: _Built) -> bool:
        record = entry.record
        if entry.config is not self.config or self.slugs.get(id(record)) != entry.slug:
            return False
        if any(self.version_of(rel) != version for rel, version in entry.versions):
            return False
        if any(self._link_target(record, written) != answer for written, answer in entry.links):
            return False
        return all(self._find_worker(query) is found for query, found in entry.workers)

    def _replay(self, entry: _Built) -> None:
        for path, media in entry.media:
            self.media.files.setdefault(path, media)
        if entry.link_files or entry.record.rel not in self.links:
            self.links.setdefault(entry.record.rel, set()).update(entry.link_files)

    def _build_fresh(self, collection: str, record: Record) -> Item:
        problems = Diagnostics()
        real, self.diagnostics, self.media.diagnostics = self.diagnostics, problems, problems
        self.media.log, self._lookups, self._links = [], [], []
        try:
            item = super()._build_item(collection, record)
        finally:
            self.diagnostics = self.media.diagnostics = real
            media_log, lookups, links = self.media.log, self._lookups, self._links
            self.media.log = self._lookups = self._links = None
        real.extend(problems.items)
        versions = [(self._rel(path), self.version_of(self._rel(path))) for path, _ in media_log]
        if problems.items or any(rel is None for rel, _ in versions):
            self.items.entries.pop(id(record), None)
            return item
        self.items.entries[id(record)] = _Built(
            record, self.config, self.slugs[id(record)], item,
            media=[(path, media) for path, media in media_log if media is not None],
            versions=[(rel, version) for rel, version in versions if rel is not None],
            links=links or [], link_files=self._link_files(record, links or []), workers=lookups or [])
        return item

    def _link_files(self, record: Record, links: list[tuple[str, str | None]]) -> set[str]:
        """The files this record's story links to, as ModelBuilder._remember_links notes them."""
        located = (self.media.locate(written, record.path.parent) for written, _ in links if written)
        return {rel for rel in (self._rel(path) for path in located) if rel is not None}

    def _rel(self, path: Path | None) -> str | None:
        if path is None or not path.is_relative_to(self.root):
            return None
        return path.relative_to(self.root).as_posix()

    # --- what an item looks up while it is built --------------------------------------------------
    def _find_worker(self, name_or_slug: str | None) -> Worker | None:
        found = super()._find_worker(name_or_slug)
        if self._lookups is not None and name_or_slug:
            self._lookups.append((name_or_slug, found))
        return found

    def _link_target(self, record: Record, written: str) -> str | None:
        answer = super()._link_target(record, written)
        if self._links is not None:
            self._links.append((written, answer))
        return answer
