"""Records into a validated, cross-referenced site model: the one thing later stages read."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup

from exhibit.diagnostics import Diagnostics
from exhibit.model.config import SiteConfig
from exhibit.model.items import Activity, Honor, Item, Milestone, Philosophy, Team, Worker
from exhibit.model.markup import MarkdownRenderer, StoryCache, is_markdown_path, render_story
from exhibit.model.media import ImageProbes, Media, MediaResolver
from exhibit.model.units import Unit
from exhibit.read.fields import FieldReader, suggest
from exhibit.read.slugs import slugify
from exhibit.read.sources import COLLECTIONS, YAML_SUFFIXES, Record
from exhibit.read.yamltext import LinedList

HONOR_LEVELS = {
    "national": "national", "国家级": "national", "国家": "national",
    "provincial": "provincial", "省部级": "provincial", "省级": "provincial",
    "group": "group", "集团级": "group", "集团": "group",
    "company": "company", "公司级": "company", "公司": "company",
    "plant": "plant", "厂级": "plant", "厂": "plant",
}
COMMON_FIELDS = ("unit", "tags", "order", "slug", "body")


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
        for name in COLLECTIONS:
            yield from self.collections.get(name, [])

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


@lru_cache(maxsize=1 << 16)
def _resolved(path: Path) -> Path:
    """Path.resolve costs a system call per folder; the dev server resolves the same paths every build."""
    return path.resolve()


def units_of(item: Item) -> list[Unit]:
    """The units an item belongs to: its own, and for an honor its recipient's."""
    units = [item.unit]
    if isinstance(item, Honor):
        units.append(item.recipient_unit)
        if item.recipient_worker is not None:
            units.append(item.recipient_worker.unit)
    return [unit for unit in units if unit is not None]


def sort_key_for(collection: str) -> Callable[[Item], tuple]:
    """Timelines run forward; honors and activities newest first; the rest by `order`, then file."""
    if collection == "history":
        return lambda item: (item.date.sort_key() if item.date else (0, 0, 0), item.source, item.line)
    if collection in ("honors", "activities"):
        return lambda item: (tuple(-part for part in item.date.sort_key()) if item.date else (0, 0, 0),
                             item.source, item.line)
    return lambda item: (item.order if item.order is not None else float("inf"), item.source, item.line)


