"""The engine's persistent cache in `.exhibit-cache/engine/`: the last build's state, stories, lint and pages.

Nothing in it is trusted blindly: the state file carries a header (engine and
Python version) and a checksum of its body, and every page entry is checked
against the hash the state recorded for it. Anything stale, corrupt or
unreadable is treated as absent, so the build redoes that work and rewrites it.
pickle is used because the state is plain data the engine itself wrote; a file
that fails its checksum is never unpickled.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import shutil
import sys
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO, TypeVar

from exhibit import __version__
from exhibit.diagnostics import Diagnostic
from exhibit.engine.pagestore import PAGE_STORE_NAME, PageStore
from exhibit.versions import installed_version

ENGINE_VERSION = f"exhibit-engine-4/{__version__}"
CACHE_DIR = Path(".exhibit-cache") / "engine"
_MAGIC = b"EXHIBIT-ENGINE\n"
_DIGEST_LENGTH = 64  # sha256, hex
_PYTHON = f"python-{sys.version_info.major}.{sys.version_info.minor}"
_SHARDS = 16
K = TypeVar("K")
V = TypeVar("V")


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Exhibit's own code, as this process runs it (see `fingerprint_of`)."""
    return fingerprint_of(Path(__file__).resolve().parents[1])


def fingerprint_of(package: Path) -> str:
    """Every file of a package by path, size and mtime: what the caches hold follows from the code as well.

    An upgrade, or a `git pull` under the README's editable install (where the version number stays the
    same), changes pages without changing any input. The fingerprint is in every checked file's header, so
    the next build finds no state (it does not stop at "nothing changed" or keep pages the old code rendered)
    and no stories, records or lint findings the old code made."""
    hasher = hashlib.sha256(ENGINE_VERSION.encode())
    for current, dirs, files in os.walk(package):
        dirs[:] = sorted(name for name in dirs if name != "__pycache__")
        for name in sorted(files):
            try:
                stat = os.stat(os.path.join(current, name))
            except OSError:
                continue
            rel = os.path.relpath(os.path.join(current, name), package)
            hasher.update(f"{rel}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
    return hasher.hexdigest()


def _header() -> bytes:
    """What a checked file starts with: it was written by this engine and code, under this Python."""
    return _MAGIC + f"{ENGINE_VERSION} {_PYTHON} {code_fingerprint()}\n".encode()


def digest(data: bytes | memoryview) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class PageEntry:
    """One page as last rendered: its key, the templates the render loaded and its HTML's hash."""

    key: str
    templates: frozenset[str]
    html_hash: str


@dataclass
class BuildState:
    """What the last successful build made, and from what."""

    signature: str = ""  # every input file's (path, size, mtime) and the options: equal means nothing changed
    marker: tuple[int, int] | None = None  # (inode, mtime) of the marker it wrote: site/ not replaced since
    pages: dict[str, PageEntry] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)  # every output file: path -> hash of its bytes
    output_stats: dict[str, tuple[int, int]] = field(default_factory=dict)  # each page as staged: (size, mtime)
    asset_urls: dict[str, str] = field(default_factory=dict)  # theme file -> its hashed site path
    finish_key: str = ""  # what finishing a page depended on (assets/stage.py FinishedSite)
    file_hashes: dict[str, tuple[int, int, str]] = field(default_factory=dict)  # rel -> (size, mtime, sha256)
    diagnostics: list[Diagnostic] = field(default_factory=list)  # the warnings that build printed
    template_reads: dict[str, tuple[tuple[int, int] | None, bool]] = field(default_factory=dict)  # see deps.py
    # each character the pages show -> a page showing it (assets/sitechars.py); None: no build counted them
    page_characters: dict[str, str] | None = None
    uncounted_pages: set[str] = field(default_factory=set)  # changed since a build counted their characters
    items: int = 0
    pages_total: int = 0
    files_total: int = 0
    language: str = ""


