"""The CJK font: found or named, subset to exactly the site's characters, WOFF2 under a hashed name."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import REPO, SITE_YAML, WORKER_MD, check_site, run_cli
from fontTools.ttLib import TTFont

from exhibit.assets.fonts import ALWAYS_INCLUDED, is_cjk
from exhibit.assets.fontsource import fontconfig_cjk_font

# These tests are about cutting the font: each site cuts its own, from an empty cache.
pytestmark = pytest.mark.own_font_cache

NOT_ON_ANY_PAGE = "龘"  # U+9F98: in Noto Sans CJK, and in no page below
SUBSET_LIMIT = 500 * 1024


@pytest.fixture(scope="module")
def system_cjk_font():
    """The installed CJK font the build will find (Debian: fonts-noto-cjk)."""
    from conftest import missing_tool

    font = fontconfig_cjk_font()
    if font is None:
        missing_tool("a CJK font", "sudo apt-get install fonts-noto-cjk")
    return font


class _VisibleText(HTMLParser):
    """Text nodes and the attributes a browser (or the theme's JS, from data-*) shows: what the font must cover."""

    SHOWN = ("alt", "title", "aria-label", "placeholder", "value", "content")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.parts.extend(value for name, value in attrs if value and (name in self.SHOWN or name.startswith("data-")))


def _page_text(site: Path) -> str:
    parser = _VisibleText()
    for page in sorted(site.rglob("*.html")):
        parser.feed(page.read_text(encoding="utf-8"))
    return "".join(parser.parts)


def _subset(site: Path) -> tuple[Path, TTFont]:
    fonts = sorted((site / "assets/fonts").glob("*.woff2"))
    assert len(fonts) == 1, fonts
    return fonts[0], TTFont(io.BytesIO(fonts[0].read_bytes()))


def _cmap(font: TTFont) -> set[str]:
    return {chr(code) for code in font.getBestCmap()}


def _stylesheet(site: Path) -> str:
    sheets = sorted((site / "assets/css").glob("site.*.css"))
    assert len(sheets) == 1, sheets
    return sheets[0].read_text(encoding="utf-8")


def test_subset_holds_exactly_the_characters_of_the_pages(make_site, system_cjk_font):
    root = make_site({"content/workers/邵志村.md": WORKER_MD})
    run = run_cli(root)
    assert run.returncode == 0, run.stderr
    site = root / "site"
    path, font = _subset(site)
    covered = _cmap(font)
    shown = {char for char in _page_text(site) if is_cjk(char)}
    assert {"邵", "志", "村", "堰", "烧", "穿"} <= shown
    assert shown <= covered  # every character a page shows
    extra = {char for char in covered if is_cjk(char)} - shown - set(ALWAYS_INCLUDED)
    theme_text = "".join(p.read_text(encoding="utf-8") for p in (REPO / "assets").rglob("*.*"))
    theme_text += "".join(chr(int(code, 16)) for code in re.findall(r"\\u([0-9a-fA-F]{4})", theme_text))
    assert extra <= set(theme_text)  # ...and nothing else but what CSS and JS show (the lightbox's 关闭)
    assert NOT_ON_ANY_PAGE not in covered
    assert {chr(code) for code in range(0x20, 0x7F)} <= covered  # ASCII for numbers and Latin words
    assert path.stat().st_size < SUBSET_LIMIT
    assert re.fullmatch(r"noto-sans-cjk-sc\.[0-9a-f]{10}\.woff2", path.name), path.name
    assert font.flavor == "woff2"
    assert font["name"].getBestFamilyName() == system_cjk_font.family
    css = _stylesheet(site)
    assert '@font-face {\n  font-family: "Exhibit CJK";' in css
    assert f'src: url("../fonts/{path.name}") format("woff2")' in css
    assert re.search(r'--font: "Exhibit CJK", ', css)
    assert f"字体子集“{system_cjk_font.family}”" in run.stdout


def test_adding_a_character_adds_it_to_the_subset(make_site, system_cjk_font):
    root = make_site({"content/workers/邵志村.md": WORKER_MD})
    assert run_cli(root).returncode == 0
    first_font, font = _subset(root / "site")
    assert NOT_ON_ANY_PAGE not in _cmap(font)
    first_css = _stylesheet(root / "site")
    story = root / "content/workers/邵志村.md"
    story.write_text(story.read_text(encoding="utf-8") + f"\n他的外号叫“{NOT_ON_ANY_PAGE}”。\n", encoding="utf-8")
    assert run_cli(root).returncode == 0
    second_font, font = _subset(root / "site")
    assert NOT_ON_ANY_PAGE in _cmap(font)
    assert second_font.name != first_font.name  # a new name: caches cannot serve the old subset
    assert _stylesheet(root / "site") != first_css
    page = (root / "site/workers/shao-zhi-cun.html").read_text(encoding="utf-8")
    sheet = re.search(r'href="\.\./assets/css/(site\.[0-9a-f]{10}\.css)"', page)
    assert sheet and (root / "site/assets/css" / sheet.group(1)).read_text(encoding="utf-8").count(second_font.name)


def _run_without_fonts(root: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """fontconfig pointed at a configuration with no font folders: a machine without fonts."""
    config = tmp_path / "fonts.conf"
    config.write_text('<?xml version="1.0"?>\n<fontconfig><cachedir>' + str(tmp_path / "fc-cache")
                      + "</cachedir></fontconfig>\n", encoding="utf-8")
    env = {**os.environ, "FONTCONFIG_FILE": str(config), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(root)], capture_output=True,
                          text=True, timeout=120, env=env)


def test_no_font_found_warns_how_to_configure_and_falls_back_to_system_fonts(make_site, tmp_path, system_cjk_font):
    if shutil.which("fc-match") is None:
        pytest.skip("without fontconfig there is nothing to point at an empty configuration")
    root = make_site({"content/workers/邵志村.md": WORKER_MD})
    run = _run_without_fonts(root, tmp_path)
    assert run.returncode == 0, run.stderr
    assert "warning: 没有找到中文字体" in run.stderr
    assert "font:" in run.stderr and "fonts-noto-cjk" in run.stderr  # how to configure one
    assert not (root / "site/assets/fonts").exists()
    css = _stylesheet(root / "site")
    assert not re.search(r"@font-face\s*{", css) and "exhibit:font-face" not in css
    assert '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei"' in css


def _with_font_setting(setting: str) -> dict[str, str]:
    return {"content/site.yaml": SITE_YAML.replace("language: zh-CN\n", f"language: zh-CN\n{setting}"),
            "content/workers/邵志村.md": WORKER_MD}


def test_site_yaml_names_a_font_collection_and_its_face(make_site, system_cjk_font):
    if system_cjk_font.path.suffix.lower() != ".ttc":
        pytest.skip("the installed CJK font is not a collection")
    root = make_site(_with_font_setting("font:\n  file: fonts/cjk.ttc\n  index: 3\n"))
    (root / "content/fonts").mkdir()
    shutil.copyfile(system_cjk_font.path, root / "content/fonts/cjk.ttc")  # a link out of the site is refused
    result = check_site(root, write=True)
    assert result.ok, [d.message("en") for d in result.diagnostics.items]
    _, font = _subset(root / "site")
    named = font["name"].getBestFamilyName()
    assert named == result.assets.font.family and named.endswith(" TC")  # face 3 of Noto Sans CJK is TC
    # without an index, the Simplified Chinese face of the collection is chosen
    (root / "content/site.yaml").write_text(SITE_YAML.replace("language: zh-CN\n", "language: zh-CN\nfont: "
                                                              "fonts/cjk.ttc\n"), encoding="utf-8")
    result = check_site(root, write=True)
    assert result.ok and result.assets.font.family.endswith(" SC"), result.assets.font


def test_a_woff2_font_named_in_site_yaml_is_cut_too(make_site, system_cjk_font):
    """HarfBuzz cuts .ttf/.otf/.ttc fonts; a web font (WOFF2) is cut by fontTools, to the same characters."""
    from fontTools import subset

    root = make_site({"content/workers/邵志村.md": WORKER_MD})
    assert run_cli(root).returncode == 0
    shown = {char for char in _page_text(root / "site") if is_cjk(char)}
    options = subset.Options()
    options.flavor = "woff2"
    options.font_number = system_cjk_font.index
    web_font = subset.load_font(str(system_cjk_font.path), options)
    cutter = subset.Subsetter(options)
    cutter.populate(text="".join(shown) + NOT_ON_ANY_PAGE + "".join(chr(code) for code in range(0x20, 0x7F)))
    cutter.subset(web_font)
    (root / "content/fonts").mkdir()
    subset.save_font(web_font, str(root / "content/fonts/web.woff2"), options)
    (root / "content/site.yaml").write_text(SITE_YAML.replace("language: zh-CN\n", "language: zh-CN\nfont: "
                                                              "fonts/web.woff2\n"), encoding="utf-8")
    run = run_cli(root)
    assert run.returncode == 0, run.stderr
    _, font = _subset(root / "site")
    assert shown <= _cmap(font)
    assert NOT_ON_ANY_PAGE not in _cmap(font)
    assert font.flavor == "woff2"


def test_site_yaml_names_an_installed_family(make_site, system_cjk_font):
    serif = "Noto Serif CJK SC"
    listed = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True).stdout
    if serif not in listed:
        pytest.skip(f"{serif} is not installed")
    root = make_site(_with_font_setting(f"font: {serif}\n"))
    result = check_site(root, write=True)
    assert result.ok and result.assets.font.family == serif


