"""Playlist generation: screens → slide data, playlist.json, version.json and the screen pages."""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import REPO, SITE_YAML, WORKER_MD, make_image, tree_bytes
from PIL import Image

from exhibit.diagnostics import Diagnostics
from exhibit.engine import build
from exhibit.engine.stages import load_site, plan_site
from exhibit.project import Project

RUNTIME_LIMIT = 40 * 1024

HONORS_YAML = "".join(f"- title: 荣誉{n}\n  date: 2020-0{n}\n  level: 厂级\n  recipient: smelting-1\n"
                      for n in range(1, 9))
HISTORY_YAML = "".join(f"- title: 大事{n}\n  date: {2010 + n}\n" for n in range(1, 11))
ACTIVITY_MD = """\
---
title: 横班党建
unit: smelting-1
date: 2024-05
photos: [a.jpg, b.jpg]
display_from: 2024-05-01
display_until: 2024-06
---
第一段故事，[链接](../workers/邵志村.md)。
"""
SCREEN_YAML = """\
name: 二楼走廊
location: 二楼走廊
unit: smelting-1
playlist:
  - widget: title
  - collection: workers
    duration: 15
  - collection: honors
    per_page: 3
  - collection: history
  - collection: activities
    weekdays: 周一至周五
    hours: "08:00-18:00"
    display_until: 2024-05-20
  - widget: safety
"""


def site_files(**extra: str | bytes) -> dict[str, str | bytes]:
    return {
        "content/site.yaml": SITE_YAML + "kiosk:\n  safety_start: 2019-03-01\n  quiet_hours: \"22:00-06:00\"\n",
        "content/workers/邵志村.md": WORKER_MD.replace("since: 2008", "since: 2008\nphoto: shao.jpg"),
        "content/honors.yaml": HONORS_YAML,
        "content/history.yaml": HISTORY_YAML,
        "content/activities/shift.md": ACTIVITY_MD,
        "content/screens/corridor.yaml": SCREEN_YAML,
        **extra,
    }


def built(make_site, files: dict | None = None, **env) -> Path:
    root = make_site(files or site_files())
    for name in ("workers/shao.jpg", "activities/a.jpg", "activities/b.jpg"):
        make_image(root / "content" / name, (800, 600))
    result = build(Project(root, root / "site"))
    assert result.ok and result.written, [d.message("en") for d in result.diagnostics.items]
    return root / "site"


def playlist(site: Path, screen: str = "corridor") -> dict:
    return json.loads((site / "screens" / screen / "playlist.json").read_text(encoding="utf-8"))


def rendition(site: Path, stem: str, width: int, suffix: str) -> str:
    """The URL, relative to a screen's page, of the one published rendition of `stem` at `width` pixels."""
    folder, name = stem.rsplit("/", 1)
    found = [path for path in (site / "media" / folder).iterdir()
             if re.fullmatch(rf"{re.escape(name)}-{width}w\.[0-9a-f]{{10}}{re.escape(suffix)}", path.name)]
    assert len(found) == 1, sorted(path.name for path in (site / "media" / folder).iterdir())
    return f"../../media/{folder}/{found[0].name}"


def test_each_screen_gets_a_page_a_playlist_and_a_version_file(make_site) -> None:
    site = built(make_site)
    data = playlist(site)
    version = json.loads((site / "screens/corridor/version.json").read_text(encoding="utf-8"))
    assert version == {"format": 1, "version": data["version"], "shell": data["shell"], "runtime": data["runtime"]}
    # the runtime is named by its final hashed files: a new stylesheet alone (a new font subset) is swapped in place
    assert len(data["runtime"]) == 2
    assert [Path(url).suffix for url in data["runtime"]] == [".css", ".js"]
    assert all((site / "screens/corridor" / url).resolve().is_file() for url in data["runtime"])
    html = (site / "screens/corridor/index.html").read_text(encoding="utf-8")
    inline = re.search(r'<script id="k-data" type="application/json">(.*?)</script>', html, re.S).group(1)
    assert inline.encode("utf-8") == (site / "screens/corridor/playlist.json").read_bytes()
    assert data["screen"] == {"id": "corridor", "name": "二楼走廊", "location": "二楼走廊", "orientation": "landscape",
                              "width": 1920, "height": 1080, "touch": False, "unit": "熔炼党总支第一党支部"}
    assert data["settings"] == {"quiet": [["22:00", "06:00"]], "reload_at": "03:00", "poll": 30,
                                "safety_start": "2019-03-01"}
    index = (site / "screens/index.html").read_text(encoding="utf-8")
    assert 'src="corridor/index.html?preview=1"' in index and "二楼走廊" in index


