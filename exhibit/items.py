"""Typed content items, one class per collection; what templates and screens read."""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from exhibit.dates import PartialDate
from exhibit.media import Media
from exhibit.units import Unit


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

    @property
    def heading(self) -> str:
        raise NotImplementedError

    @property
    def url_path(self) -> str:
        return f"{self.collection}/{self.slug}.html"

    @property
    def images(self) -> list[Media]:
        """Every image of the item, first the main one: for cards, slides and galleries."""
        return []

    def __getattr__(self, name: str) -> object:
        extra = self.__dict__.get("extra", {})
        if name in extra:
            return extra[name]
        raise AttributeError(name)


@dataclass(eq=False, kw_only=True)
class Worker(Item):
    name: str
    title: str | None = None
    photo: Media | None = None
    honors: list[str] = field(default_factory=list)
    quote: str | None = None
    since: PartialDate | None = None

    @property
    def heading(self) -> str:
        return self.name

    @property
    def images(self) -> list[Media]:
        return [self.photo] if self.photo else []


@dataclass(eq=False, kw_only=True)
class Team(Item):
    name: str
    leader: str | None = None
    leader_worker: Worker | None = None
    members: list[str] = field(default_factory=list)
    photo: Media | None = None

    @property
    def heading(self) -> str:
        return self.name

    @property
    def images(self) -> list[Media]:
        return [self.photo] if self.photo else []


@dataclass(eq=False, kw_only=True)
class Honor(Item):
    title: str
    awarded_by: str | None = None
    level: str | None = None
    recipient: str | None = None
    recipient_unit: Unit | None = None
    recipient_worker: Worker | None = None
    image: Media | None = None

    @property
    def heading(self) -> str:
        return self.title

    @property
    def recipient_name(self) -> str | None:
        """Who is honoured, as a person reads it."""
        if self.recipient_worker is not None:
            return self.recipient_worker.name
        if self.recipient_unit is not None:
            return self.recipient_unit.name
        return self.recipient

    @property
    def images(self) -> list[Media]:
        return [self.image] if self.image else []


@dataclass(eq=False, kw_only=True)
class Milestone(Item):
    title: str
    image: Media | None = None

    @property
    def heading(self) -> str:
        return self.title

    @property
    def images(self) -> list[Media]:
        return [self.image] if self.image else []


@dataclass(eq=False, kw_only=True)
class Activity(Item):
    title: str
    photos: list[Media] = field(default_factory=list)
    display_from: PartialDate | None = None
    display_until: PartialDate | None = None

    @property
    def heading(self) -> str:
        return self.title

    @property
    def images(self) -> list[Media]:
        return [photo for photo in self.photos if photo.is_image]

    @property
    def videos(self) -> list[Media]:
        """Videos listed in `photos` (.mp4, .webm): slides play them muted and looped."""
        return [photo for photo in self.photos if photo.is_video]


@dataclass(eq=False, kw_only=True)
class Philosophy(Item):
    title: str
    slogan: str

    @property
    def heading(self) -> str:
        return self.title
