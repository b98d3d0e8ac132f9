"""Reading content files: encodings, line endings, front matter, and YAML typed by hand."""

from __future__ import annotations

import codecs

import pytest
from conftest import WORKER_MD, check_site, load_model

from exhibit.diagnostics import Diagnostics
from exhibit.model.collections import COLLECTIONS
from exhibit.read.sources import discover, read_text, split_front_matter
from exhibit.read.yamltext import LinedDict, LinedList, load_yaml

WORKER_FILE = "content/workers/邵志村.md"


def _worker(root):
    model, problems = load_model(root)
    (worker,) = model.collections["workers"]
    return worker, problems


def _records(root):
    diagnostics = Diagnostics()
    return discover(root, root / "content", COLLECTIONS, diagnostics), diagnostics.items


# --- encodings and line endings -------------------------------------------------------------

def test_utf8_bom_is_accepted_silently(bare_site):
    root = bare_site({WORKER_FILE: codecs.BOM_UTF8 + WORKER_MD.encode()})
    worker, problems = _worker(root)
    assert problems == []
    assert worker.name == "邵志村"
    assert worker.slug == "shao-zhi-cun"


def test_bom_in_site_yaml_is_accepted(bare_site):
    from conftest import SITE_YAML

    root = bare_site({"content/site.yaml": codecs.BOM_UTF8 + SITE_YAML.encode()})
    model, problems = load_model(root)
    assert problems == []
    assert model.config.title == "测试站点"


def test_crlf_line_endings_are_accepted(bare_site):
    root = bare_site({WORKER_FILE: WORKER_MD.replace("\n", "\r\n").encode()})
    worker, problems = _worker(root)
    assert problems == []
    assert worker.quote == "哪里最难，党员就先站到哪里。"
    assert "\r" not in worker.body
    assert "外堰出口烧穿后" in worker.body


def test_crlf_keeps_line_numbers(bare_site):
    text = "---\r\nname: 张三\r\nunit: acid\r\nsince: abc\r\n---\r\n"
    root = bare_site({"content/workers/a.md": text.encode()})
    _, problems = load_model(root)
    (problem,) = problems
    assert (problem.code, problem.line) == ("field_date", 4)


def test_gbk_file_is_read_with_a_warning(bare_site, cli):
    root = bare_site({WORKER_FILE: WORKER_MD.encode("gbk")})
    worker, problems = _worker(root)
    assert worker.name == "邵志村"
    assert worker.quote == "哪里最难，党员就先站到哪里。"
    (problem,) = problems
    assert problem.code == "decoded_as_gbk"
    assert problem.severity == "warning"

    run = cli(root, "check")
    assert run.code == 0
    (line,) = run.diagnostics
    assert line["path"] == WORKER_FILE
    assert line["severity"] == "warning"
    assert "GBK" in line["message"]
    assert "UTF-8" in run.hint_after(line)


def test_utf16_with_bom_is_accepted(bare_site):
    root = bare_site({WORKER_FILE: WORKER_MD.encode("utf-16")})
    worker, problems = _worker(root)
    assert problems == []
    assert worker.name == "邵志村"


def test_undecodable_file_is_a_content_error(bare_site, cli):
    garbage = b"---\nname: " + bytes(range(128, 256)) * 4 + b"\n---\n"
    root = bare_site({"content/workers/a.md": garbage})
    run = cli(root, "check")
    assert run.code == 1
    (line,) = run.diagnostics
    assert (line["path"], line["line"]) == ("content/workers/a.md", "2")


def test_control_character_in_front_matter_is_a_content_error(bare_site, cli):
    root = bare_site({"content/workers/a.md": "---\nunit: acid\nname: 张三\x0b\n---\n".encode()})
    run = cli(root, "check")
    assert run.code == 1
    (line,) = run.diagnostics
    assert line["path"] == "content/workers/a.md"
    assert line["severity"] == "error"


def test_read_text_normalises_line_endings(tmp_path):
    path = tmp_path / "a.md"
    path.write_bytes(b"a\r\nb\rc\n")
    assert read_text(path, "a.md", Diagnostics()) == "a\nb\nc\n"


# --- front matter ---------------------------------------------------------------------------

def test_split_front_matter_gives_the_first_body_line():
    front, body, body_line = split_front_matter("---\nname: a\nunit: b\n---\nstory\nmore\n")
    assert front == "name: a\nunit: b"
    assert body == "story\nmore\n"
    assert body_line == 5


