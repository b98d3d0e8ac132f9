"""Markdown stories: safe HTML, local links turned into site placeholders, broken links found."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exhibit.model.markup import SITE_SCHEME, _text_of, is_markdown_path, plain_text, render_markdown

PAGES = {"b.md": "workers/b.html", "photo.jpg": "media/workers/photo.jpg", "": None}


def resolve(path: str) -> str | None:
    return PAGES.get(path)


def render(text: str, first_line: int = 1) -> tuple[str, list[tuple[str, int]]]:
    html, problems = render_markdown(text, resolve, first_line)
    return html, [(problem.target, problem.line) for problem in problems]


def test_plain_markdown():
    html, problems = render("# 标题\n\n**加粗**和*强调*\n\n- 一\n- 二\n")
    assert problems == []
    assert "<h1>标题</h1>" in html
    assert "<strong>加粗</strong>" in html
    assert "<li>一</li>" in html


def test_empty_story():
    assert render("") == ("", [])
    assert render("  \n\n") == ("", [])


def test_single_newlines_become_line_breaks():
    html, _ = render("第一行\n第二行\n")
    assert "<br" in html


def test_raw_script_is_removed_with_its_content():
    html, _ = render("前\n\n<script>alert('x')</script>\n\n后 <script>steal()</script>\n")
    assert "<script" not in html.lower()
    assert "alert" not in html and "steal" not in html
    assert "前" in html and "后" in html


@pytest.mark.parametrize("text", [
    '<img src="photo.jpg" onerror="alert(1)">',
    '<a href="b.md" onclick="alert(1)">x</a>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<iframe src="https://evil.example/"></iframe>',
    '<object data="x.swf"></object>',
    '<form action="https://evil.example/"><input name="a"></form>',
])
def test_dangerous_html_is_removed(text):
    html, _ = render(text + "\n")
    lowered = html.lower()
    for bad in ("onerror", "onclick", "style=", "<iframe", "<object", "<form", "<input", "javascript:"):
        assert bad not in lowered


def test_javascript_links_are_dropped():
    html, problems = render("[点我](javascript:alert(1))\n")
    assert "javascript" not in html.lower()
    assert problems == []


def test_local_links_and_images_become_site_placeholders():
    html, problems = render("[同事](b.md#honors) ![照片](photo.jpg)\n")
    assert problems == []
    assert f'href="{SITE_SCHEME}workers/b.html#honors"' in html
    assert f'src="{SITE_SCHEME}media/workers/photo.jpg"' in html


def test_external_links_are_kept_as_written():
    text = "[外网](https://example.org/a?b=1) [邮件](mailto:a@example.org) [电话](tel:123) [锚点](#top)\n"
    html, problems = render(text)
    assert problems == []
    assert 'href="https://example.org/a?b=1"' in html
    assert 'href="mailto:a@example.org"' in html
    assert 'href="tel:123"' in html
    assert 'href="#top"' in html


def test_broken_links_are_reported_at_their_file_line():
    text = "第一段\n\n[坏链接](nope.md)\n\n![坏图](gone.png)\n"
    html, problems = render(text, first_line=10)
    assert problems == [("nope.md", 12), ("gone.png", 14)]
    assert SITE_SCHEME not in html


def test_reference_style_links_are_checked_too():
    _, problems = render("见[资料][1]。\n\n[1]: missing.pdf\n", first_line=5)
    assert problems == [("missing.pdf", 7)]


def test_raw_html_links_are_checked_and_rewritten():
    text = '文字 <a href="b.md">同事</a> <img src="nope.jpg" alt="x">\n\n<div><a href="/abs">x</a></div>\n'
    html, problems = render(text)
    assert f'href="{SITE_SCHEME}workers/b.html"' in html
    assert ("nope.jpg", 1) in problems
    assert ("/abs", 3) in problems


def test_tables_and_allowed_extras_survive():
    html, _ = render("| a | b |\n|:--|--:|\n| 1 | 2 |\n\n<mark>重点</mark>\n")
    assert "<table>" in html
    assert "<mark>重点</mark>" in html


def test_plain_text_excerpt():
    assert plain_text("<p>甲 &amp; 乙</p>\n<p>&lt;丙&gt;</p>") == "甲 & 乙 <丙>"
    long = plain_text("<p>" + "字" * 200 + "</p>", limit=10)
    assert len(long) == 10 and long.endswith("…")


def test_is_markdown_path():
    from pathlib import Path

    assert is_markdown_path(Path("a.md")) and is_markdown_path(Path("a.MARKDOWN"))
    assert not is_markdown_path(Path("a.yaml"))


def test_story_through_the_build(make_site):
    from conftest import check_site

    body = "正文<script>alert(1)</script>\n\n[外网](https://example.org/)\n"
    root = make_site({"content/workers/a.md": f"---\nname: 张三\nunit: acid\n---\n{body}"})
    result = check_site(root, write=True)
    assert result.ok
    html = (root / "site/workers/a.html").read_text(encoding="utf-8")
    assert "alert(1)" not in html
    assert 'href="https://example.org/"' in html


def _whole_excerpt(html: str, limit: int) -> str:
    """plain_text's definition, on the whole HTML."""
    text = _text_of(html)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


_HTML_PIECES = st.sampled_from(["<p>", "</p>", '<a href="x>y">', "</a>", "<", ">", "&amp;", "&nbsp;", "&quot;",
                                " ", "\n", "工人", "abc", "<br />"])


@given(st.lists(_HTML_PIECES, min_size=200, max_size=1500), st.sampled_from([5, 90]))
def test_an_excerpt_from_the_start_of_a_long_story_is_the_excerpt_of_the_whole(pieces, limit):
    html = "".join(pieces)
    assert plain_text(html, limit) == _whole_excerpt(html, limit)


def test_an_unclosed_tag_early_in_a_long_story_hides_the_text_after_it_as_in_the_whole():
    html = "AAA <x " + "工" * 300 + " <z " + "工" * 3000 + " <y> CCC"
    assert plain_text(html) == _whole_excerpt(html, 90) == "AAA CCC"
