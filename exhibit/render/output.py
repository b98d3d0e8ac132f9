"""Writes the site atomically: a staging folder beside the output, swapped in only when complete.

A failed or killed build therefore never leaves a half-written site/, and the
output folder is only ever replaced when it carries our marker. A file whose
bytes did not change is hard-linked from the current site instead of written,
so it keeps its inode and mtime: rsync and HTTP caches see it unchanged.
The files of pages the current site lacks can be created empty ahead of their
bytes (`reserve`), in a process of their own while the pages render: see there.
Folders left by a killed build are recognised by a second marker written inside
them (naming the build that made them), never by their name alone: a user's
`.site.backup-2024/` is not ours to delete.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import filecmp
import functools
import json
import os
import shutil
import signal
import stat
import sys
import threading
import time
from collections.abc import Collection, Iterator
from concurrent.futures import Future
from pathlib import Path

from exhibit import __version__

MARKER_NAME = ".exhibit-site"
LEFTOVER_MARKER = ".exhibit-leftover"
_LEFTOVER_KINDS = ("staging", "old")
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class OutputRefused(Exception):
    """The output folder holds something that is not ours."""


def marker_bytes() -> bytes:
    """Constant content, so two builds of the same content are byte-identical."""
    return (json.dumps({"generator": "exhibit", "version": __version__}) + "\n").encode()


def is_replaceable(out_dir: Path) -> bool:
    """True when out_dir is absent, empty, or a site Exhibit made."""
    if not out_dir.exists():
        return True
    if not out_dir.is_dir():
        return False
    return (out_dir / MARKER_NAME).is_file() or not any(out_dir.iterdir())


def marker_identity(out_dir: Path) -> tuple[int, int] | None:
    """Which commit made the site on disk: its marker's inode and mtime (each commit writes a new one)."""
    try:
        stat = (out_dir / MARKER_NAME).stat()
    except OSError:
        return None
    return stat.st_ino, stat.st_mtime_ns


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


_REMOVING: list[threading.Thread] = []  # the old sites the preview's commits left to a thread


def wait_for_removals() -> None:
    """Every old site handed to a removal thread is gone: a staging folder of the same name may be made."""
    while _REMOVING:
        _REMOVING.pop().join()


