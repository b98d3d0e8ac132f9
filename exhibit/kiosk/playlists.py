"""Screens → playlists → slide data, the version file each screen polls, and the pages that show them.

Outputs per screen: `screens/<id>/index.html` (the playlist inlined, so it also
runs from file://), `screens/<id>/playlist.json` (what a running screen fetches
on an update) and `screens/<id>/version.json` (the small file it polls). The
version is a hash of the playlist, so it changes exactly when what a screen
would show changes; `shell` is a hash of the runtime, so a new runtime makes
screens reload themselves. `runtime` names the final hashed CSS and JS: a new
script reloads a screen too, a new stylesheet alone (a new font subset) is
swapped in place at a slide boundary.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from exhibit.kiosk.screens import Screen, ScreenSet
from exhibit.kiosk.slides import Slide, SlideContext, entry_slides
from exhibit.model.media import Media
from exhibit.model.sitemodel import SiteModel
from exhibit.render.outputs import GeneratedFile, Page, StaticFile, asset_placeholder, media_files
from exhibit.render.templates import relative_url

FORMAT = 1
RUNTIME_DIR = "kiosk"  # under assets/ and under templates/
RUNTIME_FILES = ("kiosk.css", "kiosk.js")
SERVICE_WORKER = "screens/sw.js"


@dataclass
class KioskPlan:
    pages: list[Page] = field(default_factory=list)
    generated: list[GeneratedFile] = field(default_factory=list)
    files: list[StaticFile] = field(default_factory=list)


SLIDE_IMAGE_SHARE = 0.6
"""The most of a screen's long edge one slide image covers (a profile photo, a gallery tile)."""


def slide_image(media: Media, screen: Screen) -> str:
    """The site path of the image a slide shows: the one place that picks a rendition for screens.

    The smallest WebP rendition that is sharp at the size the slide shows it; a 1080p board
    never downloads the 4K rendition made for a 4K screen elsewhere on the site.
    """
    if media.renditions is None:
        return media.href_path
    needed = max(screen.width, screen.height) * SLIDE_IMAGE_SHARE
    candidates = media.renditions.webp or media.renditions.fallback
    sharp = [r for r in candidates if max(r.width, r.height) >= needed]
    return (sharp[0] if sharp else candidates[-1]).path


def runtime_files(assets_dir: Path) -> list[str]:
    """The screen's CSS and JS as asset placeholders, resolved to their final hashed URLs.

    The stylesheet's name also changes with the font subset, when new content brings
    characters: the screen then swaps the stylesheet (and its font) in place, without a reload.
    """
    return [asset_placeholder(f"{RUNTIME_DIR}/{name}") for name in RUNTIME_FILES
            if (assets_dir / RUNTIME_DIR / name).is_file()]


def runtime_fingerprint(assets_dir: Path, templates_dir: Path | None) -> str:
    """A hash of the screen runtime (JS, CSS, templates): when it changes, running screens reload."""
    digest = hashlib.sha256()
    for kind, base in (("assets", assets_dir / RUNTIME_DIR),
                       ("templates", templates_dir / RUNTIME_DIR if templates_dir else None)):
        if base is None or not base.is_dir():
            continue
        for path in sorted(p for p in base.rglob("*") if p.is_file() and not p.name.startswith(".")):
            name = f"{kind}/{path.relative_to(base).as_posix()}"
            digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def json_bytes(data: object) -> bytes:
    """Stable JSON that is also safe inside an HTML <script> element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return text.encode("utf-8")


def playlist(screen: Screen, screens: ScreenSet, model: SiteModel,
             shell: str, runtime: list[str]) -> tuple[dict[str, object], list[Slide]]:
    """The whole playlist of one screen as JSON-ready data, and the slides it was made of."""
    config, settings = model.config, screens.settings
    ctx = SlideContext(screen, config.language, config.base_url,
                       lambda media: relative_url(screen.url_path, slide_image(media, screen)),
                       config.title, config.subtitle,
                       settings.safety_start.display(config.language) if settings.safety_start else None)
    slides = [slide for index, entry in enumerate(screen.entries) for slide in entry_slides(index, entry, ctx)]
    quiet = screen.quiet_hours if screen.quiet_hours is not None else settings.quiet_hours
    data: dict[str, object] = {
        "format": FORMAT,
        "shell": shell,
        "runtime": runtime,
        "built": screens.built_at * 1000,
        "lang": config.language,
        "screen": {"id": screen.id, "name": screen.name, "location": screen.location,
                   "orientation": screen.orientation, "width": screen.width, "height": screen.height,
                   "touch": screen.touch, "unit": screen.unit.name if screen.unit else None},
        "site": {"title": config.title, "subtitle": config.subtitle},
        "settings": {"quiet": [r.as_list() for r in quiet], "reload_at": settings.reload_at,
                     "poll": settings.poll_seconds,
                     "safety_start": settings.safety_start.iso() if settings.safety_start else None},
        "slides": [slide.as_json() for slide in slides],
    }
    data["version"] = hashlib.sha256(json_bytes(data)).hexdigest()[:12]
    return data, slides


def plan_screens(model: SiteModel, screens: ScreenSet, assets_dir: Path, templates_dir: Path | None) -> KioskPlan:
    """Every page and generated file the screens need, each with the sources it depends on."""
    plan = KioskPlan()
    if not screens:
        return plan
    shell = runtime_fingerprint(assets_dir, templates_dir)
    runtime = runtime_files(assets_dir)
    config_source = "content/site.yaml"
    rows = []
    for screen in screens:
        data, slides = playlist(screen, screens, model, shell, runtime)
        sources = tuple(dict.fromkeys((config_source, screen.source,
                                       *(source for slide in slides for source in slide.sources))))
        payload = json_bytes(data)
        version = json_bytes({"format": FORMAT, "version": data["version"], "shell": shell, "runtime": runtime})
        plan.generated.append(GeneratedFile(screen.folder + "playlist.json", payload, sources))
        plan.generated.append(GeneratedFile(screen.folder + "version.json", version, sources))
        plan.pages.append(Page(screen.url_path, "kiosk/screen.html", {
            "screen": screen, "playlist_json": Markup(payload.decode("utf-8")),
            "version": data["version"], "shell": shell, "slide_count": len(slides),
        }, sources))
        rows.append({"screen": screen, "slides": len(slides), "version": data["version"]})
    plan.pages.append(Page("screens/index.html", "kiosk/index.html", {"screen_rows": rows},
                           (config_source, *(screen.source for screen in screens))))
    media_paths = {media.url_path for media in model.media}
    plan.files += [file for media in screens.media if media.url_path not in media_paths
                   for file in media_files(media)]
    service_worker = assets_dir / RUNTIME_DIR / "sw.js"
    if service_worker.is_file():  # served from screens/ so that its scope covers every screen
        plan.files.append(StaticFile(SERVICE_WORKER, service_worker))
    return plan
