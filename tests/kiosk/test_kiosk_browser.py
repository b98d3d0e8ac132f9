"""Screens in real Chromium: slides advance on time, nothing overflows, schedules follow the screen's clock.

Slide timing is driven by Playwright's clock (never by sleeping); real waits happen only
for real work (image decoding), via kiosk_support.settle.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import SITE_YAML, WORKER_MD, make_image, missing_tool
from kiosk_support import KIOSK, current, freeze, next_slide, open_screen, run, settle, weekday_morning

from exhibit.engine import build
from exhibit.project import Project

pytestmark = pytest.mark.browser

SAMPLE_SCREENS = ["er-lou-zou-lang", "stairwell-1f", "control-room", "activity-room"]
VIEWPORTS = {"landscape": (1920, 1080), "portrait": (1080, 1920)}

OVERFLOW_JS = """() => {
  const vw = innerWidth, vh = innerHeight, bad = [];
  const label = el => el.tagName.toLowerCase() + '.' + String(el.className || '').trim().split(/\\s+/).join('.')
    + ' "' + (el.textContent || '').trim().slice(0, 24) + '"';
  const scope = [...document.querySelectorAll('.k-bar, .k-bar *')];
  const slide = window.exhibitKiosk.current;
  if (!slide) return ['no slide is shown'];
  scope.push(slide, ...slide.querySelectorAll('*'));
  for (const el of scope) {
    if (el.closest('svg') && el.tagName.toLowerCase() !== 'svg') continue;
    const flow = el.closest('.k-flow');
    if (flow && flow !== el) continue;  // paged text: checked through its box below
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.left < -1 || r.top < -1 || r.right > vw + 1 || r.bottom > vh + 1)
      bad.push(label(el) + ' leaves the screen ' + JSON.stringify([r.left, r.top, r.right, r.bottom].map(Math.round)));
    const clips = getComputedStyle(el).overflow !== 'visible';
    if (el.matches('[data-page]')) {
      if (el.scrollHeight > el.clientHeight + 1) bad.push(label(el) + ' is cut at the bottom');
      if (el.pages * el.stride < el.scrollWidth - 1) bad.push(label(el) + ' has pages it never shows');
    } else if (clips && !el.matches('.k-flow')
               && (el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1)) {
      const sizes = [el.scrollWidth, el.clientWidth, el.scrollHeight, el.clientHeight];
      bad.push(label(el) + ' cuts its text ' + JSON.stringify(sizes));
    }
  }
  for (const img of slide.querySelectorAll('img')) if (!img.naturalWidth) bad.push('image not shown: ' + img.src);
  if (!slide.textContent.trim() && !slide.querySelector('img, video')) bad.push('the slide is empty');
  return bad;
}"""


@pytest.fixture
def sample(sample_site: Path) -> Path:
    """The bundled sample's site/, built once per run (conftest.sample_site)."""
    return sample_site


@pytest.fixture
def open_page(browser):
    contexts = []

    def factory(width: int = 1920, height: int = 1080, **options: object):
        context = browser.new_context(viewport={"width": width, "height": height}, **options)
        contexts.append(context)
        return context.new_page()

    yield factory
    for context in contexts:
        context.close()


def playlist(site: Path, screen: str) -> dict:
    return json.loads((site / "screens" / screen / "playlist.json").read_text(encoding="utf-8"))


def eligible(slide: dict, when: dt.datetime) -> bool:
    """The schedule rules, restated independently of the runtime."""
    rule, day = slide.get("when", {}), when.date().isoformat()
    if rule.get("from", day) > day or rule.get("until", day) < day:
        return False
    if "days" in rule and when.isoweekday() not in rule["days"]:
        return False
    clock = when.strftime("%H:%M")
    return "hours" not in rule or any(a <= clock < b for a, b in rule["hours"])


# --- acceptance 1: every sample screen plays its slides at their durations -------------------------

