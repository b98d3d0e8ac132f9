"""Templates and the renderer: relative URLs only, escaping, labels, and template errors at their line."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import WORKER_MD, check_site, found, make_image, tree_bytes

from exhibit.render.templates import relative_url, resolve_placeholders

URL_ATTRIBUTES = ("href", "src", "poster", "srcset", "action", "data")
EXTERNAL = "https://example.org/report?id=7"

RICH_SITE = {
    "content/workers/邵志村.md": WORKER_MD.replace("since: 2008\n", "since: 2008\nphoto: 邵志村.jpg\n") + (
        f"\n详见[突击队](../teams/tu-ji-dui.md#members)、[外部报道]({EXTERNAL})、[荣誉墙](../honors.yaml)。\n\n"
        "![现场](photos/现场 1.jpg)\n"),
    "content/teams/tu-ji-dui.md": "---\nname: 熔炼党员突击队\nunit: smelting\nleader: 邵志村\n"
                                  "photo: /teams/team.png\n---\n队长是[邵志村](../workers/邵志村.md)。\n",
    "content/honors.yaml": "- title: 全国劳动模范\n  date: 2020-04\n  recipient: 邵志村\n  level: national\n"
                           "  image: media/cert.jpg\n",
    "content/history.yaml": "- title: 投产\n  date: 2008\n",
    "content/activities/day.md": "---\ntitle: 主题党日\nunit: acid\ndate: 2024-05-01\nphotos: [a.jpg, b.jpg]\n"
                                 "display_from: 2024-05\ndisplay_until: 2024-06\n---\n活动。\n",
    "content/philosophy/idea.md": "---\ntitle: 支部理念\nslogan: 一切工作到支部\nunit: plant\n---\n",
}


def _rich_site(make_site, **files):
    root = make_site({**RICH_SITE, **files})
    make_image(root / "content/workers/邵志村.jpg")
    make_image(root / "content/workers/photos/现场 1.jpg")
    make_image(root / "content/teams/team.png", fmt="PNG")
    make_image(root / "content/honors/../media/cert.jpg")
    make_image(root / "content/activities/a.jpg")
    make_image(root / "content/activities/b.jpg")
    return root


class _Urls(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in URL_ATTRIBUTES and value is not None:
                if name == "srcset":
                    self.urls += [part.split()[0] for part in value.split(",") if part.strip()]
                else:
                    self.urls.append(value)


def _urls(html: str) -> list[str]:
    parser = _Urls()
    parser.feed(html)
    return parser.urls


def _html(root: Path, page: str) -> str:
    return (root / "site" / page).read_text(encoding="utf-8")


# --- relative URLs --------------------------------------------------------------------------

def test_every_url_in_the_built_site_is_relative_and_resolves(make_site):
    root = _rich_site(make_site)
    result = check_site(root, write=True)
    assert result.ok, [d.code for d in result.diagnostics.items]
    site = root / "site"
    pages = sorted(site.rglob("*.html"))
    assert len(pages) == result.pages
    externals = []
    for page in pages:
        for url in _urls(page.read_text(encoding="utf-8")):
            assert not url.startswith("/"), f"{page.relative_to(site)}: {url}"
            assert "exhibit:" not in url
            if re.match(r"^[a-z][a-z0-9+.-]*:", url, re.I):
                assert url == EXTERNAL, f"{page.relative_to(site)}: {url}"
                externals.append(page.relative_to(site).as_posix())
                continue
            path = unquote(urlsplit(url).path)
            if not path:
                continue  # "#main"
            target = (page.parent / path).resolve()
            assert target.is_relative_to(site.resolve()), f"{page.relative_to(site)}: {url}"
            assert target.is_file(), f"{page.relative_to(site)}: {url} -> missing"
    assert externals == ["workers/shao-zhi-cun.html"]


def test_story_links_are_relative_to_the_page_that_shows_them(make_site):
    root = _rich_site(make_site)
    assert check_site(root, write=True).ok
    worker = _html(root, "workers/shao-zhi-cun.html")
    assert 'href="../teams/tu-ji-dui.html#members"' in worker
    assert 'href="../honors/index.html"' in worker
    # the story photo is shown through its rendition; CSS under its content-hashed name
    assert re.search(r'src="\.\./media/workers/photos/%E7%8E%B0%E5%9C%BA-1-64w\.[0-9a-f]{10}\.jpg"', worker)
    assert re.search(r'href="\.\./assets/css/site\.[0-9a-f]{10}\.css"', worker)
    home = _html(root, "index.html")
    assert re.search(r'href="assets/css/site\.[0-9a-f]{10}\.css"', home)
    assert 'href="workers/index.html"' in home


@pytest.mark.parametrize(("page", "target", "expected"), [
    ("index.html", "workers/a.html", "workers/a.html"),
    ("workers/a.html", "workers/b.html", "b.html"),
    ("workers/a.html", "index.html", "../index.html"),
    ("units/x.html", "media/workers/邵志村.jpg", "../media/workers/%E9%82%B5%E5%BF%97%E6%9D%91.jpg"),
    ("workers/a.html", "assets/css/site.css", "../assets/css/site.css"),
    ("a/b/c.html", "a/d/e.html", "../d/e.html"),
])
def test_relative_url(page, target, expected):
    assert relative_url(page, target) == expected


def test_placeholders_are_resolved_per_page():
    html = '<a href="exhibit:/workers/b.html#x">b</a><img src=\'exhibit:/media/p.jpg\'>'
    assert resolve_placeholders(html, "teams/t.html") == (
        '<a href="../workers/b.html#x">b</a><img src=\'../media/p.jpg\'>')
    assert resolve_placeholders(html, "index.html") == '<a href="workers/b.html#x">b</a><img src=\'media/p.jpg\'>'


def test_file_names_with_url_characters_still_resolve(make_site):
    root = make_site({"content/workers/a.md": "---\nname: 张三\nunit: acid\nphoto: '活动#1 100%.jpg'\n---\n"})
    make_image(root / "content/workers/活动#1 100%.jpg")
    assert check_site(root, write=True).ok
    html = _html(root, "workers/a.html")
    sources = [url for url in _urls(html) if "media/" in url]  # the renditions in src and srcset
    assert sources
    for src in sources:
        assert (root / "site/workers" / unquote(urlsplit(src).path)).resolve().is_file(), src


# --- escaping and safety --------------------------------------------------------------------

def test_names_are_escaped_everywhere(make_site):
    evil = "<script>alert(1)</script>"
    root = make_site({
        "content/workers/a.md": f"---\nname: '{evil}'\nunit: acid\nquote: '\"><img src=x onerror=alert(2)>'\n---\n",
    })
    assert check_site(root, write=True).ok
    for page in ("workers/a.html", "workers/index.html", "units/acid.html", "units/plant.html"):
        html = _html(root, page)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, page
        assert "<script>alert" not in html, page
    worker = _html(root, "workers/a.html")
    assert "onerror=alert(2)>" not in worker
    assert "&lt;img src=x onerror=alert(2)&gt;" in worker


def test_raw_script_in_the_story_is_removed(make_site):
    body = "正文开始。\n\n<script>document.write('x')</script>\n\n<p onclick=\"steal()\">段落</p>\n"
    root = make_site({"content/workers/a.md": f"---\nname: 张三\nunit: acid\n---\n{body}"})
    assert check_site(root, write=True).ok
    html = _html(root, "workers/a.html")
    assert "document.write" not in html
    assert "steal()" not in html
    assert "正文开始。" in html and "段落" in html
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert len(scripts) == 1 and re.fullmatch(r'<script src="\.\./assets/js/site\.[0-9a-f]{10}\.js" defer>',
                                              scripts[0])  # only the theme's own


# --- languages --------------------------------------------------------------------------------

def test_english_labels_with_lang_en(make_site):
    root = _rich_site(make_site)
    assert check_site(root, lang="en", write=True).ok
    home = _html(root, "index.html")
    assert '<html lang="en">' in home
    for word in ("Model workers", "Party-member teams", "Honors", "Organisation", "Latest activities"):
        assert word in home
    assert "劳模先进" not in home
    worker = _html(root, "workers/shao-zhi-cun.html")
    assert "Back to the list" in worker
    honor = _html(root, "honors/quan-guo-lao-dong-mo-fan.html")
    assert "April 2020" in honor
    assert "National" in honor


def test_chinese_labels_by_default(make_site):
    root = _rich_site(make_site)
    assert check_site(root, write=True).ok
    home = _html(root, "index.html")
    assert '<html lang="zh-CN">' in home
    assert "劳模先进" in home and "Model workers" not in home
    assert "2020年4月" in _html(root, "honors/quan-guo-lao-dong-mo-fan.html")


def test_lang_en_through_the_cli(make_site, cli):
    root = make_site({"content/workers/邵志村.md": WORKER_MD})
    run = cli(root, "--lang", "en")
    assert run.code == 0
    assert "Model workers" in _html(root, "index.html")


# --- template errors --------------------------------------------------------------------------

def _break_template(root: Path, name: str, marker: str, insert: str) -> int:
    """Insert a line after the line holding `marker`; return the new line's number."""
    path = root / "templates" / name
    lines = path.read_text(encoding="utf-8").split("\n")
    index = next(i for i, line in enumerate(lines) if marker in line)
    lines.insert(index + 1, insert)
    path.write_text("\n".join(lines), encoding="utf-8")
    return index + 2


