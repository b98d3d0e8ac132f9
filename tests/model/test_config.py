"""content/site.yaml: title, language and the unit tree, every problem at its line."""

from __future__ import annotations

import pytest
from conftest import SITE_YAML, WORKER_MD, check_site, found

from exhibit.diagnostics import Diagnostics
from exhibit.model.config import load_config

UNITS_HEAD = "title: 测试站点\nunits:\n"


def _config(root):
    diagnostics = Diagnostics()
    config = load_config(root, root / "content", diagnostics)
    return config, diagnostics.items


def test_sample_site_yaml_reads_as_a_tree(bare_site):
    root = bare_site()
    config, problems = _config(root)
    assert problems == []
    assert config.title == "测试站点"
    assert config.language == "zh-CN"
    assert [unit.id for unit in config.units] == ["plant", "smelting", "smelting-1", "acid"]
    assert [unit.id for unit in config.units.roots] == ["plant"]
    smelting_1 = config.units.get("smelting-1")
    assert [unit.id for unit in smelting_1.ancestors] == ["plant", "smelting"]
    assert smelting_1.tier == "demonstration"
    assert config.units.get("acid").secretary == "朱卫国"
    assert [unit.id for unit in config.units.get("plant").children] == ["smelting", "acid"]


def test_missing_site_yaml_is_an_error_with_a_hint(bare_site, cli):
    root = bare_site({"content/workers/邵志村.md": WORKER_MD})
    (root / "content/site.yaml").unlink()
    run = cli(root, "check")
    assert run.code == 1
    (line,) = run.diagnostics
    assert line["path"] == "content/site.yaml"
    assert line["severity"] == "error"
    assert "site.yaml" in line["message"]
    assert "title" in run.hint_after(line)
    assert not (root / "site").exists()


def test_empty_site_yaml_asks_for_a_title(bare_site):
    root = bare_site({"content/site.yaml": ""})
    _, problems = _config(root)
    (problem,) = found(problems, "field_required")
    assert (problem.path, problem.line, problem.args["field"]) == ("content/site.yaml", 1, "title")


def test_site_yaml_that_is_a_list_is_refused(bare_site):
    root = bare_site({"content/site.yaml": "- title: a\n- units: []\n"})
    config, problems = _config(root)
    assert config is None
    assert [p.code for p in problems] == ["config_not_mapping"]


def test_unknown_parent_unit_names_the_line_and_suggests(bare_site, cli):
    site = UNITS_HEAD + (
        "  - id: smelting\n"
        "    name: 熔炼党总支\n"
        "  - id: smelting-1\n"
        "    name: 第一党支部\n"
        "    parent: smeltin\n"
    )
    root = bare_site({"content/site.yaml": site})
    config, problems = _config(root)
    (problem,) = problems
    assert problem.code == "unit_parent_unknown"
    assert (problem.path, problem.line) == ("content/site.yaml", 5)
    assert problem.args["suggestion"] == "smelting"
    assert config.units.get("smelting-1").parent is None  # detached, not dangling

    run = cli(root, "check")
    assert run.code == 1
    (line,) = run.diagnostics
    assert (line["path"], line["line"]) == ("content/site.yaml", "5")
    assert "smeltin" in line["message"]
    assert "smelting" in run.hint_after(line)


def test_duplicate_unit_id_points_at_both_lines(bare_site):
    site = UNITS_HEAD + (
        "  - id: acid\n"
        "    name: 硫酸党支部\n"
        "  - id: acid\n"
        "    name: 另一个支部\n"
    )
    root = bare_site({"content/site.yaml": site})
    config, problems = _config(root)
    (problem,) = problems
    assert problem.code == "unit_duplicate"
    assert problem.line == 5
    assert problem.args == {"value": "acid", "other_line": 3}
    assert len(config.units) == 1
    assert config.units.get("acid").name == "硫酸党支部"


def test_bad_unit_id_is_reported(bare_site):
    site = UNITS_HEAD + (
        "  - id: plant\n"
        "    name: 冶炼厂党委\n"
        "  - id: Acid Branch\n"
        "    name: 硫酸党支部\n"
    )
    root = bare_site({"content/site.yaml": site})
    _, problems = _config(root)
    (problem,) = problems
    assert problem.code == "unit_id_invalid"
    assert (problem.line, problem.args["value"]) == (5, "Acid Branch")


def test_unit_without_id_or_name(bare_site):
    site = UNITS_HEAD + "  - name: 无编号\n  - id: no-name\n"
    root = bare_site({"content/site.yaml": site})
    config, problems = _config(root)
    assert sorted((p.code, p.line, p.args.get("field")) for p in problems) == [
        ("field_required", 3, "id"), ("field_required", 4, "name")]
    assert len(config.units) == 0


def test_parent_loop_is_reported_and_broken(bare_site):
    site = UNITS_HEAD + (
        "  - id: a\n    name: A\n    parent: b\n"
        "  - id: b\n    name: B\n    parent: a\n"
    )
    root = bare_site({"content/site.yaml": site})
    config, problems = _config(root)
    assert [p.code for p in problems] == ["unit_cycle"]
    assert len(config.units.roots) == 1
    assert len(config.units) == 2  # every unit still reachable from a root


def test_units_that_are_not_a_list_or_mappings(bare_site):
    root = bare_site({"content/site.yaml": "title: t\nunits: plant\n"})
    assert [p.code for p in _config(root)[1]] == ["field_not_list"]
    root = bare_site({"content/site.yaml": "title: t\nunits:\n  - plant\n"}, name="other")
    (problem,) = _config(root)[1]
    assert (problem.code, problem.line) == ("list_item_not_mapping", 3)


