"""The render plan: which pages and files the site will hold, and what each page shows."""

from __future__ import annotations

import pytest
from conftest import SITE_YAML, WORKER_MD, found, load_whole_site, make_image

from exhibit.diagnostics import Diagnostics
from exhibit.engine.stages import plan_site

COLLECTIONS = ("workers", "teams", "honors", "history", "activities", "philosophy")
UNIT_IDS = ("plant", "smelting", "smelting-1", "acid")

TEAM_MD = "---\nname: 熔炼党员突击队\nunit: smelting\nleader: 邵志村\n---\n"
ACID_WORKER_MD = "---\nname: 朱卫国\nunit: acid\n---\n"
HONORS_YAML = (
    "- title: 全国劳动模范\n  date: 2020\n  recipient: shao-zhi-cun\n"
    "- title: 标杆党支部\n  date: 2021\n  recipient: acid\n"
    "- title: 厂级先进\n  date: 2019\n"
)


def _plan(root):
    loaded, problems = load_whole_site(root)
    assert [p for p in problems if p.severity == "error"] == []
    diagnostics = Diagnostics()
    plan = plan_site(loaded.model, loaded.screens, root / "assets", diagnostics)
    return loaded.model, plan, diagnostics.items


def _pages(plan):
    return {page.path: page for page in plan.pages}


def _site(bare_site, extra=None):
    return bare_site({
        "content/workers/邵志村.md": WORKER_MD,
        "content/workers/zhu-wei-guo.md": ACID_WORKER_MD,
        "content/teams/tu-ji-dui.md": TEAM_MD,
        "content/honors.yaml": HONORS_YAML,
        **(extra or {}),
    })


def test_every_page_of_a_small_site(bare_site):
    _, plan, problems = _plan(_site(bare_site))
    assert problems == []
    expected = {
        "index.html", "units/index.html",
        *(f"units/{unit}.html" for unit in UNIT_IDS),
        *(f"{collection}/index.html" for collection in COLLECTIONS),
        "workers/shao-zhi-cun.html", "workers/zhu-wei-guo.html", "teams/tu-ji-dui.html",
        "honors/quan-guo-lao-dong-mo-fan.html", "honors/biao-gan-dang-zhi-bu.html", "honors/chang-ji-xian-jin.html",
    }
    assert {page.path for page in plan.pages} == expected
    assert len(plan.pages) == len(expected)  # no page planned twice


def test_templates_of_each_kind_of_page(bare_site):
    _, plan, _ = _plan(_site(bare_site))
    pages = _pages(plan)
    assert pages["index.html"].template == "home.html"
    assert pages["units/index.html"].template == "units/index.html"
    assert pages["units/acid.html"].template == "units/item.html"
    assert pages["workers/index.html"].template == "workers/index.html"
    assert pages["workers/shao-zhi-cun.html"].template == "workers/item.html"
    assert pages["workers/shao-zhi-cun.html"].sources == ("content/workers/邵志村.md",)


def test_empty_site_still_has_home_unit_and_collection_pages(bare_site):
    _, plan, _ = _plan(bare_site())
    assert sorted(page.path for page in plan.pages) == sorted([
        "index.html", "units/index.html", *(f"units/{unit}.html" for unit in UNIT_IDS),
        *(f"{collection}/index.html" for collection in COLLECTIONS)])
    assert all(page.context["items"] == [] for page in plan.pages if page.template.endswith("/index.html")
               and page.path != "units/index.html")


def test_collection_index_lists_its_items_and_items_know_their_neighbours(bare_site):
    _, plan, _ = _plan(_site(bare_site))
    pages = _pages(plan)
    honors = pages["honors/index.html"].context["items"]
    assert [honor.title for honor in honors] == ["标杆党支部", "全国劳动模范", "厂级先进"]  # newest first
    middle = pages["honors/quan-guo-lao-dong-mo-fan.html"].context
    assert middle["prev"].title == "标杆党支部"
    assert middle["next"].title == "厂级先进"
    assert pages["honors/biao-gan-dang-zhi-bu.html"].context["prev"] is None
    assert pages["honors/chang-ji-xian-jin.html"].context["next"] is None


