"""Where a site's parts live, and the check that they are there before any stage runs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from exhibit.diagnostics import Diagnostics


@dataclass(frozen=True)
class Project:
    """Where a site's parts live."""

    root: Path
    out: Path

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def assets_dir(self) -> Path:
        return self.root / "assets"


def check_layout(project: Project, diagnostics: Diagnostics) -> bool:
    """The root holds content/ and templates/, and the output lies outside every source folder."""
    if not project.root.is_dir():
        diagnostics.error("root_missing", folder=str(project.root))
        return False
    if not project.content_dir.is_dir():
        diagnostics.error("content_missing")
        return False
    if not project.templates_dir.is_dir():
        diagnostics.error("templates_missing")
        return False
    out = project.out.resolve()
    for source in (project.content_dir, project.templates_dir, project.assets_dir):
        if out == source.resolve() or out.is_relative_to(source.resolve()):
            diagnostics.error("out_inside_source", folder=str(project.out))
            return False
    return True