@pytest.mark.parametrize("screen", SAMPLE_SCREENS)
def test_slides_advance_at_their_durations(open_page, sample, screen) -> None:
    data = playlist(sample, screen)
    start = weekday_morning(data["built"] / 1000)
    expected = [slide for slide in data["slides"] if eligible(slide, start)]
    assert len(expected) >= 5
    page = open_page(data["screen"]["width"], data["screen"]["height"])
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    open_screen(page, (sample / "screens" / screen / "index.html").as_uri(), start)
    assert current(page) == expected[0]["id"]
    for position, slide in enumerate(expected):
        assert current(page) == slide["id"]
        settle(page)
        shown_at, due, now = page.evaluate(f"[{KIOSK}.shownAt, {KIOSK}.due, performance.now()]")
        assert due - shown_at == slide["duration"] * 1000
        page.clock.run_for(int(due - now) - 300)
        assert current(page) == slide["id"], f"{slide['id']} ended before its {slide['duration']} s"
        settle(page)
        page.clock.run_for(400)
        settle(page)
        following = expected[(position + 1) % len(expected)]
        assert current(page) == following["id"], f"{slide['id']} did not give way after {slide['duration']} s"
    assert page.evaluate(f"{KIOSK}.errors") == []
    assert len(navigations) == 1  # played through without a reload


# --- acceptance 2: nothing overflows, at either orientation ----------------------------------------

@pytest.mark.parametrize("orientation", VIEWPORTS)
def test_no_slide_overflows_the_screen(open_page, sample, orientation) -> None:
    width, height = VIEWPORTS[orientation]
    problems: list[str] = []
    visited = 0
    for screen in SAMPLE_SCREENS:
        data = playlist(sample, screen)
        page = open_page(width, height)
        freeze(page, weekday_morning(data["built"] / 1000))
        page.goto((sample / "screens" / screen / "index.html").as_uri() + "?slide=0")
        settle(page)
        for index, slide in enumerate(data["slides"]):
            assert page.evaluate(f"i => {KIOSK}.goto(i)", index) == "shown", slide["id"]
            problems += [f"{screen} {slide['id']}: {problem}" for problem in page.evaluate(OVERFLOW_JS)]
            visited += 1
        page.context.close()
    assert visited > 60
    assert problems == []


# --- acceptance 4: schedules on the screen's clock --------------------------------------------------

ACTIVITY = """\
---
title: 横班党建活动
unit: smelting-1
date: 2025-05
display_from: 2025-05-10
display_until: 2025-05-20
---
故事。
"""
PHILOSOPHY = "---\ntitle: 红色熔炉\nslogan: 既炼铜，又育人\n---\n"
SCHEDULE_SCREEN = ("name: 测试屏\nplaylist:\n  - collection: philosophy\n    duration: 5\n"
                   "  - collection: activities\n    duration: 5\n")
KIOSK_YAML = 'kiosk:\n  safety_start: 2020-01-01\n  quiet_hours: "22:00-06:00"\n'


@pytest.fixture
def schedule_site(make_site, monkeypatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2025, 1, 1, 9, 0).timestamp())))
    root = make_site({
        "content/site.yaml": SITE_YAML + KIOSK_YAML,
        "content/activities/shift.md": ACTIVITY,
        "content/philosophy/red-furnace.md": PHILOSOPHY,
        "content/screens/test.yaml": SCHEDULE_SCREEN,
    })
    assert build(Project(root, root / "site")).ok
    return root / "site" / "screens" / "test" / "index.html"


def shown_over(page, changes: int) -> set[str | None]:
    seen = {current(page)}
    for _ in range(changes):
        seen.add(next_slide(page))
    return seen


@pytest.mark.parametrize(("day", "shown"), [(dt.date(2025, 5, 9), False), (dt.date(2025, 5, 10), True),
                                            (dt.date(2025, 5, 20), True), (dt.date(2025, 5, 21), False)])
def test_an_activity_is_shown_only_inside_its_display_window(open_page, schedule_site, day, shown) -> None:
    page = open_page()
    open_screen(page, schedule_site.as_uri(), dt.datetime.combine(day, dt.time(10, 0)))
    seen = shown_over(page, 6)
    assert ("e2-activities-shift" in seen) is shown
    assert "e1-philosophy-red-furnace" in seen


