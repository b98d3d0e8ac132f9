"""The collections in one registry: everything that makes `workers` or `honors` what it is.

An entry says where a collection's files live, which typed item class its
records become, which fields it reads (in that order; which are required; all
others are kept in `extra`), how its items are sorted, the label key that names
it, the kiosk slide layout screens show it with, and the front matter `new`
writes for it. Every stage asks the registry instead of spelling collection
names, so adding a collection is one entry here (or `COLLECTIONS.register` for a
site's own code and tests) plus `templates/<name>/index.html` and `item.html`,
and label text in the i18n catalogue if its name should read as words.

The name is the folder (`content/<name>/*.md`), the single-file form
(`content/<name>.yaml`, a list of records) and the site folder (`<name>/`).
exhibit/read/ sits below the model and may not import it, so it never sees this
registry: its functions take the collection folder names as an argument, and
callers pass `COLLECTIONS`, a mapping whose keys are those names in order.

Registry order is build and display order: collections whose fields point at
workers (team leaders, honor recipients) come after `workers`, so the workers
exist when they are linked. A registered collection goes last.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from exhibit.i18n import LANGUAGES
from exhibit.model.items import Activity, Honor, Item, Milestone, Philosophy, Team, Worker
from exhibit.read.slugs import is_slug

COMMON_FIELDS = ("unit", "tags", "order", "slug", "body")
"""Fields every collection knows: the ModelBuilder reads tags, order, slug and body for all of them."""
RESERVED_NAMES = frozenset({"units", "screens", "media", "assets", "index"})
"""Site and content folders that other things use: no collection may take their name."""

HONOR_LEVELS = {
    "national": "national", "国家级": "national", "国家": "national",
    "provincial": "provincial", "省部级": "provincial", "省级": "provincial",
    "group": "group", "集团级": "group", "集团": "group",
    "company": "company", "公司级": "company", "公司": "company",
    "plant": "plant", "厂级": "plant", "厂": "plant",
}


class Kind(StrEnum):
    """How a field is read, and so which item attributes it fills."""

    TEXT = "text"  # one text; a required one left empty becomes the slug (the heading) or ""
    TEXTS = "texts"  # a list: [a, b] or "a、b"
    DATE = "date"  # 2019, 2019-06 or 2019-06-01
    IMAGE = "image"  # one picture, beside the file or under content/media/
    MEDIA = "media"  # pictures and videos: a gallery
    CHOICE = "choice"  # one of `choices` (alias -> value)
    UNIT = "unit"  # a unit id from site.yaml -> Unit
    WORKER = "worker"  # a worker's name or slug: the text, and `<name>_worker` when it is one
    RECIPIENT = "recipient"  # a unit id or a worker: the text, `<name>_unit`, `<name>_worker`; the item
    # then also belongs to that unit, or to the worker's (an honor shows on the page of the unit it honours)


REQUIRABLE = frozenset({Kind.TEXT, Kind.DATE, Kind.CHOICE, Kind.UNIT})


class Order(StrEnum):
    """How a collection's items are sorted (then by file and line, so the order is stable)."""

    WRITTEN = "order"  # by the `order:` field; items without one last
    OLDEST_FIRST = "oldest"  # by date, forward: a timeline
    NEWEST_FIRST = "newest"  # by date, backward: honors, activities


@dataclass(frozen=True)
class Field:
    """One front-matter field of a collection."""

    name: str
    kind: Kind = Kind.TEXT
    required: bool = False
    choices: Mapping[str, str] | None = None  # Kind.CHOICE: what may be written -> the value kept
    not_before: str | None = None  # a date field this one may not end before (a display window)

    @property
    def attributes(self) -> tuple[str, ...]:
        """The item attributes this field fills: linking kinds fill what they found, too."""
        if self.kind is Kind.WORKER:
            return (self.name, f"{self.name}_worker")
        if self.kind is Kind.RECIPIENT:
            return (self.name, f"{self.name}_unit", f"{self.name}_worker")
        return (self.name,)

    @property
    def linked(self) -> tuple[str, ...]:
        """The attributes holding what a linking field found: pages showing the item depend on it."""
        return self.attributes[1:]


@dataclass(frozen=True)
class SlideLayout:
    """How screens show a collection: a layout of exhibit/kiosk/slides.py and templates/kiosk/slides.html."""

    name: str
    aliases: tuple[str, ...] = ()  # other words a screen file may write for it (人物, 荣誉墙)


