"""Screens pick up new publishes by themselves, never show a broken one, and ride out a dead server.

A real HTTP server on 127.0.0.1 serves the built site; publishing is a real rebuild into the
served folder (the atomic swap every publish makes). Time moves only by Playwright's clock.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from conftest import SITE_YAML, WORKER_MD, make_image
from kiosk_support import (
    CACHED,
    KIOSK,
    Publisher,
    cached_after,
    css_of,
    current,
    next_slide,
    open_screen,
    platform_fonts,
    run,
    settle,
    stylesheets,
    web_font_faces,
)

from exhibit.engine import build
from exhibit.project import Project

pytestmark = pytest.mark.browser

BUILT = dt.datetime(2025, 3, 3, 9, 0)
MORNING = dt.datetime(2025, 3, 4, 10, 0)  # a Tuesday
POLL = 10
SCREEN = ("name: 走廊\nplaylist:\n  - collection: philosophy\n    duration: 5\n"
          "  - collection: workers\n    duration: 5\n")


def philosophy(slogan: str, title: str = "理念") -> str:
    return f"---\ntitle: {title}\nslogan: {slogan}\n---\n"


@pytest.fixture
def publisher(make_site, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(BUILT.timestamp())))
    root = make_site({
        "content/site.yaml": SITE_YAML + f"kiosk:\n  poll_seconds: {POLL}\n",
        "content/philosophy/p.md": philosophy("旧的理念"),
        "content/workers/w.md": WORKER_MD.replace("since: 2008", "since: 2008\nphoto: w.jpg"),
        "content/screens/hall.yaml": SCREEN,
    })
    make_image(root / "content/workers/w.jpg", (600, 800))
    with Publisher(root).serving() as publisher:
        yield publisher


@pytest.fixture
def screen(browser, publisher):
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    page.navigations = []
    page.on("framenavigated", lambda frame: page.navigations.append(frame.url) if frame == page.main_frame else None)
    open_screen(page, publisher.url, MORNING)
    page.evaluate("window.__sameDocument = true")
    yield page
    context.close()


def version(page) -> str:
    return page.evaluate(f"{KIOSK}.data.version")


def slogans_shown(page, changes: int = 4) -> set[str]:
    seen = set()
    for _ in range(changes):
        text = page.evaluate(f"{KIOSK}.current && {KIOSK}.current.textContent")
        seen.add(text or "")
        next_slide(page)
    return {slogan for slogan in ("旧的理念", "新的理念") if any(slogan in text for text in seen)}


def test_a_new_publish_is_shown_within_one_poll_without_a_reload(screen, publisher) -> None:
    old = version(screen)
    assert slogans_shown(screen) == {"旧的理念"}
    publisher.write("content/philosophy/p.md", philosophy("新的理念"))
    new = publisher.publish()
    assert new != old
    run(screen, POLL * 1000 + 1000)  # one poll
    assert screen.evaluate(f"{KIOSK}.pending && {KIOSK}.pending.version") == new
    next_slide(screen)  # swapped at the next slide boundary
    assert version(screen) == new
    assert slogans_shown(screen) == {"新的理念"}
    assert screen.evaluate("window.__sameDocument") is True and len(screen.navigations) == 1
    polls = [path for path in publisher.server.requests if path.startswith("/screens/hall/version.json")]
    assert len(polls) >= 2 and len(set(polls)) == len(polls)  # every poll bypasses caches
    assert any(path.startswith(f"/screens/hall/playlist.json?v={new}") for path in publisher.server.requests)
    assert screen.evaluate(f"{KIOSK}.errors") == []


BROKEN = {
    "playlist 404": ("playlist.json", 404),
    "playlist 500": ("playlist.json", 500),
    "playlist truncated": ("playlist.json", "truncate"),
    "version 500": ("version.json", 500),
}


@pytest.mark.parametrize("fault", BROKEN)
def test_a_broken_publish_is_never_shown_and_the_fixed_one_is(screen, publisher, fault) -> None:
    old = version(screen)
    suffix, kind = BROKEN[fault]
    publisher.server.faults[suffix] = kind
    publisher.write("content/philosophy/p.md", philosophy("新的理念"))
    new = publisher.publish()
    changes = screen.evaluate(f"{KIOSK}.changes")
    run(screen, 3 * POLL * 1000)
    assert version(screen) == old and screen.evaluate(f"{KIOSK}.pending") is None
    assert slogans_shown(screen) == {"旧的理念"}
    assert screen.evaluate(f"{KIOSK}.changes") > changes + 4  # it kept playing
    errors = " ".join(screen.evaluate(f"{KIOSK}.errors"))
    assert ("HTTP" in errors) if kind != "truncate" else ("JSON" in errors or "incomplete" in errors), errors
    publisher.server.faults.clear()
    run(screen, POLL * 1000 + 1000)
    next_slide(screen)
    assert version(screen) == new


def test_a_half_copied_publish_is_not_taken(screen, publisher, tmp_path) -> None:
    old, old_css = version(screen), css_of(publisher.version_file())
    publisher.write("content/philosophy/p.md", philosophy("新的理念"))
    staging = tmp_path / "next-site"
    assert build(Project(publisher.root, staging)).ok
    shutil.copy(staging / "screens/hall/version.json", publisher.site / "screens/hall/version.json")  # the rest not yet
    run(screen, 2 * POLL * 1000)
    assert version(screen) == old
    assert any("incomplete" in error for error in screen.evaluate(f"{KIOSK}.errors"))
    # then the playlist, but not yet the stylesheet (and font subset) that its new character needs
    new_css = css_of(publisher.version_file(staging))
    assert new_css != old_css and not publisher.file(new_css).exists()
    shutil.copy(staging / "screens/hall/playlist.json", publisher.site / "screens/hall/playlist.json")
    run(screen, 2 * POLL * 1000)
    assert version(screen) == old and slogans_shown(screen) == {"旧的理念"}
    assert any("missing" in error and Path(new_css).name in error for error in screen.evaluate(f"{KIOSK}.errors"))
    assert len(stylesheets(screen)) == 1  # the failed attempts left nothing behind
    shutil.copytree(staging, publisher.site, dirs_exist_ok=True)  # the rest of the publish arrives
    run(screen, POLL * 1000 + 1000)
    next_slide(screen)
    assert version(screen) != old and slogans_shown(screen) == {"新的理念"}
    assert len(screen.navigations) == 1


def test_a_publish_with_a_missing_photo_waits_until_the_photo_is_there(screen, publisher) -> None:
    old = version(screen)
    make_image(publisher.root / "content/workers/w2.jpg", (600, 800), color="#c9a227")
    worker = publisher.root / "content/workers/w.md"
    worker.write_text(worker.read_text(encoding="utf-8").replace("photo: w.jpg", "photo: w2.jpg"), encoding="utf-8")
    new = publisher.publish()
    worker = next(slide for slide in publisher.playlist()["slides"] if slide["layout"] == "worker")
    photos = [publisher.file(url) for url in worker["images"]]  # the renditions this slide shows
    assert photos and all(photo.name.startswith("w2-") and photo.is_file() for photo in photos)
    kept = {photo: photo.read_bytes() for photo in photos}
    for photo in photos:
        photo.unlink()
    run(screen, 2 * POLL * 1000)
    assert version(screen) == old
    assert any(photos[0].name in error for error in screen.evaluate(f"{KIOSK}.errors"))
    for photo, data in kept.items():
        photo.write_bytes(data)
    run(screen, POLL * 1000 + 1000)
    next_slide(screen)
    assert version(screen) == new


def test_playback_survives_a_dead_server_and_updates_resume_after_restart(screen, publisher) -> None:
    publisher.server.stop()
    changes = screen.evaluate(f"{KIOSK}.changes")
    run(screen, 60_000)
    assert screen.evaluate(f"{KIOSK}.changes") >= changes + 10
    assert current(screen) is not None
    assert any(error.startswith(tuple("0123456789")) and "update" in error
               for error in screen.evaluate(f"{KIOSK}.errors"))
    screen.keyboard.press("s")
    run(screen, 1_000)
    status = screen.locator("#k-status").inner_text()
    assert "上次成功检查更新" in status and "✗" in status and "update:" in status
    screen.keyboard.press("s")
    publisher.write("content/philosophy/p.md", philosophy("新的理念"))
    new = publisher.publish()
    publisher.server.start()  # back on the same port
    run(screen, POLL * 1000 + 1000)
    next_slide(screen)
    assert version(screen) == new and slogans_shown(screen) == {"新的理念"}
    assert len(screen.navigations) == 1


def shown_with(page, text: str, changes: int = 6) -> None:
    """Play on until the current slide shows `text`."""
    for _ in range(changes):
        if text in (page.evaluate(f"{KIOSK}.current && {KIOSK}.current.textContent") or ""):
            return
        next_slide(page)
    raise AssertionError(f"{text} was not shown")


def until_pending(page, new: str) -> None:
    """Play on in half seconds until the new publish waits for the next slide boundary (within one poll)."""
    for _ in range(2 * POLL + 2):
        run(page, 500)
        if page.evaluate(f"{KIOSK}.pending && {KIOSK}.pending.version") == new:
            return
    raise AssertionError(f"{new} was not fetched within a poll: {page.evaluate(f'{KIOSK}.errors')}")


def assert_drawn_with_the_subset_font(page, selector: str, text: str) -> None:
    """Every glyph of `text` comes from the site's web font, none from a font installed on the machine."""
    assert page.locator(selector).inner_text() == text
    assert page.evaluate("t => document.fonts.check('1em \"Exhibit CJK\"', t)", text)
    fonts = platform_fonts(page, selector)
    assert fonts and all(font["isCustomFont"] for font in fonts), fonts
    assert sum(font["glyphCount"] for font in fonts) >= len(text), fonts