def test_split_front_matter_accepts_dots_and_trailing_spaces():
    assert split_front_matter("---\nname: a\n...\nstory")[1:] == ("story", 4)
    assert split_front_matter("---\nname: a\n---   \nstory")[1:] == ("story", 4)
    assert split_front_matter("---\nname: a\nstory") is None


def test_missing_closing_dashes(bare_site, cli):
    root = bare_site({"content/workers/a.md": "---\nname: 张三\nunit: acid\n\n正文\n"})
    run = cli(root, "check")
    assert run.code == 1
    (line,) = run.diagnostics
    # Placed where the closing --- belongs: the first line after the fields.
    assert (line["path"], line["line"], line["col"]) == ("content/workers/a.md", "4", "1")
    assert "---" in line["message"]
    assert "---" in run.hint_after(line) and "4" in run.hint_after(line)


def test_file_without_front_matter(bare_site):
    root = bare_site({"content/workers/a.md": "只有正文，没有字段。\n"})
    records, problems = _records(root)
    assert records == []
    assert [(p.code, p.line) for p in problems] == [("frontmatter_missing", 1)]


def test_front_matter_that_is_not_a_mapping(bare_site):
    root = bare_site({"content/workers/a.md": "---\n- name\n- unit\n---\n"})
    records, problems = _records(root)
    assert records == []
    assert [(p.code, p.line) for p in problems] == [("frontmatter_not_mapping", 2)]


def test_fullwidth_colon_is_found_at_its_line(bare_site, cli):
    root = bare_site({"content/workers/a.md": "---\nunit: acid\nname：张三\n---\n"})
    run = cli(root, "check")
    assert run.code == 1
    (line,) = [m for m in run.diagnostics if "：" in m["message"]]
    assert (line["path"], line["line"], line["col"]) == ("content/workers/a.md", "3", "5")
    assert "name: " in run.hint_after(line)


def test_a_lone_fullwidth_colon_line_is_one_error(bare_site):
    root = bare_site({"content/workers/a.md": "---\nname：张三\n---\n"})
    _, problems = _records(root)
    assert [(p.code, p.line) for p in problems] == [("yaml_fullwidth_colon", 2)]


def test_fullwidth_colon_in_a_list_file(bare_site):
    root = bare_site({"content/history.yaml": "- title: a\n  date: 2021\n- title：b\n  date: 2022\n"})
    _, problems = _records(root)
    (problem,) = problems
    assert (problem.code, problem.line, problem.args) == ("yaml_fullwidth_colon", 3, {"key": "title"})


def test_fullwidth_colon_inside_a_value_is_fine(bare_site):
    root = bare_site({"content/workers/a.md": "---\nname: 张三\nunit: acid\nquote: 口号：安全第一\n---\n"})
    worker, problems = _worker(root)
    assert problems == []
    assert worker.quote == "口号：安全第一"


@pytest.mark.parametrize("indent", ["\t", "\u3000\u3000", "  \t"])
def test_tab_or_fullwidth_space_indentation(bare_site, indent):
    text = f"---\nname: 张三\nunit: acid\nhonors:\n{indent}- 劳动模范\n---\n"
    root = bare_site({"content/workers/a.md": text.encode()})
    _, problems = _records(root)
    (problem,) = problems
    assert (problem.code, problem.path, problem.line) == ("yaml_tab_indent", "content/workers/a.md", 5)


def test_duplicate_key_names_both_lines(bare_site, cli):
    root = bare_site({"content/workers/a.md": "---\nname: 张三\nunit: acid\nname: 李四\n---\n"})
    _, problems = _records(root)
    (problem,) = problems
    assert (problem.code, problem.line, problem.args) == ("yaml_duplicate_key", 4, {"key": "name", "first_line": 2})
    run = cli(root, "check")
    assert run.code == 1
    (line,) = run.diagnostics
    assert line["line"] == "4"
    assert "name" in line["message"] and "2" in line["message"]


def test_yaml_syntax_error_is_placed_in_the_file(bare_site):
    root = bare_site({"content/workers/a.md": "---\nname: 张三\ntitle: a: b\nunit: acid\n---\n"})
    _, problems = _records(root)
    (problem,) = problems
    # The colon inside the value gets its own message (exhibit/read/yamltext.py _explain).
    assert (problem.code, problem.line, problem.col) == ("yaml_colon_in_value", 3, 9)


def test_values_keep_the_text_as_typed(bare_site):
    text = ("---\nname: 010\nunit: acid\ntitle: 1.10\nquote: no\n"
            "honors: [yes, 1.10, 2021]\n---\n")
    root = bare_site({"content/workers/a.md": text})
    worker, problems = _worker(root)
    assert problems == []
    assert worker.name == "010"
    assert worker.title == "1.10"
    assert worker.quote == "no"
    assert worker.honors == ["yes", "1.10", "2021"]


