"""The bundled sample, built and opened from disk (file://) in a real Chromium.

These tests assert what a visitor sees, not markup: the stylesheet applies, the
Chinese title is visible and drawn with a real CJK font, nothing is fetched from
anywhere but the site folder, every navigation link opens a page, and phones get
no sideways scrolling. The theme is free to change its HTML and CSS.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import pytest
import yaml
from conftest import REPO, made_once, paginated_content, run_cli, write_files
from PIL import Image

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
CJK_FONT = re.compile(r"CJK|Source Han|WenQuanYi|Droid Sans Fallback|AR PL|"
                      r"Noto (Sans|Serif) (SC|TC|HK|JP|KR)|PingFang|YaHei|SimSun|SimHei|Hiragino", re.I)


def _build_paginated(root: Path) -> None:
    write_files(root, paginated_content(workers=30, page_size=5))
    for part in ("templates", "assets"):
        shutil.copytree(REPO / part, root / part)
    result = run_cli(root)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def paginated_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site whose listings span pages (30 workers, 5 a page), built by the CLI once per run; returns site/."""
    return made_once(tmp_path_factory, "paginated", _build_paginated) / "site"


@pytest.fixture(params=["sample_site", "paginated_site"])
def any_site(request: pytest.FixtureRequest) -> Path:
    """The bundled sample, then the paginated site: tests of every page run on both."""
    return request.getfixturevalue(request.param)


@pytest.fixture(scope="module")
def site_title() -> str:
    return yaml.safe_load((REPO / "content" / "site.yaml").read_text(encoding="utf-8"))["title"]


class Watch:
    """Everything a page asked the network for, and everything it complained about."""

    def __init__(self, page: object) -> None:
        self.requests: list[str] = []
        self.failed: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("requestfailed", lambda request: self.failed.append(f"{request.url} ({request.failure})"))
        page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def assert_clean(self) -> None:
        foreign = [url for url in self.requests if urlsplit(url).scheme != "file"]
        assert not foreign, f"requests outside the site folder: {foreign}"
        assert not self.failed, f"requests that failed: {self.failed}"
        assert not self.errors, f"console errors: {self.errors}"


def file_path(url: str) -> Path:
    """The file a file:// URL names (without query or fragment)."""
    parts = urlsplit(url)
    assert parts.scheme == "file", url
    return Path(url2pathname(unquote(parts.path)))


def inside(site: Path, url: str) -> Path:
    """The existing file inside site/ that a file:// URL opens; fails otherwise."""
    path = file_path(url)
    if path.is_dir():
        path = path / "index.html"
    assert path.resolve().is_relative_to(site.resolve()), f"{url} leaves the site folder"
    assert path.is_file(), f"{url} opens no file"
    return path


NAV_LINKS = "nav a[href]:not([href^='#'])"


def nav_targets(page: object) -> list[str]:
    """Resolved URLs of every link inside <nav> elements, except same-page #fragments."""
    return page.eval_on_selector_all(NAV_LINKS, "links => links.map(a => a.href)")


def html_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


# --- the home page from disk -----------------------------------------------------------------


def test_home_page_styled_offline_and_clean(page: object, sample_site: Path, site_title: str) -> None:
    watch = Watch(page)
    response = page.goto((sample_site / "index.html").as_uri(), wait_until="load")
    assert response is None or response.ok
    page.wait_for_load_state("networkidle")

    # Every stylesheet the page links has loaded, and it changed what the page looks like.
    sheets = page.eval_on_selector_all("link[rel~=stylesheet]", "links => links.map(l => [l.href, !!l.sheet])")
    assert sheets, "the home page links no stylesheet"
    assert all(loaded for _, loaded in sheets), f"stylesheets that did not load: {sheets}"
    styled = page.evaluate("""() => {
        const body = getComputedStyle(document.body);
        const header = document.querySelector('header');
        const head = header ? getComputedStyle(header) : null;
        return {
            body: body.backgroundColor,
            font: body.fontFamily,
            header: head ? [head.backgroundColor, head.backgroundImage, head.color] : null,
        };
    }""")
    assert styled["body"] not in ("rgba(0, 0, 0, 0)", "transparent"), f"body has no background: {styled}"
    assert styled["font"].strip('"') not in ("Times New Roman", "serif"), f"body font is the default: {styled}"
    assert styled["header"] is not None, "the page has no <header>"
    header_bg, header_image, _ = styled["header"]
    assert header_bg != "rgba(0, 0, 0, 0)" or header_image != "none", f"header is unstyled: {styled}"

    # The Chinese site title is on screen.
    title = page.get_by_text(site_title, exact=True).first
    assert title.is_visible(), f"site title {site_title!r} is not visible"
    box = title.bounding_box()
    assert box and box["width"] > 50 and box["height"] > 10, box

    watch.assert_clean()


