"""The copy lint a run leaves running to its end: its warnings taken last, where they belong, its cache saved then."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from exhibit.diagnostics import Diagnostics
from exhibit.engine.cache import UsedEntries

if TYPE_CHECKING:
    from exhibit.read.lint import PendingLint


class LateLint:
    """`load_site` (`late_lint=`) leaves the lint running on idle-priority workers (workers.py): its warnings are
    wanted only in the report, so its work fills the cores the stages before left idle (the start, the model's
    last steps, each pool's last chunk) rather than competing with them. The engine takes them at the end of its
    run (`take`), after the pages are written, and stops the lint when a run fails or starts over (`stop`)."""

    def __init__(self) -> None:
        self.pending: list[tuple[PendingLint, int]] = []  # each lint left running, and where its warnings go
        self._findings: tuple[UsedEntries, Callable[..., None]] | None = None

    def save_findings_with(self, findings: UsedEntries, save: Callable[..., None]) -> bool:
        """Whether a lint was left running; its findings cache is then saved by `take`, once it has them."""
        if not self.pending:
            return False
        self._findings = (findings, save)
        return True

    def take(self, diagnostics: Diagnostics) -> None:
        """The warnings of every lint left running, each at its place in `diagnostics`; then its cache saved."""
        pending, self.pending = self.pending, []
        for lint, at in pending:
            lint.finish(diagnostics, at=at)
        findings, self._findings = self._findings, None
        if findings is not None and findings[0].changed():
            cache, save = findings
            save(cache.in_use(), cache.added)

    def stop(self) -> None:
        """Every lint still running stopped (a run that failed or starts over); nothing is saved."""
        pending, self.pending, self._findings = self.pending, [], None
        for lint, _ in pending:
            lint.cancel()