class StagedOutput:
    """A staging folder that becomes out_dir on commit(), or vanishes on discard().

    `trash`: a folder on the same disk (the preview's, under .exhibit-cache/) into which `commit` moves the old
    site, for a thread to remove after `commit` returns: the preview announces the new site sooner. The next
    `open` (through its leftover check) in this process waits for that removal, and empties what a killed one
    left."""

    def __init__(self, out_dir: Path, trash: Path | None = None) -> None:
        self.out_dir = out_dir
        self.staging = out_dir.parent / f".{out_dir.name}.staging-{os.getpid()}"
        self.previous = out_dir.parent / f".{out_dir.name}.old-{os.getpid()}"
        self.trash = trash
        self._made: set[str] = set()
        self._opened = False
        self._reserved: list[str] = []
        self._reserving: Future[None] | None = None

    def open(self) -> None:
        """Make the staging folder; once: a second call (the engine opens early to `reserve`) changes nothing."""
        if self._opened:
            return
        if not is_replaceable(self.out_dir):
            raise OutputRefused(str(self.out_dir))
        self.out_dir.parent.mkdir(parents=True, exist_ok=True)
        self.recover_leftovers()
        self.discard()
        self._made.clear()
        with _signals_held():  # the folder and its marker appear together: unmarked, no later build may remove it
            self.staging.mkdir()
            mark_leftover(self.staging, self.out_dir.name, os.getpid())
        _spread_subfolders(self.staging)
        self._opened = True

    def reserve(self, rels: list[str]) -> None:
        """Start creating, empty, the staged files of these pages that the current site does not have.

        Profile of a cold 1,000-item build: the two processes that wrote the pages spent 0.75 s in the kernel
        and 0.43 s of wall time, nearly all of it creating the files (ext4 allocating inodes, slowest just after
        the last build's were removed); writing the bytes into files that exist took 0.03 s. Creating them
        is the only part that does not need the pages: one process does it while they render, and the pages
        are then written into files already there. A page the current site has is not reserved: `write` may
        link it instead. Call `release` with the pages written before `commit`: a reserved file no page was
        written into is removed, never published empty."""
        from exhibit.workers import start_in_background
        self._reserved = rels
        if rels:
            self._reserving = start_in_background(_create_empty, self.staging, self.out_dir, rels)

    def release(self, written: Collection[str]) -> None:
        """Wait for `reserve`'s process; remove each file it reserved that is not among the pages `written`."""
        self._wait_for_reservation()
        for rel in self._reserved:
            if rel not in written:
                with contextlib.suppress(OSError):
                    os.unlink(os.path.join(self.staging, rel))
        self._reserved = []

    def _wait_for_reservation(self) -> None:
        """Until `reserve`'s process is done: Ctrl+C and SIGTERM wait too, or a folder being removed could
        receive new files and stay, unmarked."""
        if self._reserving is not None:
            with _signals_held(), contextlib.suppress(Exception):  # a failed reservation: files made as written
                self._reserving.result()
            self._reserving = None

    def recover_leftovers(self) -> None:
        """Undo what a killed build left: restore a moved-away site, remove its own marked folders."""
        self._empty_trash()
        for leftover in self.out_dir.parent.glob(f".{self.out_dir.name}.*-*"):
            kind_pid = leftover_kind_and_pid(leftover.name, self.out_dir.name)
            if kind_pid is None or _pid_alive(kind_pid[1]) and kind_pid[1] != os.getpid():
                continue
            kind, pid = kind_pid
            if kind == "old" and not self.out_dir.exists() and _restorable(leftover, self.out_dir.name, pid):
                os.rename(leftover, self.out_dir)
            elif is_our_leftover(leftover, self.out_dir.name, pid):
                shutil.rmtree(leftover, ignore_errors=True)

    def write(self, rel: str, data: bytes) -> tuple[int, int]:
        """Write a file; reuse the previous site's copy (a hard link) when it holds the same bytes.

        Returns the staged file's (size, mtime), which `link_unchanged` can later be given. Called for every
        page of a site, so it works on strings, not Path objects: writing the 1,158 pages of the 1,000-item
        benchmark site took 0.91 of the time."""
        target = os.path.join(self.staging, rel)
        self._make_parent(target)
        if not self._link_if_same(rel, data, target):
            _write_file(target, data)
        stat = os.stat(target)
        return stat.st_size, stat.st_mtime_ns

    def link_unchanged(self, rel: str, staged_as: tuple[int, int] | None) -> bool:
        """Link the previous site's file when it still has the (size, mtime) `write` returned for it; else False.

        For a caller that knows the bytes it would write are the bytes written then: nothing is read.
        Called for every unchanged page of a site, so it works on strings, not Path objects."""
        old = os.path.join(self.out_dir, rel)
        try:
            found = os.stat(old)
            if staged_as is None or (found.st_size, found.st_mtime_ns) != tuple(staged_as):
                return False
            if not has_new_file_mode(found):
                return False
            target = os.path.join(self.staging, rel)
            self._make_parent(target)
            os.link(old, target)
        except OSError:
            return False
        return True

    def _make_parent(self, target: Path | str) -> None:
        _make_parent(target, self._made)

    def _link_if_same(self, rel: str, data: bytes, target: str) -> bool:
        old = os.path.join(self.out_dir, rel)
        try:
            found = os.stat(old)
            if found.st_size != len(data) or not has_new_file_mode(found):
                return False
            with open(old, "rb") as file:
                if file.read() != data:
                    return False
            os.link(old, target)
        except OSError:
            return False
        return True

    def copy(self, rel: str, source: Path) -> None:
        """Copy a file; reuse the previous site's copy (a hard link) when it holds the same bytes."""
        target = self.staging / rel
        self._make_parent(target)
        old = self.out_dir / rel
        try:
            src_stat, old_stat = source.stat(), old.stat()
            same = src_stat.st_size == old_stat.st_size and has_new_file_mode(old_stat) and (
                src_stat.st_mtime_ns == old_stat.st_mtime_ns or filecmp.cmp(source, old, shallow=False))
            if same:
                os.link(old, target)
                return
        except OSError:
            pass
        copy_file(source, target)

    def commit(self) -> None:
        """Swap the staging folder in: one atomic exchange where the OS offers it.

        The leftover marker travels with the swap: one rename moves it from the
        new site into the folder now holding the old one, which is then removed.
        """
        if self._reserved:
            raise RuntimeError("StagedOutput.commit: release() the reserved files first")
        (self.staging / MARKER_NAME).write_bytes(marker_bytes())  # a new inode: tells this commit from others
        if not self.out_dir.exists():
            (self.staging / LEFTOVER_MARKER).unlink()
            os.rename(self.staging, self.out_dir)
            return
        if _exchange(self.staging, self.out_dir):
            _move_marker(self.out_dir, self.staging)
            self._remove(self.staging)
            return
        os.rename(self.out_dir, self.previous)
        os.rename(self.staging, self.out_dir)
        _move_marker(self.out_dir, self.previous)
        self._remove(self.previous)

    def _remove(self, old_site: Path) -> None:
        if self.trash is not None:
            with contextlib.suppress(OSError):  # another disk, or no room for the folder: removed here and now
                self.trash.mkdir(parents=True, exist_ok=True)
                moved = self.trash / f"{old_site.name}-{time.monotonic_ns()}"
                os.rename(old_site, moved)
                remover = threading.Thread(target=shutil.rmtree, args=(moved,), kwargs={"ignore_errors": True},
                                           name="exhibit-old-site")  # not a daemon: the process ends after it
                remover.start()
                _REMOVING.append(remover)
                return
        shutil.rmtree(old_site, ignore_errors=True)

    def _empty_trash(self) -> None:
        wait_for_removals()
        if self.trash is not None and self.trash.is_dir():
            shutil.rmtree(self.trash, ignore_errors=True)

    def discard(self) -> None:
        """Remove this build's staging folder; a folder of that name without our marker is left alone."""
        self._wait_for_reservation()
        self._reserved = []
        self._opened = False
        if is_our_leftover(self.staging, self.out_dir.name, os.getpid()):
            shutil.rmtree(self.staging, ignore_errors=True)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl+C and SIGTERM wait (in this thread) until the block ends, then arrive as usual."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows: no signal masks
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _create_empty(staging: Path, out_dir: Path, rels: list[str]) -> None:
    """Runs in `reserve`'s process: each page's staged file created empty, unless the current site has the page
    or the file exists already (its page was written first). Any file it cannot create is left to the writer."""
    made: set[str] = set()
    for rel in rels:
        if os.path.lexists(os.path.join(out_dir, rel)):
            continue
        target = os.path.join(staging, rel)
        try:
            _make_parent(target, made)
            os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except OSError:
            continue