@dataclass(frozen=True)
class CollectionSpec:
    """Everything about one collection (see the module docstring)."""

    name: str
    item_class: type[Item]
    fields: tuple[Field, ...]
    label: str  # the label key naming it in navigation and headings
    scaffold: Mapping[str, str]  # language -> the front matter `new` writes ({name} {unit} {date} {slug} {units})
    order: Order = Order.WRITTEN
    aliases: tuple[str, ...] = ()  # other names `new` accepts (worker, honour)
    slide_layout: SlideLayout | None = None  # None: screens do not show it
    level_wall: bool = False  # its index is paginated band by band, one per `level` (the honors wall)

    def __post_init__(self) -> None:
        for problem in _problems(self):
            raise ValueError(f"collection {self.name!r}: {problem}")

    @cached_property
    def known_fields(self) -> tuple[str, ...]:
        """Every field it reads; the others go to the item's `extra`."""
        return tuple(dict.fromkeys((*COMMON_FIELDS, *(field.name for field in self.fields))))

    @cached_property
    def required_fields(self) -> tuple[str, ...]:
        return tuple(field.name for field in self.fields if field.required)

    @cached_property
    def linked(self) -> tuple[str, ...]:
        """Attributes pointing at other items or units (Team.leader_worker, Honor.recipient_unit, ...)."""
        return tuple(name for entry in self.fields for name in entry.linked)

    @cached_property
    def media_fields(self) -> tuple[str, ...]:
        """Its Kind.IMAGE and Kind.MEDIA fields: the only attributes the model puts media in."""
        return tuple(entry.name for entry in self.fields if entry.kind in (Kind.IMAGE, Kind.MEDIA))

    @cached_property
    def recipients(self) -> tuple[str, ...]:
        """Its Kind.RECIPIENT fields: the item belongs to their units, too."""
        return tuple(entry.name for entry in self.fields if entry.kind is Kind.RECIPIENT)

    @property
    def needs_unit(self) -> bool:
        """A required `unit`: `new` fills one in."""
        return any(field.kind is Kind.UNIT and field.required for field in self.fields)


def _problems(spec: CollectionSpec) -> Iterator[str]:
    """Mistakes in an entry, found when it is made rather than halfway through a build."""
    if not is_slug(spec.name) or spec.name in RESERVED_NAMES:
        yield "the name must be a slug and not one of " + ", ".join(sorted(RESERVED_NAMES))
    if not issubclass(spec.item_class, Item):
        yield "item_class must be a subclass of Item"
        return
    attributes = {item_field.name for item_field in dataclasses.fields(spec.item_class)}
    dates: set[str] = set()
    for entry in spec.fields:
        if entry.name in COMMON_FIELDS and entry.name != "unit":
            yield f"{entry.name!r} is read for every collection"
        missing = [name for name in entry.attributes if name not in attributes]
        if missing:
            yield f"{spec.item_class.__name__} has no attribute {', '.join(missing)}"
        if entry.required and entry.kind not in REQUIRABLE:
            yield f"a {entry.kind} field cannot be required"
        if (entry.kind is Kind.CHOICE) != (entry.choices is not None):
            yield f"{entry.name!r}: choices go with Kind.CHOICE, and only with it"
        if entry.not_before is not None and (entry.kind is not Kind.DATE or entry.not_before not in dates):
            yield f"{entry.name!r}: not_before names a date field read before it"
        if entry.kind is Kind.DATE:
            dates.add(entry.name)
    if spec.item_class.HEADING_FIELD not in spec.required_fields:
        yield f"the heading field {spec.item_class.HEADING_FIELD!r} must be a required field"
    if set(spec.scaffold) != set(LANGUAGES):
        yield "scaffold needs front matter for " + " and ".join(LANGUAGES)


class CollectionRegistry(Mapping[str, CollectionSpec]):
    """The collections by name, in build and display order."""

    def __init__(self, specs: Iterable[CollectionSpec]) -> None:
        self._specs: dict[str, CollectionSpec] = {}
        for spec in specs:
            self.register(spec)

    def __getitem__(self, name: str) -> CollectionSpec:
        return self._specs[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._specs)

    def __len__(self) -> int:
        return len(self._specs)

    def register(self, spec: CollectionSpec) -> None:
        """Add a collection after the others."""
        if spec.name in self._specs:
            raise ValueError(f"collection {spec.name!r} is already registered")
        layout = spec.slide_layout
        taken = {word for other in self.layouts() for word in (other.name, *other.aliases)}
        if layout is not None and {layout.name, *layout.aliases} & taken:
            raise ValueError(f"collection {spec.name!r}: slide layout {layout.name!r} is already used")
        self._specs[spec.name] = spec

    def unregister(self, name: str) -> None:
        del self._specs[name]

    @contextmanager
    def registered(self, spec: CollectionSpec) -> Iterator[CollectionSpec]:
        """The collection is registered inside the `with` block only (tests, scripts)."""
        self.register(spec)
        try:
            yield spec
        finally:
            self.unregister(spec.name)

    def layouts(self) -> list[SlideLayout]:
        """The slide layouts of the collections screens can show."""
        return [spec.slide_layout for spec in self._specs.values() if spec.slide_layout is not None]

    def on_screens(self) -> list[str]:
        """The collections screens can show: those with a slide layout."""
        return [name for name, spec in self._specs.items() if spec.slide_layout is not None]


_UNIT_ZH = "unit: {unit}  # 所属组织（site.yaml 中的 id）：{units}\n"
_UNIT_EN = "unit: {unit}  # unit id from site.yaml: {units}\n"

