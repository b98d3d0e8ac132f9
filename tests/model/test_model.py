"""The site model: required fields, dates, references, slugs, all reported at their lines."""

from __future__ import annotations

import pytest
from conftest import WORKER_MD, found, load_model, make_image, run_cli

from exhibit.read.dates import PartialDate, parse_date

# Every collection's fields, complete; each required one is taken out in turn below.
COMPLETE = {
    "workers": {"name": "张三", "unit": "acid"},
    "teams": {"name": "党员突击队", "unit": "acid"},
    "honors": {"title": "优秀党支部", "date": "2021"},
    "history": {"date": "2021-06", "title": "电解系统投产"},
    "activities": {"title": "主题党日", "unit": "acid", "date": "2024-05-01"},
    "philosophy": {"title": "支部理念", "slogan": "一切工作到支部"},
}
REQUIRED = [(collection, field) for collection, fields in COMPLETE.items() for field in fields]


def _markdown(fields: dict[str, str], body: str = "正文。\n") -> str:
    return "---\n" + "".join(f"{key}: {value}\n" for key, value in fields.items()) + "---\n" + body


def _problems(root):
    return load_model(root)[1]


def _worker_site(bare_site, extra: str = "", body: str = "正文。\n", files: dict | None = None):
    text = f"---\nname: 张三\nunit: acid\n{extra}---\n{body}"
    return bare_site({"content/workers/zhang-san.md": text, **(files or {})})


# --- required fields ------------------------------------------------------------------------

@pytest.mark.parametrize(("collection", "field"), REQUIRED)
def test_missing_required_field(bare_site, cli, collection, field):
    fields = {key: value for key, value in COMPLETE[collection].items() if key != field}
    rel = f"content/{collection}/item.md"
    root = bare_site({rel: _markdown(fields)})
    run = cli(root, "check")
    assert run.code == 1
    (line,) = run.diagnostics
    assert line["path"] == rel
    assert line["line"] == "2" and line["col"] == "1"
    assert line["severity"] == "error"
    assert f"“{field}”" in line["message"]
    hint = run.hint_after(line)
    assert hint is not None and f"{field}:" in hint
    assert not (root / "site").exists()


@pytest.mark.parametrize("collection", list(COMPLETE))
def test_complete_items_pass(bare_site, collection):
    root = bare_site({f"content/{collection}/item.md": _markdown(COMPLETE[collection])})
    model, problems = load_model(root)
    assert problems == []
    (item,) = model.collections[collection]
    assert item.slug == "item"
    assert item.body == "<p>正文。</p>"


def test_missing_required_field_through_build_py(bare_site):
    root = bare_site({"content/teams/a.md": "---\nname: 突击队\n---\n"})
    result = run_cli(root, "check")
    assert result.returncode == 1
    assert "content/teams/a.md:2:1: error: 缺少必填字段“unit”" in result.stderr
    assert "    提示：在字段区加上一行“unit: …”。" in result.stderr


def test_missing_field_in_a_yaml_list_file_points_at_its_record(bare_site, cli):
    text = "- title: 甲\n  date: 2021\n\n- title: 乙\n  level: plant\n"
    root = bare_site({"content/honors.yaml": text})
    run = cli(root, "check", "--lang", "en")
    assert run.code == 1
    (line,) = run.diagnostics
    assert (line["path"], line["line"]) == ("content/honors.yaml", "4")
    assert line["message"] == "the required field 'date' is missing"


def test_empty_value_counts_as_missing(bare_site):
    root = _worker_site(bare_site, files={"content/workers/b.md": "---\nname: ''\nunit:\n---\n"})
    problems = _problems(root)
    assert sorted((p.code, p.path, p.line, p.args["field"]) for p in problems) == [
        ("field_required", "content/workers/b.md", 2, "name"),
        ("field_required", "content/workers/b.md", 3, "unit")]


# --- dates ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("written", "expected"), [
    ("2021", PartialDate(2021)),
    ("2021-06", PartialDate(2021, 6)),
    ("2021-06-30", PartialDate(2021, 6, 30)),
    ("2021年6月", PartialDate(2021, 6)),
    ("2021年6月30日", PartialDate(2021, 6, 30)),
    ("2021.06", PartialDate(2021, 6)),
    ("2021.10", PartialDate(2021, 10)),
    ("'2021-6-3'", PartialDate(2021, 6, 3)),
])
def test_accepted_dates(bare_site, written, expected):
    root = bare_site({"content/history.yaml": f"- title: 投产\n  date: {written}\n"})
    model, problems = load_model(root)
    assert problems == []
    assert model.collections["history"][0].date == expected