def test_an_activity_expires_at_midnight_while_the_screen_runs(open_page, schedule_site) -> None:
    page = open_page()
    open_screen(page, schedule_site.as_uri(), dt.datetime(2025, 5, 20, 21, 50, 0))
    assert "e2-activities-shift" in shown_over(page, 4)
    run(page, 9 * 3600 * 1000, step=600_000)  # through the quiet night to the next morning
    assert "e2-activities-shift" not in shown_over(page, 6)


def test_quiet_hours_blank_the_content_and_playback_returns_after(open_page, schedule_site) -> None:
    page = open_page()
    open_screen(page, schedule_site.as_uri(), dt.datetime(2025, 5, 12, 21, 59, 30))
    assert current(page) is not None
    run(page, 40_000)
    assert page.evaluate(f"{KIOSK}.mode") == "quiet"
    assert page.locator("#k-quiet").is_visible() and page.locator("#k-quiet [data-k=clock]").inner_text() == "22:00"
    run(page, 2_000)
    assert page.locator(".k-slide").count() == 0
    run(page, 8 * 3600 * 1000, step=600_000)  # 06:00:12
    assert page.evaluate(f"{KIOSK}.mode") == "play"
    assert not page.locator("#k-quiet").is_visible()
    assert current(page) in ("e1-philosophy-red-furnace", "e2-activities-shift")


def test_the_safety_counter_rolls_over_at_midnight(open_page, schedule_site) -> None:
    page = open_page()
    open_screen(page, schedule_site.as_uri(), dt.datetime(2025, 3, 1, 5, 59, 58))  # in quiet hours: a dim clock
    days = (dt.date(2025, 3, 1) - dt.date(2020, 1, 1)).days + 1
    assert page.locator(".k-bar [data-k=safety]").text_content() == str(days)
    page2 = open_page()
    open_screen(page2, schedule_site.as_uri(), dt.datetime(2025, 2, 28, 23, 59, 57))
    assert page2.locator(".k-bar [data-k=safety]").text_content() == str(days - 1)
    run(page2, 4_000)
    assert page2.locator(".k-bar [data-k=safety]").text_content() == str(days)


def test_a_clock_behind_the_build_falls_back_to_the_build_time_and_says_so(open_page, schedule_site) -> None:
    page = open_page()
    open_screen(page, schedule_site.as_uri() + "?status=1", dt.datetime(2001, 1, 1, 10, 0))
    run(page, 2_000)
    assert page.locator("#k-status").is_visible()
    assert page.locator("[data-s=suspect]").is_visible()
    assert "屏幕时钟早于内容生成时间" in page.locator("#k-status").inner_text()
    assert page.locator(".k-bar [data-k=date]").text_content() == "2025年1月1日"  # the build day, not 2001
    assert current(page) == "e1-philosophy-red-furnace"


def test_the_status_overlay_opens_with_a_key(open_page, schedule_site) -> None:
    page = open_page()
    open_screen(page, schedule_site.as_uri(), dt.datetime(2025, 5, 12, 10, 0))
    assert not page.locator("#k-status").is_visible()
    page.keyboard.press("s")
    run(page, 1_000)
    text = page.locator("#k-status").inner_text()
    assert "test · 测试屏" in text and "file://" in text
    assert not page.locator("[data-s=suspect]").is_visible()
    page.keyboard.press("s")
    assert not page.locator("#k-status").is_visible()


# --- never blank -------------------------------------------------------------------------------------

def test_an_empty_playlist_shows_the_standby_slide(open_page, schedule_site) -> None:
    page = open_page()
    screen = schedule_site.parent.parent / "standby" / "index.html"
    root = schedule_site.parents[3]
    (root / "content/screens/standby.yaml").write_text(
        "name: 待机\nplaylist:\n  - collection: activities\n", encoding="utf-8")
    assert build(Project(root, root / "site")).ok
    open_screen(page, screen.as_uri(), dt.datetime(2025, 6, 1, 10, 0))
    run(page, 10_000)
    standby = page.locator("#k-standby")
    assert standby.is_visible() and page.evaluate(f"{KIOSK}.mode") == "standby"
    assert "测试站点" in standby.inner_text() and "10:00" in standby.inner_text()


