"""Theme files: content-hashed CSS/JS names through asset(), CSS references rewritten, opt-in minification."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from conftest import WORKER_MD, check_site, run_cli, write_files
from PIL import Image

HASHED = re.compile(r"^(?P<stem>.+)\.(?P<hash>[0-9a-f]{10})(?P<suffix>\.[a-z0-9]+)$")


def _built(site: Path, folder: str) -> dict[str, Path]:
    """Logical name (site.css) -> hashed file in the output folder."""
    found = {}
    for path in sorted(p for p in (site / "assets" / folder).iterdir() if p.is_file()):
        match = HASHED.match(path.name)
        assert match, f"{path.name} carries no content hash"
        found[match["stem"] + match["suffix"]] = path
    return found


def _linked(page: str, kind: str) -> list[str]:
    pattern = r'<link rel="stylesheet" href="([^"]+)">' if kind == "css" else r'<script src="([^"]+)"'
    return re.findall(pattern, page)


def test_css_and_js_get_content_hashed_names_that_pages_link_relatively(make_site):
    root = make_site({"content/workers/邵志村.md": WORKER_MD})
    assert run_cli(root).returncode == 0
    site = root / "site"
    css, js = _built(site, "css")["site.css"], _built(site, "js")["site.js"]
    for path in (css, js):
        assert HASHED.match(path.name)["hash"] == hashlib.sha256(path.read_bytes()).hexdigest()[:10]
    assert not (site / "assets/css/site.css").exists() and not (site / "assets/js/site.js").exists()
    home = (site / "index.html").read_text(encoding="utf-8")
    item = (site / "workers/shao-zhi-cun.html").read_text(encoding="utf-8")
    assert _linked(home, "css") == [f"assets/css/{css.name}"] and _linked(home, "js") == [f"assets/js/{js.name}"]
    assert _linked(item, "css") == [f"../assets/css/{css.name}"]
    assert "exhibit-asset:" not in home + item  # every placeholder resolved
    assert (site / "index.html").is_file() and (site / "workers/shao-zhi-cun.html").is_file()  # HTML keeps its name


def test_a_changed_stylesheet_gets_a_new_name_and_an_unchanged_one_keeps_it(make_site):
    root = make_site({"content/workers/邵志村.md": WORKER_MD})
    assert run_cli(root).returncode == 0
    before_css, before_js = _built(root / "site", "css")["site.css"].name, _built(root / "site", "js")["site.js"].name
    assert run_cli(root).returncode == 0
    assert _built(root / "site", "css")["site.css"].name == before_css
    with (root / "assets/css/site.css").open("a", encoding="utf-8") as stream:
        stream.write("\n.new-rule { color: red; }\n")
    assert run_cli(root).returncode == 0
    after = _built(root / "site", "css")["site.css"]
    assert after.name != before_css and ".new-rule" in after.read_text(encoding="utf-8")
    assert _built(root / "site", "js")["site.js"].name == before_js


THEME_EXTRAS = {
    "assets/css/parts/print.css": "@media print { .x { background: url('../../img/logo.png') } }\n",
    "assets/css/extra.css": ('@import "parts/print.css";\n'
                             '.hero { background: url("../img/bg.png?v=1#top") no-repeat; }\n'
                             '.mask { mask: url(data:image/svg+xml;base64,PHN2Zy8+); }\n'
                             '.far { background: url("https://example.org/x.png"); }\n'
                             '.gone { background: url(../img/nope.png); }\n'),
    "assets/data/notice.txt": "not fingerprinted\n",
}


def test_references_inside_css_point_at_hashed_files(make_site):
    root = make_site({"content/workers/邵志村.md": WORKER_MD, **THEME_EXTRAS})
    (root / "assets/img").mkdir(exist_ok=True)
    for name in ("bg.png", "logo.png"):
        Image.new("RGB", (8, 8), "gold").save(root / "assets/img" / name)
    run = run_cli(root)
    assert run.returncode == 0
    assert "assets/css/extra.css:5:1: warning:" in run.stderr and "../img/nope.png" in run.stderr
    site = root / "site"
    images = _built(site, "img")
    styles = _built(site, "css")
    extra = styles["extra.css"].read_text(encoding="utf-8")
    [printed] = (site / "assets/css/parts").iterdir()
    assert f'@import "parts/{printed.name}"' in extra
    assert f'url("../img/{images["bg.png"].name}?v=1#top")' in extra
    assert f'url("../../img/{images["logo.png"].name}")' in printed.read_text(encoding="utf-8")
    assert "url(data:image/svg+xml;base64,PHN2Zy8+)" in extra and 'url("https://example.org/x.png")' in extra
    assert (site / "assets/data/notice.txt").read_text(encoding="utf-8") == "not fingerprinted\n"


def test_asset_that_does_not_exist_is_a_template_error_at_its_line(make_site):
    root = make_site({"content/workers/邵志村.md": WORKER_MD})
    base = root / "templates/base.html"
    lines = base.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if "asset('js/site.js')" in line)
    lines[index] = lines[index].replace("asset('js/site.js')", "asset('js/missing.js')")
    base.write_text("".join(lines), encoding="utf-8")
    run = run_cli(root)
    assert run.returncode == 1
    assert f"templates/base.html:{index + 1}:1: error:" in run.stderr and "assets/js/missing.js" in run.stderr


def test_minify_shrinks_html_css_and_js_and_keeps_what_pages_show(make_site):
    root = make_site({"content/workers/邵志村.md": WORKER_MD})
    assert run_cli(root).returncode == 0
    plain_page = (root / "site/workers/shao-zhi-cun.html").read_text(encoding="utf-8")
    plain_css = _built(root / "site", "css")["site.css"].read_text(encoding="utf-8")
    plain_js = _built(root / "site", "js")["site.js"].read_text(encoding="utf-8")
    assert "/* 1. Tokens" in plain_css and "\n  " in plain_page  # readable by default
    run = run_cli(root, "--minify")
    assert run.returncode == 0, run.stderr
    page = (root / "site/workers/shao-zhi-cun.html").read_text(encoding="utf-8")
    css = _built(root / "site", "css")["site.css"].read_text(encoding="utf-8")
    js = _built(root / "site", "js")["site.js"].read_text(encoding="utf-8")
    assert len(page) < len(plain_page) * 0.95 and len(css) < len(plain_css) * 0.9 and len(js) < len(plain_js)
    assert "/* 1. Tokens" not in css and "@font-face{" in css.replace(" ", "")
    for text in ("邵志村", "哪里最难，党员就先站到哪里。", "外堰出口烧穿后，他第一个冲到现场。"):
        assert text in page
    assert page.count("</p>") == plain_page.count("</p>")  # closing tags are kept
    assert re.search(r'href="?\.\./assets/css/site\.[0-9a-f]{10}\.css', page)


def test_check_does_not_write_but_reports_the_same_theme_problems(make_site):
    root = make_site({"content/workers/邵志村.md": WORKER_MD})
    write_files(root, {"assets/css/extra.css": ".gone { background: url(../img/nope.png); }\n"})
    result = check_site(root)
    assert result.ok and not (root / "site").exists()
    assert [d.path for d in result.diagnostics.warnings] == ["assets/css/extra.css"]
