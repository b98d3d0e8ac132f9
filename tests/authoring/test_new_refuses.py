"""`new` refuses names the next build would reject, and names too long for a file, with a message."""

from __future__ import annotations

import pytest
from conftest import run_cli

from exhibit.authoring.scaffold import MAX_SLUG_LENGTH
from exhibit.model.collections import COLLECTIONS


@pytest.mark.parametrize("title", ["index", "page", "Index", *COLLECTIONS, "units", "screens", "media", "assets"])
def test_reserved_slug_is_refused_in_words(make_site, title):
    root = make_site()
    result = run_cli(root, "new", "workers", title, "--lang", "en")
    assert result.returncode == 2, result.stderr
    assert f"the slug '{title.lower()}' is kept for the site's own pages" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (root / f"content/workers/{title.lower()}.md").exists()


def test_reserved_slug_message_in_chinese(make_site):
    root = make_site()
    result = run_cli(root, "new", "workers", "index")
    assert result.returncode == 2
    assert "网址名“index”留给网站自己的页面使用" in result.stderr
    assert "提示" in result.stderr


@pytest.mark.parametrize("title", ["熔" * 300, "a" * 300, "Very long title " * 20])
def test_over_long_title_is_refused_with_the_limit(make_site, title):
    root = make_site()
    before = sorted(path.relative_to(root) for path in (root / "content").rglob("*"))
    result = run_cli(root, "new", "workers", title, "--lang", "en")
    assert result.returncode == 2, result.stderr
    assert "the title is too long" in result.stderr and f"at most {MAX_SLUG_LENGTH}" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(path.relative_to(root) for path in (root / "content").rglob("*")) == before


def test_a_title_at_the_limit_builds(make_site):
    root = make_site()
    title = "a" * MAX_SLUG_LENGTH
    result = run_cli(root, "new", "workers", title)
    assert result.returncode == 0, result.stderr
    assert run_cli(root).returncode == 0
    assert (root / f"site/workers/{title}.html").is_file()