@pytest.mark.parametrize("written", ["2024-13-01", "abc", "2021-02-30", "2021年13月", "21-06", "2021-06-30T08:00"])
def test_rejected_dates_name_the_value(bare_site, cli, written):
    root = bare_site({"content/history.yaml": f"- title: 投产\n  date: {written}\n"})
    run = cli(root, "check")
    assert run.code == 1
    (line,) = run.diagnostics
    assert (line["path"], line["line"]) == ("content/history.yaml", "2")
    assert f"“{written}”" in line["message"]
    assert "2021-06-30" in run.hint_after(line)


def test_date_display_in_both_languages():
    assert PartialDate(2021).display("zh-CN") == "2021年"
    assert PartialDate(2021, 6).display("zh-CN") == "2021年6月"
    assert PartialDate(2021, 6, 30).display("zh-CN") == "2021年6月30日"
    assert PartialDate(2021, 6).display("en") == "June 2021"
    assert PartialDate(2021, 6, 30).display("en") == "June 30, 2021"
    assert str(PartialDate(2021, 6)) == "2021-06"


def test_partial_dates_cover_their_whole_period():
    assert PartialDate(2024).last_day.isoformat() == "2024-12-31"
    assert PartialDate(2024, 2).last_day.isoformat() == "2024-02-29"
    assert PartialDate(2024, 12).last_day.isoformat() == "2024-12-31"
    assert PartialDate(2024, 5).first_day.isoformat() == "2024-05-01"
    assert parse_date(True) is None
    assert parse_date("0000") is None


def test_display_until_before_display_from(bare_site, cli):
    fields = dict(COMPLETE["activities"], display_from="2024-06", display_until="2024-05-31")
    root = bare_site({"content/activities/a.md": _markdown(fields)})
    run = cli(root, "check")
    assert run.code == 1
    (line,) = run.diagnostics
    assert (line["path"], line["line"]) == ("content/activities/a.md", "6")
    assert "display_from" in run.hint_after(line)


def test_display_period_within_one_month_is_fine(bare_site):
    fields = dict(COMPLETE["activities"], display_from="2024-05-10", display_until="2024-05")
    root = bare_site({"content/activities/a.md": _markdown(fields)})
    model, problems = load_model(root)
    assert problems == []
    assert model.collections["activities"][0].display_until == PartialDate(2024, 5)


# --- references -----------------------------------------------------------------------------

def test_unknown_unit_suggests_the_closest_id(bare_site, cli):
    root = bare_site({"content/workers/a.md": "---\nname: 张三\nunit: smelting-2\n---\n"})
    run = cli(root, "check")
    assert run.code == 1
    (line,) = run.diagnostics
    assert (line["path"], line["line"]) == ("content/workers/a.md", "3")
    assert "smelting-2" in line["message"]
    assert "是不是想写“smelting-1”" in run.hint_after(line)
    english = cli(root, "check", "--lang", "en")
    assert "Did you mean 'smelting-1'?" in english.err


def test_honor_recipient_may_be_a_unit_a_worker_slug_or_a_worker_name(bare_site):
    honors = (
        "- title: 甲\n  date: 2021\n  recipient: acid\n"
        "- title: 乙\n  date: 2022\n  recipient: shao-zhi-cun\n"
        "- title: 丙\n  date: 2023\n  recipient: 邵志村\n"
    )
    root = bare_site({"content/workers/邵志村.md": WORKER_MD, "content/honors.yaml": honors})
    model, problems = load_model(root)
    assert problems == []
    by_title = {honor.title: honor for honor in model.collections["honors"]}
    assert by_title["甲"].recipient_unit.id == "acid"
    assert by_title["乙"].recipient_worker.name == "邵志村"
    assert by_title["丙"].recipient_worker is by_title["乙"].recipient_worker
    assert by_title["丙"].recipient_name == "邵志村"


def test_unknown_honor_recipient(bare_site, cli):
    honors = "- title: 甲\n  date: 2021\n  recipient: 邵志材\n"
    root = bare_site({"content/workers/邵志村.md": WORKER_MD, "content/honors.yaml": honors})
    run = cli(root, "check")
    assert run.code == 1
    (line,) = run.diagnostics
    assert (line["path"], line["line"]) == ("content/honors.yaml", "3")
    assert "邵志材" in line["message"]


