"""Every slide of every sample screen meets WCAG AA contrast (axe's color-contrast rule), as it is drawn."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import REPO
from kiosk_support import KIOSK, settle
from site_checkers import axe_serious

from exhibit.engine import build
from exhibit.project import Project

pytestmark = pytest.mark.browser

SAMPLE_SCREENS = ["er-lou-zou-lang", "stairwell-1f", "control-room", "activity-room"]
SETTLED = f"{KIOSK}.current && getComputedStyle({KIOSK}.current).opacity === '1'"


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("sample") / "site"
    result = build(Project(REPO, site))
    assert result.ok and result.written
    return site


@pytest.mark.parametrize("screen", SAMPLE_SCREENS)
def test_every_slide_meets_aa_contrast(browser, sample: Path, screen: str) -> None:
    data = json.loads((sample / "screens" / screen / "playlist.json").read_text(encoding="utf-8"))
    width, height = data["screen"]["width"], data["screen"]["height"]
    context = browser.new_context(viewport={"width": width, "height": height}, reduced_motion="reduce")
    try:
        page = context.new_page()
        page.goto((sample / "screens" / screen / "index.html").as_uri() + "?slide=0")
        settle(page)
        problems: list[str] = []
        for index, slide in enumerate(data["slides"]):
            assert page.evaluate(f"i => {KIOSK}.goto(i)", index) == "shown", slide["id"]
            settle(page)
            page.wait_for_function(SETTLED)
            problems += [f"{slide['id']}: {p}" for p in
                         axe_serious(page, f"{KIOSK}.current", ["color-contrast"])]
        bar = axe_serious(page, "document.querySelector('.k-bar')", ["color-contrast"])
        assert len(data["slides"]) >= 5
        assert not problems + bar, "\n".join(problems + bar)
    finally:
        context.close()
