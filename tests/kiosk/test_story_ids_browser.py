"""Story HTML cannot break a screen: every id, name and class the runtime uses, put into stories."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from conftest import SITE_YAML
from kiosk_support import KIOSK, current, next_slide, open_screen

from exhibit.engine import build
from exhibit.project import Project

pytestmark = pytest.mark.browser

_DATA = re.compile(r'(<script id="k-data" type="application/json">)(.*?)(</script>)', re.DOTALL)
_RUNTIME_IDS = ("k-root", "k-stage", "k-standby", "k-quiet", "k-status", "k-story", "k-data")
_DOCUMENT_PROPERTIES = ("fonts", "head", "createElement", "getElementById", "querySelectorAll", "body")
_RUNTIME_CLASSES = "k-slide k-standby k-is-on k-text k-bar k-prose k-story-panel is-in"
_COUNT = "sel => Document.prototype.querySelectorAll.call(document, sel).length"  # the stories shadow the method
START = dt.datetime(2025, 3, 4, 10, 30)  # a Tuesday morning


def hostile_story(layouts: list[str]) -> str:
    """Raw HTML reusing every id the runtime reads (as id and as name), its classes and a template."""
    ids = [*_RUNTIME_IDS, *(f"k-{layout}" for layout in layouts)]
    names = [*ids, *_DOCUMENT_PROPERTIES, "exhibitKiosk"]  # a named <form> shadows document.<name>
    nodes = "".join(f'<div id="{name}" class="{_RUNTIME_CLASSES}">{name}</div>' for name in ids)
    forms = "".join(f'<form name="{name}" id="{name}"></form>' for name in names)
    return nodes + forms + '<template id="k-worker"><p>x</p></template>'


def _site(make_site, monkeypatch, story: str) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2025, 1, 1, 9, 0).timestamp())))
    files = {f"content/workers/w{n}.md": f"---\nname: 工人{n}\nunit: acid\norder: {n}\n---\n{story}\n"
             for n in range(3)}
    files["content/screens/test.yaml"] = "name: 测试屏\nplaylist:\n  - collection: workers\n    duration: 5\n"
    root = make_site({"content/site.yaml": SITE_YAML, **files})
    assert build(Project(root, root / "site")).ok
    return root / "site" / "screens" / "test" / "index.html"


def _plays_every_slide_in_turn(page, url: str) -> None:
    open_screen(page, url, START)
    slides = page.evaluate(f"{KIOSK}.data.slides.map(s => s.id)")
    assert len(slides) == 3
    shown = [current(page)] + [next_slide(page) for _ in range(2 * len(slides))]
    assert shown == [slides[n % len(slides)] for n in range(len(shown))]
    assert page.evaluate(f"{KIOSK}.errors") == []
    assert page.evaluate(_COUNT, "#k-root > #k-standby.k-is-on") == 0  # the runtime's own


def _layouts(screen: Path) -> list[str]:
    return re.findall(r'<template id="k-([\w-]+)"', screen.read_text(encoding="utf-8"))


def test_a_story_using_the_runtimes_ids_and_classes_keeps_the_screen_advancing(make_site, monkeypatch,
                                                                                browser) -> None:
    markdown = "# 标题 {: #k-stage .k-standby .k-is-on }\n\n" + hostile_story(["philosophy", "worker", "team"])
    screen = _site(make_site, monkeypatch, markdown)
    built = screen.read_text(encoding="utf-8")
    assert "工人0" in built and 'id=\\"k-' not in built and "k-is-on\\" not in built  # the story's were dropped
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    try:
        _plays_every_slide_in_turn(context.new_page(), screen.as_uri())
    finally:
        context.close()


def test_the_runtime_finds_its_nodes_by_reference_even_if_a_story_shadows_them(make_site, monkeypatch,
                                                                               browser) -> None:
    """Past the sanitiser: slide data carrying the ids raw, as a future theme or data bug might."""
    screen = _site(make_site, monkeypatch, "正文。")
    html = screen.read_text(encoding="utf-8")
    story = hostile_story(_layouts(screen))
    match = _DATA.search(html)
    data = json.loads(match.group(2))
    for slide in data["slides"]:
        slide["d"]["story"] = story
    patched_json = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    patched = screen.with_name("patched.html")
    patched.write_text(html[:match.start(2)] + patched_json + html[match.end(2):], encoding="utf-8")
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    try:
        page = context.new_page()
        _plays_every_slide_in_turn(page, patched.as_uri())
        assert page.evaluate(_COUNT, "#k-stage") > 1  # the story's copies are there
    finally:
        context.close()
