"""Which folders a publish may write into, decided before anything is written.

Publishing replaces and removes files, so a slip of the keyboard (`/`, the home folder,
the project itself, a folder of someone else's files) must be refused, not obeyed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from exhibit.project import Project
from exhibit.publish.manifest import MANIFEST_NAME

RSYNC_TARGET = re.compile(r"^(?:[^@/\\:\s]+@)?[A-Za-z0-9][A-Za-z0-9.\-]*:")
"""`user@host:path` or `host:path`; `C:\\...` (a drive letter then a slash) is a local Windows path."""

HOME_PARENTS = ("home", "Users")


@dataclass(frozen=True)
class Refusal:
    """Why DEST was refused: a catalogue code and its arguments."""

    code: str
    folder: str


def is_rsync_target(dest: str) -> bool:
    return bool(RSYNC_TARGET.match(dest)) and not re.match(r"^[A-Za-z]:", dest)


def refusal_for(dest: Path, project: Project) -> Refusal | None:
    """None when a local DEST may be published into; else the first reason it may not."""
    folder = dest.resolve()
    shown = str(dest)
    if folder == Path(folder.anchor):
        return Refusal("publish_refused_root", shown)
    if _is_home(folder):
        return Refusal("publish_refused_home", shown)
    root = project.root.resolve()
    if folder == root or root.is_relative_to(folder):
        return Refusal("publish_refused_project", shown)
    for source in (project.content_dir, project.templates_dir, project.assets_dir, project.out):
        if folder == source.resolve() or folder.is_relative_to(source.resolve()):
            return Refusal("publish_refused_project", shown)
    if folder.exists() and not folder.is_dir():
        return Refusal("publish_refused_not_folder", shown)
    if folder.is_dir() and not (folder / MANIFEST_NAME).is_file() and any(folder.iterdir()):
        return Refusal("publish_refused_not_empty", shown)
    return None


def _is_home(folder: Path) -> bool:
    """The user's home, any folder above it, or any folder directly under /home or C:\\Users."""
    home = Path.home().resolve()
    if folder == home or home.is_relative_to(folder):
        return True
    parent = folder.parent
    return parent.name in HOME_PARENTS and parent.parent == Path(folder.anchor)