def test_a_slide_whose_photo_is_missing_is_skipped(open_page, make_site, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2025, 1, 1, 9, 0).timestamp())))
    second = WORKER_MD.replace("邵志村", "王海峰").replace("since: 2008", "since: 2008\nphoto: b.jpg")
    root = make_site({
        "content/workers/a.md": WORKER_MD.replace("since: 2008", "since: 2008\nphoto: a.jpg"),
        "content/workers/b.md": second,
        "content/philosophy/p.md": PHILOSOPHY,
        "content/screens/s.yaml": "name: 屏\nplaylist:\n  - collection: workers\n  - collection: philosophy\n",
    })
    make_image(root / "content/workers/a.jpg", (600, 800))
    make_image(root / "content/workers/b.jpg", (600, 800))
    assert build(Project(root, root / "site")).ok
    slide = next(slide for slide in playlist(root / "site", "s")["slides"] if slide["id"] == "e1-workers-b")
    photos = [(root / "site/screens/s" / url).resolve() for url in slide["images"]]  # the renditions it shows
    assert photos and all(photo.is_file() and photo.name.startswith("b-") for photo in photos)
    for photo in photos:
        photo.unlink()
    page = open_page()
    open_screen(page, (root / "site/screens/s/index.html").as_uri(), dt.datetime(2025, 5, 12, 10, 0))
    seen = [current(page)] + [next_slide(page) for _ in range(5)]
    assert "e1-workers-b" not in seen and None not in seen
    assert seen[:3] == ["e1-workers-a", "e2-philosophy-p", "e1-workers-a"]
    assert any(photos[0].name in error for error in page.evaluate(f"{KIOSK}.errors"))


# --- touch -------------------------------------------------------------------------------------------

def test_touch_moves_between_slides_opens_the_story_and_returns_to_autoplay(open_page, sample) -> None:
    data = playlist(sample, "activity-room")
    start = weekday_morning(data["built"] / 1000)
    ids = [slide["id"] for slide in data["slides"] if eligible(slide, start)]
    page = open_page(has_touch=True)
    open_screen(page, (sample / "screens/activity-room/index.html").as_uri(), start)
    assert current(page) == ids[0]
    page.mouse.click(1700, 500)  # tap the right half: next
    settle(page)
    assert current(page) == ids[1]
    page.mouse.move(1500, 500)
    page.mouse.down()
    page.mouse.move(300, 520, steps=5)  # swipe to the left: next again
    page.mouse.up()
    settle(page)
    assert current(page) == ids[2]
    page.mouse.click(200, 500)  # tap the left half: back
    settle(page)
    assert current(page) == ids[1]
    run(page, 30_000)  # held while someone is reading
    assert current(page) == ids[1]
    page.get_by_text("阅读全文").click()
    panel = page.locator("#k-story")
    assert panel.is_visible()
    heading = next(slide for slide in data["slides"] if slide["id"] == ids[1])["d"]["heading"]
    assert panel.locator("h1").inner_text() == heading
    run(page, 61_000)  # a minute untouched: back to autoplay
    assert not panel.is_visible()
    assert current(page) == ids[2]
    assert next_slide(page) == ids[3]


# --- file:// -----------------------------------------------------------------------------------------

def test_a_screen_plays_from_file_with_updates_off(open_page, sample) -> None:
    data = playlist(sample, "control-room")
    page = open_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    open_screen(page, (sample / "screens/control-room/index.html").as_uri(), weekday_morning(data["built"] / 1000))
    first = current(page)
    run(page, 120_000, step=2_000)
    assert current(page) != first and page.evaluate(f"{KIOSK}.changes") > 5
    assert not [url for url in requests if "version.json" in url or "playlist.json" in url]
    assert page.evaluate(f"{KIOSK}.errors") == []


# --- long runs: nothing accumulates -----------------------------------------------------------------------