class ModelBuilder:
    """Validates records and links them: units, workers, media, story links."""

    def __init__(self, root: Path, content_dir: Path, assets_dir: Path, config: SiteConfig,
                 diagnostics: Diagnostics, probes: ImageProbes | None = None,
                 stories: StoryCache | None = None) -> None:
        self.root = root.resolve()
        self.content_dir = content_dir.resolve()
        self.config = config
        self.diagnostics = diagnostics
        self.media = MediaResolver(root, content_dir, assets_dir, diagnostics, probes)
        self.stories = stories
        self.links: dict[str, set[str]] = {}
        self.slugs: dict[int, str] = {}
        self.pages_by_source: dict[Path, str] = {}
        self.workers: dict[str, Worker] = {}
        self._worker_names: dict[str, Worker] | None = None
        self.markdown = MarkdownRenderer()

    def build(self, records: list[Record]) -> SiteModel:
        records = self._assign_slugs(records)
        collections: dict[str, list[Item]] = {name: [] for name in COLLECTIONS}
        by_collection: dict[str, list[Record]] = {name: [] for name in COLLECTIONS}
        for record in records:
            by_collection[record.collection].append(record)
        for name in COLLECTIONS:  # workers first: teams and honors point at them
            for record in by_collection[name]:
                item = self._build_item(name, record)
                collections[name].append(item)
                if isinstance(item, Worker):
                    self.workers[item.slug] = item
                    self._worker_names = None
        for name, items in collections.items():
            items.sort(key=sort_key_for(name))
        return SiteModel(self.config, collections, list(self.media.files.values()), self.links)

    def _build_item(self, collection: str, record: Record) -> Item:
        """One record into its typed item (the dev server's builder reuses unchanged ones)."""
        builders: dict[str, Callable[[Record, FieldReader, dict], Item]] = {
            "workers": self._worker, "teams": self._team, "honors": self._honor,
            "history": self._milestone, "activities": self._activity, "philosophy": self._philosophy,
        }
        reader = FieldReader(record.fields, record.rel, self.diagnostics)
        return builders[collection](record, reader, self._common(record, reader))

    # --- slugs -------------------------------------------------------------------------
    def _assign_slugs(self, records: list[Record]) -> list[Record]:
        """Give each record its slug; drop the second of two records with the same one."""
        kept: list[Record] = []
        seen: dict[tuple[str, str], Record] = {}
        for record in records:
            slug = self._slug_for(record)
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

    def _slug_for(self, record: Record) -> str | None:
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

    def _unit(self, reader: FieldReader, required: bool) -> Unit | None:
        unit_id = reader.text("unit", required)
        if unit_id is None:
            return None
        unit = self.config.units.get(unit_id)
        if unit is None:
            reader.error("unit_unknown", "unit", value=unit_id,
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

    def _extra(self, reader: FieldReader, *specific: str) -> dict[str, object]:
        return reader.extra(COMMON_FIELDS + specific)

    def _story(self, record: Record) -> tuple[Markup, str]:
        def resolve(target: str) -> str | None:
            return self._link_target(record, target)

        if self.stories is not None:
            story = self.stories.render(record.rel, record.body, resolve, record.body_line, self.markdown)
        else:
            story = render_story(record.body, resolve, record.body_line, self.markdown)
        for problem in story.problems:
            self.diagnostics.error("link_broken", record.rel, problem.line, 1, value=problem.target,
                                   suggestion=self._nearby_link(record, problem.target))
        self._remember_links(record, story.links)
        return Markup(story.html), story.summary

    def _remember_links(self, record: Record, links: tuple[tuple[str, str | None], ...]) -> None:
        targets = self.links.setdefault(record.rel, set())
        for written, _ in links:
            if written:
                target = self.media.locate(written, record.path.parent)
                if target is not None and target.is_relative_to(self.root):
                    targets.add(target.relative_to(self.root).as_posix())

    def _nearby_link(self, record: Record, written: str) -> str:
        """A file beside the broken link's target whose name is close: a 'did you mean'."""
        path = written.split("#", 1)[0]
        target = self.media.locate(path, record.path.parent)
        if target is None or not target.parent.is_dir():
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
            return self.pages_by_source[target]
        if target == self.content_dir:
            return "index.html"
        if target.parent == self.content_dir and target.name in COLLECTIONS and target.is_dir():
            return f"{target.name}/index.html"
        if target.parent == self.content_dir and target.stem in COLLECTIONS and target.suffix in YAML_SUFFIXES:
            return f"{target.stem}/index.html"
        if not target.is_file() or self.media.url_path_for(target) is None or is_markdown_path(target):
            return None
        media = self.media.resolve(written, record.path.parent, record.rel, record.body_line)
        return media.url_path if media else None

    # --- one builder per collection --------------------------------------------------------
    def _worker(self, record: Record, reader: FieldReader, common: dict) -> Worker:
        return Worker(
            **common,
            name=reader.text("name", required=True) or common["slug"],
            unit=self._unit(reader, required=True),
            title=reader.text("title"),
            photo=self._image(record, reader, "photo"),
            honors=reader.text_list("honors"),
            quote=reader.text("quote"),
            since=reader.date("since"),
            extra=self._extra(reader, "name", "title", "photo", "honors", "quote", "since"),
        )

    def _team(self, record: Record, reader: FieldReader, common: dict) -> Team:
        leader = reader.text("leader")
        return Team(
            **common,
            name=reader.text("name", required=True) or common["slug"],
            unit=self._unit(reader, required=True),
            leader=leader,
            leader_worker=self._find_worker(leader),
            members=reader.text_list("members"),
            photo=self._image(record, reader, "photo"),
            extra=self._extra(reader, "name", "leader", "members", "photo"),
        )

    def _honor(self, record: Record, reader: FieldReader, common: dict) -> Honor:
        recipient = reader.text("recipient")
        recipient_unit = self.config.units.get(recipient) if recipient else None
        recipient_worker = self._find_worker(recipient) if recipient and not recipient_unit else None
        if recipient and recipient_unit is None and recipient_worker is None:
            reader.error("recipient_unknown", "recipient", value=recipient,
                         suggestion=suggest(recipient, [*self.config.units.ids(), *self.workers]))
        return Honor(
            **common,
            title=reader.text("title", required=True) or common["slug"],
            date=reader.date("date", required=True),
            awarded_by=reader.text("awarded_by"),
            level=reader.choice("level", HONOR_LEVELS),
            recipient=recipient,
            recipient_unit=recipient_unit,
            recipient_worker=recipient_worker,
            unit=self._unit(reader, required=False),
            image=self._image(record, reader, "image"),
            extra=self._extra(reader, "title", "date", "awarded_by", "level", "recipient", "image"),
        )

    def _milestone(self, record: Record, reader: FieldReader, common: dict) -> Milestone:
        return Milestone(
            **common,
            title=reader.text("title", required=True) or common["slug"],
            date=reader.date("date", required=True),
            unit=self._unit(reader, required=False),
            image=self._image(record, reader, "image"),
            extra=self._extra(reader, "title", "date", "image"),
        )

    def _activity(self, record: Record, reader: FieldReader, common: dict) -> Activity:
        display_from = reader.date("display_from")
        display_until = reader.date("display_until")
        if display_from and display_until and display_until.last_day < display_from.first_day:
            self.diagnostics.error("date_range_reversed", record.rel, reader.line("display_until"), 1)
        return Activity(
            **common,
            title=reader.text("title", required=True) or common["slug"],
            unit=self._unit(reader, required=True),
            date=reader.date("date", required=True),
            photos=self._images(record, reader, "photos", allow_video=True),
            display_from=display_from,
            display_until=display_until,
            extra=self._extra(reader, "title", "date", "photos", "display_from", "display_until"),
        )

    def _philosophy(self, record: Record, reader: FieldReader, common: dict) -> Philosophy:
        return Philosophy(
            **common,
            title=reader.text("title", required=True) or common["slug"],
            slogan=reader.text("slogan", required=True) or "",
            unit=self._unit(reader, required=False),
            extra=self._extra(reader, "title", "slogan"),
        )

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
