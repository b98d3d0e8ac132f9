"""The collection registry: a collection added as one entry (plus its two templates) is a whole collection."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pytest
from conftest import REPO, check_site, found, load_whole_site

from exhibit.i18n import LABELS
from exhibit.kiosk.slides import SLIDE_LAYOUTS
from exhibit.model.collections import COLLECTIONS, CollectionSpec, Field, Kind, Order
from exhibit.model.items import Item
from exhibit.model.media import Media


@dataclass(eq=False, kw_only=True)
class Award(Item):
    """A test-only item class: what a site's own collection would define."""

    IMAGE_FIELDS = ("image",)

    title: str
    sponsor: str | None = None
    image: Media | None = None


AWARDS = CollectionSpec(
    name="awards", item_class=Award, label="awards",
    fields=(Field("title", required=True), Field("date", Kind.DATE, required=True), Field("unit", Kind.UNIT),
            Field("sponsor"), Field("image", Kind.IMAGE)),
    order=Order.NEWEST_FIRST, aliases=("award",),
    scaffold={"zh-CN": "title: {name}\ndate: {date}\n# sponsor: 颁发单位\n",
              "en": "title: {name}\ndate: {date}\n# sponsor: who gives it\n"},
)

AWARD_FILES = {
    "content/awards/gold-hammer.md": "---\ntitle: 金锤奖\ndate: 2024-05\nunit: acid\nsponsor: 集团工会\n---\n"
                                     "硫酸党支部连续三年零事故，获此殊荣。\n",
    "content/awards.yaml": "- title: 银扳手奖\n  date: 2023\n  unit: smelting-1\n- title: 铜螺丝奖\n  date: 2025-01\n",
    "templates/awards/index.html": '{% extends "partials/index_page.html" %}\n',
    "templates/awards/item.html": '{% extends "partials/item_page.html" %}\n'
                                  '{% block entry_subtitle %}<p class="sponsor">{{ item.sponsor or "" }}</p>'
                                  '{% endblock %}\n',
}


@pytest.fixture
def awards():
    with COLLECTIONS.registered(AWARDS) as spec:
        yield spec


def _text(path) -> str:
    return path.read_text(encoding="utf-8")


def test_a_registered_collection_is_read_checked_and_built(make_site, awards):
    root = make_site(AWARD_FILES)
    checked = check_site(root)
    assert checked.ok and checked.diagnostics.items == [], checked.diagnostics.items
    assert checked.items == 3

    assert check_site(root, write=True).written
    site = root / "site"
    index = _text(site / "awards/index.html")
    positions = [index.find(title) for title in ("铜螺丝奖", "金锤奖", "银扳手奖")]
    assert -1 not in positions and positions == sorted(positions), "newest first, as the registry says"
    item = _text(site / "awards/gold-hammer.html")
    assert "硫酸党支部连续三年零事故，获此殊荣。" in item and '<p class="sponsor">集团工会</p>' in item
    assert "2024年5月" in item or "2024年5月" in index
    assert (site / "awards/yin-ban-shou-jiang.html").is_file()  # a record of the single-file form
    home = _text(site / "index.html")
    navigation = home[home.index('<nav class="site-nav"'):home.index("</nav>")]
    assert 'href="awards/index.html"' in navigation and ">awards</a>" in navigation  # no label text: its key
    assert re.search(r'counts__item--awards">\s*<a href="awards/index.html"><span class="counts__number">3<', home)
    assert "金锤奖" in _text(site / "units/acid.html")  # its unit page shows the card


def test_a_registered_collection_checks_its_required_fields(make_site, awards):
    root = make_site({**AWARD_FILES, "content/awards/no-date.md": "---\ntitle: 无日期奖\n---\n"})
    result = check_site(root)
    (missing,) = found(result.diagnostics.items, "field_required")
    assert missing.path == "content/awards/no-date.md" and missing.args["field"] == "date"


def test_new_writes_a_registered_collections_front_matter(make_site, cli, awards):
    root = make_site(AWARD_FILES)
    run = cli(root, "new", "award", "劳动模范奖")
    assert run.code == 0, run.err
    assert run.out.strip() == "content/awards/lao-dong-mo-fan-jiang.md"
    written = _text(root / "content/awards/lao-dong-mo-fan-jiang.md")
    assert f"title: 劳动模范奖\ndate: {dt.date.today().isoformat()}\n# sponsor: 颁发单位\n" in written
    assert cli(root, "check").code == 0


def test_without_its_entry_the_folder_is_no_collection(make_site):
    root = make_site(AWARD_FILES)
    result = check_site(root)
    assert [d.args["folder"] for d in found(result.diagnostics.items, "unknown_collection")] == ["awards"]
    assert "awards" not in COLLECTIONS


def test_screens_show_only_collections_with_a_slide_layout(make_site, awards):
    screen = "name: 大厅\nplaylist:\n  - collection: awards\n  - collection: workers\n"
    root = make_site({**AWARD_FILES, "content/screens/hall.yaml": screen})
    loaded, problems = load_whole_site(root)
    (refused,) = found(problems, "field_choice")
    assert refused.line == 3 and refused.args["value"] == "awards"
    assert "workers" in str(refused.args["choices"]) and "awards" not in str(refused.args["choices"])
    assert [entry.collection for entry in loaded.screens.screens[0].entries] == ["workers"]


def test_mistaken_entries_are_refused_when_made_or_registered():
    with pytest.raises(ValueError, match="no attribute"):
        CollectionSpec(name="prizes", item_class=Award, label="prizes", fields=(Field("title", required=True),
                                                                                 Field("medal")),
                       scaffold=AWARDS.scaffold)
    with pytest.raises(ValueError, match="slug"):
        CollectionSpec(name="units", item_class=Award, label="units", fields=AWARDS.fields, scaffold=AWARDS.scaffold)
    with pytest.raises(ValueError, match="already registered"):
        COLLECTIONS.register(COLLECTIONS["workers"])


@pytest.mark.parametrize("name", list(COLLECTIONS))
def test_every_collection_has_its_templates_labels_and_slide_layout(name):
    spec = COLLECTIONS[name]
    for page in ("index.html", "item.html"):
        assert (REPO / "templates" / name / page).is_file()
    assert spec.label in LABELS
    if spec.slide_layout is not None:
        assert spec.slide_layout.name in SLIDE_LAYOUTS
        assert f'id="k-{spec.slide_layout.name}"' in _text(REPO / "templates/kiosk/slides.html")
    for front in spec.scaffold.values():
        written = {line.split(":", 1)[0] for line in front.splitlines() if not line.startswith("#")}
        assert set(spec.required_fields) <= written, "`new` fills in every required field"
