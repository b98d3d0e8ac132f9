"""Records into a validated, cross-referenced site model (model/sitemodel.py): the one thing later stages read."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, MutableMapping
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote

from markupsafe import Markup

from exhibit.diagnostics import Diagnostic, Diagnostics, Severity
from exhibit.model.collections import COLLECTIONS, CollectionSpec, Field, Kind
from exhibit.model.config import SiteConfig
from exhibit.model.items import Item, Worker
from exhibit.model.markup import (
    MarkdownRenderer,
    RenderedEntry,
    RenderedStories,
    RenderedStory,
    StoryConversions,
    convert_markdown,
    is_markdown_path,
    render_story,
    story_key,
)
from exhibit.model.media import ImageProbes, Media, MediaResolver
from exhibit.model.sitemodel import SiteModel, sort_key_for
from exhibit.model.units import Unit
from exhibit.read.dates import PartialDate
from exhibit.read.fields import FieldReader, suggest
from exhibit.read.limits import markdown_recursion, story_limits
from exhibit.read.slugs import slugify
from exhibit.read.sources import YAML_SUFFIXES, Record
from exhibit.read.yamltext import LinedList
from exhibit.workers import worker_count

StoryHtml = MutableMapping[str, str] | Callable[[str], str]
"""Converted stories for the model build: HTML by `story_key`, or a function of the text (see markup.py)."""


def _same_answers(story: RenderedStory, resolve: Callable[[str], str | None]) -> bool:
    return all(resolve(written) == answer for written, answer in story.links)


@lru_cache(maxsize=1 << 16)
def _resolved(path: Path) -> Path:
    """The path with every symbolic link resolved, as Path.resolve gives it.

    Path.resolve costs a system call per folder of the path, for every content file of the site (50 ms of a
    1,000-item rebuild); a file that is not itself a link resolves to its resolved folder and its name, and the
    few folders are resolved once. The preview asks for the same paths on every save: remembered."""
    if path.name in ("", ".", "..") or os.path.islink(path):
        return path.resolve()
    return _resolved_folder(path.parent) / path.name


@lru_cache(maxsize=1 << 12)
def _resolved_folder(folder: Path) -> Path:
    return folder.resolve()


class ModelBuilder:
    """Validates records and links them: units, workers, media, story links.

    Stories are converted from Markdown before the items are built, all at once on
    `jobs` processes (or taken from `story_html`: a mapping of known ones which receives
    the newly converted ones, or a function of the text); building an item then only
    resolves its story's links. A story rendered before from the same text at the same
    place (`rendered`, the engine's cache) is neither converted nor rendered again.
    """

    def __init__(self, root: Path, content_dir: Path, assets_dir: Path, config: SiteConfig,
                 diagnostics: Diagnostics, probes: ImageProbes | None = None, *,
                 story_html: StoryHtml | None = None,
                 jobs: int | None = None, rendered: RenderedStories | None = None) -> None:
        """`rendered`: the stories rendered by an earlier build, by place; receives this build's (a new mapping
        when None). The engine keeps only the entries this build read or wrote (engine/cache.py UsedEntries)."""
        self.root = root.resolve()
        self.content_dir = content_dir.resolve()
        self.config = config
        self.diagnostics = diagnostics
        self.media = MediaResolver(root, content_dir, assets_dir, diagnostics, probes)
        self.links: dict[str, set[str]] = {}
        self.slugs: dict[int, str] = {}
        self.pages_by_source: dict[Path, str] = {}
        self.workers: dict[str, Worker] = {}
        self.records_of: dict[int, Record] = {}  # by id(item): the record each item of the last build came from
        self._worker_names: dict[str, Worker] | None = None
        self.jobs = worker_count(jobs)
        self.story_html: StoryHtml = {} if story_html is None else story_html
        self._own_story_html = story_html is None
        self.markdown = MarkdownRenderer(self._story_html)
        self._conversions: StoryConversions | None = None  # the stories converting while `build` builds items
        self.rendered: RenderedStories = {} if rendered is None else rendered

    def build(self, records: list[Record]) -> SiteModel:
        records = self._assign_slugs(records)
        collections: dict[str, list[Item]] = {name: [] for name in COLLECTIONS}
        by_collection: dict[str, list[Record]] = {name: [] for name in COLLECTIONS}
        for record in records:
            by_collection[record.collection].append(record)
        ordered = [record for name in COLLECTIONS for record in by_collection[name]]  # workers first: others name them
        with self._convert_stories(ordered):  # each item is built as soon as its story has arrived
            for record in ordered:
                item = self.build_item(record.collection, record)
                collections[record.collection].append(item)
                self.register(item, record)
        self._conversions = None
        for name, items in collections.items():
            items.sort(key=sort_key_for(name))
        return SiteModel(self.config, collections, list(self.media.files.values()), self.links)

    def register(self, item: Item, record: Record) -> None:
        """The item as the one its record makes now: a worker is found by its slug and name from here on."""
        self.records_of[id(item)] = record
        if isinstance(item, Worker):
            self.workers[item.slug] = item
            self.forget_worker_names()

    def forget_worker_names(self) -> None:
        """The workers changed: the index by name is made again when next asked."""
        self._worker_names = None

    def build_item(self, collection: str, record: Record) -> Item:
        """One record into its registry entry's typed item."""
        spec = COLLECTIONS[collection]
        reader = FieldReader(record.fields, record.rel, self.diagnostics)
        common = self._common(record, reader)
        values = self._fields(spec, record, reader, common["slug"])
        return spec.item_class(**common, **values, extra=reader.extra(spec.known_fields))

    # --- stories ------------------------------------------------------------------------
    def _convert_stories(self, records: list[Record]) -> contextlib.AbstractContextManager[object]:
        """Every story neither converted yet nor rendered from the same text before, converted in parallel in the
        records' order while they are used (a conversion function converts its own). A rendered story whose links
        now answer otherwise is converted on its own."""
        if callable(self.story_html):
            return contextlib.nullcontext()
        self._conversions = StoryConversions((record.body for record in records
                                              if record.body.strip() and not self._rendered_before(record)),
                                             self.jobs, self.story_html)
        return self._conversions

    def _rendered_before(self, record: Record) -> RenderedEntry | None:
        """The entry an earlier build rendered from this record's text at its place, if any."""
        known = self.rendered.get((record.rel, record.body_line))
        return known if known is not None and known[0] == record.body else None

    def _story_html(self, text: str) -> str:
        if callable(self.story_html):
            return self.story_html(text)
        # Its own conversions go once used (the rendered story holds the HTML from here on); a caller's stay.
        key = story_key(text)
        if self._conversions is not None:
            self._conversions.ask(key)
        take = self.story_html.pop if self._own_story_html else self.story_html.get
        converted = take(key, None)
        return converted if converted is not None else convert_markdown(text)

    # --- slugs -------------------------------------------------------------------------
    def _assign_slugs(self, records: list[Record]) -> list[Record]:
        """Give each record its slug; drop the second of two records with the same one."""
        kept: list[Record] = []
        seen: dict[tuple[str, str], Record] = {}
        for record in records:
            slug = self.slug_for(record)
            if slug is None:
                continue
            first = seen.get((record.collection, slug))
            if first is not None:
                other = first.rel if first.stem else f"{first.rel}:{first.line}"
                self.diagnostics.error("slug_duplicate", record.rel, record.line, 1, slug=slug, other=other)
                continue
            seen[(record.collection, slug)] = record
            self.slugs[id(record)] = slug
            if record.stem is not None and is_markdown_path(record.path):
                self.pages_by_source[_resolved(record.path)] = f"{record.collection}/{slug}.html"
            kept.append(record)
        return kept

    def slug_for(self, record: Record) -> str | None:
        fields = record.fields
        written = fields.raw.get("slug")
        if written and written.strip():
            source_text = written
        elif record.stem is not None:
            source_text = record.stem
        else:  # the text as typed: `title: 1.10` must not become the slug of 1.1
            source_text = fields.raw.get("name") or fields.raw.get("title") or ""
        slug = slugify(source_text)
        if not slug:
            self.diagnostics.error("slug_empty", record.rel, record.line, 1, value=source_text)
            return None
        return slug

    # --- shared fields ------------------------------------------------------------------
    def _common(self, record: Record, reader: FieldReader) -> dict:
        body, summary = self._story(record)
        return {
            "collection": record.collection,
            "slug": self.slugs[id(record)],
            "source": record.rel,
            "line": record.line,
            "body": body,
            "summary": summary,
            "tags": reader.text_list("tags"),
            "order": reader.number("order"),
        }

    def _unit(self, reader: FieldReader, required: bool, name: str = "unit") -> Unit | None:
        unit_id = reader.text(name, required)
        if unit_id is None:
            return None
        unit = self.config.units.get(unit_id)
        if unit is None:
            reader.error("unit_unknown", name, value=unit_id,
                         suggestion=suggest(unit_id, self.config.units.ids()))
        return unit

    def _image(self, record: Record, reader: FieldReader, name: str) -> Media | None:
        value = reader.text(name)
        if value is None:
            return None
        return self.media.resolve(value, record.path.parent, record.rel, reader.line(name), require_image=True)

    def _images(self, record: Record, reader: FieldReader, name: str, allow_video: bool = False) -> list[Media]:
        values = reader.text_list(name)
        written = record.fields.get(name)
        lines = (written.item_lines if isinstance(written, LinedList) and len(written.item_lines) == len(values)
                 else [reader.line(name)] * len(values))  # each entry's own line, so errors point at it
        found = (self.media.resolve(value, record.path.parent, record.rel, line, require_image=True,
                                    allow_video=allow_video)
                 for value, line in zip(values, lines, strict=True))
        return [media for media in found if media is not None]

    def _story(self, record: Record) -> tuple[Markup, str]:
        def resolve(target: str) -> str | None:
            return self._link_target(record, target)

        known = self._rendered_before(record)
        if known is not None:
            self.diagnostics.extend(known[1])  # in the order a render reports them: nesting, then lookups
            story = known[2] if _same_answers(known[2], resolve) else self._render_story(record, resolve, known[1])[1]
        else:
            story = self._render_story(record, resolve)[1]
        if story is None:
            return Markup(""), ""
        for problem in story.problems:
            self._report_link(record, problem.target, problem.line)
        self._remember_links(record, story.links)
        return story.html, story.summary

    def _render_story(self, record: Record, resolve: Callable[[str], str | None],
                      limits: list[Diagnostic] | None = None) -> tuple[list[Diagnostic], RenderedStory | None]:
        """The story's nesting problems, and its HTML with the link lookups it made (None: not rendered).

        `limits`: the text's nesting problems, already reported (an earlier render's); else scanned and reported."""
        if limits is None:
            limits = story_limits(record.body, record.rel, record.body_line)
            self.diagnostics.extend(limits)
        if any(found.severity is Severity.ERROR for found in limits):
            return limits, None
        try:
            story = render_story(record.body, resolve, record.body_line, self.markdown)
            self.rendered[(record.rel, record.body_line)] = (record.body, limits, story)
            return limits, story
        except RecursionError:  # nesting the scan did not catch: still a message, never a crash
            self.diagnostics.add(markdown_recursion(record.rel, record.body_line))
            return limits, None

    def _remember_links(self, record: Record, links: tuple[tuple[str, str | None], ...]) -> None:
        targets = self.links.setdefault(record.rel, set())
        for written, _ in links:
            if written:
                target = self.media.locate(written, record.path.parent)
                if target is not None and target.is_relative_to(self.root):
                    targets.add(target.relative_to(self.root).as_posix())

    def _report_link(self, record: Record, written: str, line: int) -> None:
        """Why a story link leads nowhere: a file that would run, a place outside, or nothing there."""
        for path in (written, unquote(written.split("#", 1)[0].split("?", 1)[0])):
            target = self.media.locate(path, record.path.parent)
            if target is None or not target.exists():
                continue
            if self.media.url_path_for(target) is None:
                self.diagnostics.error("link_outside", record.rel, line, 1, value=written)
                return
            active = self.media.active(target)
            if active is not None:
                self.diagnostics.error("media_active", record.rel, line, 1, value=written, kind=active)
                return
        self.diagnostics.error("link_broken", record.rel, line, 1, value=written,
                               suggestion=self._nearby_link(record, written))

    def _nearby_link(self, record: Record, written: str) -> str:
        """A file beside the broken link's target whose name is close: a 'did you mean'.

        Only names inside content/ and assets/ are offered: a hint never shows what lies outside.
        """
        path = written.split("#", 1)[0]
        target = self.media.locate(path, record.path.parent)
        if target is None or self.media.url_path_for(target.parent) is None or not target.parent.is_dir():
            return ""
        names = [child.name for child in target.parent.iterdir() if not child.name.startswith(".")]
        match = suggest(target.name, names)
        if not match:
            return ""
        head = path.replace("\\", "/").rsplit("/", 1)
        return f"{head[0]}/{match}" if len(head) == 2 else match

    def _link_target(self, record: Record, written: str) -> str | None:
        """The site path a story link leads to: an item page, a collection index, or a file."""
        if not written:
            return None
        target = self.media.locate(written, record.path.parent)
        if target is None:
            return None
        if target in self.pages_by_source:
            self.media.warn_backslash(written, record.rel, record.body_line)
            return self.pages_by_source[target]
        if target == self.content_dir:
            return "index.html"
        if target.parent == self.content_dir and target.name in COLLECTIONS and target.is_dir():
            return f"{target.name}/index.html"
        if target.parent == self.content_dir and target.stem in COLLECTIONS and target.suffix in YAML_SUFFIXES:
            return f"{target.stem}/index.html"
        if (not target.is_file() or self.media.url_path_for(target) is None or is_markdown_path(target)
                or self.media.active(target) is not None):
            return None
        media = self.media.resolve(written, record.path.parent, record.rel, record.body_line)
        return media.url_path if media else None

    # --- fields, as the registry lists them ---------------------------------------------------
    def _fields(self, spec: CollectionSpec, record: Record, reader: FieldReader, slug: str) -> dict[str, object]:
        """The item's own attributes, read in the registry's order (so problems are reported in it)."""
        values: dict[str, object] = {}
        for entry in spec.fields:
            values.update(self._read(entry, record, reader))
            if entry.kind is Kind.TEXT and entry.required and not values[entry.name]:
                values[entry.name] = slug if entry.name == spec.item_class.HEADING_FIELD else ""
            if entry.not_before is not None:
                self._check_not_before(entry, record, reader, values)
        return values

    def _read(self, entry: Field, record: Record, reader: FieldReader) -> dict[str, object]:
        """One field by its kind: the attributes it fills (see Kind)."""
        name, kind = entry.name, entry.kind
        if kind is Kind.TEXT:
            return {name: reader.text(name, entry.required)}
        if kind is Kind.TEXTS:
            return {name: reader.text_list(name)}
        if kind is Kind.DATE:
            return {name: reader.date(name, entry.required)}
        if kind is Kind.IMAGE:
            return {name: self._image(record, reader, name)}
        if kind is Kind.MEDIA:
            return {name: self._images(record, reader, name, allow_video=True)}
        if kind is Kind.CHOICE:
            return {name: reader.choice(name, entry.choices or {}, entry.required)}
        if kind is Kind.UNIT:
            return {name: self._unit(reader, entry.required, name)}
        if kind is Kind.WORKER:
            written = reader.text(name)
            return dict(zip(entry.attributes, (written, self._find_worker(written)), strict=True))
        return dict(zip(entry.attributes, self._recipient(reader, name), strict=True))

    def _recipient(self, reader: FieldReader, name: str) -> tuple[str | None, Unit | None, Worker | None]:
        """A unit id, else a worker's slug or name: what is honoured."""
        written = reader.text(name)
        unit = self.config.units.get(written) if written else None
        worker = self._find_worker(written) if written and not unit else None
        if written and unit is None and worker is None:
            reader.error("recipient_unknown", name, value=written,
                         suggestion=suggest(written, [*self.config.units.ids(), *self.workers]))
        return written, unit, worker

    def _check_not_before(self, entry: Field, record: Record, reader: FieldReader, values: dict[str, object]) -> None:
        start, end = values.get(entry.not_before or ""), values.get(entry.name)
        if isinstance(start, PartialDate) and isinstance(end, PartialDate) and end.last_day < start.first_day:
            self.diagnostics.error("date_range_reversed", record.rel, reader.line(entry.name), 1)

    def _find_worker(self, name_or_slug: str | None) -> Worker | None:
        """A worker by slug or by exact name, so `leader: 邵志村` links to his page."""
        if not name_or_slug:
            return None
        worker = self.workers.get(name_or_slug) or self.workers.get(slugify(name_or_slug))
        if worker is not None:
            return worker
        if self._worker_names is None:  # one index, not a scan per team: the first worker of a name wins
            self._worker_names = {}
            for candidate in self.workers.values():
                self._worker_names.setdefault(candidate.name, candidate)
        return self._worker_names.get(name_or_slug)