@pytest.mark.parametrize(("insert", "code"), [
    ("{{ item.nope }}", "template_failed"),
    ("{{ item.name ) }}", "template_syntax"),
    ("{{ item.name | nosuchfilter }}", "template_syntax"),
    ("{{ 1 // 0 }}", "template_failed"),
])
def test_template_error_reports_its_line_and_writes_nothing(make_site, cli, insert, code):
    root = make_site({"content/workers/邵志村.md": WORKER_MD})
    line_number = _break_template(root, "workers/item.html", "block fields", insert)
    result = check_site(root, write=True)
    assert not result.ok
    (problem,) = result.diagnostics.errors
    assert problem.code == code
    assert (problem.path, problem.line) == ("templates/workers/item.html", line_number)
    assert not (root / "site").exists()

    run = cli(root)
    assert run.code == 1
    (line,) = run.diagnostics
    assert (line["path"], line["line"]) == ("templates/workers/item.html", str(line_number))
    assert not (root / "site").exists()


def test_template_error_in_a_partial_names_the_partial(make_site):
    root = make_site({"content/workers/邵志村.md": WORKER_MD})
    line_number = _break_template(root, "partials/cards.html", "macro worker_card", "{{ item.no_such_field }}")
    result = check_site(root)
    (problem,) = result.diagnostics.errors  # reported once, though several pages show worker cards
    assert (problem.code, problem.path, problem.line) == ("template_failed", "templates/partials/cards.html",
                                                          line_number)
    assert "no_such_field" in problem.args["detail"]


def test_missing_template(make_site):
    root = make_site({"content/workers/邵志村.md": WORKER_MD})
    (root / "templates/workers/item.html").unlink()
    result = check_site(root)
    (problem,) = result.diagnostics.errors
    assert (problem.code, problem.args["name"]) == ("template_missing", "workers/item.html")


def test_template_error_leaves_the_previous_site_alone(make_site, cli):
    root = make_site({"content/workers/邵志村.md": WORKER_MD})
    assert cli(root).code == 0
    before = tree_bytes(root / "site")
    _break_template(root, "base.html", "<title>", "{% endif %}")
    run = cli(root)
    assert run.code == 1
    assert run.diagnostics[0]["path"] == "templates/base.html"
    assert tree_bytes(root / "site") == before


def test_a_site_with_its_own_small_theme(bare_site):
    root = bare_site({"content/workers/邵志村.md": WORKER_MD,
                      "templates/workers/item.html": "{{ item.name }}|{{ url('index.html') }}|{{ item.since|date }}"})
    result = check_site(root, write=True)
    assert result.ok
    assert (root / "site/workers/shao-zhi-cun.html").read_text(encoding="utf-8") == "邵志村|../index.html|2008年"
    assert found(result.diagnostics.items, "template_failed") == []