def _write_file(path: str, data: bytes) -> None:
    """The bytes into the file, created or emptied first (as Path.write_bytes does, without its Path)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def _make_parent(target: Path | str, made: set[str]) -> None:
    """A staged file's folder, made once per process (`made`: those made so far; a site has many pages per folder)."""
    parent = os.path.dirname(target)
    if parent not in made:
        os.makedirs(parent, exist_ok=True)
        made.add(parent)


def leftover_kind_and_pid(folder_name: str, out_name: str) -> tuple[str, int] | None:
    """('staging', 123) for `.site.staging-123`; None for any other name, such as `.site.backup-2024`."""
    prefix = f".{out_name}."
    if not folder_name.startswith(prefix):
        return None
    kind, _, pid = folder_name[len(prefix):].rpartition("-")
    if kind not in _LEFTOVER_KINDS or not pid.isdigit():
        return None
    return kind, int(pid)


def _leftover_marker_bytes(out_name: str, pid: int) -> bytes:
    return json.dumps({"generator": "exhibit", "output": out_name, "build": pid}).encode()


def mark_leftover(folder: Path, out_name: str, pid: int) -> None:
    """Sign a folder as this build's own, so a later build may remove it if this one dies."""
    (folder / LEFTOVER_MARKER).write_bytes(_leftover_marker_bytes(out_name, pid))