class EngineCache:
    """The store under a site root; `writable=False` (for `check`) never creates or changes a file."""

    def __init__(self, root: Path, writable: bool = True, resident: bool = False) -> None:
        """`resident`: this process runs the engine again and again (the preview): what it loads and saves is
        kept in memory for its next run (`_RESIDENT`), and the content caches (rendered stories, records, lint) wait for
        `save_pending`, which the preview calls when it is idle (devserver/__init__.py). A one-shot build keeps
        nothing: the caches would stay alive while its pages render."""
        self.dir = root / CACHE_DIR
        self.writable = writable
        self.resident = resident
        self._shard_keys: dict[str, list[frozenset | None]] = {}  # each shard's keys when loaded (None: no file)

    @property
    def state_path(self) -> Path:
        return self.dir / "state.pickle"

    @property
    def pages_path(self) -> Path:
        return self.dir / PAGE_STORE_NAME

    def open_pages(self) -> PageStore:
        """Page HTML by key (engine/pagestore.py); the caller closes it."""
        if self.writable:  # earlier layouts of the store (a file per page, then a table without rowids): no one's
            shutil.rmtree(self.dir / "pages", ignore_errors=True)
            with contextlib.suppress(OSError):
                (self.dir / "pages.sqlite").unlink()
        return PageStore(self.pages_path, self.writable)

    def load_state(self) -> BuildState:
        """The last state, or an empty one when the file is missing, from another version, or damaged."""
        state = _load_checked(self.state_path, self.resident)
        return state if isinstance(state, BuildState) else BuildState()

    def save_state(self, state: BuildState) -> None:
        if self.writable:
            _save_checked(self.state_path, state, self.resident)

    def _save_content(self, path: Path, value: object) -> None:
        if self.resident:
            _PENDING[path] = value
        else:
            _save_checked(path, value)

    @staticmethod
    def save_pending() -> None:
        """The content caches resident runs held back (the latest of each), saved now."""
        while _PENDING:
            _save_checked(*_PENDING.popitem(), remember=True)

    def load_rendered(self) -> dict[tuple[str, int], tuple]:
        """Rendered stories by place (exhibit/model/markup.py RenderedStories): each story's text, its
        nesting problems, and its HTML with the link lookups it made. Markdown is converted and links resolved
        once, whatever else changes; kept only while Python-Markdown and nh3 are the versions that converted them."""
        return self._load_shards("rendered", _converter_versions())

    def save_rendered(self, stories: dict[tuple[str, int], tuple], changed: Iterable[object] = (),
                      added_only: bool = False) -> None:
        """`changed`: the keys whose entries this build wrote (the others are as loaded); `added_only`: and
        none of the others was dropped."""
        self._save_shards("rendered", _converter_versions(), stories, changed, added_only)

    def load_records(self) -> dict[str, tuple[list, list]]:
        """Content files' records and reading problems by record key (exhibit/read/sources.py: bytes, place, code)."""
        return self._load_shards("records", ())

    def save_records(self, records: dict[str, tuple[list, list]], changed: Iterable[object] = (),
                     added_only: bool = False) -> None:
        self._save_shards("records", (), records, changed, added_only)

    def load_lint(self) -> dict[str, list]:
        """The copy lint's warnings by lint key (exhibit/read/lint.py: the key covers bytes, language and rules)."""
        return self._load_shards("lint", ())

    def save_lint(self, findings: dict[str, list], changed: Iterable[object] = (), added_only: bool = False) -> None:
        self._save_shards("lint", (), findings, changed, added_only)

    # --- content caches, in shards ---------------------------------------------------------------
    def shard_path(self, name: str, shard: int) -> Path:
        return self.dir / name / f"{shard:02x}.pickle"

    def _load_shards(self, name: str, versions: tuple[str, ...]) -> dict:
        """Every entry of a content cache; a shard that is missing, damaged or from other versions counts as empty.

        A cache is kept in `_SHARDS` files by its keys' hash, so that a build which changes a few entries
        rewrites a few small files, not one holding every story or record of the site (0.13 s at 5,000 items)."""
        shards = [_load_checked(self.shard_path(name, shard), self.resident) for shard in range(_SHARDS)]
        merged = _MERGED.get((str(self.dir), name)) if self.resident else None
        if merged is not None and merged[0] == versions and all(
                now is before for now, before in zip(shards, merged[1], strict=True)):
            self._shard_keys[name] = list(merged[3])
            return merged[2]  # the same objects as last time: merged as last time (callers copy, UsedEntries)
        entries: dict = {}
        keys: list[frozenset | None] = []
        for saved in shards:
            found = saved[1] if isinstance(saved, tuple) and len(saved) == 2 and saved[0] == versions else None
            if not isinstance(found, dict) or not all(isinstance(value, (tuple, list)) for value in found.values()):
                keys.append(None)  # no usable file: written at the next save, whatever it holds
                continue
            entries.update(found)
            keys.append(frozenset(found))
        self._shard_keys[name] = keys
        if self.resident:
            _MERGED[(str(self.dir), name)] = (versions, shards, entries, list(keys))
        return entries

    def _save_added(self, name: str, versions: tuple[str, ...], entries: dict, changed: set[object],
                    loaded: list[frozenset | None]) -> None:
        """Only the shards that hold a changed entry, each with what it held and what joined it."""
        keys = list(loaded)
        for shard in {shard_of(key) for key in changed}:
            held = loaded[shard] or frozenset()
            found = {key: entries[key] for key in held if key in entries}
            found.update((key, entries[key]) for key in changed if shard_of(key) == shard and key in entries)
            self._save_content(self.shard_path(name, shard), (versions, found))
            keys[shard] = frozenset(found)
        self._shard_keys[name] = keys

    def _save_shards(self, name: str, versions: tuple[str, ...], entries: dict, changed: Iterable[object],
                     added_only: bool = False) -> None:
        """The shards whose entries differ from the ones loaded: new, changed or no longer used entries.

        `added_only`: `entries` are the loaded ones with `changed` written (none dropped): only the shards of
        `changed` are grouped and saved, not every entry."""
        if not self.writable:
            return
        loaded = self._shard_keys.get(name) or [None] * _SHARDS
        changed = set(changed)
        if added_only and None not in loaded:
            self._save_added(name, versions, entries, changed, loaded)
            return
        dirty = {shard_of(key) for key in changed}
        by_shard: list[dict] = [{} for _ in range(_SHARDS)]
        for key, value in entries.items():
            by_shard[shard_of(key)][key] = value
        for shard, found in enumerate(by_shard):
            if shard in dirty or loaded[shard] is None or found.keys() != loaded[shard]:
                self._save_content(self.shard_path(name, shard), (versions, found))
        self._shard_keys[name] = [frozenset(found) for found in by_shard]
        if None in loaded:  # a first save in shards: engine-4 kept each cache in one file
            for old in (f"{name}.pickle", "stories.pickle"):
                with contextlib.suppress(OSError):
                    (self.dir / old).unlink()


