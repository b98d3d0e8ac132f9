"""Limits on content: deep YAML, alias bombs, deep Markdown, huge stories; each a message with file and line."""

from __future__ import annotations

import pytest
from conftest import WORKER_MD, run_cli, tree_bytes
from hypothesis import example, given
from hypothesis import strategies as st

from exhibit.read.limits import (
    MAX_MARKDOWN_DEPTH,
    MAX_YAML_DEPTH,
    MAX_YAML_NODES,
    STORY_MAX_BYTES,
    _deepest_line,
    _nesting,
    within_limits_by_count,
    yaml_limits,
)
from exhibit.read.yamltext import _Loader, load_yaml

HEAD = "---\nname: 邵志村\nunit: smelting-1\n"


def _alias_bomb(levels: int = 9) -> str:
    """Nine lines that expand to 10**9 values."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, levels):
        refs = ", ".join([f"*a{level - 1}"] * 10)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "\n".join(lines) + "\n"


def _deep_yaml(levels: int) -> str:
    return "extra:\n" + "".join("  " * (depth + 1) + f"k{depth}:\n" for depth in range(levels)) \
        + "  " * (levels + 1) + "end: 1\n"


def _assert_refused(root, rel: str, line: int, english: str, chinese: str) -> None:
    """Both languages name the file and line; exit 1, never 70; site/ untouched."""
    before = tree_bytes(root / "site") if (root / "site").exists() else None
    for lang, words in (("en", english), ("zh-CN", chinese)):
        result = run_cli(root, "--lang", lang, timeout=60)
        assert result.returncode == 1, result.stderr
        assert f"{rel}:{line}:" in result.stderr and words in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
    assert (tree_bytes(root / "site") if (root / "site").exists() else None) == before


def test_alias_bomb_in_front_matter_is_refused_quickly(make_site):
    text = HEAD + _alias_bomb() + "---\n故事\n"
    root = make_site({"content/workers/bomb.md": text})
    line = 2 + text.split("\n")[1:].index(next(s for s in text.split("\n") if s.startswith("a5")))
    _assert_refused(root, "content/workers/bomb.md", line, f"more than {MAX_YAML_NODES} values", "& 和 * 引用")


@pytest.mark.parametrize("levels", [MAX_YAML_DEPTH + 1, 600, 1500])  # 1500: past the recursion limit
def test_deep_yaml_front_matter_is_refused(make_site, levels):
    root = make_site({"content/workers/deep.md": HEAD + _deep_yaml(levels) + "---\n故事\n"})
    line = 4 + MAX_YAML_DEPTH  # "extra:" is line 4; its value opens level 1 on line 5
    _assert_refused(root, "content/workers/deep.md", line, f"more than {MAX_YAML_DEPTH} levels", "字段嵌套超过")


def test_deep_flow_yaml_in_a_list_file_is_refused(make_site):
    root = make_site({"content/honors.yaml": "- title: " + "[" * 800 + "]" * 800 + "\n"})
    _assert_refused(root, "content/honors.yaml", 1, f"more than {MAX_YAML_DEPTH} levels", "字段嵌套超过")


def test_yaml_within_the_limits_loads_with_its_aliases():
    text = "base: &b {a: 1, b: [1, 2]}\nfirst: *b\nsecond: *b\n" + _deep_yaml(MAX_YAML_DEPTH - 2)
    data, problems = load_yaml(text, "x.yaml")
    assert problems == []
    assert data["second"] == {"a": 1, "b": [1, 2]}
    assert yaml_limits(text, "x.yaml", 1, _Loader) is None


NESTINGS = {  # each shape's text nesting n collections, built with as few indicators as YAML allows
    "block sequences": lambda n: "- " * n + "x\n",
    "flow sequences": lambda n: "[" * n + "]" * n + "\n",
    "flow mappings": lambda n: "{a: " * n + "1" + "}" * n + "\n",
    "explicit keys": lambda n: "".join("  " * depth + "?\n" for depth in range(n)),
    "block mappings": lambda n: "".join("  " * depth + "k:\n" for depth in range(n)),
    "mixed": lambda n: "".join("  " * depth + ("- " if depth % 2 else "k:") + "\n" for depth in range(n)),
}


@pytest.mark.parametrize("shape", NESTINGS)
@pytest.mark.parametrize("levels", [MAX_YAML_DEPTH - 1, MAX_YAML_DEPTH, MAX_YAML_DEPTH + 1, MAX_YAML_DEPTH + 2])
def test_counting_characters_never_passes_yaml_the_walk_refuses(shape, levels, monkeypatch):
    """The shortcut (counting indicators, no walk) is taken only where the walk finds nothing to refuse."""
    text = NESTINGS[shape](levels)
    walked = yaml_limits(text, "x.yaml", 1, _Loader) if not within_limits_by_count(text) else "not walked"
    monkeypatch.setattr("exhibit.read.limits.within_limits_by_count", lambda _text: False)
    refused = yaml_limits(text, "x.yaml", 1, _Loader)
    if refused is not None:
        assert walked == refused
    if levels > MAX_YAML_DEPTH:
        assert refused is not None and refused.code == "yaml_too_deep"


def test_a_usual_front_matter_is_not_walked():
    front = HEAD + "title: 技术能手\nsince: 2008-06-01\nhonors:\n  - 全国劳动模范\n  - 五一劳动奖章\n" \
        + "quote: 干一行，爱一行。\n"
    assert within_limits_by_count(front)
    assert not within_limits_by_count(front + "again: *anchor\n")


@pytest.mark.parametrize(("story", "line"), [
    ("".join("    " * depth + "- item\n" for depth in range(260)), MAX_MARKDOWN_DEPTH + 1),
    ("正文\n\n" + "> " * 300 + "引用\n", 3),
    ("正文\n\n" + "- " * 300 + "列表\n", 3),
    ("".join("  " * depth + f"{depth + 1}. item\n" for depth in range(400)), None),
])
def test_deeply_nested_markdown_is_refused_with_its_line(make_site, story, line):
    root = make_site({"content/workers/deep.md": HEAD + "---\n" + story})
    result = run_cli(root, "--lang", "en", timeout=60)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert f"more than {MAX_MARKDOWN_DEPTH} levels deep" in result.stderr
    if line is not None:
        assert f"content/workers/deep.md:{4 + line}:" in result.stderr  # the story starts on line 5


def test_ordinary_nesting_builds(make_site):
    story = "".join("    " * depth + "- item\n" for depth in range(6)) + "\n> > > 三层引用\n"
    root = make_site({"content/workers/ok.md": HEAD + "---\n" + story})
    result = run_cli(root)
    assert result.returncode == 0, result.stderr
    assert "三层引用" in (root / "site/workers/ok.html").read_text(encoding="utf-8")


def test_huge_story_is_refused_and_a_large_one_warned(make_site):
    paragraph = "外堰出口烧穿后，他第一个冲到现场。" * 20 + "\n\n"
    huge = paragraph * (STORY_MAX_BYTES // len(paragraph.encode()) + 10)
    large = paragraph * (3 * 1024 * 1024 // len(paragraph.encode()))
    root = make_site({"content/workers/huge.md": HEAD + "---\n" + huge,
                      "content/workers/large.md": WORKER_MD.replace("邵志村", "王强") + large})
    result = run_cli(root, "--lang", "en", timeout=120)
    assert result.returncode == 1
    assert "content/workers/huge.md:5:" in result.stderr and "over the limit of 8 MB" in result.stderr
    shown = result.stdout + result.stderr  # warnings go to stdout, errors to stderr
    assert "content/workers/large.md:9:" in shown and "so building it is slow" in shown
    assert "Traceback" not in shown


@given(st.lists(st.text(alphabet=" \t>-*+.)19a正\u3000", max_size=40), max_size=8))
def test_the_nesting_scan_skips_only_lines_that_cannot_be_nested(lines):
    """`_deepest_line` looks only at lines starting with a space, tab, marker or digit: the same answer as all."""
    text = "\n".join(lines)
    every = next((index for index, line in enumerate(lines) if _nesting(line) > MAX_MARKDOWN_DEPTH), None)
    assert _deepest_line(text) == every


NESTED_LINE = st.builds(lambda tabs, spaces, marker, count, rest: "\t" * tabs + " " * spaces + marker * count + rest,
                        st.integers(0, 20), st.integers(0, 40), st.sampled_from(["> ", ">", "- ", "* ", "1. ", ">\t"]),
                        st.integers(0, 56), st.text(alphabet=" >-*1.a正", max_size=8))


@example([">" * (MAX_MARKDOWN_DEPTH + 1)])  # the fewest characters for one level past the limit
@example(["正文", "\t" * 20 + ">" * (MAX_MARKDOWN_DEPTH - 19) + "正"])
@example(["\t" * MAX_MARKDOWN_DEPTH + ">"])
@given(st.lists(NESTED_LINE, max_size=6))
def test_the_nesting_scan_skips_only_stories_without_a_prefix_as_long_as_the_limit(lines):
    """A story without a line starting with more marker and indent characters than the limit is not scanned line
    by line: every level takes one at least, so the scan of every line gives the same answer, near the limit too."""
    text = "\n".join(lines)
    every = next((index for index, line in enumerate(lines) if _nesting(line) > MAX_MARKDOWN_DEPTH), None)
    assert _deepest_line(text) == every