def test_missing_photo_suggests_a_near_name(bare_site, cli):
    root = _worker_site(bare_site, "photo: zhang-san.jpeg\n")
    make_image(root / "content/workers/zhang-san.jpg")
    run = cli(root, "check")
    assert run.code == 1
    (line,) = run.diagnostics
    assert (line["path"], line["line"]) == ("content/workers/zhang-san.md", "4")
    assert "zhang-san.jpeg" in line["message"]
    assert "zhang-san.jpg" in run.hint_after(line)


def test_missing_image_of_a_milestone_and_photos_of_an_activity(bare_site):
    activity = _markdown(dict(COMPLETE["activities"])).replace("---\n正文", "photos: [a.jpg, gone.jpg]\n---\n正文")
    root = bare_site({
        "content/history.yaml": "- title: 投产\n  date: 2021\n  image: nowhere.png\n",
        "content/activities/day.md": activity,
    })
    make_image(root / "content/activities/a.jpg")
    model, problems = load_model(root)
    assert sorted((p.code, p.path, p.line, p.args["value"]) for p in problems) == [
        ("media_missing", "content/activities/day.md", 5, "gone.jpg"),
        ("media_missing", "content/history.yaml", 3, "nowhere.png")]
    assert [m.url_path for m in model.collections["activities"][0].photos] == ["media/activities/a.jpg"]


def test_image_file_that_is_not_an_image(bare_site, cli):
    root = _worker_site(bare_site, "photo: x.jpg\n", files={"content/workers/x.jpg": b"\x00garbage, not a JPEG"})
    run = cli(root, "check")
    assert run.code == 1
    (line,) = run.diagnostics
    assert (line["path"], line["line"]) == ("content/workers/zhang-san.md", "4")
    assert "x.jpg" in line["message"]


@pytest.mark.parametrize("written", ["../../secret.jpg", "/../secret.jpg", "../../../etc/passwd", "..\\..\\secret.jpg"])
def test_paths_outside_content_and_assets_are_refused(bare_site, cli, written):
    root = _worker_site(bare_site, f"photo: '{written}'\n")
    make_image(root / "secret.jpg")  # it exists, and still may not be used
    run = cli(root, "check")
    assert run.code == 1
    (line,) = run.diagnostics
    assert (line["path"], line["line"]) == ("content/workers/zhang-san.md", "4")
    assert written in line["message"]
    assert "content/" in line["message"]


def test_photo_paths_relative_to_the_file_to_content_and_in_assets(bare_site):
    root = bare_site({
        "content/workers/a.md": "---\nname: a\nunit: acid\nphoto: a.jpg\n---\n",
        "content/workers/team/b.md": "---\nname: b\nunit: acid\nphoto: /photos/b.png\n---\n",
        "content/workers/c.md": "---\nname: c\nunit: acid\nphoto: ../../assets/c.jpg\n---\n",
    })
    make_image(root / "content/workers/a.jpg", size=(30, 40))
    make_image(root / "content/photos/b.png", fmt="PNG")
    make_image(root / "assets/c.jpg")
    model, problems = load_model(root)
    assert problems == []
    photos = {worker.slug: worker.photo for worker in model.collections["workers"]}
    assert photos["a"].url_path == "media/workers/a.jpg"
    assert (photos["a"].width, photos["a"].height) == (30, 40)
    assert photos["b"].url_path == "media/photos/b.png"
    assert photos["c"].url_path == "assets/c.jpg"


def test_broken_link_in_the_story_names_its_line(bare_site, cli):
    body = "第一段。\n\n第二段，见[材料](nope.md)。\n"
    root = _worker_site(bare_site, body=body)
    run = cli(root, "check")
    assert run.code == 1
    (line,) = run.diagnostics
    # front matter is lines 1-4, the story starts on line 5: the link is on line 7
    assert (line["path"], line["line"]) == ("content/workers/zhang-san.md", "7")
    assert "nope.md" in line["message"]


def test_broken_image_in_the_story(bare_site):
    root = _worker_site(bare_site, body="正文\n\n![照片](photos/missing.jpg)\n")
    (problem,) = _problems(root)
    assert (problem.code, problem.line, problem.args["value"]) == ("link_broken", 7, "photos/missing.jpg")


def test_broken_link_line_when_the_target_is_also_mentioned_earlier(bare_site):
    root = _worker_site(bare_site, body="文件 nope.md 已删除。\n\n见[材料](nope.md)。\n")
    (problem,) = _problems(root)
    assert problem.line == 7


