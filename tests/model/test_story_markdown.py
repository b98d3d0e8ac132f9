"""Stories converted with only the inline patterns they can match come out as stock Python-Markdown makes them."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exhibit.model import storymarkdown
from exhibit.model.storymarkdown import MARKDOWN_EXTENSIONS, StoryMarkdown

REPOSITORY = Path(__file__).resolve().parents[2]
SNIPPETS = [
    "[链接](../workers/a.md)", "![照片](a.jpg)", "[文字][ref]", "[ref]: http://example.com", "[ref]", "![图][ref]",
    "<b>粗</b>", "<br>", "&amp;", "&#20320;", "&copy", "`代码`", "``a`b``", "\\`", "\\\\`x`", "**强调**", "*斜*",
    "__粗__", "_斜_", "a_b_c", "* 列表", "[^1]", "[^1]: 注释", "| 甲 | 乙 |\n|---|---|\n| 1 | 2 |", "> 引用",
    "- 项", "1. 项", "```\n代码\n```", "*[HTML]: Hyper Text", "HTML", "<div markdown=\"1\">*内*</div>", "\\*",
    "  \n", "{: .note }", "术语\n: 定义", "<http://example.com>", "<someone@example.com>", "<!-- 注释 -->",
    "# 标题", "标题\n===", "---", "\t缩进", "\r\n", "\r", "!", "[", "]", "(", ")", "<", ">", "&", "^", "*", "_",
]
TEXT = st.lists(st.one_of(st.sampled_from(SNIPPETS), st.text(alphabet="甲乙丙 ab1\n*_[]()!<>&`\\^|:-#\t", max_size=12)),
                max_size=24).map("".join)


def _stock(text: str) -> str:
    return markdown.Markdown(extensions=list(MARKDOWN_EXTENSIONS)).convert(text)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_generated_stories_come_out_as_stock_markdown_makes_them(text: str) -> None:
    assert StoryMarkdown().convert(text) == _stock(text)


def test_one_instance_gives_each_story_its_own_patterns() -> None:
    converter = StoryMarkdown()
    stories = ["`代码` 与 <b>粗</b> &amp; [链接](a.md)", "平常的一段话。", "*强调* 与 \\*星号\\*", "`代码` 再来"]
    assert [converter.convert(story) for story in stories] == [_stock(story) for story in stories]


@pytest.mark.parametrize("folder", ["content", "docs"])
def test_the_repositorys_own_markdown_comes_out_the_same(folder: str) -> None:
    texts = [path.read_text(encoding="utf-8") for path in sorted((REPOSITORY / folder).rglob("*.md"))]
    assert texts
    converter = StoryMarkdown()
    assert [converter.convert(text) for text in texts] == [_stock(text) for text in texts]


def test_a_pattern_whose_expression_no_longer_spells_its_characters_is_always_tried(monkeypatch) -> None:
    monkeypatch.setitem(storymarkdown._NEEDS, "link", ("§",))  # a table that went wrong for a newer release
    converter = StoryMarkdown()
    gates = dict(zip((type(pattern).__name__ for pattern, _ in converter._patterns),
                     (needs for _, needs in converter._patterns), strict=False))
    assert gates["LinkInlineProcessor"] == ()
    assert converter.convert("[链接](a.md)") == _stock("[链接](a.md)")


def _registries(md: markdown.Markdown) -> list[tuple[str, list[tuple[str, float, str]]]]:
    """Every processor Python-Markdown runs, by registry: name, priority and class."""
    registries = {"preprocessors": md.preprocessors, "blockprocessors": md.parser.blockprocessors,
                  "inlinePatterns": md.inlinePatterns, "treeprocessors": md.treeprocessors,
                  "postprocessors": md.postprocessors}
    return [(name, [(item.name, item.priority, type(registry[item.name]).__qualname__)
                    for item in (list(registry) and registry._priority)])  # iterating sorts it
            for name, registry in registries.items()]


def test_extension_instances_set_up_what_their_names_do() -> None:
    by_name = markdown.Markdown(extensions=list(MARKDOWN_EXTENSIONS))
    by_instance = StoryMarkdown().md
    assert _registries(by_instance) == _registries(by_name)
    assert len(by_instance.registeredExtensions) == len(by_name.registeredExtensions)
    assert [type(ext) for ext in by_instance.registeredExtensions] == [
        type(ext) for ext in by_name.registeredExtensions if type(ext).__name__ != "ExtraExtension"]


def test_a_story_without_braces_or_backslashes_skips_the_tree_walks_that_need_them(monkeypatch) -> None:
    from markdown.extensions.attr_list import AttrListTreeprocessor
    from markdown.treeprocessors import UnescapeTreeprocessor

    walked: list[str] = []
    for kind in (AttrListTreeprocessor, UnescapeTreeprocessor):
        monkeypatch.setattr(kind, "run", lambda self, root, name=kind.__name__: walked.append(name))
    converter = StoryMarkdown()
    stories = ["平常的一段话。", "## 标题 {: .note }", "一个 \\* 星号", "平常的一段话。"]
    walks = []
    for story in stories:
        walked.clear()
        converter.convert(story)
        walks.append(sorted(walked))
    assert walks == [[], ["AttrListTreeprocessor"], ["UnescapeTreeprocessor"], []]
    assert converter.md.treeprocessors is converter._all_tree_processors  # each story's choice is undone after it
    assert converter.md.preprocessors is converter._all_preprocessors


def test_each_text_node_is_tried_only_with_the_patterns_its_characters_allow(monkeypatch) -> None:
    """A story with a link and an emphasis somewhere: its other paragraphs are not searched for either."""
    from markdown.treeprocessors import InlineProcessor

    tried: list[tuple[str, str]] = []
    original = InlineProcessor._InlineProcessor__applyPattern

    def recording(self, pattern, data, index, start=0):
        tried.append((type(pattern).__name__, data))
        return original(self, pattern, data, index, start)

    monkeypatch.setattr(InlineProcessor, "_InlineProcessor__applyPattern", recording)
    story = "见[链接](a.md)。\n\n*强调*一下。\n\n- 平常的一项\n- 又一项\n\n平常的一段话。\n"
    expected = _stock(story)  # tries every pattern on every node
    tried.clear()
    assert StoryMarkdown().convert(story) == expected
    links = {data for kind, data in tried if kind == "LinkInlineProcessor"}
    emphasis = {data for kind, data in tried if kind == "DelimiterProcessor"}
    assert links and all("[" in data for data in links)
    assert emphasis and all("*" in data for data in emphasis)
    assert not any("平常" in data for kind, data in tried if kind in ("LinkInlineProcessor", "DelimiterProcessor"))


def test_without_python_markdowns_private_loop_the_stock_loop_runs(monkeypatch) -> None:
    from markdown.treeprocessors import InlineProcessor

    monkeypatch.delattr(InlineProcessor, "_InlineProcessor__handleInline")
    converter = StoryMarkdown()
    assert "_InlineProcessor__handleInline" not in vars(converter._inline)


BLOCKS = st.lists(TEXT, min_size=1, max_size=6).map("\n\n".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(BLOCKS)
def test_generated_stories_of_many_blocks_come_out_as_stock_markdown_makes_them(text: str) -> None:
    assert StoryMarkdown().convert(text) == _stock(text)


def test_each_block_is_tried_only_with_the_processors_its_characters_allow(monkeypatch) -> None:
    converter = StoryMarkdown()
    tried: list[tuple[str, str]] = []
    for item in converter.md.parser.blockprocessors._priority:
        processor = converter.md.parser.blockprocessors[item.name]
        monkeypatch.setattr(processor, "test", lambda parent, block, _name=item.name, _test=processor.test:
                            tried.append((_name, block)) or _test(parent, block))
    story = "平常的一段话。\n\n| 甲 | 乙 |\n|---|---|\n| 1 | 2 |\n\n# 标题\n\n[ref]: http://example.com"
    assert converter.convert(story) == _stock(story)
    blocks_of = {name: [block for tried_name, block in tried if tried_name == name] for name, _ in tried}
    assert blocks_of["table"] == ["| 甲 | 乙 |\n|---|---|\n| 1 | 2 |"]
    assert blocks_of["hashheader"] == ["# 标题"]
    assert blocks_of["reference"] == ["[ref]: http://example.com"]
    assert "quote" not in blocks_of and "footnote" not in blocks_of
    assert blocks_of["paragraph"] == ["平常的一段话。"]  # a processor with no characters of its own sees every block
    tried_in_order = [name for name, block in tried if block == "平常的一段话。"]
    assert tried_in_order == ["markdown_block", "empty", "indent", "defindent", "code", "paragraph"]  # by priority
    assert set(blocks_of["empty"]) >= {"平常的一段话。", "# 标题", "[ref]: http://example.com"}


def test_a_block_processor_of_another_class_under_a_known_name_is_always_tried(monkeypatch) -> None:
    monkeypatch.setitem(storymarkdown._BLOCK_NEEDS, "table", ("NewerTableProcessor", ("|",)))
    monkeypatch.setitem(storymarkdown._BLOCK_NEEDS, "quote", ("BlockQuoteProcessor", ("§",)))
    parser = StoryMarkdown().md.parser
    assert storymarkdown._block_needs("table", parser.blockprocessors["table"]) == ()
    assert storymarkdown._block_needs("quote", parser.blockprocessors["quote"]) == ()
    assert storymarkdown._block_needs("hashheader", parser.blockprocessors["hashheader"]) == ("#",)


def test_without_python_markdowns_own_block_loop_the_parsers_loop_runs(monkeypatch) -> None:
    from markdown.blockparser import BlockParser

    original = BlockParser.parseBlocks
    monkeypatch.setattr(BlockParser, "parseBlocks", lambda self, parent, blocks: original(self, parent, blocks))
    converter = StoryMarkdown()
    assert "parseBlocks" not in vars(converter.md.parser)
    assert converter.convert("# 标题\n\n> 引用") == _stock("# 标题\n\n> 引用")


def test_a_story_without_html_or_fences_skips_the_preprocessors_that_need_them(monkeypatch) -> None:
    from markdown.extensions.fenced_code import FencedBlockPreprocessor
    from markdown.extensions.md_in_html import HtmlBlockPreprocessor

    walked: list[str] = []
    for kind in (HtmlBlockPreprocessor, FencedBlockPreprocessor):
        original = kind.run
        monkeypatch.setattr(kind, "run", lambda self, lines, name=kind.__name__, run=original:
                            walked.append(name) or run(self, lines))
    converter = StoryMarkdown()
    stories = ["平常的一段话。", "<div>块</div>", "```\n代码\n```", "~~~\n代码\n~~~", "平常的一段话。"]
    walks = []
    for story in stories:
        walked.clear()
        html = converter.convert(story)
        walks.append(sorted(walked))
        assert html == _stock(story)
    assert walks == [[], ["HtmlBlockPreprocessor"], ["FencedBlockPreprocessor"], ["FencedBlockPreprocessor"], []]
    assert converter.md.preprocessors is converter._all_preprocessors