class UsedEntries(dict[K, V]):
    """A content cache as the stages see it: which entries they read, and whether they added any."""

    def __init__(self, known: dict[K, V]) -> None:
        super().__init__(known)
        self.used: set[K] = set()
        self.added: set[K] = set()  # the keys written by this build

    def get(self, key: K, default: V | None = None) -> V | None:  # type: ignore[override]
        self.used.add(key)
        return super().get(key, default)

    def __setitem__(self, key: K, value: V) -> None:
        self.used.add(key)
        self.added.add(key)
        super().__setitem__(key, value)

    def in_use(self) -> dict[K, V]:
        """Only the entries this build read: edited files do not pile up."""
        return {key: value for key, value in self.items() if key in self.used}

    def changed(self) -> bool:
        """Whether this build added entries or left some unread: the cache is saved then."""
        return bool(self.added) or len(self.in_use()) != len(self)


def shard_of(key: object) -> int:
    """The shard that holds a key: the same in every process (Python's own hash of a str is not)."""
    return zlib.crc32(repr(key).encode("utf-8", "surrogateescape")) % _SHARDS


def _converter_versions() -> tuple[str, ...]:
    """The libraries a story's HTML depends on, besides the text."""
    return tuple(f"{name}-{installed_version(name) or '?'}" for name in ("markdown", "nh3"))


