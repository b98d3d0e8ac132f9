"""Typed content items, one class per collection; what templates and screens read."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from markupsafe import Markup

from exhibit.model.media import Media
from exhibit.model.units import Unit
from exhibit.read.dates import PartialDate


@dataclass(eq=False, kw_only=True)
class Item:
    """Fields every collection shares; unknown front-matter fields stay reachable as attributes."""

    collection: str
    slug: str
    source: str
    line: int
    body: Markup = Markup("")
    summary: str = ""
    unit: Unit | None = None
    date: PartialDate | None = None
    tags: list[str] = field(default_factory=list)
    order: float | None = None
    extra: dict[str, object] = field(default_factory=dict)

    HEADING_FIELD: ClassVar[str] = "title"
    IMAGE_FIELDS: ClassVar[tuple[str, ...]] = ()

    @property
    def heading(self) -> str:
        """What a card or slide calls the item: a worker's name, an honor's title."""
        return str(getattr(self, self.HEADING_FIELD))

    @property
    def url_path(self) -> str:
        return f"{self.collection}/{self.slug}.html"

    @property
    def images(self) -> list[Media]:
        """Every image of the item, first the main one: for cards, slides and galleries."""
        found: list[Media] = []
        for name in self.IMAGE_FIELDS:
            value = getattr(self, name)
            for media in value if isinstance(value, list) else [value]:
                if media is not None and media.is_image:
                    found.append(media)
        return found

    def __getattr__(self, name: str) -> object:
        extra = self.__dict__.get("extra", {})
        if name in extra:
            return extra[name]
        raise AttributeError(name)


@dataclass(eq=False, kw_only=True)
class Worker(Item):
    HEADING_FIELD = "name"
    IMAGE_FIELDS = ("photo",)

    name: str
    title: str | None = None
    photo: Media | None = None
    honors: list[str] = field(default_factory=list)
    quote: str | None = None
    since: PartialDate | None = None


@dataclass(eq=False, kw_only=True)
class Team(Item):
    HEADING_FIELD = "name"
    IMAGE_FIELDS = ("photo",)

    name: str
    leader: str | None = None
    leader_worker: Worker | None = None
    members: list[str] = field(default_factory=list)
    photo: Media | None = None


@dataclass(eq=False, kw_only=True)
class Honor(Item):
    IMAGE_FIELDS = ("image",)

    title: str
    awarded_by: str | None = None
    level: str | None = None
    recipient: str | None = None
    recipient_unit: Unit | None = None
    recipient_worker: Worker | None = None
    image: Media | None = None

    @property
    def recipient_name(self) -> str | None:
        """Who is honoured, as a person reads it."""
        if self.recipient_worker is not None:
            return self.recipient_worker.name
        if self.recipient_unit is not None:
            return self.recipient_unit.name
        return self.recipient


@dataclass(eq=False, kw_only=True)
class Milestone(Item):
    IMAGE_FIELDS = ("image",)

    title: str
    image: Media | None = None


@dataclass(eq=False, kw_only=True)
class Activity(Item):
    IMAGE_FIELDS = ("photos",)

    title: str
    photos: list[Media] = field(default_factory=list)
    display_from: PartialDate | None = None
    display_until: PartialDate | None = None

    @property
    def videos(self) -> list[Media]:
        """Videos listed in `photos` (.mp4, .webm): slides play them muted and looped."""
        return [photo for photo in self.photos if photo.is_video]


@dataclass(eq=False, kw_only=True)
class Philosophy(Item):
    title: str
    slogan: str
