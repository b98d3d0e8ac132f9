"""Shared by the kiosk scripts: build the sample site and drive Debian's Chromium through Playwright."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from exhibit.engine import build  # noqa: E402
from exhibit.project import Project  # noqa: E402

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]
ORIENTATIONS = {"landscape": (1920, 1080), "portrait": (1080, 1920)}


def build_sample(out: Path) -> Path:
    """Build the repository's sample content into `out`; exit with the problems if it does not build."""
    result = build(Project(REPO, out))
    if not result.ok or not result.written:
        for diagnostic in result.diagnostics.sorted():
            print(diagnostic.location(), diagnostic.message("en"), file=sys.stderr)
        raise SystemExit("the sample site did not build")
    return out


def chromium() -> str:
    for candidate in (os.environ.get("EXHIBIT_CHROMIUM"), shutil.which("chromium"), "/usr/bin/chromium"):
        if candidate and Path(candidate).is_file():
            return candidate
    raise SystemExit("Chromium is not installed: apt-get install chromium")


@contextmanager
def browser(extra_args: tuple[str, ...] = ()) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium(), headless=True,
                                              args=[*CHROMIUM_ARGS, *extra_args])
        try:
            yield instance
        finally:
            instance.close()
