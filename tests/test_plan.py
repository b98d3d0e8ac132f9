"""The render plan: which pages and files the site will hold, and what each page shows."""

from __future__ import annotations

from conftest import WORKER_MD, found, load_model, make_image

from exhibit.diagnostics import Diagnostics
from exhibit.plan import plan_site

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
    model, problems = load_model(root)
    assert [p for p in problems if p.severity == "error"] == []
    diagnostics = Diagnostics()
    plan = plan_site(model, root / "assets", diagnostics)
    return model, plan, diagnostics.items


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
    model, problems = load_model(root)
    first = plan_site(model, root / "assets", Diagnostics())
    second = plan_site(model, root / "assets", Diagnostics())
    assert [(p.path, p.template, p.sources) for p in first.pages] == [
        (p.path, p.template, p.sources) for p in second.pages]
