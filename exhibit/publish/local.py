"""Carry out a publish plan on a local folder or a mounted share.

Each file is copied beside its final name and then renamed over it (`os.replace`), so a
reader opening it at any moment gets the old bytes or the new ones, never a partial file.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path

from exhibit.publish.manifest import Entry, Manifest, write_manifest
from exhibit.publish.plan import PublishPlan

Advance = Callable[[int], None]


def apply_plan(plan: PublishPlan, dest: Path, current: Manifest, advance: Advance) -> None:
    """Assets, then pages, then version files; then the manifest; then the removals it no longer lists."""
    dest.mkdir(parents=True, exist_ok=True)
    # First record every file this run may write, so an interrupted run leaves nothing unowned.
    pending = Manifest({**current.files, **{c.rel: Entry(c.sha256) for c in plan.writes}}, dict(current.retired))
    write_manifest(dest, pending)
    written: dict[str, Entry] = {}
    for change in plan.writes:
        written[change.rel] = _copy_atomically(change.source, dest / change.rel, change.sha256)
        advance(1)
    final = Manifest({**plan.manifest.files, **written}, plan.manifest.retired)
    write_manifest(dest, final)
    for rel in plan.removals:
        _remove(dest, rel)


def _copy_atomically(source: Path, target: Path, sha256: str) -> Entry:
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.exhibit-tmp")
    try:
        shutil.copyfile(source, temporary)
        os.replace(temporary, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
    stat = target.stat()
    return Entry(sha256, stat.st_size, stat.st_mtime_ns)


def _remove(dest: Path, rel: str) -> None:
    """Remove one file Exhibit wrote, then the folders that removal left empty (never DEST itself)."""
    path = dest / rel
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    folder = path.parent
    while folder != dest and folder.is_relative_to(dest):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
