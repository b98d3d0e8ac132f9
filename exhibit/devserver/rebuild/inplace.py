"""Updating a live output folder file by file: each write is atomic, unchanged bytes are not rewritten.

The dev server serves site/ while it rebuilds; a reader sees either the old
or the new file, never half of one (temp file, then os.replace, as Lektor does).
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path

from exhibit.render.output import MARKER_NAME, marker_bytes


def _temp_beside(target: Path) -> Path:
    return target.parent / f".{target.name}.exhibit-{os.getpid()}.tmp"


def _replace_atomically(target: Path, fill: Callable[[Path], object]) -> None:
    """Fill a temp file beside `target`, then rename it over: readers never see half a file."""
    temp = _temp_beside(target)
    try:
        try:
            fill(temp)
        except FileNotFoundError:  # a new folder (the first page of a new listing, say)
            target.parent.mkdir(parents=True, exist_ok=True)
            fill(temp)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        raise


def write_if_changed(target: Path, data: bytes) -> bool:
    """Write `data` to `target` unless it already holds exactly that; True when written."""
    try:
        if target.stat().st_size == len(data) and target.read_bytes() == data:
            return False
    except OSError:
        pass
    _replace_atomically(target, lambda temp: temp.write_bytes(data))
    return True


def _same_file_bytes(first: Path, second: Path) -> bool:
    try:
        if first.stat().st_size != second.stat().st_size:
            return False
        with first.open("rb") as a, second.open("rb") as b:
            while True:
                chunk = a.read(1 << 20)
                if chunk != b.read(1 << 20):
                    return False
                if not chunk:
                    return True
    except OSError:
        return False


def copy_if_changed(target: Path, source: Path) -> bool:
    """Copy `source` over `target` atomically unless the bytes are already the same."""
    if _same_file_bytes(source, target):
        return False
    _replace_atomically(target, lambda temp: shutil.copy2(source, temp))
    return True


def remove_output(out_dir: Path, rel: str) -> bool:
    """Delete a stale output file and the folders it leaves empty; True when something was removed."""
    target = out_dir / rel
    try:
        target.unlink()
    except FileNotFoundError:
        return False
    folder = target.parent
    while folder != out_dir and folder.is_relative_to(out_dir):
        try:
            folder.rmdir()
        except OSError:
            break
        folder = folder.parent
    return True


def ensure_marker(out_dir: Path) -> None:
    write_if_changed(out_dir / MARKER_NAME, marker_bytes())


def has_marker(out_dir: Path) -> bool:
    return (out_dir / MARKER_NAME).is_file()


class LiveOutput:
    """The output folder as the dev server last wrote it, so a build compares in memory, not on disk."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.data: dict[str, bytes] = {}
        self.copies: dict[str, tuple[Path, tuple[int, int] | None]] = {}

    def reset(self, data: dict[str, bytes], copies: dict[str, Path]) -> None:
        """After a full (staged) write: this is what the folder now holds."""
        self.data = dict(data)
        self.copies = {path: (source, _signature(source)) for path, source in copies.items()}

    def paths(self) -> set[str]:
        return set(self.data) | set(self.copies)

    def write(self, rel: str, data: bytes) -> bool:
        """Write unless the folder already holds these bytes; True when written."""
        known = self.data.get(rel)
        if known is not None and (known is data or known == data):
            return False
        if known is not None:  # this folder holds what it was last given, and that differs
            _replace_atomically(self.out_dir / rel, lambda temp: temp.write_bytes(data))
            changed = True
        else:
            changed = write_if_changed(self.out_dir / rel, data)
        self.data[rel] = data
        self.copies.pop(rel, None)
        return changed

    def copy(self, rel: str, source: Path) -> bool:
        """Copy unless the same source, unchanged, was copied there last time; True when copied."""
        signature = _signature(source)
        if self.copies.get(rel) == (source, signature) and signature is not None:
            return False
        changed = copy_if_changed(self.out_dir / rel, source)
        self.copies[rel] = (source, signature)
        self.data.pop(rel, None)
        return changed

    def remove(self, rel: str) -> bool:
        self.data.pop(rel, None)
        self.copies.pop(rel, None)
        return remove_output(self.out_dir, rel)


def _signature(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size