def test_broken_link_line_in_a_yaml_block_body(bare_site):
    text = "- title: 投产\n  date: 2021\n  body: |\n    第一行\n    见[材料](nope.md)\n"
    root = bare_site({"content/history.yaml": text})
    (problem,) = _problems(root)
    assert (problem.code, problem.line) == ("link_broken", 5)


def test_story_links_resolve_to_pages_indexes_and_files(bare_site):
    body = ("见[邵志村](邵志村.md)、[荣誉](../honors.yaml)、[劳模](../workers/)、[首页](../)、"
            "[外部](https://example.org/a)、[本页](#top)和[附件](plan.pdf)。\n\n![照片](a.jpg)\n")
    root = _worker_site(bare_site, body=body, files={
        "content/workers/邵志村.md": WORKER_MD, "content/workers/plan.pdf": b"%PDF-1.4 test"})
    make_image(root / "content/workers/a.jpg")
    model, problems = load_model(root)
    assert problems == []
    worker = next(w for w in model.collections["workers"] if w.slug == "zhang-san")
    for placeholder in ('href="exhibit:/workers/shao-zhi-cun.html"', 'href="exhibit:/honors/index.html"',
                        'href="exhibit:/workers/index.html"', 'href="exhibit:/index.html"',
                        'href="https://example.org/a"', 'href="#top"', 'href="exhibit:/media/workers/plan.pdf"',
                        'src="exhibit:/media/workers/a.jpg"'):
        assert placeholder in worker.body
    assert {m.url_path for m in model.media} == {"media/workers/plan.pdf", "media/workers/a.jpg"}


def test_story_link_outside_content_is_refused_as_outside(bare_site):
    root = _worker_site(bare_site, body="[秘密](../../secret.txt)\n", files={"secret.txt": "secret"})
    (problem,) = _problems(root)
    assert (problem.code, problem.args["value"]) == ("link_outside", "../../secret.txt")


# --- slugs ------------------------------------------------------------------------------------

def test_chinese_file_name_and_ascii_name_with_the_same_slug(bare_site, cli):
    root = bare_site({"content/workers/邵志村.md": WORKER_MD, "content/workers/shao-zhi-cun.md": WORKER_MD})
    run = cli(root, "check")
    assert run.code == 1
    (line,) = run.diagnostics
    assert line["path"] == "content/workers/邵志村.md"
    assert "shao-zhi-cun" in line["message"]
    assert "content/workers/shao-zhi-cun.md" in line["message"]


def test_same_slug_in_different_subfolders(bare_site):
    root = bare_site({
        "content/workers/2020/a.md": "---\nname: a\nunit: acid\n---\n",
        "content/workers/2021/a.md": "---\nname: b\nunit: acid\n---\n",
    })
    (problem,) = _problems(root)
    assert (problem.code, problem.path) == ("slug_duplicate", "content/workers/2021/a.md")


def test_two_records_with_the_same_title_in_a_yaml_list(bare_site, cli):
    text = "- title: 优秀党支部\n  date: 2021\n- title: 先进集体\n  date: 2022\n- title: 优秀党支部\n  date: 2023\n"
    root = bare_site({"content/honors.yaml": text})
    run = cli(root, "check")
    assert run.code == 1
    (line,) = run.diagnostics
    assert (line["path"], line["line"]) == ("content/honors.yaml", "5")
    assert "you-xiu-dang-zhi-bu" in line["message"]
    assert "content/honors.yaml:1" in line["message"]


def test_same_slug_in_different_collections_is_fine(bare_site):
    root = bare_site({
        "content/workers/a.md": "---\nname: a\nunit: acid\n---\n",
        "content/teams/a.md": "---\nname: a\nunit: acid\n---\n",
    })
    assert _problems(root) == []


def test_slugs_from_names_titles_and_slug_fields(bare_site):
    text = "- title: 电解系统投产\n  date: 2021\n- title: 另一条\n  slug: Second One\n  date: 2022\n"
    root = bare_site({"content/history.yaml": text, "content/workers/邵志村.md": WORKER_MD})
    model, problems = load_model(root)
    assert problems == []
    assert [m.slug for m in model.collections["history"]] == ["dian-jie-xi-tong-tou-chan", "second-one"]
    assert model.collections["workers"][0].url_path == "workers/shao-zhi-cun.html"


def test_slug_that_cannot_be_made(bare_site):
    root = bare_site({"content/workers/——.md": "---\nname: a\nunit: acid\n---\n"})
    model, problems = load_model(root)
    assert [(p.code, p.path) for p in problems] == [("slug_empty", "content/workers/——.md")]
    assert model.collections["workers"] == []