def test_home_counts_and_latest_activities(bare_site):
    activities = {
        f"content/activities/a{n}.md": f"---\ntitle: 活动{n}\nunit: acid\ndate: 2024-{n:02d}\n---\n"
        for n in range(1, 9)
    }
    _, plan, _ = _plan(_site(bare_site, activities))
    home = _pages(plan)["index.html"].context
    assert home["counts"] == {"workers": 2, "teams": 1, "honors": 3, "history": 0, "activities": 8,
                              "philosophy": 0}
    assert [a.title for a in home["latest_activities"]] == [f"活动{n}" for n in range(8, 2, -1)]
    assert [unit.id for unit in home["tiers"]["benchmark"]] == ["acid"]
    assert [unit.id for unit in home["tiers"]["demonstration"]] == ["smelting-1"]


def test_unit_pages_gather_items_of_sub_units(bare_site):
    _, plan, _ = _plan(_site(bare_site))
    pages = _pages(plan)

    def members(unit, collection):
        return sorted(item.slug for item in pages[f"units/{unit}.html"].context["members"][collection])

    assert members("smelting-1", "workers") == ["shao-zhi-cun"]
    assert members("smelting", "workers") == ["shao-zhi-cun"]  # its sub-unit's worker
    assert members("plant", "workers") == ["shao-zhi-cun", "zhu-wei-guo"]  # the whole tree
    assert members("acid", "workers") == ["zhu-wei-guo"]
    assert members("smelting", "teams") == ["tu-ji-dui"]
    assert members("smelting-1", "teams") == []  # members go up the tree, never down
    assert members("plant", "teams") == ["tu-ji-dui"]


def test_honors_of_a_worker_show_on_the_workers_unit_page(bare_site):
    _, plan, _ = _plan(_site(bare_site))
    pages = _pages(plan)

    def honors(unit):
        return [honor.title for honor in pages[f"units/{unit}.html"].context["honors"]]

    assert honors("smelting-1") == ["全国劳动模范"]  # awarded to 邵志村, who works there
    assert honors("smelting") == ["全国劳动模范"]
    assert honors("acid") == ["标杆党支部"]  # awarded to the unit itself
    assert honors("plant") == ["标杆党支部", "全国劳动模范"]  # the unowned 厂级先进 belongs to no unit


def test_unit_page_html_shows_sub_unit_items(make_site):
    from conftest import check_site

    root = make_site({"content/workers/邵志村.md": WORKER_MD, "content/honors.yaml": HONORS_YAML})
    assert check_site(root, write=True).ok
    plant = (root / "site/units/plant.html").read_text(encoding="utf-8")
    smelting_1 = (root / "site/units/smelting-1.html").read_text(encoding="utf-8")
    acid = (root / "site/units/acid.html").read_text(encoding="utf-8")
    assert "邵志村" in plant and "邵志村" in smelting_1 and "邵志村" not in acid
    assert "全国劳动模范" in smelting_1 and "全国劳动模范" not in acid


def test_worker_named_index_collides_with_the_collection_index(bare_site, cli):
    root = bare_site({"content/workers/index.md": "---\nname: 张三\nunit: acid\n---\n"})
    _, plan, problems = _plan(root)
    (problem,) = found(problems, "url_collision")
    assert problem.path == "content/workers/index.md"
    assert problem.args["value"] == "workers/index.html"

    run = cli(root, "check")
    assert run.code == 1
    (line,) = run.diagnostics
    assert line["path"] == "content/workers/index.md"
    assert "workers/index.html" in line["message"]
    assert run.hint_after(line)


def test_honor_titled_index_and_unit_named_index_collide(bare_site):
    site_yaml = "title: t\nunits:\n  - id: index\n    name: 索引支部\n"
    root = bare_site({"content/site.yaml": site_yaml, "content/honors.yaml": "- title: Index\n  date: 2021\n"})
    _, _, problems = _plan(root)
    assert sorted(p.args["value"] for p in found(problems, "url_collision")) == [
        "honors/index.html", "units/index.html"]