def test_new_characters_swap_the_stylesheet_and_font_in_place_without_a_reload(screen, publisher) -> None:
    """A content edit that adds characters changes only the font subset, so only the stylesheet's name."""
    first = publisher.version_file()
    assert stylesheets(screen) == [css_of(first)] and web_font_faces(screen) == ["loaded"]
    # a face that starts loading once shown hides its text until it arrives: the new font must be in memory first
    screen.evaluate("window.__fontLoads = []; document.fonts.addEventListener('loadingdone', "
                    "e => e.fontfaces.forEach(f => window.__fontLoads.push(f.family))); 0")
    for title in ("鑫淼理念", "焱垚精神"):  # characters nothing else on the site uses
        before = publisher.version_file()
        publisher.write("content/philosophy/p.md", philosophy("旧的理念", title))
        publisher.publish()
        after = publisher.version_file()
        assert after["shell"] == before["shell"] and after["runtime"][1:] == before["runtime"][1:]  # same JS
        assert css_of(after) != css_of(before)
        until_pending(screen, after["version"])
        assert stylesheets(screen) == [css_of(before), css_of(after) + " [not all]"]  # loaded, not yet on
        assert title not in screen.locator("#k-stage").inner_text()
        next_slide(screen)  # swapped at the next slide boundary
        assert version(screen) == after["version"]
        shown_with(screen, title)
        assert stylesheets(screen) == [css_of(after)]  # the old sheet is gone, and its font face with it
        assert web_font_faces(screen) == ["loaded"]
        assert_drawn_with_the_subset_font(screen, ".k-slide.is-in .k-role", title)
    assert screen.evaluate("window.__fontLoads") == []
    assert screen.evaluate("window.__sameDocument") is True and len(screen.navigations) == 1
    assert screen.evaluate(f"{KIOSK}.errors") == []


