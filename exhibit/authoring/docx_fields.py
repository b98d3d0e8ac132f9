"""Front matter for an imported document: what the text says, the collection's own template for the rest.

The collection's scaffold (the text `new` writes) is the starting point, so an
imported item lists the same optional fields, commented, as a new one. Filled
from the document: the name or title, a date written as 2023年5月(12日), the unit
(--unit, else the unit whose name the text mentions), and the first photo.
A required field the text does not give stays a comment that says so, and
`check` reports it with its usual message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from exhibit.authoring.scaffold import yaml_scalar
from exhibit.i18n import format_message
from exhibit.model.collections import CollectionSpec, Kind
from exhibit.model.config import SiteConfig

_DATE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*[日号])?")
_ISO_DATE = re.compile(r"\b((?:19|20)\d{2})[-./](\d{1,2})(?:[-./](\d{1,2}))?\b")
_BRACKETED = re.compile(r"[（(][^）)]*[）)]")
_KEY = re.compile(r"^(#\s*)?([a-z_]+):")


@dataclass(frozen=True)
class Guess:
    """What the document gave for the front matter."""

    heading: str
    date: str | None
    unit: str | None
    photos: tuple[str, ...]


def find_date(text: str) -> str | None:
    """The first date the text writes: '2023年5月12日' -> '2023-05-12', '2023年5月' -> '2023-05'."""
    for pattern in (_DATE, _ISO_DATE):
        for match in pattern.finditer(text):
            year, month, day = match.group(1), int(match.group(2)), match.group(3)
            if not 1 <= month <= 12 or (day is not None and not 1 <= int(day) <= 31):
                continue
            return f"{year}-{month:02d}" + (f"-{int(day):02d}" if day else "")
    return None


def find_unit(text: str, config: SiteConfig) -> str | None:
    """The unit whose name (without a bracketed note such as （示例）) the text mentions; the longest wins."""
    found: list[tuple[int, int, str]] = []
    for unit in config.units:
        name = _BRACKETED.sub("", str(unit.name)).strip()
        position = text.find(name) if len(name) >= 2 else -1
        if position >= 0:
            found.append((-len(name), position, unit.id))
    return min(found)[2] if found else None


def front_matter(spec: CollectionSpec, guess: Guess, config: SiteConfig, lang: str, source: str, slug: str) -> str:
    """The YAML between the fences, ending in a newline."""
    template = spec.scaffold[lang].format(
        name=yaml_scalar(guess.heading), unit=guess.unit or "", date=guess.date or "", slug=slug,
        units=", ".join(config.units.ids()))
    lines = [format_message("import_source_comment", lang, {"file": source})[0].join(("# ", ""))]
    values = _values(spec, guess)
    required = set(spec.required_fields)
    seen: set[str] = set()
    for line in template.splitlines():
        match = _KEY.match(line)
        key = match.group(2) if match else None
        if key is None:
            lines.append(line)
            continue
        seen.add(key)
        if key in values:
            lines.append(_filled(line, key, values[key]))
        elif key in required and (match.group(1) or not line[match.end():].split("  #", 1)[0].strip()):
            lines.append(_placeholder(key, lang))  # the template has no value for it either
        else:
            lines.append(line)
    lines += [f"{key}: {value}" for key, value in values.items() if key not in seen]
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _values(spec: CollectionSpec, guess: Guess) -> dict[str, str]:
    """Field -> YAML value for what the document gave."""
    values: dict[str, str] = {spec.item_class.HEADING_FIELD: yaml_scalar(guess.heading)}
    for entry in spec.fields:
        if entry.kind is Kind.DATE and entry.required and guess.date:
            values[entry.name] = guess.date
        elif entry.kind is Kind.UNIT and guess.unit:
            values[entry.name] = guess.unit
        elif entry.kind is Kind.IMAGE and guess.photos and entry.name not in values:
            values[entry.name] = yaml_scalar(guess.photos[0])
        elif entry.kind is Kind.MEDIA and guess.photos:
            values[entry.name] = f"[{yaml_scalar(guess.photos[0])}]"
    return values


def _filled(line: str, key: str, value: str) -> str:
    """`key: value`, keeping the template's trailing comment when the line was a field already."""
    comment = line.split("  #", 1)[1] if "  #" in line else None
    return f"{key}: {value}" + (f"  #{comment}" if comment else "")


def _placeholder(key: str, lang: str) -> str:
    return f"# {key}:   # " + format_message("import_placeholder", lang, {"field": key})[0]
