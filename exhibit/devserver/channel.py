"""The reload channel: the latest build state, pushed to every open page as server-sent events.

A state carries the build id of the site on disk, what kind of change made it
(`reload`, or `css` when only stylesheets changed) and the current errors,
already worded in the site's language, so the page only has to show them.
"""

from __future__ import annotations

import json
import queue
import threading
from dataclasses import dataclass, field

from exhibit.diagnostics import Diagnostic
from exhibit.i18n import format_message

KEEPALIVE_SECONDS = 15.0


@dataclass(frozen=True)
class BuildState:
    build: str
    previous: str | None = None
    kind: str = "reload"
    errors: tuple[dict[str, str | None], ...] = ()
    labels: dict[str, str] = field(default_factory=dict)
    renamed: dict[str, str] = field(default_factory=dict)  # stylesheets whose hashed name changed: old -> new
    # The site paths this build wrote or removed, when few: a page open since the previous build reloads only
    # when one of them is itself or a file it loaded (None: every page reloads).
    paths: tuple[str, ...] | None = None

    def to_json(self) -> str:
        return json.dumps({"build": self.build, "previous": self.previous, "kind": self.kind,
                           "errors": list(self.errors), "labels": self.labels, "renamed": self.renamed,
                           "paths": None if self.paths is None else list(self.paths)}, ensure_ascii=False)


def overlay_labels(lang: str) -> dict[str, str]:
    return {key: format_message(f"overlay_{key}", lang, {})[0] for key in ("title", "note", "close")} | {
        "hint": format_message("hint_prefix", lang, {})[0]}


def error_rows(errors: list[Diagnostic], lang: str) -> tuple[dict[str, str | None], ...]:
    return tuple({"where": error.location(), "message": error.message(lang), "hint": error.hint(lang),
                  "path": error.path, "line": str(error.line) if error.line else None} for error in errors)


class ReloadChannel:
    """Holds the current state and hands each change to every subscriber."""

    def __init__(self, state: BuildState) -> None:
        self._lock = threading.Lock()
        self._state = state
        self._subscribers: list[queue.Queue[BuildState | None]] = []
        self.closed = threading.Event()

    @property
    def state(self) -> BuildState:
        with self._lock:
            return self._state

    def publish(self, state: BuildState) -> None:
        with self._lock:
            self._state = state
            subscribers = list(self._subscribers)
        for subscriber in subscribers:
            subscriber.put(state)

    def subscribe(self) -> queue.Queue[BuildState | None]:
        subscriber: queue.Queue[BuildState | None] = queue.Queue()
        with self._lock:
            self._subscribers.append(subscriber)
            subscriber.put(self._state)
        return subscriber

    def unsubscribe(self, subscriber: queue.Queue[BuildState | None]) -> None:
        with self._lock:
            if subscriber in self._subscribers:
                self._subscribers.remove(subscriber)

    def close(self) -> None:
        self.closed.set()
        with self._lock:
            subscribers = list(self._subscribers)
        for subscriber in subscribers:
            subscriber.put(None)


class SiteLock:
    """Readers (page requests) share; the writer (a build writing site/) is alone."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._readers = 0
        self._writing = False

    def read(self) -> _Held:
        return _Held(self, write=False)

    def write(self) -> _Held:
        return _Held(self, write=True)

    def acquire(self, write: bool) -> None:
        with self._condition:
            if write:
                self._condition.wait_for(lambda: not self._writing)
                self._writing = True
                self._condition.wait_for(lambda: self._readers == 0)
            else:
                self._condition.wait_for(lambda: not self._writing)
                self._readers += 1

    def release(self, write: bool) -> None:
        with self._condition:
            if write:
                self._writing = False
            else:
                self._readers -= 1
            self._condition.notify_all()


class _Held:
    def __init__(self, lock: SiteLock, write: bool) -> None:
        self.lock = lock
        self.write = write

    def __enter__(self) -> _Held:
        self.lock.acquire(self.write)
        return self

    def __exit__(self, *exc: object) -> None:
        self.lock.release(self.write)
