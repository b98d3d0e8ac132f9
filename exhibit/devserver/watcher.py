"""Watches content/, templates/ and assets/; hands over settled batches of changed paths.

Editors save in bursts: Vim renames the old file away and writes a new one,
VS Code and Notepad++ truncate then write. A batch is handed over once no event
has come for `quiet` seconds (3 ms when the last event closed a written file,
which ends a save; at most LONGEST_WAIT after the first event), so a save
becomes one build; events during a build wait for the next one. Folder
events (a folder renamed, created or deleted) ask for a full comparison.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from exhibit.engine.keys import WATCHED_FOLDERS

DEFAULT_QUIET = 0.02
AFTER_CLOSE_QUIET = 0.003  # a file closed after writing is usually the end of a save
LONGEST_WAIT = 0.3
KINDS = ("config", "content", "templates", "assets")


@dataclass
class Batch:
    """Changed paths, sorted by kind; `rescan` when a folder changed and only a full comparison will do."""

    paths: set[Path] = field(default_factory=set)
    rescan: bool = False

    def kinds(self, root: Path) -> set[str]:
        found: set[str] = set()
        for path in self.paths:
            try:
                parts = path.relative_to(root).parts
            except ValueError:
                continue
            if parts[:2] == ("content", "site.yaml"):
                found.add("config")
            elif parts and parts[0] in WATCHED_FOLDERS:
                found.add(parts[0])
        return found


class _Handler(FileSystemEventHandler):
    def __init__(self, watcher: ChangeWatcher) -> None:
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        if event.is_directory and event.event_type == "modified":
            return  # a folder's own time changes whenever a file in it does
        paths = [Path(str(event.src_path))]
        if getattr(event, "dest_path", ""):
            paths.append(Path(str(event.dest_path)))
        self.watcher.add(paths, rescan=event.is_directory, closed=event.event_type == "closed")


class ChangeWatcher:
    """watchdog observer plus the debounce."""

    def __init__(self, root: Path, quiet: float = DEFAULT_QUIET) -> None:
        self.root = root
        self.quiet = quiet
        self._condition = threading.Condition()
        self._batch = Batch()
        self._first = 0.0
        self._last = 0.0
        self._last_was_close = False
        self._observer = Observer()

    def start(self) -> None:
        handler = _Handler(self)
        for folder in WATCHED_FOLDERS:
            if (self.root / folder).is_dir():
                self._observer.schedule(handler, str(self.root / folder), recursive=True)
        self._observer.daemon = True
        self._observer.start()

    def stop(self) -> None:
        self._observer.stop()
        with self._condition:
            self._condition.notify_all()

    def add(self, paths: list[Path], rescan: bool = False, closed: bool = False) -> None:
        with self._condition:
            now = time.monotonic()
            if not self._batch.paths and not self._batch.rescan:
                self._first = now
            self._last = now
            self._last_was_close = closed
            self._batch.paths.update(paths)
            self._batch.rescan |= rescan
            self._condition.notify_all()

    def next_batch(self, timeout: float) -> Batch | None:
        """Wait up to `timeout` for changes, then until they settle; None when nothing changed."""
        with self._condition:
            if not self._condition.wait_for(self._pending, timeout):
                return None
            while True:
                now = time.monotonic()
                quiet = min(self.quiet, AFTER_CLOSE_QUIET) if self._last_was_close else self.quiet
                settle = min(self._last + quiet, self._first + LONGEST_WAIT) - now
                if settle <= 0:
                    break
                self._condition.wait(settle)
            batch, self._batch = self._batch, Batch()
            return batch

    def _pending(self) -> bool:
        return bool(self._batch.paths) or self._batch.rescan