def is_our_leftover(folder: Path, out_name: str, pid: int) -> bool:
    """True only when the folder holds the marker that build `pid` wrote (a real file, not a link)."""
    marker = folder / LEFTOVER_MARKER
    try:
        if folder.is_symlink() or marker.is_symlink() or not marker.is_file():
            return False
        return marker.read_bytes() == _leftover_marker_bytes(out_name, pid)
    except OSError:
        return False


def _restorable(folder: Path, out_name: str, pid: int) -> bool:
    """A moved-away site: it carries the site marker (or our leftover marker); restoring only renames."""
    return not folder.is_symlink() and ((folder / MARKER_NAME).is_file() or is_our_leftover(folder, out_name, pid))


def _move_marker(source: Path, target: Path) -> None:
    """One rename: the marker leaves the new site and signs the folder holding the old one."""
    with contextlib.suppress(OSError):
        os.rename(source / LEFTOVER_MARKER, target / LEFTOVER_MARKER)


def _exchange(first: Path, second: Path) -> bool:
    """Linux renameat2(RENAME_EXCHANGE): both paths swap in one step, so site/ always exists."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    return result == 0


def copy_file(source: Path, target: Path | str) -> None:
    """A copy with the source's times (an unchanged copy is told by them) and the mode a new file gets, not the
    source's: a photo its owner alone may read, or a file of the asset cache, is still read by the web server."""
    shutil.copyfile(source, target)
    times = os.stat(source)
    os.utime(target, ns=(times.st_atime_ns, times.st_mtime_ns))


def has_new_file_mode(found: os.stat_result) -> bool:
    """Whether a file has the mode a new one gets. One that has not (a copy an older build linked from the asset
    cache, owner-only then) is written again, never reused: site/ is published, and its web server reads it as
    another user."""
    return stat.S_IMODE(found.st_mode) == new_file_mode()


@functools.lru_cache(maxsize=1)
def new_file_mode() -> int:
    """0o666 less the umask. Linux tells the umask in /proc; elsewhere it is set to read it, once per process."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text(encoding="ascii", errors="replace").splitlines():
            if line.startswith("Umask:"):
                return 0o666 & ~int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


# The flag ext4 calls "top of a directory hierarchy" (`chattr +T`) and the ioctls that read and set a file's
# flags (linux/fs.h); the kernel copies the flags as a C int.
_FS_IOC_GETFLAGS = 0x80086601
_FS_IOC_SETFLAGS = 0x40086602
_FS_TOPDIR_FL = 0x00020000


def _spread_subfolders(folder: Path) -> None:
    """Ask ext4 to place the staging folder's subfolders (workers/, teams/, …), and so the pages in them, as it
    places top-level folders: in block groups with many free inodes, not in the site folder's own group.

    Profile of a cold 1,000-item build on an ext4 without a journal: the process creating the page files spent 0.47
    to 0.63 s in the kernel. Without a journal, ext4 passes over every inode of the group freed in the last
    seconds, reading each (`recently_deleted`), for every new inode; the benchmark, like `rm -rf site` before a
    build, had just freed the last site's inodes in that very group. With the flag, 6 alternating cold builds: the
    build's system time 0.95 → 0.55 s, its wall time 0.92 of before. Where the flag means nothing (a journal) or
    cannot be set (another file system, another OS), nothing changes and nothing is reported."""
    try:
        import fcntl
        import struct
    except ImportError:  # Windows
        return
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        flags = struct.unpack("i", fcntl.ioctl(descriptor, _FS_IOC_GETFLAGS, bytes(4)))[0]
        fcntl.ioctl(descriptor, _FS_IOC_SETFLAGS, struct.pack("i", flags | _FS_TOPDIR_FL))
    except OSError:
        pass
    finally:
        os.close(descriptor)
