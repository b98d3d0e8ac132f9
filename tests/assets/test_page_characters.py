"""A page's characters: what it shows, found the same way however many pages came before it."""

from __future__ import annotations

import html
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from exhibit.assets.fonts import characters_in
from exhibit.assets.sitechars import NewCharacters, shown_among

PIECES = st.sampled_from(["<p>", "</p>", "\n", "\t", "\r", "\x00", "\x7f", "\u3000", "\u200b", "&amp;", "&#20320;",
                          "&nbsp;", "\\u5de5", "\\5de5 ", "\\0 ", "工", "人", "，", "a", " ", "\u2028", "\U0002a6a5"])
PAGE = st.lists(st.one_of(PIECES, st.text(max_size=6)), max_size=30).map("".join)


def _shown(text: str) -> set[str]:
    """The definition, one character at a time: printable or the ideographic space, after entities and escapes."""
    found = set(html.unescape(text))
    found.update(chr(int(code, 16)) for code in re.findall(r"\\u([0-9a-fA-F]{4})", text))
    for code in re.findall(r"\\([0-9a-fA-F]{1,6})\s?", text):
        value = int(code, 16)
        found.add(chr(value) if 0 < value <= 0x10FFFF and not 0xD800 <= value <= 0xDFFF else " ")
    return {char for char in found if char.isprintable() or char == "\u3000"}


@settings(max_examples=300, deadline=None)
@given(st.lists(PAGE, min_size=1, max_size=6))
def test_each_page_shows_its_printable_characters_whatever_came_before(pages: list[str]) -> None:
    scan = NewCharacters()
    before: set[str] = set()
    for text in pages:
        expected = _shown(text)
        assert characters_in([text]) == expected
        assert scan.new_in(text) == "".join(sorted(expected - before))
        before |= expected
        assert shown_among(text, before | {"龘"}) == expected


def test_a_line_break_seen_on_one_page_is_not_shown_on_the_next() -> None:
    assert characters_in(["<p>工\n人</p>"]) == set("<p>工人/")
    assert characters_in(["\n\t工"]) == {"工"}
    assert characters_in(["\u3000"]) == {"\u3000"}


def test_a_scan_that_has_met_many_characters_still_reads_entities_and_escapes_whole() -> None:
    scan = NewCharacters()
    filler = "".join(chr(code) for code in range(0x4E00, 0x4E00 + 300)) + "0123456789abcdefx;&#\\<>/p\n\t"
    assert set(scan.new_in(f"<p>{filler}</p>")) == characters_in([f"<p>{filler}</p>"])
    # every digit, letter and mark of the entities and escapes below was met: the pattern removes them, not what
    # they spell
    page = "<p>&#20320;&amp;lt;\\u5de5 \\597D \n\t</p>"
    new = set(scan.new_in(page))
    assert new == characters_in([page]) - characters_in([f"<p>{filler}</p>"]) and {"你", "工", "好"} <= new
    assert scan.new_in(page) == "" and scan.new_in(f"<p>{filler}</p>") == ""
