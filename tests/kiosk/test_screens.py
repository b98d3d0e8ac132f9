"""Screens and playlists: content/screens/*.yaml read, validated and resolved, with errors a person can act on."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import REPO, WORKER_MD, make_image, run_cli

from exhibit.diagnostics import Diagnostic, Diagnostics
from exhibit.engine import BuildResult, build
from exhibit.engine.stages import load_site
from exhibit.kiosk.schedule import parse_range, parse_ranges, parse_time, parse_weekdays
from exhibit.kiosk.screens import build_time
from exhibit.project import Project

PHILOSOPHY_MD = """\
---
title: 红色熔炉
slogan: 既炼铜，又育人
unit: smelting-1
tags: [红色熔炉]
---
熔炼支部把党建工作建在横班上。
"""

ACTIVITY_MD = """\
---
title: 横班党建
unit: smelting-1
date: 2024-05
display_from: 2024-05-01
display_until: 2024-06
---
故事。
"""


def content(**screens: str) -> dict[str, str]:
    files = {
        "content/workers/邵志村.md": WORKER_MD,
        "content/philosophy/red-furnace.md": PHILOSOPHY_MD,
        "content/activities/shift.md": ACTIVITY_MD,
    }
    files.update({f"content/screens/{name}": text for name, text in screens.items()})
    return files


def check(root: Path, lang: str = "zh-CN") -> BuildResult:
    return build(Project(root, root / "site"), lang=lang, write=False)


def found(result: BuildResult, code: str) -> list[Diagnostic]:
    return [d for d in result.diagnostics.items if d.code == code]


def screens_of(root: Path):
    return load_site(Project(root, root / "site"), Diagnostics(), None).screens


def test_the_sample_screens_load_without_a_problem() -> None:
    diagnostics = Diagnostics()
    _, model, screens = load_site(Project(REPO, REPO / "site"), diagnostics, None)
    assert diagnostics.items == []
    by_id = {screen.id: screen for screen in screens}
    assert set(by_id) == {"er-lou-zou-lang", "stairwell-1f", "control-room", "activity-room"}
    assert (by_id["stairwell-1f"].orientation, by_id["stairwell-1f"].width) == ("portrait", 1080)
    assert by_id["control-room"].location == "主控室" and by_id["control-room"].orientation == "landscape"
    assert by_id["activity-room"].touch is True and by_id["activity-room"].location == "活动室"
    corridor = by_id["er-lou-zou-lang"]
    assert (corridor.location, corridor.width, corridor.height) == ("二楼走廊", 1920, 1080)
    settings = screens.settings
    assert settings.safety_start.iso() == "2019-03-01"
    assert [r.as_list() for r in settings.quiet_hours] == [["22:00", "06:30"]]


def test_the_file_stem_is_the_id_and_chinese_stems_become_pinyin(make_site) -> None:
    root = make_site(content(**{
        "二楼走廊.yaml": "name: 走廊\nplaylist:\n  - widget: clock\n",
        "other.yaml": "id: main-hall\nname: 大厅\nplaylist:\n  - widget: clock\n",
    }))
    assert [screen.id for screen in screens_of(root)] == ["er-lou-zou-lang", "main-hall"]


def test_entries_resolve_collections_units_tags_slugs_and_items(make_site) -> None:
    root = make_site(content(**{"hall.yaml": """\
        name: 大厅
        resolution: 1080x1920
        playlist:
          - collection: workers
            unit: smelting
          - collection: philosophy
            tags: 红色熔炉
          - collection: workers
            slugs: [邵志村]
          - item: workers/邵志村
            duration: 20
          - widget: 安全生产
        """}))
    screen = screens_of(root).screens[0]
    assert screen.orientation == "portrait"
    kinds = [(entry.kind, entry.layout, [item.slug for item in entry.items]) for entry in screen.entries]
    assert kinds == [
        ("collection", "worker", ["shao-zhi-cun"]),
        ("collection", "philosophy", ["red-furnace"]),
        ("collection", "worker", ["shao-zhi-cun"]),
        ("item", "worker", ["shao-zhi-cun"]),
        ("widget", "safety", []),
    ]
    assert screen.entries[3].duration == 20 and screen.entries[0].duration == 12


@pytest.mark.parametrize(("entry", "code", "line", "words"), [
    ("  - collection: worker\n", "field_choice", 3, "是不是想写“workers”"),
    ("  - item: workers/邵志刚\n", "screen_item_unknown", 3, "是不是想写“邵志村”"),
    ("  - item: 邵志村\n", "screen_item_format", 3, "栏目/文件名"),
    ("  - collection: philosophy\n    tags: [红色溶炉]\n", "screen_tag_unknown", 4, "是不是想写“红色熔炉”"),
    ("  - collection: workers\n    unit: smelting-l\n", "unit_unknown", 4, "是不是想写“smelting-1”"),
    ("  - collection: workers\n    slugs: [shao-zhi-chun]\n", "screen_item_unknown", 4, "是不是想写“shao-zhi-cun”"),
    ("  - collection: workers\n    layout: timeline\n", "screen_layout_mismatch", 4, "worker"),
    ("  - widget: weather\n", "field_choice", 3, "clock, safety, title"),
    ("  - collection: workers\n    widget: clock\n", "screen_entry_many", 4, "collection, widget"),
    ("  - duration: 10\n", "screen_entry_kind", 3, "collection、item、widget 或 video"),
    ("  - widget: clock\n    duration: 0.5\n", "screen_duration", 4, "3 到 3600"),
    ("  - widget: clock\n    weekdays: 周八\n", "screen_weekdays", 4, "周一至周五"),
    ("  - widget: clock\n    hours: 8-25\n", "screen_hours", 4, "08:00-18:00"),
    ("  - widget: clock\n    display_from: 2024-05\n    display_until: 2024-01\n", "date_range_reversed", 5, "写反"),
    ("  - video: missing.mp4\n", "media_missing", 3, "路径相对于当前文件"),
])
def test_a_bad_playlist_entry_is_reported_at_its_line(make_site, entry, code, line, words) -> None:
    root = make_site(content(**{"hall.yaml": "name: 大厅\nplaylist:\n" + entry}))
    result = check(root)
    problems = found(result, code)
    assert problems, [d.code for d in result.diagnostics.items]
    problem = problems[0]
    assert (problem.path, problem.line) == ("content/screens/hall.yaml", line)
    assert words in problem.message("zh-CN") + (problem.hint("zh-CN") or "")
    assert not result.ok


@pytest.mark.parametrize(("body", "code", "words"), [
    ("name: 大厅\nresolution: 1920x\nplaylist: []\n", "screen_resolution", "1920x1080"),
    ("name: 大厅\norientation: portrait\nresolution: 1920x1080\nplaylist: []\n", "screen_orientation_mismatch", "竖屏"),
    ("name: 大厅\norientation: sideways\nplaylist: []\n", "field_choice", "landscape, portrait"),
    ("id: Main Hall\nname: 大厅\nplaylist: []\n", "screen_id_invalid", "小写字母"),
    ("playlist: []\n", "field_required", "name"),
    ("name: 大厅\ntouch: 也许\nplaylist: []\n", "screen_not_bool", "true"),
    ("- name: 大厅\n", "screen_not_mapping", "字段: 值"),
])
def test_a_bad_screen_file_is_reported(make_site, body, code, words) -> None:
    root = make_site(content(**{"hall.yaml": body}))
    result = check(root)
    problems = found(result, code)
    assert problems, [d.code for d in result.diagnostics.items]
    assert words in problems[0].message("zh-CN") + (problems[0].hint("zh-CN") or "")
    assert problems[0].path == "content/screens/hall.yaml"


def test_two_screens_with_one_id_are_an_error_naming_the_other_file(make_site) -> None:
    root = make_site(content(**{"a.yaml": "id: hall\nname: A\nplaylist: []\n",
                                "b.yaml": "id: hall\nname: B\nplaylist: []\n"}))
    problem = found(check(root), "screen_id_duplicate")[0]
    assert (problem.path, problem.line) == ("content/screens/b.yaml", 1)
    assert "content/screens/a.yaml" in problem.message("zh-CN")


def test_a_misspelt_field_is_a_warning_with_a_suggestion(make_site) -> None:
    root = make_site(content(**{"hall.yaml": "name: 大厅\nplaylist:\n  - widget: clock\n    duraton: 10\n"}))
    result = check(root)
    warning = found(result, "screen_field_unknown")[0]
    assert warning.line == 4 and "是不是想写“duration”" in warning.hint("zh-CN")
    assert result.ok


def test_an_empty_playlist_or_selection_warns_but_builds(make_site) -> None:
    root = make_site(content(**{
        "a.yaml": "name: A\nplaylist: []\n",
        "b.yaml": "name: B\nplaylist:\n  - collection: teams\n",
    }))
    result = check(root)
    assert result.ok
    assert found(result, "screen_playlist_empty")[0].path == "content/screens/a.yaml"
    assert found(result, "screen_selection_empty")[0].line == 3


def test_markdown_in_screens_is_an_error_not_an_unknown_collection(make_site) -> None:
    root = make_site(content(**{"notes.md": "---\ntitle: x\n---\n"}))
    result = check(root)
    assert [d.code for d in result.diagnostics.errors] == ["screen_not_yaml"]


def test_kiosk_settings_in_site_yaml_are_checked(make_site) -> None:
    from conftest import SITE_YAML

    root = make_site({**content(), "content/site.yaml": SITE_YAML + (
        "kiosk:\n  safety_start: 2019-03\n  quiet_hours: 22:00-6:30\n  reload_at: 25:00\n  poll_secs: 10\n")})
    result = check(root)
    codes = {d.code: d.line for d in result.diagnostics.items}
    first = SITE_YAML.count("\n") + 2
    assert codes["kiosk_safety_start"] == first
    assert codes["screen_time"] == first + 2
    assert codes["screen_field_unknown"] == first + 3
    assert "screen_hours" not in codes  # unquoted 22:00 is not read as a base-60 number


def test_quiet_hours_on_a_screen_override_the_site(make_site) -> None:
    text = 'name: 大厅\nquiet_hours: ["12:00-13:00", "23:00-05:00"]\nplaylist: []\n'
    root = make_site(content(**{"hall.yaml": text}))
    screen = screens_of(root).screens[0]
    assert [r.as_list() for r in screen.quiet_hours] == [["12:00", "13:00"], ["23:00", "05:00"]]


def test_a_video_entry_must_be_a_video(make_site, tmp_path) -> None:
    root = make_site(content(**{"hall.yaml": "name: 大厅\nplaylist:\n  - video: film.jpg\n"}))
    make_image(root / "content/screens/film.jpg")
    assert found(check(root), "screen_video_format")[0].line == 3


def test_the_cli_prints_screen_errors_in_english_too(make_site) -> None:
    root = make_site(content(**{"hall.yaml": "name: Hall\nplaylist:\n  - collection: activites\n"}))
    result = run_cli(root, "check", "--lang", "en")
    assert result.returncode == 1
    assert "content/screens/hall.yaml:3:1: error: 'activites' is not a valid value for 'collection'" in result.stderr
    assert "Did you mean 'activities'?" in result.stderr
    assert "Traceback" not in result.stderr


def test_time_and_weekday_forms_people_write() -> None:
    assert parse_time("8:00") == "08:00" and parse_time("22：30") == "22:30" and parse_time("8点") == "08:00"
    assert parse_time("24:00") == "24:00" and parse_time("24:30") is None and parse_time("7:60") is None
    assert parse_range("22:00～06:30").as_list() == ["22:00", "06:30"]
    assert parse_range("08:00至18:00").as_list() == ["08:00", "18:00"]
    assert parse_range("08:00-08:00") is None
    assert parse_ranges(["08:00-12:00", "13:00-17:00"])[1].as_list() == ["13:00", "17:00"]
    assert parse_weekdays("周一至周五") == [1, 2, 3, 4, 5]
    assert parse_weekdays("fri-mon") == [1, 5, 6, 7]
    assert parse_weekdays([1, 3, "周日"]) == [1, 3, 7]
    assert parse_weekdays("工作日, 周六") == [1, 2, 3, 4, 5, 6]
    assert parse_weekdays("someday") is None and parse_weekdays(True) is None


def test_build_time_is_the_newest_visible_content_file(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    content = tmp_path / "content"
    for rel, moment in [("site.yaml", 1_600_000_000), ("workers/a.md", 1_700_000_000),
                        ("workers/photos/a.jpg", 1_700_000_500), (".git/index", 1_900_000_000),
                        ("workers/.a.md.swp", 1_800_000_000)]:
        path = content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")
        os.utime(path, (moment, moment))
    assert build_time(content) == 1_700_000_500
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1234")
    assert build_time(content) == 1234


def test_the_engines_newest_mtime_gives_the_build_time_the_walk_gives(tmp_path, monkeypatch):
    """The engine hands build_time the newest content file's mtime from the stats it took anyway."""
    import os

    from exhibit.engine.keys import input_files

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    for number, name in enumerate(["site.yaml", "workers/a.md", "media/b.jpg", "workers/.hidden.md"]):
        path = tmp_path / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")
        os.utime(path, ns=(0, (1_700_000_000 + 1000 * number) * 1_000_000_000 + 5))
    newest = max(stat.st_mtime_ns for rel, stat in input_files(tmp_path) if rel.startswith("content/"))
    assert build_time(tmp_path / "content", newest) == build_time(tmp_path / "content") == 1_700_002_000