_RESIDENT: dict[str, tuple[tuple[int, int, int], bytes, object]] = {}
"""What this process's resident runs (the preview's) last wrote to or read from each checked file, with the
file's (inode, size, mtime) and header (the code that wrote it) then.

The preview runs the engine on every save, in one process: unpickling its caches again was a tenth of a save
at 5,000 items. A file that is not exactly the one this process left (another build's, or damaged since) has
another inode, size or mtime, and is read and checked as usual. The engine reads these values, never changes them."""


def _identity(path: Path) -> tuple[int, int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_ino, stat.st_size, stat.st_mtime_ns


_MERGED: dict[tuple[str, str], tuple[tuple[str, ...], list[object], dict, list[frozenset | None]]] = {}
"""A resident process's content caches as last merged from their shards (by cache folder and name), with the
shard objects they were merged from: a load that finds the same objects returns the same merge."""

_PENDING: dict[Path, object] = {}
"""Content caches held back by a resident EngineCache, by file: the next load's answer until `save_pending`."""


def _load_checked(path: Path, remember: bool = False) -> object:
    """What a checked file holds, or None when it is missing, from another version, or damaged.

    `remember`: keep what was read in `_RESIDENT` (a resident run's), for this process's next load.
    A value held back for `save_pending` is what the file will hold: it is the answer, and stays held back."""
    if path in _PENDING:
        return _PENDING[path]
    identity = _identity(path)
    resident = _RESIDENT.get(str(path))
    if identity is not None and resident is not None and resident[:2] == (identity, _header()):
        return resident[2]
    try:
        body = _checked_body(path.read_bytes())
    except OSError:
        return None
    if body is None:
        return None
    try:
        value = pickle.loads(body)
    except Exception:  # noqa: BLE001 - a damaged cache is rebuilt, whatever broke in it
        return None
    if remember and identity is not None and identity == _identity(path):  # not replaced while it was read
        _RESIDENT[str(path)] = (identity, _header(), value)
    return value


def _save_checked(path: Path, value: object, remember: bool = False) -> None:
    """Pickle straight into the file (no copy of the body in memory), then fill in the body's checksum.

    `remember`: keep the value in `_RESIDENT` for this process's next load (else any entry for the file goes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with temp.open("wb") as file:
            header = _header()
            file.write(header + b"0" * _DIGEST_LENGTH + b"\n")
            body = _HashingWriter(file)
            pickle.dump(value, body, protocol=pickle.HIGHEST_PROTOCOL)
            file.seek(len(header))
            file.write(body.hash.hexdigest().encode())
        identity = _identity(temp)
        os.replace(temp, path)
        _RESIDENT.pop(str(path), None)
        if remember and identity is not None:
            _RESIDENT[str(path)] = (identity, header, value)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise


class _HashingWriter:
    """A file's write() that also hashes what passes through."""

    def __init__(self, file: BinaryIO) -> None:
        self.file = file
        self.hash = hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.hash.update(data)
        return self.file.write(data)


def _checked_body(data: bytes) -> memoryview | None:
    """The pickled body (a view: no copy) when the header matches this engine and Python, and the checksum too."""
    prefix = _header()
    if not data.startswith(prefix):
        return None
    newline = data.find(b"\n", len(prefix))
    if newline < 0:
        return None
    body = memoryview(data)[newline + 1:]
    if data[len(prefix):newline].decode("ascii", "replace") != digest(body):
        return None
    return body


