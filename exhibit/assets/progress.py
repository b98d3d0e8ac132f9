"""A progress bar for long asset work, shown on a terminal only: never in CI logs, never under -q."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from exhibit.i18n import format_message

Advance = Callable[[int], None]


def progress_wanted(quiet: bool) -> bool:
    """A bar helps a person at a terminal; in CI or a pipe it is only noise."""
    in_ci = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
    return not quiet and not in_ci and sys.stderr.isatty()


class ProgressDisplay:
    """Tasks with a bar (known total) or a spinner (unknown), drawn by rich on stderr."""

    def __init__(self, enabled: bool, lang: str) -> None:
        self.enabled = enabled
        self.lang = lang

    @contextmanager
    def task(self, code: str, total: int | None = None) -> Iterator[Advance]:
        if not self.enabled:
            yield lambda steps=1: None
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        label = format_message(code, self.lang, {})[0]
        columns = [SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn()] if total else [SpinnerColumn(), TextColumn("{task.description}"),
                                                       TimeElapsedColumn()]
        with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
            task_id = progress.add_task(label, total=total)
            yield lambda steps=1: progress.advance(task_id, steps)