def test_yaml_list_file_values_keep_the_text_as_typed(bare_site):
    root = bare_site({"content/history.yaml": "- title: 1.10\n  date: 2021\n  slug: v110\n"})
    model, problems = load_model(root)
    assert problems == []
    assert model.collections["history"][0].title == "1.10"


# --- YAML list files and folders ----------------------------------------------------------

def test_list_file_records_know_their_lines(bare_site):
    text = "# 发展轨迹\n- title: a\n  date: 2021\n\n- title: b\n  date: 2022\n  body: 正文\n"
    root = bare_site({"content/history.yaml": text})
    records, problems = _records(root)
    assert problems == []
    assert [(r.collection, r.line, r.stem) for r in records] == [("history", 2, None), ("history", 5, None)]
    assert records[1].body == "正文"
    assert "body" not in records[1].fields


def test_list_file_entry_that_is_not_a_mapping(bare_site):
    root = bare_site({"content/honors.yaml": "- title: a\n  date: 2021\n- 只写了一句话\n"})
    records, problems = _records(root)
    assert len(records) == 1
    assert [(p.code, p.line) for p in problems] == [("list_item_not_mapping", 3)]


def test_list_file_that_is_a_scalar(bare_site):
    root = bare_site({"content/honors.yaml": "只是一句话\n"})
    records, problems = _records(root)
    assert records == []
    assert [p.code for p in problems] == ["list_file_not_list"]


def test_yaml_file_in_a_collection_folder_may_hold_one_record(bare_site):
    root = bare_site({"content/honors/award.yaml": "title: 奖\ndate: 2021\n"})
    records, problems = _records(root)
    assert problems == []
    assert [(r.collection, r.stem) for r in records] == [("honors", "award")]


def test_subfolders_hidden_and_temporary_files(bare_site):
    files = {
        "content/workers/2021/a.md": "---\nname: a\nunit: acid\n---\n",
        "content/workers/.hidden.md": "garbage",
        "content/workers/b.md~": "garbage",
        "content/workers/~$b.md": "garbage",
        "content/workers/.drafts/c.md": "garbage",
        "content/workers/d.md.swp": "garbage",
    }
    root = bare_site(files)
    records, problems = _records(root)
    assert problems == []
    assert [r.rel for r in records] == ["content/workers/2021/a.md"]


def test_unknown_collection_folder_suggests_the_right_one(bare_site):
    root = bare_site({"content/worker/a.md": "---\nname: a\nunit: acid\n---\n"})
    _, problems = _records(root)
    (problem,) = problems
    assert (problem.code, problem.path) == ("unknown_collection", "content/worker/a.md")
    assert problem.args["suggestion"] == "workers"


def test_stray_markdown_file_in_content_is_a_warning(bare_site):
    root = bare_site({"content/README.md": "# notes\n"})
    result = check_site(root)
    assert result.ok
    assert [(d.code, d.severity) for d in result.diagnostics.items] == [("stray_content_file", "warning")]


# --- yamltext directly ----------------------------------------------------------------------

def test_load_yaml_records_lines_relative_to_the_file():
    data, problems = load_yaml("name: a\nlist:\n  - x\n  - y\nmap:\n  k: v\n", "f.md", first_line=2)
    assert problems == []
    assert isinstance(data, LinedDict)
    assert data.key_lines == {"name": 2, "list": 3, "map": 6}
    assert isinstance(data["list"], LinedList)
    assert data["list"].item_lines == [4, 5]
    assert data["map"].line_of("k") == 7
    assert data.raw["name"] == "a"


def test_load_yaml_does_not_parse_timestamps():
    data, _ = load_yaml("date: 2021-06-30\nwhen: 2021-06-30 08:00:00\n", "f")
    assert data == {"date": "2021-06-30", "when": "2021-06-30 08:00:00"}


@pytest.mark.parametrize("text", [
    "!!python/object/apply:os.system [echo hacked]",
    "a: !custom x",
    "a: *undefined",
    "name: [a, b\n",
    'name: "unclosed\n',
    "? [a, b]\n: c\n",
    "{a: 1}: 2\n",
    "a: &x [*x]\n",
    "- - - [\n",
    "name: a\x0b\n",
])
def test_load_yaml_never_raises(text):
    data, problems = load_yaml(text, "f.yaml", first_line=3)
    assert data is not None or problems
    assert all(problem.path == "f.yaml" and problem.line >= 3 for problem in problems)
