"""In a real Chromium: Chinese text is drawn with the site's subset font, fetched from the site alone.

`document.fonts` must hold the loaded "Exhibit CJK" face, and the DevTools protocol
(CSS.getPlatformFontsForNode) must name that web font, not an installed system
font, for every glyph of a story paragraph.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import WORKER_MD, copy_sample, run_cli
from kiosk_support import platform_fonts
from PIL import Image

pytestmark = [pytest.mark.browser, pytest.mark.nginx]

STORY = "外堰出口烧穿后，他第一个冲到现场。"


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory, sample_site: Path) -> Path:
    """The sample plus a worker with a photo, built by the CLI with the installed CJK font.

    Started from a copy of the built sample: its photos come from the asset cache, the font is cut anew.
    """
    root = copy_sample(sample_site, tmp_path_factory.mktemp("fonts-browser") / "root")
    worker = WORKER_MD.replace("since: 2008\n", "since: 2008\nphoto: zi-ce-shi.jpg\n")
    (root / "content/workers/zi-ce-shi.md").write_text(worker.replace("name: 邵志村", "name: 字测试"), encoding="utf-8")
    Image.new("RGB", (1600, 1200), "#b71c1c").save(root / "content/workers/zi-ce-shi.jpg")
    run = run_cli(root)
    assert run.returncode == 0, run.stderr
    assert "字体子集" in run.stdout, "no CJK font was found to subset (Debian: fonts-noto-cjk)"
    return root / "site"


def _open(page: object, url: str) -> list[str]:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready.then(() => true)")
    return requests


def _assert_subset_font_draws(page: object, selector: str, text: str) -> None:
    faces = page.evaluate("[...document.fonts].map(f => [f.family, f.status])")
    assert ['"Exhibit CJK"', "loaded"] in faces or ["Exhibit CJK", "loaded"] in faces, faces
    assert page.evaluate("text => document.fonts.check('16px \"Exhibit CJK\"', text)", text)
    fonts = platform_fonts(page, selector)
    assert fonts, selector
    custom = [font for font in fonts if font["isCustomFont"]]
    system = [font for font in fonts if not font["isCustomFont"]]
    assert custom and custom[0]["familyName"].startswith("Noto Sans CJK"), fonts
    assert not system, f"glyphs drawn with installed fonts: {system}"
    assert sum(font["glyphCount"] for font in custom) >= len(text), fonts


def test_item_page_draws_chinese_with_the_subset_font_and_fetches_only_the_site(built_site, nginx, page):
    base = nginx(built_site, "/exhibit/")
    requests = _open(page, base + "workers/zi-ce-shi.html")
    assert page.inner_text(".entry__body p").strip() == STORY
    _assert_subset_font_draws(page, ".entry__body p", STORY)
    outside = [url for url in requests if not url.startswith(base)]
    assert not outside, outside
    fetched = {re.sub(r"^.*/", "", url) for url in requests}
    assert any(name.endswith(".woff2") for name in fetched), fetched
    assert any(re.fullmatch(r"zi-ce-shi-\d+w\.[0-9a-f]{10}\.webp", name) for name in fetched), fetched
    assert not any(name == "zi-ce-shi.jpg" for name in fetched)  # the original photo is not published


def test_a_kiosk_slide_draws_chinese_with_the_subset_font(built_site, nginx, page):
    screens = sorted((built_site / "screens").glob("*/index.html")) if (built_site / "screens").is_dir() else []
    if not screens:
        pytest.skip("kiosk screens (issue 3) are not on this branch yet; the item page test covers the font")
    base = nginx(built_site, "/exhibit/")
    requests = _open(page, base + screens[0].relative_to(built_site).as_posix())
    han = page.evaluate(r"""() => {
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const box = node.parentElement.getBoundingClientRect();
            if (/[\u4e00-\u9fff]/.test(node.textContent) && box.width > 0 && box.height > 0) {
                node.parentElement.setAttribute('data-font-probe', '');
                return node.textContent.trim();
            }
        }
        return null;
    }""")
    assert han, "no visible Chinese text on the slide"
    _assert_subset_font_draws(page, "[data-font-probe]", han)
    assert all(url.startswith(base) for url in requests), requests