def test_chinese_kind_and_tier_words(bare_site):
    site = UNITS_HEAD + "  - id: a\n    name: A\n    kind: 党支部\n    tier: 标杆\n"
    root = bare_site({"content/site.yaml": site})
    config, problems = _config(root)
    assert problems == []
    assert (config.units.get("a").kind, config.units.get("a").tier) == ("branch", "benchmark")


def test_unknown_kind_suggests_the_closest(bare_site):
    site = UNITS_HEAD + "  - id: a\n    name: A\n    kind: brnch\n"
    root = bare_site({"content/site.yaml": site})
    (problem,) = _config(root)[1]
    assert (problem.code, problem.line, problem.args["field"]) == ("field_choice", 5, "kind")
    assert problem.args["suggestion"] == "branch"


def test_every_config_problem_is_reported_at_once(bare_site):
    site = (
        "language: fr\n"
        "base_url: intranet/exhibit\n"
        "units:\n"
        "  - id: Bad Id\n"
        "    name: x\n"
        "  - id: y\n"
        "    name: y\n"
        "    parent: nowhere\n"
    )
    root = bare_site({"content/site.yaml": site})
    _, problems = _config(root)
    assert sorted((p.code, p.line) for p in problems) == [
        ("config_base_url", 2), ("config_language", 1), ("field_required", 1),
        ("unit_id_invalid", 4), ("unit_parent_unknown", 6)]


def test_base_url_gets_a_trailing_slash_and_extra_keys_are_kept(bare_site):
    site = SITE_YAML + "base_url: http://intranet.example/exhibit\nfooter: 内部资料\n"
    root = bare_site({"content/site.yaml": site})
    config, problems = _config(root)
    assert problems == []
    assert config.base_url == "http://intranet.example/exhibit/"
    assert config.extra == {"footer": "内部资料"}


def test_language_en_switches_messages_to_english(bare_site, cli):
    site = SITE_YAML.replace("language: zh-CN", "language: en")
    root = bare_site({"content/site.yaml": site, "content/workers/a.md": "---\nunit: acid\n---\n"})
    run = cli(root, "check")
    assert run.code == 1
    (line,) = run.diagnostics
    assert line["message"] == "the required field 'name' is missing"
    assert run.hint_after(line).startswith("hint: ")
    assert not any("\u4e00" <= char <= "\u9fff" for char in run.err.replace("测试站点", ""))


def test_lang_option_applies_even_without_site_yaml(bare_site, cli):
    root = bare_site()
    (root / "content/site.yaml").unlink()
    run = cli(root, "check", "--lang", "en")
    assert run.code == 1
    (line,) = run.diagnostics
    assert line["message"] == "the site settings file content/site.yaml is missing"


def test_lang_option_overrides_site_yaml(bare_site, cli):
    root = bare_site({"content/workers/a.md": "---\nunit: acid\n---\n"})  # site.yaml says zh-CN
    english = cli(root, "check", "--lang", "en")
    assert "the required field 'name' is missing" in english.err
    assert "缺少必填字段" not in english.err
    chinese = cli(root, "check")
    assert "缺少必填字段“name”" in chinese.err

    site = SITE_YAML.replace("language: zh-CN", "language: en")
    root = bare_site({"content/site.yaml": site, "content/workers/a.md": "---\nunit: acid\n---\n"}, name="en")
    assert "缺少必填字段“name”" in cli(root, "check", "--lang", "zh-CN").err


def test_language_spellings_are_normalised(bare_site):
    for written, expected in (("en-US", "en"), ("EN", "en"), ("zh_CN", "zh-CN"), ("zh-Hans", "zh-CN")):
        site = SITE_YAML.replace("language: zh-CN", f"language: {written}")
        root = bare_site({"content/site.yaml": site}, name=written)
        config, problems = _config(root)
        assert problems == []
        assert config.language == expected
    assert check_site(bare_site({"content/site.yaml": site}, name="pipeline")).language == "zh-CN"


def test_page_size_defaults_to_24_and_is_read(bare_site):
    config, problems = _config(bare_site())
    assert (config.page_size, problems) == (24, [])
    config, problems = _config(bare_site({"content/site.yaml": SITE_YAML + "page_size: 5\n"}, name="five"))
    assert (config.page_size, problems) == (5, [])
    assert "page_size" not in config.extra


@pytest.mark.parametrize("value", ["0", "-3", "2.5", "no", "二十", "501"])
def test_page_size_that_is_not_a_sensible_whole_number(bare_site, value):
    lines = SITE_YAML.count("\n")
    config, problems = _config(bare_site({"content/site.yaml": SITE_YAML + f"page_size: {value}\n"}))
    (problem,) = problems
    assert (problem.code, problem.path, problem.line) == ("config_page_size", "content/site.yaml", lines + 1)
    assert config.page_size == 24  # the rest of the build goes on with the default


def test_page_size_message_in_both_languages(bare_site, cli):
    root = bare_site({"content/site.yaml": SITE_YAML + "page_size: 0\n"})
    run = cli(root, "check")
    assert run.code == 1
    (line,) = run.diagnostics
    assert line["path"] == "content/site.yaml"
    assert "page_size“0”不是 1 到 500 之间的整数" in line["message"]
    assert "page_size: 24" in run.hint_after(line)
    run = cli(root, "check", "--lang", "en")
    (line,) = run.diagnostics
    assert line["message"] == "page_size '0' is not a whole number from 1 to 500"
    assert "how many cards a listing page shows" in run.hint_after(line)
