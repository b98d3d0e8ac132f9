"""A model patched for changed records is the model a full build makes, and a patch that would not be is refused."""

from __future__ import annotations

from pathlib import Path

from conftest import SITE_YAML, make_image

from exhibit.diagnostics import Diagnostics
from exhibit.model.collections import COLLECTIONS
from exhibit.model.config import load_config
from exhibit.model.items import Item
from exhibit.model.patch import patch_model
from exhibit.model.site import ModelBuilder
from exhibit.model.sitemodel import SiteModel
from exhibit.read.sources import Record, discover

FILES = {
    "content/site.yaml": SITE_YAML,
    "content/workers/shao.md": "---\nname: 邵志村\nunit: smelting-1\nquote: 初心\nphoto: shao.jpg\n---\n他带头攻关。\n",
    "content/workers/zhu.md": "---\nname: 朱卫国\nunit: acid\n---\n见[邵志村](shao.md)。\n",
    "content/teams/commando.md": "---\nname: 突击队\nunit: smelting-1\nleader: 邵志村\n---\n突击。\n",
    "content/honors.yaml": "- title: 优秀共产党员\n  date: 2021\n  recipient: shao\n",
}


def _model(root: Path) -> tuple[ModelBuilder, SiteModel, list[Record]]:
    diagnostics = Diagnostics()
    config = load_config(root, root / "content", diagnostics, None)
    records = discover(root, root / "content", COLLECTIONS, diagnostics)
    builder = ModelBuilder(root, root / "content", root / "assets", config, diagnostics)
    model = builder.build(records)
    assert not diagnostics.items, diagnostics.items
    return builder, model, records


def _site(make_site) -> Path:
    root = make_site(FILES)
    make_image(root / "content/workers/shao.jpg")
    return root


def _edit(root: Path, rel: str, old: str, new: str, records: list[Record]) -> list[tuple[Record, Record]]:
    """The file edited, and the (old, new) record pairs of it."""
    path = root / rel
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    fresh = discover(root, root / "content", COLLECTIONS, Diagnostics(), files=[path])
    return list(zip([record for record in records if record.rel == rel], fresh, strict=True))


def _item(model: SiteModel, slug: str) -> Item:
    return next(item for item in model.items() if item.slug == slug)


def _shape(model: SiteModel) -> list[tuple]:
    """What a reader of the model sees: every item's fields, and the items they point at by address."""
    def plain(value: object) -> object:
        return value.url_path if isinstance(value, Item) else str(value)
    return [(name, [(item.url_path, sorted((key, plain(value)) for key, value in vars(item).items()))
                    for item in items]) for name, items in model.collections.items()]


def test_a_reworded_quote_rebuilds_the_worker_and_the_items_pointing_at_him(make_site):
    root = _site(make_site)
    builder, model, records = _model(root)
    old_team, old_honor = _item(model, "commando"), model.collections["honors"][0]
    patched = patch_model(builder, model, _edit(root, "content/workers/shao.md", "初心", "改过的格言", records))
    assert patched is not None
    shao = _item(patched, "shao")
    assert shao.quote == "改过的格言"
    assert _item(patched, "commando").leader_worker is shao and _item(patched, "commando") is not old_team
    honor = patched.collections["honors"][0]
    assert honor.recipient_worker is shao and honor is not old_honor
    assert _item(patched, "zhu") is _item(model, "zhu")  # nothing of it read the quote
    assert _item(model, "shao").quote == "初心"  # the old model is as it was
    assert _shape(patched) == _shape(_model(root)[1])


def test_a_new_story_unit_and_order_are_patched(make_site):
    root = _site(make_site)
    builder, model, records = _model(root)
    changes = _edit(root, "content/workers/zhu.md", "unit: acid\n", "unit: smelting\norder: 1\n", records)
    patched = patch_model(builder, model, changes)
    assert patched is not None
    assert [item.slug for item in patched.collections["workers"]] == ["zhu", "shao"]  # sorted again by order
    assert _shape(patched) == _shape(_model(root)[1])


def test_what_other_items_read_is_not_patched(make_site):
    """A new name (the team finds its leader by it), a new slug, a new photo, a new link, a new problem."""
    root = _site(make_site)
    edits = [("content/workers/shao.md", "name: 邵志村", "name: 邵志"),
             ("content/workers/shao.md", "quote: 初心\n", "quote: 初心\nslug: shao-2\n"),
             ("content/workers/shao.md", "photo: shao.jpg", "photo: other.jpg"),
             ("content/workers/zhu.md", "见[邵志村](shao.md)。", "见[突击队](../teams/commando.md)。"),
             ("content/workers/zhu.md", "unit: acid", "unit: nowhere")]
    for rel, old, new in edits:
        builder, model, records = _model(root)
        original = (root / rel).read_text(encoding="utf-8")
        links, workers = {key: set(value) for key, value in builder.links.items()}, dict(builder.workers)
        assert patch_model(builder, model, _edit(root, rel, old, new, records)) is None, new
        assert builder.links == links and builder.workers == workers  # the builder as it was
        assert builder.diagnostics.items == []  # the refused patch's problems are the full build's to report
        (root / rel).write_text(original, encoding="utf-8")
