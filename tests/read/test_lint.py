"""Lint warnings for copied text: pinyin annotations, Traditional characters, half-width punctuation."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lint_support import SEED, W, lint_warnings, worker

from exhibit.read import lint
from exhibit.read.lint import lint_text


def test_pinyin_traditional_and_punctuation_are_reported_at_their_line(make_site):
    root = make_site({W: worker("第一段。\n" + SEED)})
    rows = {row["code"]: row for row in lint_warnings(root)}
    assert set(rows) == {"lint_pinyin", "lint_traditional", "lint_punctuation"}
    assert all(row["path"] == W and row["line"] == 6 for row in rows.values())
    assert rows["lint_pinyin"]["message"] == "文字里夹着拼音注音：戰(zhàn)、礎(chǔ)"
    assert rows["lint_pinyin"]["col"] == 21  # the "(" after 戰
    assert "黨→党" in rows["lint_traditional"]["message"] and "組→组" in rows["lint_traditional"]["message"]
    assert rows["lint_punctuation"]["message"] == "中文句子里用了半角标点 ,（1 处）"
    assert "check --fix" in rows["lint_punctuation"]["hint"]


def test_what_is_not_prose_is_left_alone():
    text = ("---\nname: 張三\nphoto: 戰鬥.jpg\nunit: acid\ntags: [党员,先锋]\n---\n"
            "表(A)和表(B)。见 `代碼,片段` 与 [链接](../戰(zhàn).md)，网址 http://a.cn/戰,x 。\n"
            "```\n黨(dǎng),\n```\n第1.5项，共3.2吨。Version 2.0, ok.\n")
    findings = lint_text(text, markdown=True, language="zh-CN")
    assert [(f.code, f.line) for f in findings] == [("lint_traditional", 2)]  # only the name's 張
    assert lint_text("黨支部", markdown=True, language="en") == []  # an English site may quote Traditional text


def test_warnings_linted_while_the_site_is_read_stand_where_they_always_stood(make_site):
    """Between the problems found reading the files and those found building the model, in file order."""
    from conftest import paginated_content

    from exhibit.engine import build
    from exhibit.project import Project

    files = paginated_content(workers=70)
    files["content/workers/zz1.md"] = worker("黨支部,是基礎。", "order: 1\n").replace("unit: acid", "unit: nowhere")
    files["content/workers/zz2.md"] = "---\nname: [李四\n---\n正文。\n"
    files["content/workers/zz3.md"] = worker("戰(zhàn)斗,力。")
    root = make_site(files)
    result = build(Project(root, root / "site"), write=False, subset_font=False, jobs=2)
    found = [(d.code, d.path) for d in result.diagnostics.items]
    lint = [entry for entry in found if entry[0].startswith("lint_")]
    first = found.index(lint[0])
    assert found[first:first + len(lint)] == lint  # one block
    assert [path for _, path in lint] == sorted(path for _, path in lint)  # in file order
    assert ("yaml_syntax", "content/workers/zz2.md") in found[:first]  # reading came first
    assert ("unit_unknown", "content/workers/zz1.md") in found[first + len(lint):]  # the model after
    assert {code for code, _ in lint} == {"lint_traditional", "lint_punctuation", "lint_pinyin"}


LINT_SNIPPETS = ["戰(zhàn)", "鬥（dòu）", "钢(gang)", "(钢)", "国", "國", "发展,", "发展.", "发展:", "?", "!", ";",
                 "“引”.", "（", "）", "(", ")", "[链](a.md)", "`代码`", "<b>", "- ", "1. ", "title: ", "# ", "\n",
                 "http://a.cn/x(1)", "乾隆", "看著", "著名", "zhàn", " ", "乾", "[隆](a.md)", "藉口", "黨"]
LINT_PIECE = st.one_of(st.sampled_from(LINT_SNIPPETS), st.text(alphabet="甲乙戰國 ab.,:;?!()（）\n", max_size=8))
LINT_TEXT = st.lists(LINT_PIECE, max_size=30).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(LINT_TEXT, st.booleans(), st.sampled_from(["zh-CN", "en"]))
def test_lines_skipped_for_lacking_a_rules_character_hold_nothing_it_would_find(text: str, markdown: bool,
                                                                                  language: str) -> None:
    """The lint skips a line for a rule when the line lacks a character every match needs; scanning every span
    of every line finds the same."""
    skipping = lint_text(text, markdown, language)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(lint, "_NEEDS", {})
        assert lint_text(text, markdown, language) == skipping


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(LINT_TEXT, st.booleans())
def test_lines_opencc_keeps_in_one_conversion_hold_no_traditional_character(text: str, markdown: bool) -> None:
    """The Traditional-character rule skips the lines that one conversion of the whole file's spans leaves as
    written; converting every span of every line on its own finds the same."""
    skipping = lint_text(text, markdown, "zh-CN")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(lint, "_lines_opencc_keeps", lambda lines, by_line: set())
        assert lint_text(text, markdown, "zh-CN") == skipping


def test_a_phrase_split_by_a_link_is_converted_part_by_part():
    """乾隆 is a name OpenCC keeps; 乾 alone is converted. The whole file is converted at once, its spans joined by
    line breaks, so no phrase is matched across two spans."""
    assert lint_text("乾隆年间。\n", True, "zh-CN") == []
    split = lint_text("好。\n乾[隆](a.md)年间。\n", True, "zh-CN")
    assert [(finding.code, finding.line, finding.args["found"]) for finding in split] == [
        ("lint_traditional", 2, "乾→干")]
