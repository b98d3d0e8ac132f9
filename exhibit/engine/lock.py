"""One writer per site root: `build` and a running `serve` take turns, so site/ is never a mix of both.

The lock is an OS file lock on `.exhibit-cache/engine/lock` (fcntl on POSIX,
msvcrt on Windows): the OS releases it when the holder dies, so a killed build
never leaves the root locked. Hand-written because the two calls are all it takes.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import TracebackType

from exhibit.engine.cache import CACHE_DIR


class SiteWriteLock:
    """Held while a build reads the cache and writes site/; a second builder waits for its turn."""

    def __init__(self, root: Path) -> None:
        self.path = root / CACHE_DIR / "lock"
        self._fd: int | None = None

    def __enter__(self) -> SiteWriteLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            _lock(fd)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._fd is not None:
            _unlock(self._fd)
            os.close(self._fd)
            self._fd = None


if sys.platform == "win32":
    import msvcrt

    def _lock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_LOCK, 1)

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
