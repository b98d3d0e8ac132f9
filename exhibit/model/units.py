"""The organisation tree: the party committee, its general branches and branches ("1+2+N")."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

UNIT_KINDS = {
    "committee": "committee", "党委": "committee",
    "general-branch": "general-branch", "general_branch": "general-branch", "党总支": "general-branch",
    "branch": "branch", "党支部": "branch", "支部": "branch",
    "workshop": "workshop", "车间": "workshop",
}

TIERS = {
    "benchmark": "benchmark", "标杆": "benchmark", "标杆党支部": "benchmark",
    "demonstration": "demonstration", "示范": "demonstration", "示范党支部": "demonstration",
    "standard": "standard", "标准": "standard", "标准党支部": "standard",
}

TIER_ORDER = ("benchmark", "demonstration", "standard")


@dataclass(eq=False)
class Unit:
    """One unit of the organisation; `parent` and `children` are filled by UnitTree."""

    id: str
    name: str
    line: int
    kind: str | None = None
    tier: str | None = None
    secretary: str | None = None
    theme: str | None = None
    parent_id: str | None = None
    extra: dict[str, object] = field(default_factory=dict)
    parent: Unit | None = None
    children: list[Unit] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return self.id

    @property
    def url_path(self) -> str:
        return f"units/{self.id}.html"

    @property
    def heading(self) -> str:
        return self.name

    @property
    def ancestors(self) -> list[Unit]:
        """From the top unit down to the parent."""
        chain: list[Unit] = []
        unit = self.parent
        while unit is not None:
            chain.insert(0, unit)
            unit = unit.parent
        return chain

    @property
    def depth(self) -> int:
        return len(self.ancestors)

    def descendants(self) -> Iterator[Unit]:
        for child in self.children:
            yield child
            yield from child.descendants()

    def __getattr__(self, name: str) -> object:
        extra = self.__dict__.get("extra", {})
        if name in extra:
            return extra[name]
        raise AttributeError(name)


class UnitTree:
    """Units by id, with parents linked; iteration is tree order (parents before children)."""

    def __init__(self, units: list[Unit]) -> None:
        self._by_id = {unit.id: unit for unit in units}
        for unit in units:
            unit.parent = self._by_id.get(unit.parent_id or "")
            unit.children = []
        for unit in units:
            if unit.parent is not None:
                unit.parent.children.append(unit)
        self.roots = [unit for unit in units if unit.parent is None]
        self.all = [unit for root in self.roots for unit in (root, *root.descendants())]

    def get(self, unit_id: str) -> Unit | None:
        return self._by_id.get(unit_id)

    def ids(self) -> list[str]:
        return list(self._by_id)

    def by_tier(self) -> dict[str, list[Unit]]:
        return {tier: [unit for unit in self.all if unit.tier == tier] for tier in TIER_ORDER}

    def __iter__(self) -> Iterator[Unit]:
        return iter(self.all)

    def __len__(self) -> int:
        return len(self.all)