def test_files_are_the_media_content_uses_and_every_asset(bare_site):
    root = _site(bare_site, {
        "content/workers/zhu-wei-guo.md": ACID_WORKER_MD.replace("---\n", "---\nphoto: zhu.jpg\n", 1),
        "assets/css/site.css": "body {}\n",
        "assets/.hidden": "x",
    })
    make_image(root / "content/workers/zhu.jpg")
    make_image(root / "content/workers/unused.jpg")
    _, plan, problems = _plan(root)
    assert problems == []
    assert {file.path: file.source for file in plan.files} == {
        "media/workers/zhu.jpg": root / "content/workers/zhu.jpg",
        "assets/css/site.css": root / "assets/css/site.css",
    }


def test_planning_is_repeatable(bare_site):
    root = _site(bare_site)
    loaded, problems = load_whole_site(root)
    first = plan_site(loaded.model, loaded.screens, root / "assets", Diagnostics())
    second = plan_site(loaded.model, loaded.screens, root / "assets", Diagnostics())
    assert [(p.path, p.template, p.sources) for p in first.pages] == [
        (p.path, p.template, p.sources) for p in second.pages]


# --- pagination ---------------------------------------------------------------------------------

def _workers(count, unit="acid"):
    """`count` workers in a fixed order (their `order` field), named w00, w01, ..."""
    return {f"content/workers/w{n:02d}.md": f"---\nname: 工人{n}\nunit: {unit}\norder: {n}\n---\n"
            for n in range(count)}


def _paged(bare_site, count, page_size=5):
    site_yaml = SITE_YAML + f"page_size: {page_size}\n"
    root = bare_site({"content/site.yaml": site_yaml, **_workers(count)}, name=f"site-{count}-{page_size}")
    _, plan, problems = _plan(root)
    assert problems == []
    return _pages(plan)


def _listing(pages, first, stem):
    """The pages of one listing in page order, starting at `first`, then stem/page/2.html, ..."""
    found, number = [pages[first]], 2
    while f"{stem}/page/{number}.html" in pages:
        found.append(pages[f"{stem}/page/{number}.html"])
        number += 1
    return found


@pytest.mark.parametrize(("count", "expected"), [
    (0, [[]]),
    (1, [["w00"]]),
    (5, [["w00", "w01", "w02", "w03", "w04"]]),
    (6, [["w00", "w01", "w02", "w03", "w04"], ["w05"]]),
    (23, [[f"w{n:02d}" for n in range(start, min(start + 5, 23))] for start in range(0, 23, 5)]),
])
def test_collection_index_is_split_into_pages(bare_site, count, expected):
    pages = _paged(bare_site, count)
    listing = _listing(pages, "workers/index.html", "workers")
    assert [[item.slug for item in page.context["items"]] for page in listing] == expected
    assert "workers/page/1.html" not in pages  # page 1 is the index itself
    assert f"workers/page/{len(expected) + 1}.html" not in pages
    for number, page in enumerate(listing, start=1):
        pager = page.context["pager"]
        assert page.template == "workers/index.html"
        assert (pager.number, pager.count, pager.total) == (number, len(expected), count)
        assert pager.prev == (listing[number - 2].path if number > 1 else None)
        assert pager.next == (listing[number].path if number < len(listing) else None)
        # A page is made from the files of the items it shows, and nothing else.
        assert page.sources == tuple(f"content/workers/{item.slug}.md" for item in page.context["items"])


def test_pager_links_collapse_with_an_ellipsis(bare_site):
    pages = _paged(bare_site, 60, page_size=2)  # 30 pages
    pager = pages["workers/page/15.html"].context["pager"]
    assert [link.number for link in pager.links] == [1, 0, 13, 14, 15, 16, 17, 0, 30]
    assert [link.path for link in pager.links if link.current] == ["workers/page/15.html"]
    first = pages["workers/index.html"].context["pager"]
    assert [link.number for link in first.links] == [1, 2, 3, 0, 30]