def test_a_publish_superseded_before_the_swap_leaves_no_stylesheet_behind(screen, publisher) -> None:
    publisher.write("content/screens/hall.yaml", SCREEN.replace("duration: 5", "duration: 60"))  # long slides
    slow = publisher.publish()
    until_pending(screen, slow)
    next_slide(screen)
    assert version(screen) == slow
    sheet = css_of(publisher.version_file())
    assert stylesheets(screen) == [sheet]
    publisher.write("content/philosophy/p.md", philosophy("旧的理念", "鑫淼理念"))
    publisher.publish()
    superseded = publisher.version_file()
    until_pending(screen, superseded["version"])
    publisher.write("content/philosophy/p.md", philosophy("旧的理念", "焱垚精神"))
    publisher.publish()
    latest = publisher.version_file()
    until_pending(screen, latest["version"])  # the same slide is still up
    assert len({sheet, css_of(superseded), css_of(latest)}) == 3
    assert stylesheets(screen) == [sheet, css_of(latest) + " [not all]"]  # the superseded one was dropped
    for _ in range(70):  # in one-second steps: a minute-long jump would time out the polls in flight
        if version(screen) == latest["version"]:
            break
        run(screen, 1000)
    shown_with(screen, "焱垚精神")
    assert stylesheets(screen) == [css_of(latest)] and web_font_faces(screen) == ["loaded"]
    assert_drawn_with_the_subset_font(screen, ".k-slide.is-in .k-role", "焱垚精神")
    assert len(screen.navigations) == 1 and screen.evaluate(f"{KIOSK}.errors") == []


@pytest.mark.parametrize("missing", [".css", ".woff2"])
def test_a_publish_whose_new_stylesheet_or_font_is_missing_is_not_taken(screen, publisher, missing) -> None:
    old = version(screen)
    published = {path.name for path in publisher.site.rglob("*")}
    publisher.write("content/philosophy/p.md", philosophy("新的理念", "鑫淼理念"))
    new = publisher.publish()
    needed = publisher.file(css_of(publisher.version_file()))  # the screen's new stylesheet, or the font it names
    added = [needed] if missing == ".css" else [path for path in publisher.site.joinpath("assets").rglob("*.woff2")
                                                 if path.name not in published]
    assert len(added) == 1 and added[0].name not in published, added
    kept = added[0].read_bytes()
    added[0].unlink()
    changes = screen.evaluate(f"{KIOSK}.changes")
    run(screen, 3 * POLL * 1000)
    assert version(screen) == old and screen.evaluate(f"{KIOSK}.pending") is None
    assert slogans_shown(screen) == {"旧的理念"}
    assert screen.evaluate(f"{KIOSK}.changes") > changes + 4  # it kept playing
    assert any("missing" in error and added[0].name in error for error in screen.evaluate(f"{KIOSK}.errors"))
    assert len(stylesheets(screen)) == 1 and web_font_faces(screen) == ["loaded"]  # nothing left behind
    added[0].write_bytes(kept)
    run(screen, POLL * 1000 + 1000)
    next_slide(screen)
    assert version(screen) == new and slogans_shown(screen) == {"新的理念"}
    assert len(screen.navigations) == 1


