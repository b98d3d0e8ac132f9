"""Every file of site/ can be read by the web server, which runs as another user: the mode a new file gets."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from conftest import WORKER_MD, make_image, run_cli

from exhibit.render.output import new_file_mode

PHOTO_MD = WORKER_MD.replace("since: 2008\n", "since: 2008\nphoto: /photos/shao.jpg\n")


def _odd_modes(folder: Path) -> dict[str, str]:
    """Files whose mode is not what a new file gets, by path under `folder`."""
    return {path.relative_to(folder).as_posix(): oct(stat.S_IMODE(path.stat().st_mode))
            for path in folder.rglob("*") if path.is_file() and stat.S_IMODE(path.stat().st_mode) != new_file_mode()}


def _owner_only(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            path.chmod(0o600)


def test_stylesheets_fonts_and_a_private_photo_are_readable_in_the_site(make_site):
    root = make_site({"content/workers/邵志村.md": PHOTO_MD})
    photo = make_image(root / "content/photos/shao.jpg", (800, 600))
    photo.chmod(0o600)  # saved by its owner for their eyes only: the site still publishes it
    assert run_cli(root).returncode == 0
    assert new_file_mode() & 0o444 == 0o444, "run the tests with a umask that lets others read (022)"
    assert list((root / "site/assets/css").glob("*.css")), "the theme's stylesheet is in the site"
    assert _odd_modes(root / "site") == {}


def test_owner_only_files_of_an_older_build_are_not_linked_into_the_next_site(make_site):
    root = make_site({"content/workers/邵志村.md": PHOTO_MD, "content/workers/other.md": WORKER_MD})
    make_image(root / "content/photos/shao.jpg", (800, 600))
    assert run_cli(root).returncode == 0
    _owner_only(root / "site")  # as the asset cache's files were written, and so linked into site/, before
    _owner_only(root / ".exhibit-cache")
    story = root / "content/workers/other.md"
    story.write_text(story.read_text(encoding="utf-8") + "\n新的一段。\n", encoding="utf-8")
    assert run_cli(root).returncode == 0
    assert _odd_modes(root / "site") == {}


def test_the_umask_is_read_without_changing_it():
    before = os.umask(0o022)
    os.umask(before)
    assert new_file_mode() == 0o666 & ~before
    now = os.umask(0o022)
    os.umask(now)
    assert now == before