WORKERS = CollectionSpec(
    name="workers", item_class=Worker, label="workers", aliases=("worker",),
    fields=(Field("name", required=True), Field("unit", Kind.UNIT, required=True), Field("title"),
            Field("photo", Kind.IMAGE), Field("honors", Kind.TEXTS), Field("quote"), Field("since", Kind.DATE)),
    slide_layout=SlideLayout("worker", ("人物",)),
    scaffold={
        "zh-CN": "name: {name}\n" + _UNIT_ZH + "# title: 职务或称号\n"
                 "# photo: {slug}.jpg  # 照片放在本文件旁边\n# honors: [荣誉一, 荣誉二]\n"
                 "# quote: 格言\n# since: 2008\n",
        "en": "name: {name}\n" + _UNIT_EN + "# title: job title\n"
              "# photo: {slug}.jpg  # put the photo beside this file\n# honors: [honor one, honor two]\n"
              "# quote: motto\n# since: 2008\n",
    },
)
TEAMS = CollectionSpec(
    name="teams", item_class=Team, label="teams", aliases=("team",),
    fields=(Field("leader", Kind.WORKER), Field("name", required=True), Field("unit", Kind.UNIT, required=True),
            Field("members", Kind.TEXTS), Field("photo", Kind.IMAGE)),
    slide_layout=SlideLayout("team", ("团队",)),
    scaffold={
        "zh-CN": "name: {name}\n" + _UNIT_ZH + "# leader: 负责人姓名\n"
                 "# members: [成员一, 成员二]\n# photo: {slug}.jpg\n",
        "en": "name: {name}\n" + _UNIT_EN + "# leader: leader's name\n"
              "# members: [member one, member two]\n# photo: {slug}.jpg\n",
    },
)
HONORS = CollectionSpec(
    name="honors", item_class=Honor, label="honors", aliases=("honor", "honour", "honours"),
    fields=(Field("recipient", Kind.RECIPIENT), Field("title", required=True),
            Field("date", Kind.DATE, required=True), Field("awarded_by"),
            Field("level", Kind.CHOICE, choices=HONOR_LEVELS), Field("unit", Kind.UNIT), Field("image", Kind.IMAGE)),
    order=Order.NEWEST_FIRST, level_wall=True,
    slide_layout=SlideLayout("honors-wall", ("荣誉墙", "honors")),
    scaffold={
        "zh-CN": "title: {name}\ndate: {date}\n# level: 厂级  # 国家级、省级、集团级、公司级、厂级\n"
                 "# recipient: 获奖组织 id 或人物文件名\n# awarded_by: 授予单位\n# image: {slug}.jpg\n",
        "en": "title: {name}\ndate: {date}\n# level: plant  # national, provincial, group, company, plant\n"
              "# recipient: unit id or worker slug\n# awarded_by: awarding body\n# image: {slug}.jpg\n",
    },
)
HISTORY = CollectionSpec(
    name="history", item_class=Milestone, label="history", aliases=("milestone",),
    fields=(Field("title", required=True), Field("date", Kind.DATE, required=True), Field("unit", Kind.UNIT),
            Field("image", Kind.IMAGE)),
    order=Order.OLDEST_FIRST,
    slide_layout=SlideLayout("timeline", ("时间轴", "发展轨迹")),
    scaffold={
        "zh-CN": "title: {name}\ndate: {date}  # 可只写年份（2019）或年月（2019-06）\n# image: {slug}.jpg\n",
        "en": "title: {name}\ndate: {date}  # a year (2019) or a month (2019-06) is enough\n# image: {slug}.jpg\n",
    },
)
ACTIVITIES = CollectionSpec(
    name="activities", item_class=Activity, label="activities", aliases=("activity",),
    fields=(Field("display_from", Kind.DATE), Field("display_until", Kind.DATE, not_before="display_from"),
            Field("title", required=True), Field("unit", Kind.UNIT, required=True),
            Field("date", Kind.DATE, required=True), Field("photos", Kind.MEDIA)),
    order=Order.NEWEST_FIRST,
    slide_layout=SlideLayout("activity", ("活动",)),
    scaffold={
        "zh-CN": "title: {name}\n" + _UNIT_ZH + "date: {date}\n"
                 "# photos: [{slug}-1.jpg, {slug}-2.jpg]\n# display_from: {date}\n# display_until: {date}\n",
        "en": "title: {name}\n" + _UNIT_EN + "date: {date}\n"
              "# photos: [{slug}-1.jpg, {slug}-2.jpg]\n# display_from: {date}\n# display_until: {date}\n",
    },
)
PHILOSOPHY = CollectionSpec(
    name="philosophy", item_class=Philosophy, label="philosophy", aliases=("value",),
    fields=(Field("title", required=True), Field("slogan", required=True), Field("unit", Kind.UNIT)),
    slide_layout=SlideLayout("philosophy", ("理念",)),
    scaffold={
        "zh-CN": "title: {name}\nslogan: {name}  # 理念标语，可修改\n# unit: 所属组织 id\n",
        "en": "title: {name}\nslogan: {name}  # the slogan; change it as needed\n# unit: unit id\n",
    },
)

COLLECTIONS = CollectionRegistry((WORKERS, TEAMS, HONORS, HISTORY, ACTIVITIES, PHILOSOPHY))
"""The site's collections; iterating gives their names in build and display order."""
