"""What a run of the engine is asked (EngineOptions) and what it reports (BuildResult, Change).

`build`, `check`, `serve` and the quick pass (engine/quick.py) all speak these, apart from how a run works
(engine/run.py).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from exhibit.diagnostics import Diagnostics
from exhibit.engine.cache import BuildState

if TYPE_CHECKING:
    from exhibit.assets.stage import AssetReport

WriteGuard = Callable[[], AbstractContextManager[object]]
"""Held while site/ is swapped or written in place (the preview's: page requests wait)."""


@dataclass
class Change:
    """What a run did to the output folder, compared with the site the last run left."""

    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    rerendered: int = 0
    renamed: dict[str, str] = field(default_factory=dict)  # fingerprinted asset paths that changed: old -> new

    @property
    def css_only(self) -> bool:
        """Only stylesheets changed (pages changed at most by a stylesheet's hashed name): no reload needed."""
        if self.rerendered or not (self.written or self.removed):
            return False
        if self.renamed and not all(path.endswith(".css") for path in self.renamed):
            return False
        renamed_pages_only = bool(self.renamed)
        return all(path.endswith(".css") or renamed_pages_only and path.endswith(".html")
                   for path in self.written + self.removed)

    def describe(self, old: BuildState, new: BuildState) -> None:
        """What the new state's outputs and asset URLs changed from the old one's."""
        self.written = sorted(path for path, value in new.outputs.items() if old.outputs.get(path) != value)
        self.removed = sorted(set(old.outputs) - set(new.outputs))
        self.renamed = {old.asset_urls[logical]: url for logical, url in new.asset_urls.items()
                        if old.asset_urls.get(logical, url) != url}


@dataclass
class BuildResult:
    diagnostics: Diagnostics
    language: str
    items: int = 0
    pages: int = 0
    files: int = 0
    seconds: float = 0.0
    written: bool = False
    page_paths: list[str] = field(default_factory=list)  # every page of the site, in plan order
    rendered_paths: list[str] = field(default_factory=list)  # the pages this run rendered (not from the cache)
    assets: AssetReport | None = None
    change: Change = field(default_factory=Change)
    skipped: bool = False  # nothing changed since the last build: nothing was read or written
    full: bool = False  # no last build to compare with (none, or site/ replaced since): all counts as new

    @property
    def ok(self) -> bool:
        return not self.diagnostics.has_errors()

    def restore_from(self, state: BuildState) -> None:
        """Nothing changed: the last build's figures and warnings, and nothing read, rendered or written."""
        self.skipped = self.written = True
        self.language = state.language or self.language
        self.items, self.pages, self.files = state.items, state.pages_total, state.files_total
        self.diagnostics.extend(state.diagnostics)


@dataclass(frozen=True)
class EngineOptions:
    lang: str | None = None
    write: bool = True
    minify: bool = False
    progress: bool = False
    subset_font: bool | None = None
    jobs: int | None = None
    preview: bool = False  # the preview's runs: one process runs again and again, and answers sooner

    def signature(self) -> tuple[object, ...]:
        return (self.lang, self.minify, self.subset_font if self.subset_font is not None else self.write)