def test_slides_follow_the_playlist_with_each_layouts_data(make_site) -> None:
    site = built(make_site)
    slides = playlist(site)["slides"]
    layouts = [slide["layout"] for slide in slides]
    assert layouts == ["title", "worker", "honors-wall", "honors-wall", "honors-wall",
                       *["timeline"] * 10, "activity", "safety"]
    title, worker = slides[0], slides[1]
    assert title["d"]["title"] == "熔炼党总支第一党支部"
    assert worker["duration"] == 15 and title["duration"] == 12
    assert worker["d"]["name"] == "邵志村" and worker["d"]["quote"].startswith("哪里最难")
    # an 800x600 photo has no rendition as wide as the slide needs: the largest WebP one, never the original
    assert worker["d"]["photo"] == rendition(site, "workers/shao", 800, ".webp")
    assert worker["images"] == [worker["d"]["photo"]]
    assert worker["d"]["honors"] == ["优秀共产党员"]
    assert "qr" not in worker["d"]  # no base_url, no QR code


def test_honors_page_through_and_the_timeline_moves_along_the_years(make_site) -> None:
    slides = playlist(built(make_site))["slides"]
    walls = [slide for slide in slides if slide["layout"] == "honors-wall"]
    assert [len(wall["d"]["honors"]) for wall in walls] == [3, 3, 2]
    assert walls[0]["d"]["page"] == "1 / 3" and walls[0]["d"]["honors"][0]["level"] == "厂级"
    timeline = [slide for slide in slides if slide["layout"] == "timeline"]
    currents = [[mark["label"] for mark in slide["d"]["axis"] if mark.get("current")] for slide in timeline]
    assert currents == [[str(2011 + n)] for n in range(10)]
    assert all(len(slide["d"]["axis"]) == 7 for slide in timeline)
    assert timeline[5]["d"]["axis"][3]["label"] == "2016"  # the current year sits in the middle


def test_time_limits_become_data_the_screen_evaluates(make_site) -> None:
    site = built(make_site)
    activity = next(s for s in playlist(site)["slides"] if s["layout"] == "activity")
    # the item's window (May-June 2024) narrowed by the entry's display_until
    assert activity["when"] == {"from": "2024-05-01", "until": "2024-05-20", "days": [1, 2, 3, 4, 5],
                                "hours": [["08:00", "18:00"]]}
    assert activity["d"]["photos"] == [rendition(site, f"activities/{name}", 800, ".webp") for name in "ab"]
    assert activity["images"] == activity["d"]["photos"]
    assert 'href="../../workers/shao-zhi-cun.html"' in activity["d"]["story"]


def test_every_slide_url_is_relative_and_points_at_a_real_file(make_site) -> None:
    site = built(make_site)
    for slide in playlist(site)["slides"]:
        for url in slide["images"]:
            assert not url.startswith(("/", "http")), url
            assert (site / "screens/corridor" / url).resolve().is_file(), url


def test_a_slide_gets_the_smallest_webp_rendition_sharp_enough_for_its_screen(make_site) -> None:
    files = site_files(**{"content/screens/wall.yaml": "name: 大屏\nresolution: 3840x2160\nplaylist:\n"
                                                       "  - item: workers/邵志村\n"})
    root = make_site(files)
    make_image(root / "content/workers/shao.jpg", (4000, 3000))
    for name in ("activities/a.jpg", "activities/b.jpg"):
        make_image(root / "content" / name, (800, 600))
    assert build(Project(root, root / "site")).ok
    site = root / "site"
    # a slide shows a photo at up to 60% of the screen's long edge: 1152 px on Full HD, 2304 px on 4K
    corridor = next(s for s in playlist(site)["slides"] if s["layout"] == "worker")
    wall = next(s for s in playlist(site, "wall")["slides"] if s["layout"] == "worker")
    assert corridor["images"] == [rendition(site, "workers/shao", 1280, ".webp")]
    assert wall["images"] == [rendition(site, "workers/shao", 2560, ".webp")]
    with Image.open(site / "screens/corridor" / corridor["images"][0]) as image:
        assert image.format == "WEBP" and image.size == (1280, 960)
    assert not (site / "media/workers/shao.jpg").exists()  # the 4000x3000 original is not published


