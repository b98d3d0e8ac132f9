"""The built sample is valid HTML (Nu HTML Checker: 0 errors) and accessible (axe: no serious or critical
violation on the intranet pages and the screens index), as a browser and a screen reader meet it."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO
from site_checkers import axe_serious, vnu_errors

from exhibit.engine import build
from exhibit.project import Project


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("sample") / "site"
    result = build(Project(REPO, site))
    assert result.ok and result.written
    return site


def test_every_built_page_passes_the_nu_html_checker(sample: Path) -> None:
    pages = list(sample.rglob("*.html"))
    assert len(pages) > 50
    errors = vnu_errors(sample)
    assert not errors, f"{len(errors)} errors:\n" + "\n".join(errors[:40])


def test_the_checker_notices_an_invalid_page(tmp_path: Path) -> None:
    """A time element without a machine-readable date is exactly what the sample had: the check must catch it."""
    (tmp_path / "bad.html").write_text('<!doctype html><html lang="zh-CN"><title>x</title><p><time>2021年</time>',
                                       encoding="utf-8")
    errors = vnu_errors(tmp_path)
    assert any("time" in error for error in errors), errors


def intranet_pages(site: Path) -> list[Path]:
    """Every page a person reads in a browser: all of the showcase, and the screens index (not the kiosk pages)."""
    return sorted(p for p in site.rglob("*.html") if p.parent.parent != site / "screens")


@pytest.mark.browser
def test_no_serious_accessibility_violation(page, sample: Path) -> None:
    pages = intranet_pages(sample)
    assert sample / "screens/index.html" in pages and len(pages) > 50
    problems: list[str] = []
    for path in pages:
        page.goto(path.as_uri())
        problems += [f"{path.relative_to(sample)}: {p}" for p in axe_serious(page)]
    assert not problems, "\n".join(problems[:30])


@pytest.mark.browser
def test_axe_notices_low_contrast(page, tmp_path: Path) -> None:
    bad = tmp_path / "bad.html"
    bad.write_text('<!doctype html><html lang="en"><title>x</title><main><p style="color:#b71c1c;'
                   'background:#5e0b0b">footer link</p></main>', encoding="utf-8")
    page.goto(bad.as_uri())
    assert any(p.startswith("color-contrast") for p in axe_serious(page))
