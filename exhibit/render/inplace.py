"""The preview's writes: only the files a save changed, into the site it made last, swapped in together.

A full build stages a whole new site/ and swaps it in (output.py), which at 5,000
items means linking 5,700 files and making 200 folders for a save that changed
one page. The preview owns its site/ between two of its own runs, so it writes
each changed file as a temporary file beside its place, and `commit` renames
them all into place and removes the outputs the site no longer has, while the
preview's HTTP server waits (the engine holds its lock around `commit`): a
browser is served the old set of files or the new one. Unchanged files keep
their inode and mtime, as with the staged writer. Used only when site/ is the
one the last run wrote (its marker says so); else the engine stages as usual.
"""

from __future__ import annotations

import contextlib
import filecmp
import os
from collections.abc import Iterable
from pathlib import Path

from exhibit.render.output import MARKER_NAME, OutputRefused, copy_file, has_new_file_mode


class InPlaceOutput:
    """StagedOutput's interface, writing into out_dir itself (see the module docstring)."""

    def __init__(self, out_dir: Path, old_outputs: Iterable[str]) -> None:
        self.out_dir = out_dir
        self.old_outputs = set(old_outputs)
        self._kept: set[str] = set()
        self._pending: list[tuple[str, str]] = []  # (temporary file, its place)

    def open(self) -> None:
        if not (self.out_dir / MARKER_NAME).is_file():
            raise OutputRefused(str(self.out_dir))

    def link_unchanged(self, rel: str, staged_as: tuple[int, int] | None) -> bool:
        """True when the file in place still has the (size, mtime) it was written with: nothing to do."""
        try:
            stat = os.stat(os.path.join(self.out_dir, rel))
        except OSError:
            return False
        if staged_as is None or (stat.st_size, stat.st_mtime_ns) != tuple(staged_as) or not has_new_file_mode(stat):
            return False
        self._kept.add(rel)
        return True

    def write(self, rel: str, data: bytes) -> tuple[int, int]:
        """The file's (size, mtime) once in place: the old file's when it holds these bytes already."""
        self._kept.add(rel)
        target = os.path.join(self.out_dir, rel)
        with contextlib.suppress(OSError):
            stat = os.stat(target)
            if stat.st_size == len(data) and has_new_file_mode(stat) and Path(target).read_bytes() == data:
                return stat.st_size, stat.st_mtime_ns
        temp = self._temp_for(target)
        with open(temp, "wb") as file:
            file.write(data)
        stat = os.stat(temp)
        return stat.st_size, stat.st_mtime_ns

    def copy(self, rel: str, source: Path) -> None:
        self._kept.add(rel)
        target = os.path.join(self.out_dir, rel)
        with contextlib.suppress(OSError):
            src_stat, old_stat = source.stat(), os.stat(target)
            if src_stat.st_size == old_stat.st_size and has_new_file_mode(old_stat) and (
                    src_stat.st_mtime_ns == old_stat.st_mtime_ns or filecmp.cmp(source, target, shallow=False)):
                return
        copy_file(source, self._temp_for(target))

    def _temp_for(self, target: str) -> str:
        folder, name = os.path.split(target)
        os.makedirs(folder, exist_ok=True)
        temp = os.path.join(folder, f".{name}.exhibit-{os.getpid()}.tmp")
        self._pending.append((temp, target))
        return temp

    def commit(self) -> None:
        """Every new file into its place, then the outputs no longer made removed (with folders left empty)."""
        for temp, target in self._pending:
            os.replace(temp, target)
        self._pending.clear()
        for rel in sorted(self.old_outputs - self._kept):
            target = self.out_dir / rel
            with contextlib.suppress(OSError):
                target.unlink()
                _remove_empty_parents(target.parent, self.out_dir)

    def discard(self) -> None:
        for temp, _ in self._pending:
            with contextlib.suppress(OSError):
                os.unlink(temp)
        self._pending.clear()


def _remove_empty_parents(folder: Path, top: Path) -> None:
    while folder != top and top in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