def test_qr_codes_appear_only_with_a_base_url(make_site) -> None:
    files = site_files()
    files["content/site.yaml"] = files["content/site.yaml"].replace("language: zh-CN", "language: zh-CN\nbase_url: http://intranet.example/exhibit")
    worker = playlist(built(make_site, files))["slides"][1]
    assert worker["d"]["qr"].startswith("<svg") and "path" in worker["d"]["qr"]
    assert "http" not in worker["d"]["qr"]  # an SVG drawing, nothing fetched


def test_the_same_content_builds_the_same_bytes(make_site, tmp_path) -> None:
    site = built(make_site)
    first = tree_bytes(site)
    result = build(Project(site.parent, tmp_path / "again"))
    assert result.ok and tree_bytes(tmp_path / "again") == first


def test_the_version_changes_with_the_content_and_the_shell_with_the_runtime(make_site, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    site = built(make_site)
    root = site.parent
    before = playlist(site)
    assert before["built"] == 1700000000 * 1000
    worker = root / "content/workers/邵志村.md"
    worker.write_text(worker.read_text(encoding="utf-8").replace("邵志村", "邵志村同志", 1), encoding="utf-8")
    build(Project(root, site))
    after = playlist(site)
    assert after["version"] != before["version"] and after["shell"] == before["shell"]
    (root / "assets/kiosk/kiosk.css").write_text("/* changed */", encoding="utf-8")
    build(Project(root, site))
    assert playlist(site)["shell"] != after["shell"]


def test_screen_outputs_are_planned_with_the_sources_they_depend_on(make_site) -> None:
    root = make_site(site_files())
    for name in ("workers/shao.jpg", "activities/a.jpg", "activities/b.jpg"):
        make_image(root / "content" / name)
    diagnostics = Diagnostics()
    _, model, screens = load_site(Project(root, root / "site"), diagnostics, None)
    plan = plan_site(model, screens, root / "assets", diagnostics, root / "templates")
    generated = {file.path: file.sources for file in plan.generated}
    assert set(generated) == {"screens/corridor/playlist.json", "screens/corridor/version.json"}
    sources = generated["screens/corridor/playlist.json"]
    assert {"content/site.yaml", "content/screens/corridor.yaml", "content/workers/邵志村.md",
            "content/honors.yaml", "content/activities/shift.md"} <= set(sources)
    page = next(page for page in plan.pages if page.path == "screens/corridor/index.html")
    assert page.template == "kiosk/screen.html" and page.sources == sources
    assert any(file.path == "screens/sw.js" for file in plan.files)


def test_a_site_without_screens_gets_no_screen_files(make_site) -> None:
    files = site_files()
    del files["content/screens/corridor.yaml"]
    site = built(make_site, files)
    assert not (site / "screens").exists()


def test_the_screen_page_is_dark_from_the_first_byte_and_loads_nothing_from_outside(make_site) -> None:
    html = (built(make_site) / "screens/corridor/index.html").read_text(encoding="utf-8")
    head = html[: html.index("<link")]
    assert "background:#140405" in head  # before any stylesheet can be fetched
    assert not re.search(r'(?:src|href)="(?:https?:)?//', html)


def test_the_screen_runtime_stays_under_40_kb() -> None:
    runtime = [REPO / "assets/kiosk/kiosk.js", REPO / "assets/kiosk/kiosk.css", REPO / "assets/kiosk/sw.js"]
    size = sum(path.stat().st_size for path in runtime)
    print(f"screen runtime: {size} bytes")
    assert size < RUNTIME_LIMIT