def test_page_context_holds_only_its_slice_and_plain_values(bare_site):
    """The incremental build takes every item reachable from a page's context as an input of that page."""
    from exhibit.model.items import Item

    pages = _paged(bare_site, 40)

    def items_in(value, depth=0):
        if isinstance(value, Item):
            return {value.slug}
        if isinstance(value, dict):
            return set().union(*(items_in(inner, depth + 1) for inner in value.values()))
        if isinstance(value, (list, tuple)):
            return set().union(*(items_in(inner, depth + 1) for inner in value))
        return set()

    for path in ("workers/index.html", "workers/page/3.html", "units/plant.html", "units/acid/workers.html",
                 "units/acid/workers/page/4.html"):
        assert len(items_in(pages[path].context)) <= 5, path
    assert items_in(pages["workers/page/3.html"].context) == {f"w{n:02d}" for n in range(10, 15)}


def test_unit_page_previews_sections_and_links_a_paginated_listing(bare_site):
    pages = _paged(bare_site, 12, page_size=5)  # all in acid, so the plant (its parent) gathers them too
    acid = pages["units/acid.html"].context
    assert [item.slug for item in acid["members"]["workers"]] == ["w00", "w01", "w02", "w03", "w04"]
    assert acid["counts"]["workers"] == 12  # the stats stay totals
    assert acid["listings"]["workers"] == "units/acid/workers.html"
    assert acid["listings"]["teams"] is None  # nothing to list beyond the preview
    listing = _listing(pages, "units/acid/workers.html", "units/acid/workers")
    assert [[item.slug for item in page.context["items"]] for page in listing] == [
        ["w00", "w01", "w02", "w03", "w04"], ["w05", "w06", "w07", "w08", "w09"], ["w10", "w11"]]
    assert {page.template for page in listing} == {"units/listing.html"}
    assert listing[0].context["unit"].id == "acid"
    assert listing[1].sources == ("content/site.yaml", *(f"content/workers/w{n:02d}.md" for n in range(5, 10)))
    assert "units/plant/workers/page/3.html" in pages
    assert "units/smelting/workers.html" not in pages  # no workers there: no listing


def test_unit_preview_is_at_most_twelve_cards(bare_site):
    pages = _paged(bare_site, 13, page_size=24)
    acid = pages["units/acid.html"].context
    assert len(acid["members"]["workers"]) == 12
    assert acid["listings"]["workers"] == "units/acid/workers.html"
    assert [page.path for page in _listing(pages, "units/acid/workers.html", "units/acid/workers")] == [
        "units/acid/workers.html"]  # 13 fit on one listing page of 24
    assert _paged(bare_site, 12, page_size=24)["units/acid.html"].context["listings"]["workers"] is None


def test_honors_wall_is_paginated_band_by_band(bare_site):
    honors = "".join(f"- title: 荣誉{n}\n  date: 20{10 + n}\n  level: {level}\n"
                     for n, level in enumerate(["厂级", "国家级", "厂级", "省级", "国家级"]))
    site_yaml = SITE_YAML + "page_size: 2\n"
    _, plan, problems = _plan(bare_site({"content/site.yaml": site_yaml, "content/honors.yaml": honors}))
    assert problems == []
    pages = _listing(_pages(plan), "honors/index.html", "honors")
    assert [[honor.title for honor in page.context["items"]] for page in pages] == [
        ["荣誉4", "荣誉1"], ["荣誉3", "荣誉2"], ["荣誉0"]]  # national, provincial, plant; newest first in each
    assert pages[0].context["levels"] == [
        {"level": "national", "count": 2, "path": "honors/index.html"},
        {"level": "provincial", "count": 1, "path": "honors/page/2.html"},
        {"level": "plant", "count": 2, "path": "honors/page/2.html"},
    ]


def test_pagination_is_repeatable(bare_site):
    first = _paged(bare_site, 17)
    second = _paged(bare_site, 17)  # the same files, planned again
    assert [(p.path, p.sources, p.context.get("pager")) for p in first.values()] == [
        (p.path, p.sources, p.context.get("pager")) for p in second.values()]
