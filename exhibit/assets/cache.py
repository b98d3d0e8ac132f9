"""The asset cache under ROOT/.exhibit-cache/: content-addressed, written atomically, pruned by age.

Entries are keyed by the hash of their inputs (source bytes plus processing
settings), so a key never goes stale: a changed photo or setting is a new key.
Two builds at once (a `serve` rebuild beside a `build`) are safe because every
entry appears by one rename.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

from exhibit.render.output import new_file_mode

CACHE_DIR_NAME = ".exhibit-cache"
PRUNE_AFTER_DAYS = 30
CACHE_KINDS = ("images", "fonts", "static", "videos", "svg")
_CHUNK = 1 << 20


def file_hash(path: Path) -> str:
    """SHA-256 of a file's bytes, read in chunks so 20 MB fonts and photos stay cheap on memory."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def bytes_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def settings_hash(*parts: object) -> str:
    """A short, stable key for processing settings (JSON of the parts)."""
    text = json.dumps(parts, sort_keys=True, ensure_ascii=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class AssetCache:
    """One folder per kind of asset (images, fonts, static, videos)."""

    def __init__(self, root: Path, base: Path | None = None) -> None:
        """ROOT/.exhibit-cache/, or `base` (a temporary folder for `check`, which writes nothing in ROOT)."""
        self.base = base if base is not None else root / CACHE_DIR_NAME

    def prune_all(self) -> int:
        return sum(self.prune(kind) for kind in CACHE_KINDS)

    def folder(self, kind: str) -> Path:
        path = self.base / kind
        path.mkdir(parents=True, exist_ok=True)
        return path

    def entry_dir(self, kind: str, key: str) -> Path:
        return self.base / kind / key[:2] / key

    def read_json(self, path: Path) -> dict | None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict):
            return None
        touch(path)
        return data

    def put_bytes(self, kind: str, name: str, data: bytes) -> Path:
        """Store bytes under a name that already carries their hash; an existing copy is kept."""
        target = self.folder(kind) / name
        if target.is_file() and target.stat().st_size == len(data):
            touch(target)
            return target
        write_atomic(target, data)
        return target

    def prune(self, kind: str, keep_days: int = PRUNE_AFTER_DAYS) -> int:
        """Remove entries unused for `keep_days` (each use refreshes an entry's time, see touch), and
        leftovers of killed builds once they are as old."""
        folder = self.base / kind
        if not folder.is_dir():
            return 0
        deadline = time.time() - keep_days * 86400
        removed = 0
        for entry in _entries(folder):
            marker = entry / "meta.json" if (entry / "meta.json").is_file() else entry
            try:
                if marker.stat().st_mtime >= deadline:
                    continue
            except OSError:
                continue
            if entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
            removed += 1
        return removed


def _entries(folder: Path) -> list[Path]:
    """Flat files (fonts, static, videos) or two-level entry folders (images/ab/abcdef...)."""
    found: list[Path] = []
    for child in folder.iterdir():
        if child.is_dir() and len(child.name) == 2:
            found.extend(child.iterdir())
        else:
            found.append(child)
    return found


def touch(path: Path) -> None:
    """Mark an entry as used now, so pruning keeps it."""
    with contextlib.suppress(OSError):
        os.utime(path)


def write_atomic(target: Path, data: bytes) -> None:
    """Temp file beside the target, then rename: a reader never sees half a file.

    The file gets the mode any new file gets, not `mkstemp`'s owner-only one: stylesheets and font subsets are
    linked from here into site/, which a web server reads as another user."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temp, new_file_mode())
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def publish_dir(temp_dir: Path, final_dir: Path) -> None:
    """Move a finished entry folder into place; if another build won the race, keep theirs."""
    final_dir.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.rename(temp_dir, final_dir)
    except OSError:
        shutil.rmtree(temp_dir, ignore_errors=True)
