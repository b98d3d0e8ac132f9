"""Nothing executable is published: active attachments are refused, SVG drawings are sanitised."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SITE_YAML
from hostile import HOSTILE_SVG

from exhibit.model.svg import SvgRefused, sanitise_svg

W = "content/workers/x.md"


def _site(bare_site, body: str, files: dict[str, str | bytes]) -> Path:
    return bare_site({"content/site.yaml": SITE_YAML, W: f"---\nname: 张三\nunit: acid\n---\n{body}", **files})


def test_hostile_svg_keeps_its_drawing_and_loses_everything_active() -> None:
    clean = sanitise_svg(HOSTILE_SVG.encode()).decode()
    for active in ("script", "onload", "onclick", "javascript", "evil", "foreignObject", "<set", "<animate",
                   "<style", "xml-stylesheet", "<a ", "pwned"):
        assert active not in clean
    assert 'fill="url(#g)"' in clean and "<circle" in clean and "<text" not in clean


@pytest.mark.parametrize("data", [
    b"not xml at all",
    b"<html><body><script>1</script></body></html>",
    b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
    b'<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg"><rect></svg>',
])
def test_what_cannot_be_sanitised_is_refused(data: bytes) -> None:
    with pytest.raises(SvgRefused):
        sanitise_svg(data)


def test_a_published_svg_is_the_sanitised_one_and_the_original_is_untouched(bare_site, cli) -> None:
    root = _site(bare_site, "![图](plan.svg) [图纸](plan.svg)\n", {"content/workers/plan.svg": HOSTILE_SVG})
    run = cli(root, "build", "--lang", "en")
    assert run.code == 0, run.err
    published = (root / "site/media/workers/plan.svg").read_text(encoding="utf-8")
    assert "<circle" in published and "pwned" not in published and "javascript" not in published
    assert (root / "content/workers/plan.svg").read_text(encoding="utf-8") == HOSTILE_SVG


@pytest.mark.parametrize("name, data", [
    ("page.html", "<p>hi</p><script>alert(1)</script>"),
    ("page.XHTML", "<html xmlns='http://www.w3.org/1999/xhtml'/>"),
    ("tool.js", "alert(1)"),
    ("setup.exe", b"MZ\x90\x00"),
    ("report.pdf", "<!DOCTYPE html><script>alert(1)</script>"),  # an HTML page renamed
    ("notes.txt", "\ufeff<html><script>alert(1)</script>"),
])
def test_active_attachments_are_refused_with_file_line_and_what_to_do(bare_site, cli, name: str,
                                                                      data: str | bytes) -> None:
    root = _site(bare_site, f"第一行。\n\n[附件]({name})\n", {f"content/workers/{name}": data})
    for lang, words, hint in (("en", "web page, script or program", "Attach a PDF instead"),
                              ("zh-CN", "网页、脚本或程序文件", "改为附上 PDF")):
        run = cli(root, "build", "--lang", lang)
        assert run.code == 1
        (line,) = run.diagnostics
        assert (line.group("path"), line.group("line")) == (W, "7")
        assert name in line.group("message") and words in line.group("message")
        assert hint in run.hint_after(line)
    assert not (root / "site").exists()


def test_an_active_file_named_as_photo_is_refused(bare_site, cli) -> None:
    root = bare_site({"content/site.yaml": SITE_YAML, "content/workers/p.html": "<script>1</script>",
                      W: "---\nname: 张三\nunit: acid\nphoto: p.html\n---\n"})
    run = cli(root, "check", "--lang", "en")
    assert run.code == 1
    assert any("p.html" in m.group("message") and m.group("line") == "4" for m in run.diagnostics)
