"""Rendered pages by page key, in one SQLite file: `.exhibit-cache/engine/pages-2.sqlite`.

One file rather than one per page. The profile of a cold 1,000-item build put a
third of its CPU time in the kernel, creating files: two inodes per page (its
cache entry and its output), on a file system that had just removed the last
build's. One file also lets pages stream: the render loop puts each page in as it
arrives and the asset stage takes them out one at a time, so no build holds every
page's HTML at once. sqlite3 is in the standard library; hand-writing a pack file
with its own index and compaction would only repeat it.

Nothing read from it is trusted: `get` returns a page only when its bytes have
the hash the build state recorded, and a file SQLite cannot read is removed and
started afresh. A store that may not write (`check`) reads the file read-only and
keeps what it renders in memory, so it never creates or changes a file.
"""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
from collections.abc import Iterable
from pathlib import Path

# A rowid table, its keys in their own index: pages go in at the end of the table. Keyed WITHOUT ROWID (as in
# `pages.sqlite`, the store's first file), each 5-20 KB page went into the key's B-tree at a random place:
# putting 5,695 pages took the parent 0.67 s of a 5,000-item build, while the workers rendered; now 0.2 s.
_SCHEMA = "CREATE TABLE IF NOT EXISTS pages (key TEXT PRIMARY KEY, html BLOB NOT NULL)"
PAGE_STORE_NAME = "pages-2.sqlite"
_BUSY_MS = 30_000  # a `check` reading while a build commits waits for it rather than failing


class PageStore:
    """Get and put page HTML by key; `writable=False` never touches the disk (it keeps puts in memory)."""

    def __init__(self, path: Path, writable: bool = True) -> None:
        self.path = path
        self.writable = writable
        self._held: dict[str, bytes] = {}  # a read-only store's own pages
        self.fresh = not path.is_file()  # True also when a damaged file was replaced: it holds no earlier page
        self._db: sqlite3.Connection | None = self._open()

    def _open(self) -> sqlite3.Connection | None:
        if not self.writable:
            return self._connect(f"{self.path.as_uri()}?mode=ro") if self.path.is_file() else None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = self._connect(str(self.path))
        if db is None:  # damaged beyond reading: it only ever held what a build can render again
            with contextlib.suppress(OSError):
                self.path.unlink()
            self.fresh = True
            db = self._connect(str(self.path))
        return db

    def _connect(self, target: str) -> sqlite3.Connection | None:
        try:
            db = sqlite3.connect(target, uri=target.startswith("file:"), timeout=_BUSY_MS / 1000,
                                 isolation_level=None, check_same_thread=False)
            if self.writable:
                db.execute("PRAGMA synchronous = OFF")  # every read is checked against its hash anyway
                db.execute(_SCHEMA)
            db.execute("SELECT count(*) FROM pages WHERE key = ''").fetchone()  # a damaged file fails here
            return db
        except sqlite3.Error:
            return None

    def get(self, key: str, html_hash: str) -> bytes | None:
        """The page stored under `key`, only if its bytes still hash to `html_hash`."""
        html = self._held.get(key)
        if html is None and self._db is not None:
            try:
                row = self._db.execute("SELECT html FROM pages WHERE key = ?", (key,)).fetchone()
            except sqlite3.Error:
                row = None
            html = bytes(row[0]) if row else None
        if html is None or hashlib.sha256(html).hexdigest() != html_hash:
            return None
        return html

    def put(self, key: str, html: bytes) -> None:
        if not self.writable or self._db is None:
            self._held[key] = html
            return
        self._begin()
        try:
            self._db.execute("INSERT OR REPLACE INTO pages (key, html) VALUES (?, ?)", (key, html))
        except sqlite3.Error:
            self._held[key] = html  # the page still reaches site/; the next build renders it again

    def keep_only(self, keys: Iterable[str]) -> None:
        """Drop the pages no current page uses, so the file does not grow with every edit."""
        if not self.writable or self._db is None:
            return
        self._begin()
        with contextlib.suppress(sqlite3.Error):
            self._db.execute("CREATE TEMP TABLE IF NOT EXISTS keep (key TEXT PRIMARY KEY)")
            self._db.execute("DELETE FROM keep")
            self._db.executemany("INSERT OR IGNORE INTO keep VALUES (?)", ((key,) for key in keys))
            self._db.execute("DELETE FROM pages WHERE key NOT IN (SELECT key FROM keep)")

    def commit(self) -> None:
        """Make the puts so far durable for the next build (one transaction for all of them)."""
        if self._db is not None and self._db.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                self._db.execute("COMMIT")

    def close(self) -> None:
        if self._db is not None:
            self.commit()
            self._db.close()
            self._db = None
        self._held.clear()

    def _begin(self) -> None:
        if self._db is not None and not self._db.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                self._db.execute("BEGIN")