def test_slug_from_a_numeric_looking_title_keeps_its_text(bare_site):
    root = bare_site({"content/history.yaml": "- title: 1.10\n  date: 2021\n- title: 1.1\n  date: 2022\n"})
    model, problems = load_model(root)
    assert problems == []
    assert [m.slug for m in model.collections["history"]] == ["1-10", "1-1"]


# --- everything else the model does ------------------------------------------------------------

def test_unknown_fields_are_kept_for_templates(bare_site):
    root = _worker_site(bare_site, "hometown: 铜陵\nposts: [炉长, 班长]\n")
    model, problems = load_model(root)
    assert problems == []
    worker = model.collections["workers"][0]
    assert worker.extra == {"hometown": "铜陵", "posts": ["炉长", "班长"]}
    assert worker.hometown == "铜陵"
    with pytest.raises(AttributeError):
        _ = worker.nope


def test_field_types_are_checked(bare_site):
    root = _worker_site(bare_site, "title: [a, b]\ntags: 5\norder: first\nsince: [2008]\n")
    assert sorted((p.code, p.line, p.args["field"]) for p in _problems(root)) == [
        ("field_date", 7, "since"), ("field_not_list", 5, "tags"),
        ("field_not_number", 6, "order"), ("field_not_text", 4, "title")]


def test_honor_level_words(bare_site):
    text = "- title: a\n  date: 2021\n  level: 国家级\n- title: b\n  date: 2021\n  level: natinal\n"
    root = bare_site({"content/honors.yaml": text})
    model, problems = load_model(root)
    (problem,) = problems
    assert (problem.code, problem.line, problem.args["suggestion"]) == ("field_choice", 6, "national")
    assert model.collections["honors"][0].level == "national"


def test_collections_are_sorted(bare_site):
    history = "- title: 后\n  date: 2022\n- title: 先\n  date: 2019-05\n- title: 中\n  date: 2021年\n"
    honors = "- title: 旧\n  date: 2018\n- title: 新\n  date: 2023-01\n"
    root = bare_site({
        "content/history.yaml": history, "content/honors.yaml": honors,
        "content/workers/a.md": "---\nname: a\nunit: acid\n---\n",
        "content/workers/b.md": "---\nname: b\nunit: acid\norder: 1\n---\n",
    })
    model, problems = load_model(root)
    assert problems == []
    assert [m.title for m in model.collections["history"]] == ["先", "中", "后"]
    assert [h.title for h in model.collections["honors"]] == ["新", "旧"]
    assert [w.name for w in model.collections["workers"]] == ["b", "a"]


def test_tags_and_lists_written_as_one_line(bare_site):
    root = _worker_site(bare_site, "tags: 党员先锋、突击队，技术能手\nhonors: 劳动模范, 优秀党员\n")
    worker = load_model(root)[0].collections["workers"][0]
    assert worker.tags == ["党员先锋", "突击队", "技术能手"]
    assert worker.honors == ["劳动模范", "优秀党员"]


def test_team_leader_links_to_the_worker(bare_site):
    root = bare_site({
        "content/workers/邵志村.md": WORKER_MD,
        "content/teams/a.md": "---\nname: 突击队\nunit: smelting-1\nleader: 邵志村\nmembers: [甲, 乙]\n---\n",
    })
    model, problems = load_model(root)
    assert problems == []
    team = model.collections["teams"][0]
    assert team.leader_worker is model.collections["workers"][0]
    assert team.members == ["甲", "乙"]


def test_every_problem_of_every_file_is_found_in_one_pass(bare_site):
    root = bare_site({
        "content/workers/a.md": "---\nname: a\nunit: nowhere\nsince: soon\n---\n[x](gone.md)\n",
        "content/teams/b.md": "---\nunit: acid\nphoto: none.jpg\n---\n",
        "content/history.yaml": "- title: x\n",
    })
    problems = _problems(root)
    assert sorted((p.path, p.line, p.code) for p in problems) == [
        ("content/history.yaml", 1, "field_required"),
        ("content/teams/b.md", 2, "field_required"),
        ("content/teams/b.md", 3, "media_missing"),
        ("content/workers/a.md", 3, "unit_unknown"),
        ("content/workers/a.md", 4, "field_date"),
        ("content/workers/a.md", 6, "link_broken"),
    ]
    assert found(problems, "unit_unknown")[0].args["value"] == "nowhere"