def test_a_long_run_accumulates_no_slides_timers_or_nodes(open_page, sample) -> None:
    data = playlist(sample, "er-lou-zou-lang")
    page = open_page()
    open_screen(page, (sample / "screens/er-lou-zou-lang/index.html").as_uri(), weekday_morning(data["built"] / 1000))
    count_nodes = "document.getElementsByTagName('*').length"
    for _ in range(40):
        next_slide(page)
    nodes_early = page.evaluate(count_nodes)
    for _ in range(len(data["slides"]) * 4):
        next_slide(page)
    run(page, 2_000)
    assert page.evaluate(f"{KIOSK}.changes") > 150
    assert page.locator(".k-slide").count() <= 2
    assert page.evaluate(count_nodes) <= nodes_early + 150  # one slide's worth of difference at most
    assert page.evaluate(f"{KIOSK}.errors") == []


# --- burn-in, video, the overview page -----------------------------------------------------------------

def test_a_slow_pixel_shift_moves_the_content_against_burn_in(open_page, schedule_site) -> None:
    page = open_page()
    open_screen(page, schedule_site.as_uri(), dt.datetime(2025, 5, 12, 10, 0))
    shift = "() => [getComputedStyle(document.getElementById('k-root')).getPropertyValue('--sx').trim(), " \
            "getComputedStyle(document.getElementById('k-root')).getPropertyValue('--sy').trim()]"
    first = page.evaluate(shift)
    run(page, 125_000, step=5_000)
    second = page.evaluate(shift)
    run(page, 120_000, step=5_000)
    third = page.evaluate(shift)
    assert len({tuple(first), tuple(second), tuple(third)}) == 3
    assert all(abs(int(value.removesuffix("px") or 0)) <= 6 for value in (*second, *third))


def test_a_video_that_cannot_play_is_skipped(open_page, make_site, monkeypatch) -> None:
    """A real video passes the build (ffprobe reads it); the copy on the server is then damaged."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2025, 1, 1, 9, 0).timestamp())))
    root = make_site({
        "content/philosophy/p.md": PHILOSOPHY,
        "content/screens/s.yaml": "name: 屏\nplaylist:\n  - video: film.mp4\n  - collection: philosophy\n",
    })
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        missing_tool("ffmpeg", "sudo apt-get install ffmpeg")
    subprocess.run([ffmpeg, "-v", "error", "-f", "lavfi", "-i", "testsrc=duration=2:size=160x120:rate=10",
                    "-c:v", "libvpx-vp9", "-y", str(root / "content/screens/film.mp4")], check=True, timeout=120)
    result = build(Project(root, root / "site"))
    assert result.ok, [d.message("en") for d in result.diagnostics.items]
    video = next(slide for slide in playlist(root / "site", "s")["slides"] if slide["layout"] == "video")
    published = (root / "site/screens/s" / video["d"]["src"]).resolve()
    assert published.is_file()
    published.write_bytes(b"\x00\x00\x00\x18ftypmp42 damaged on the way" * 40)
    page = open_page()
    open_screen(page, (root / "site/screens/s/index.html").as_uri(), dt.datetime(2025, 5, 12, 10, 0))
    seen = [current(page)] + [next_slide(page) for _ in range(3)]
    assert set(seen) == {"e2-philosophy-p"}
    assert any("film.mp4" in error for error in page.evaluate(f"{KIOSK}.errors"))


def test_the_overview_shows_a_live_preview_of_every_screen(open_page, sample) -> None:
    page = open_page(1280, 900)
    page.goto((sample / "screens/index.html").as_uri())
    frames = page.locator(".screen-preview iframe")
    assert frames.count() == len(SAMPLE_SCREENS)
    for index in range(frames.count()):
        frames.nth(index).scroll_into_view_if_needed()
        frame = frames.nth(index).element_handle().content_frame()
        frame.wait_for_function(f"{KIOSK} && {KIOSK}.current !== null")
        box = frames.nth(index).bounding_box()
        assert box["width"] < 400  # scaled down to its card
    assert page.get_by_role("link", name="熔炼主控室").count() == 1