def test_title_drawn_with_a_cjk_font(page: object, sample_site: Path, site_title: str) -> None:
    page.goto((sample_site / "index.html").as_uri(), wait_until="load")
    page.evaluate("() => document.fonts.ready")
    page.get_by_text(site_title, exact=True).first.evaluate("el => el.setAttribute('data-test-title', '')")

    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    document = cdp.send("DOM.getDocument", {"depth": -1})
    node = cdp.send("DOM.querySelector", {"nodeId": document["root"]["nodeId"], "selector": "[data-test-title]"})
    assert node["nodeId"], "the title element was not found through CDP"
    nodes = [node["nodeId"], *cdp.send("DOM.querySelectorAll", {"nodeId": node["nodeId"], "selector": "*"})["nodeIds"]]
    glyphs: dict[str, int] = {}
    for node_id in nodes:
        for font in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node_id})["fonts"]:
            glyphs[font["familyName"]] = glyphs.get(font["familyName"], 0) + font["glyphCount"]
    cjk_glyphs = sum(count for family, count in glyphs.items() if CJK_FONT.search(family))
    han = len(HAN.findall(site_title))
    assert han, "the sample title has no Chinese characters to test with"
    assert cjk_glyphs >= han, (f"{han} Chinese characters but only {cjk_glyphs} glyphs from a CJK font; "
                               f"fonts used: {glyphs} (install fonts-noto-cjk)")


def test_cjk_text_is_not_tofu(page: object, sample_site: Path) -> None:
    """Independent of font names: distinct Chinese characters drawn with a real font have
    distinct shapes, unlike missing-glyph boxes, which are all identical."""
    page.goto((sample_site / "index.html").as_uri(), wait_until="load")
    widths = page.evaluate("""() => {
        const canvas = document.createElement('canvas');
        const ctx = canvas.getContext('2d');
        ctx.font = '40px ' + getComputedStyle(document.body).fontFamily;
        const pixels = ch => {
            ctx.clearRect(0, 0, 60, 60);
            ctx.fillText(ch, 5, 45);
            const data = ctx.getImageData(0, 0, 60, 60).data;
            let sum = '';
            for (let i = 3; i < data.length; i += 16) sum += data[i] > 127 ? '1' : '0';
            return sum;
        };
        canvas.width = canvas.height = 60;
        return ['冶', '炼', '厂', '党', '\\u{10FFFD}'].map(pixels);
    }""")
    *han, tofu = widths
    assert len(set(han)) == len(han), "different Chinese characters render identically: missing CJK font (tofu)"
    assert all(shape != tofu for shape in han), "Chinese characters render as the missing-glyph box"


def test_home_screenshot_is_not_blank(page: object, sample_site: Path, tmp_path: Path) -> None:
    page.goto((sample_site / "index.html").as_uri(), wait_until="load")
    page.wait_for_load_state("networkidle")
    shot = tmp_path / "home.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with Image.open(shot) as image:
        image.verify()
    with Image.open(shot) as image:
        assert image.format == "PNG"
        assert image.width >= 1280 and image.height >= 600, image.size
        colours = image.convert("RGB").getcolors(maxcolors=1 << 24)
    assert colours is not None and len(colours) > 64, f"only {len(colours or [])} colours: a blank page?"
    dominant = max(count for count, _ in colours) / (image.width * image.height)
    assert dominant < 0.95, f"one colour covers {dominant:.0%} of the page"


# --- navigation from disk ---------------------------------------------------------------------