@pytest.mark.parametrize(("setting", "line", "words"), [
    ("font: fonts/不存在.otf\n", 3, "找不到字体文件“fonts/不存在.otf”"),
    ("font: Nonexistent Sans CJK\n", 3, "没有安装字体“Nonexistent Sans CJK”"),
    ("font:\n  file: fonts/cjk.ttc\n  index: 42\n", 3, "没有第 42 号字体"),
    ("font: fonts/not-a-font.ttf\n", 3, "不是可用的字体文件"),
])
def test_a_wrong_font_setting_is_an_error_at_its_line(make_site, system_cjk_font, setting, line, words):
    root = make_site(_with_font_setting(setting))
    (root / "content/fonts").mkdir()
    shutil.copyfile(system_cjk_font.path, root / "content/fonts/cjk.ttc")  # a link out of the site is refused
    (root / "content/fonts/not-a-font.ttf").write_text("字体", encoding="utf-8")
    run = run_cli(root)
    assert run.returncode == 1
    assert f"content/site.yaml:{line}:1: error:" in run.stderr and words in run.stderr, run.stderr
    assert not (root / "site").exists()


def test_font_false_means_system_fonts_without_a_warning(make_site, system_cjk_font):
    root = make_site(_with_font_setting("font: false\n"))
    run = run_cli(root)
    assert run.returncode == 0 and "warning" not in run.stderr, run.stderr
    assert not (root / "site/assets/fonts").exists()
    assert not re.search(r"@font-face\s*{", _stylesheet(root / "site"))


def test_characters_the_font_lacks_are_named_in_a_warning(make_site, system_cjk_font):
    rare = "\U00030000"  # CJK Extension G: beyond Noto Sans CJK
    worker = WORKER_MD.replace("外堰出口", f"外堰{rare}出口")
    root = make_site({"content/workers/邵志村.md": worker})
    run = run_cli(root)
    assert run.returncode == 0
    assert "warning: 字体“Noto Sans CJK SC”缺少页面用到的 1 个字符：" + rare in run.stderr, run.stderr
