"""Each render worker names the characters it has not reported before: together, every page's characters."""

from __future__ import annotations

from pathlib import Path

import pytest

from exhibit.engine.render import render_pages
from exhibit.render.outputs import Page
from exhibit.render.templates import theme_environment
from exhibit.workers import fork_available

WORDS = ["铜冶炼", "标杆支部", "示范支部", "党员先锋岗", "劳动模范", "安全生产", "技术攻关", "班组荣誉"]


def _pages(count: int) -> list[Page]:
    return [Page(f"p{number}.html", "page.html", {"text": WORDS[number % len(WORDS)] + str(number)})
            for number in range(count)]


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_new_characters_of_each_process_add_up_to_every_pages(tmp_path: Path, jobs: int) -> None:
    if jobs > 1 and not fork_available():
        pytest.skip("workers are forked; this platform cannot fork")
    (tmp_path / "page.html").write_text("<p>{{ text }}</p>", encoding="utf-8")
    env, _ = theme_environment(tmp_path)
    pages = _pages(96)
    results = list(render_pages(env, pages, list(range(len(pages))), tmp_path, tmp_path, jobs, count_chars=True))
    every = set("<p>/") | set("".join(WORDS)) | set("0123456789")
    assert set().union(*(result.new_chars for result in results)) == every
    # a process reports a character once, so far fewer than every page's characters travel to the parent
    assert sum(map(len, (result.new_chars for result in results))) <= jobs * len(every)
    assert all(set(result.new_chars) <= set(f"<p>{pages[result.index].context['text']}</p>") for result in results)