def test_after_an_in_place_stylesheet_swap_a_rebooted_screen_starts_offline_with_the_new_files(screen, publisher):
    screen.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller !== null")
    screen.reload()  # now every file goes through the service worker, which keeps a copy
    settle(screen)
    old_css = "/assets/kiosk/" + Path(css_of(publisher.version_file())).name
    cached_after(screen, lambda paths: old_css in paths and any(path.endswith(".woff2") for path in paths))
    old_fonts = {path for path in screen.evaluate(CACHED) if path.endswith(".woff2")}
    publisher.write("content/philosophy/p.md", philosophy("旧的理念", "鑫淼理念"))
    publisher.publish()
    new_css = "/assets/kiosk/" + Path(css_of(publisher.version_file())).name
    run(screen, POLL * 1000 + 1000)
    next_slide(screen)
    # the cache holds the new stylesheet and font and the page that names them; the old ones are dropped (one by
    # one: wait for all of them, not just the stylesheet)
    paths = cached_after(screen, lambda paths: new_css in paths and old_css not in paths and not old_fonts & set(paths))
    assert any(path.endswith(".woff2") for path in paths)
    page_copy = screen.evaluate("caches.open('exhibit-screens-v1').then(c => c.match(location.pathname))"
                                ".then(r => r.text())")
    assert new_css.rsplit("/", 1)[1] in page_copy and "鑫淼理念" in page_copy
    publisher.server.stop()
    screen.reload()
    settle(screen)
    shown_with(screen, "鑫淼理念")
    assert stylesheets(screen) == [css_of(publisher.version_file())] and web_font_faces(screen) == ["loaded"]
    assert_drawn_with_the_subset_font(screen, ".k-slide.is-in .k-role", "鑫淼理念")


def test_a_new_runtime_reloads_the_screen_once_at_a_slide_boundary(screen, publisher) -> None:
    shell = screen.evaluate(f"{KIOSK}.data.shell")
    css = publisher.root / "assets/kiosk/kiosk.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* a new theme */\n", encoding="utf-8")
    publisher.publish()
    run(screen, POLL * 1000 + 1000)
    assert len(screen.navigations) == 1  # not mid-slide
    next_slide(screen)
    screen.wait_for_function(f"{KIOSK} && {KIOSK}.data && {KIOSK}.data.shell !== '{shell}'")
    settle(screen)
    assert len(screen.navigations) == 2
    assert screen.evaluate("window.__sameDocument") is None
    run(screen, 3 * POLL * 1000)
    assert len(screen.navigations) == 2  # and only once


def test_the_planned_daily_reload_happens_in_quiet_hours(browser, publisher) -> None:
    publisher.write("content/site.yaml", SITE_YAML + 'kiosk:\n  quiet_hours: "02:00-04:00"\n  reload_at: "03:00"\n')
    publisher.publish()
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url) if frame == page.main_frame else None)
    open_screen(page, publisher.url, dt.datetime(2025, 3, 4, 1, 58, 0))
    run(page, 3 * 60_000)
    assert page.evaluate(f"{KIOSK}.mode") == "quiet" and len(navigations) == 1
    run(page, 60 * 60_000, step=60_000)  # 03:01
    page.wait_for_function(f"{KIOSK} && {KIOSK}.mode === 'quiet'")
    assert len(navigations) == 2
    context.close()


def test_a_rebooted_screen_starts_from_its_cache_without_the_server(screen, publisher) -> None:
    screen.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller !== null")
    screen.reload()  # now every file goes through the service worker, which keeps a copy
    settle(screen)
    assert current(screen) is not None
    publisher.server.stop()
    screen.reload()
    settle(screen)
    assert current(screen) is not None
    assert screen.locator(".k-slide.is-in").inner_text() != ""
    assert next_slide(screen) is not None
    assert all(screen.evaluate("[...document.images].filter(i => i.closest('.k-slide')).map(i => i.naturalWidth > 0)"))
