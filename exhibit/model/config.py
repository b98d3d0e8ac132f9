"""`content/site.yaml` into typed, frozen settings; every problem reported at once."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from exhibit.diagnostics import Diagnostics
from exhibit.i18n import normalise_language
from exhibit.model.fontsetting import FontSetting, read_font_setting
from exhibit.model.units import TIERS, UNIT_KINDS, Unit, UnitTree
from exhibit.read.fields import FieldReader, suggest
from exhibit.read.slugs import is_slug, slugify
from exhibit.read.sources import read_text
from exhibit.read.yamltext import LinedDict, LinedList, load_yaml

CONFIG_NAME = "site.yaml"
SITE_FIELDS = ("title", "subtitle", "language", "lang", "base_url", "units", "font", "page_size")
UNIT_FIELDS = ("id", "name", "parent", "kind", "tier", "secretary", "theme")


DEFAULT_PAGE_SIZE = 24
MAX_PAGE_SIZE = 500  # beyond this a page is as slow to browse (and rebuild) as no paging at all

@dataclass(frozen=True)
class SiteConfig:
    """What site.yaml says; unknown keys are kept in `extra` for templates and later stages."""

    title: str
    language: str
    units: UnitTree
    subtitle: str | None = None
    base_url: str | None = None
    font: FontSetting | None = None  # None: let fontconfig find a CJK font
    page_size: int = DEFAULT_PAGE_SIZE  # cards per listing page (see exhibit/render/paginate.py)
    extra: dict[str, object] = field(default_factory=dict)


def config_path(content_dir: Path) -> Path:
    return content_dir / CONFIG_NAME


def load_config(root: Path, content_dir: Path, diagnostics: Diagnostics,
                lang_override: str | None = None) -> SiteConfig | None:
    """Read site.yaml; None when it is missing or unreadable (the problems are in `diagnostics`)."""
    path = config_path(content_dir)
    rel = path.relative_to(root).as_posix()
    if not path.is_file():
        diagnostics.error("config_missing", rel)
        return None
    text = read_text(path, rel, diagnostics)
    if text is None:
        return None
    data, problems = load_yaml(text, rel)
    diagnostics.extend(problems)
    if data is None and not problems:
        data = LinedDict()
    if not isinstance(data, LinedDict):
        if data is not None:
            diagnostics.error("config_not_mapping", rel, 1, 1)
        return None
    return _read_config(data, rel, diagnostics, lang_override)


def _read_config(data: LinedDict, rel: str, diagnostics: Diagnostics,
                 lang_override: str | None) -> SiteConfig:
    reader = FieldReader(data, rel, diagnostics)
    title = reader.text("title", required=True) or ""
    language = lang_override or reader.text("language") or reader.text("lang")
    if language and not language.replace("_", "-").lower().startswith(("zh", "en")):
        reader.error("config_language", "language", value=language)
    base_url = reader.text("base_url")
    if base_url and not base_url.startswith(("http://", "https://")):
        reader.error("config_base_url", "base_url", value=base_url)
        base_url = None
    if base_url and not base_url.endswith("/"):
        base_url += "/"
    units = _read_units(data, rel, diagnostics)
    return SiteConfig(
        title=title,
        language=normalise_language(language),
        units=units,
        subtitle=reader.text("subtitle"),
        base_url=base_url,
        font=read_font_setting(data, rel, diagnostics),
        page_size=_read_page_size(reader),
        extra=reader.extra(SITE_FIELDS),
    )


def _read_page_size(reader: FieldReader) -> int:
    """A whole number of cards per page; anything else is reported and the default used."""
    if not reader.has("page_size"):
        return DEFAULT_PAGE_SIZE
    value = reader.record["page_size"]
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_PAGE_SIZE:
        reader.error("config_page_size", "page_size", value=reader.record.raw.get("page_size", value),
                     largest=MAX_PAGE_SIZE)
        return DEFAULT_PAGE_SIZE
    return value


def _read_units(data: LinedDict, rel: str, diagnostics: Diagnostics) -> UnitTree:
    raw_units = data.get("units")
    if raw_units in (None, ""):
        return UnitTree([])
    if not isinstance(raw_units, LinedList):
        diagnostics.error("field_not_list", rel, data.line_of("units"), 1, field="units")
        return UnitTree([])
    units: list[Unit] = []
    seen: dict[str, int] = {}
    for entry, line in zip(raw_units, raw_units.item_lines, strict=False):
        if not isinstance(entry, LinedDict):
            diagnostics.error("list_item_not_mapping", rel, line, 1)
            continue
        unit = _read_unit(entry, rel, diagnostics)
        if unit is None:
            continue
        if unit.id in seen:
            diagnostics.error("unit_duplicate", rel, entry.line_of("id"), 1, value=unit.id,
                              other_line=seen[unit.id])
            continue
        seen[unit.id] = entry.line_of("id")
        units.append(unit)
    _check_parents(units, rel, diagnostics)
    return UnitTree(units)


def _read_unit(entry: LinedDict, rel: str, diagnostics: Diagnostics) -> Unit | None:
    reader = FieldReader(entry, rel, diagnostics)
    unit_id = reader.text("id", required=True)
    name = reader.text("name", required=True)
    if unit_id and not is_slug(unit_id):
        diagnostics.error("unit_id_invalid", rel, entry.line_of("id"), 1, value=unit_id)
        unit_id = slugify(unit_id) or None
    if not unit_id or not name:
        return None
    return Unit(
        id=unit_id,
        name=name,
        line=entry.line,
        kind=reader.choice("kind", UNIT_KINDS),
        tier=reader.choice("tier", TIERS),
        secretary=reader.text("secretary"),
        theme=reader.text("theme"),
        parent_id=reader.text("parent"),
        extra=reader.extra(UNIT_FIELDS),
    )


def _check_parents(units: list[Unit], rel: str, diagnostics: Diagnostics) -> None:
    """Unknown parents and loops would make the tree lie; report and detach them."""
    by_id = {unit.id: unit for unit in units}
    for unit in units:
        if unit.parent_id and unit.parent_id not in by_id:
            diagnostics.error("unit_parent_unknown", rel, unit.line, 1, value=unit.parent_id,
                              suggestion=suggest(unit.parent_id, by_id))
            unit.parent_id = None
    for unit in units:
        seen = {unit.id}
        current = by_id.get(unit.parent_id or "")
        while current is not None:
            if current.id in seen:
                diagnostics.error("unit_cycle", rel, unit.line, 1, value=unit.id)
                unit.parent_id = None
                break
            seen.add(current.id)
            current = by_id.get(current.parent_id or "")
