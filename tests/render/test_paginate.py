"""Paginated listings as a visitor gets them: page links, slices, totals and "view all" links."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import SITE_YAML, check_site, paginated_content

from exhibit.render.paginate import page_numbers


@pytest.mark.parametrize(("current", "count", "expected"), [
    (1, 1, [1]),
    (1, 2, [1, 2]),
    (4, 7, [1, 2, 3, 4, 5, 6, 7]),  # a gap of one page shows that page, not an ellipsis
    (1, 10, [1, 2, 3, 0, 10]),
    (10, 10, [1, 0, 8, 9, 10]),
    (5, 10, [1, 2, 3, 4, 5, 6, 7, 0, 10]),
    (50, 100, [1, 0, 48, 49, 50, 51, 52, 0, 100]),
])
def test_page_numbers_keep_ends_and_neighbours(current, count, expected):
    assert page_numbers(current, count) == expected


class _Page(HTMLParser):
    """Links, the current page link, the pager's words and the card titles of a built page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.links: list[tuple[str, dict[str, str | None]]] = []
        self.cards: list[str] = []
        self._in_title = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a" and found.get("href"):
            self.links.append((str(found["href"]), found))
        self._in_title = tag in ("h2", "h3") and found.get("class") == "card__title"  # h2 right under a page h1

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.cards.append(data)
            self._in_title = False

    def current(self) -> list[str]:
        return [href for href, attrs in self.links if attrs.get("aria-current") == "page"
                and "pagination__page" in str(attrs.get("class"))]

    def rel(self, name: str) -> list[str]:
        return [href for href, attrs in self.links if attrs.get("rel") == name]


@pytest.fixture
def paged_site(make_site):
    root = make_site(paginated_content(workers=30, page_size=5))
    result = check_site(root, write=True)
    assert result.ok, [d.code for d in result.diagnostics.items]
    return root / "site"


def _read(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def test_collection_index_pages_show_their_slice_total_and_page_links(paged_site):
    index = _read(paged_site, "workers/index.html")
    first = _Page(index)
    assert first.cards == ["工人00", "工人01", "工人02", "工人03", "工人04"]
    assert "30 条" in index  # the total, not the page's share
    assert first.current() == ["index.html"]
    assert first.rel("next") == ["page/2.html"] and first.rel("prev") == []
    assert "…" in index  # 6 pages from page 1: 1 2 3 … 6
    third = _Page(_read(paged_site, "workers/page/3.html"))
    assert third.cards == ["工人10", "工人11", "工人12", "工人13", "工人14"]
    assert third.current() == ["3.html"]
    assert third.rel("prev") == ["2.html"] and third.rel("next") == ["4.html"]
    assert "../index.html" in [href for href, _ in third.links]  # page 1 of the pager, and the breadcrumb
    last = _read(paged_site, "workers/page/6.html")
    assert _Page(last).rel("next") == []
    assert "<title>劳模先进 · 第 6 页 · 测试站点</title>" in last
    assert not (paged_site / "workers/page/7.html").exists() and not (paged_site / "workers/page/1.html").exists()


def test_every_card_is_on_exactly_one_page(paged_site):
    names = [name for rel in ["workers/index.html", *(f"workers/page/{n}.html" for n in range(2, 7))]
             for name in _Page(_read(paged_site, rel)).cards]
    assert names == [f"工人{n:02d}" for n in range(30)]


def test_unit_page_previews_and_links_its_full_listing(paged_site):
    acid = _read(paged_site, "units/acid.html")
    page = _Page(acid)
    assert '<span class="unit-stats__number">20</span>' in acid  # the stats stay totals
    assert len([card for card in page.cards if card.startswith("工人")]) == 5
    view_all = [(href, re.sub(r"<[^>]+>", "", acid.split(f'href="{href}"', 1)[1].split("</a>", 1)[0]))
                for href, attrs in page.links if attrs.get("class") == "view-all__link"]
    assert view_all == [("acid/workers.html", ">查看全部 20 条"), ("acid/honors.html", ">查看全部 11 条")]
    listing = _read(paged_site, "units/acid/workers/page/2.html")
    crumbs = listing.split('<nav class="breadcrumb"', 1)[1].split("</nav>", 1)[0]
    assert 'href="../../../acid.html">硫酸党支部</a>' in crumbs  # back to the unit
    assert 'href="../../workers.html">劳模先进</a>' in crumbs
    assert _Page(listing).cards == ["工人08", "工人10", "工人11", "工人13", "工人14"]


def test_honors_wall_pages_keep_bands_and_level_links(paged_site):
    first = _read(paged_site, "honors/index.html")
    assert 'href="#level-national"' in first  # starts on this page
    assert 'href="page/2.html#level-plant"' in first  # starts on a later page
    assert "11 条" in first
    assert _Page(first).cards == ["荣誉08", "荣誉00", "荣誉04", "荣誉05", "荣誉07"]  # bands by level, newest first
    second = _read(paged_site, "honors/page/2.html")
    assert 'id="level-plant"' in second and 'id="level-company"' not in second  # company began on page 1
    assert 'href="../index.html#level-national"' in second
    assert '<span class="band-title__count">2</span>' in second  # the company band's total, not this page's 1
    assert "其他" in _read(paged_site, "honors/page/3.html")  # the honor without a level, last


def test_every_url_of_a_paginated_site_is_relative_and_resolves(paged_site):
    for page in sorted(paged_site.rglob("*.html")):
        for href, _ in _Page(page.read_text(encoding="utf-8")).links:
            path = unquote(urlsplit(href).path)
            assert not href.startswith("/") and "://" not in href, f"{page}: {href}"
            if path:
                assert (page.parent / path).resolve().is_file(), f"{page.relative_to(paged_site)}: {href}"


def test_pager_words_in_english(make_site):
    files = paginated_content(workers=12, page_size=5)
    files["content/site.yaml"] = files["content/site.yaml"].replace("language: zh-CN", "language: en")
    root = make_site(files)
    assert check_site(root, write=True).ok
    second = _read(root / "site", "workers/page/2.html")
    assert ">Previous</a>" in second and ">Next</a>" in second
    assert 'aria-label="Page 2"' in second and 'aria-label="Pages"' in second
    assert "<title>Model workers · Page 2 · " in second
    assert ">View all 12</a>" in _read(root / "site", "units/plant.html")  # the plant gathers every worker


def test_no_pager_when_everything_fits(make_site):
    root = make_site({"content/site.yaml": SITE_YAML, **{
        f"content/workers/w{n}.md": f"---\nname: 工人{n}\nunit: acid\n---\n" for n in range(3)}})
    assert check_site(root, write=True).ok
    site = root / "site"
    for rel in ("workers/index.html", "units/acid.html", "units/plant.html", "honors/index.html"):
        html = _read(site, rel)
        assert "pagination" not in html and "view-all" not in html, rel
    assert not (site / "workers/page").exists() and not (site / "units/acid").exists()