def test_every_nav_link_opens_a_page(page: object, sample_site: Path, site_title: str) -> None:
    watch = Watch(page)
    home = (sample_site / "index.html").as_uri()
    page.goto(home, wait_until="load")
    targets = nav_targets(page)
    assert len(targets) >= 5, f"the home page has few navigation links: {targets}"
    nested = next((t for t in targets if file_path(t).parent.resolve() != sample_site.resolve()), None)
    assert nested, "no navigation link leads into a section folder"

    for start in (home, nested):
        page.goto(start, wait_until="load")
        count = len(nav_targets(page))
        for index in range(count):
            page.goto(start, wait_until="load")
            link = page.locator(NAV_LINKS).nth(index)
            expected = link.evaluate("a => a.href")
            link.click()
            page.wait_for_load_state("load")
            assert page.url.split("#")[0] == expected.split("#")[0], f"{expected} from {start} opened {page.url}"
            opened = inside(sample_site, page.url)
            assert opened.suffix == ".html", opened
            assert page.title().strip(), f"{page.url} has no <title>"
            assert page.get_by_text(site_title, exact=True).first.is_visible(), f"{page.url} lost the site header"
            # The page we arrived on links only to pages that exist.
            for target in nav_targets(page):
                inside(sample_site, target)
    watch.assert_clean()


def test_every_page_loads_cleanly_from_disk(page: object, any_site: Path) -> None:
    """All pages, not only the home page: no foreign request, no broken image, no console error."""
    sample_site = any_site
    watch = Watch(page)
    for rel in html_pages(sample_site):
        page.goto((sample_site / rel).as_uri(), wait_until="load")
        images = page.eval_on_selector_all("img[src]", "imgs => imgs.map(i => [i.src, i.complete, i.naturalWidth])")
        broken = [src for src, complete, width in images if complete and width == 0]
        assert not broken, f"{rel}: images that did not load: {broken}"
        links = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
        for target in links + [src for src, _, _ in images]:
            if urlsplit(target).scheme == "file":
                inside(sample_site, target)
    watch.assert_clean()


# --- paginated listings ------------------------------------------------------------------------


def test_next_links_walk_through_every_worker_once(page: object, paginated_site: Path) -> None:
    """A visitor following "下一页" from the index sees each worker once, with the page marked in the pager."""
    watch = Watch(page)
    page.goto((paginated_site / "workers/index.html").as_uri(), wait_until="load")
    seen: list[str] = []
    current: list[str] = []
    while True:
        seen += page.eval_on_selector_all(".card__title", "titles => titles.map(t => t.textContent.trim())")
        current.append(page.text_content(".pagination [aria-current=page]") or "")
        assert "30 条" in (page.text_content(".page-header__count") or "")
        following = page.query_selector(".pagination a[rel=next]")
        if following is None:
            break
        following.click()
        page.wait_for_load_state("load")
    assert seen == [f"工人{n:02d}" for n in range(30)]
    assert current == ["1", "2", "3", "4", "5", "6"]
    # Back to page 1 through the numbered link, and from a unit to its full listing.
    page.click(".pagination__page >> text='1'")
    page.wait_for_load_state("load")
    assert inside(paginated_site, page.url) == paginated_site / "workers/index.html"
    page.goto((paginated_site / "units/acid.html").as_uri(), wait_until="load")
    page.click("section.section--workers .view-all__link")
    page.wait_for_load_state("load")
    assert inside(paginated_site, page.url) == paginated_site / "units/acid/workers.html"
    assert page.text_content("h1") == "硫酸党支部 · 劳模先进"
    watch.assert_clean()


# --- phones ------------------------------------------------------------------------------------


@pytest.fixture
def phone(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport=PHONE, device_scale_factor=3, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


def test_no_horizontal_overflow_on_a_phone(phone: object, any_site: Path) -> None:
    sample_site = any_site
    overflowing = []
    for rel in html_pages(sample_site):
        phone.goto((sample_site / rel).as_uri(), wait_until="load")
        sizes = phone.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]")
        scroll_width, inner_width = sizes
        # With is_mobile a too-wide page zooms out and widens innerWidth, so also hold it to the phone's width.
        if scroll_width > inner_width or scroll_width > PHONE["width"]:
            widest = phone.evaluate("""limit => {
                let worst = null;
                for (const el of document.querySelectorAll('body *')) {
                    const right = Math.round(el.getBoundingClientRect().right);
                    if (right > limit && (!worst || right > worst[1]))
                        worst = [el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''), right];
                }
                return worst;
            }""", PHONE["width"])
            overflowing.append(f"{rel}: scrollWidth {scroll_width}, innerWidth {inner_width} (widest: {widest})")
    assert not overflowing, "pages scroll sideways on a 390px phone:\n" + "\n".join(overflowing)
