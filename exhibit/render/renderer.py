"""Runs the plan through the templates; template mistakes become diagnostics at their line."""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from jinja2 import Environment, TemplateNotFound, TemplateSyntaxError

from exhibit.diagnostics import Diagnostic, Diagnostics
from exhibit.render.outputs import Page
from exhibit.render.templates import rendering, resolve_placeholders


@dataclass(frozen=True)
class RenderedPage:
    path: str
    html: bytes
    templates: frozenset[str]


class PageRenderer:
    """Renders pages one by one; reports each distinct template problem once, not once per page."""

    def __init__(self, env: Environment, templates_dir: Path, root: Path, diagnostics: Diagnostics) -> None:
        self.env = env
        self._templates_dir = templates_dir
        self._root = root
        self.diagnostics = diagnostics
        self._reported: set[tuple[str | None, int | None, str]] = set()

    def render(self, page: Page) -> RenderedPage | None:
        loader = self.env.loader
        loaded: set[str] = getattr(loader, "loaded", set())
        loaded.clear()
        try:
            template = self.env.get_template(page.template)
            with rendering(page.path):
                html = template.render(page=page, **page.context)
        except TemplateNotFound as error:
            self._report(Diagnostic("template_missing", {"name": error.name}, self._template_rel(None)))
            return None
        except TemplateSyntaxError as error:
            self._report(Diagnostic("template_syntax", {"detail": error.message or str(error)},
                                    self._template_rel(error.name), error.lineno, 1))
            return None
        except Exception as error:  # noqa: BLE001 - any template failure is the theme author's to fix
            path, line = self._template_frame(error)
            self._report(Diagnostic("template_failed", {"page": page.path, "detail": str(error)}, path, line, 1))
            return None
        html = resolve_placeholders(html, page.path)
        return RenderedPage(page.path, html.encode("utf-8"), frozenset(loaded | {page.template}))

    @cached_property
    def templates_dir(self) -> Path:
        """Resolved only to report a problem: the engine makes a renderer per page (two resolves were 5 % of
        rendering)."""
        return self._templates_dir.resolve()

    @cached_property
    def root(self) -> Path:
        return self._root.resolve()

    def _report(self, diagnostic: Diagnostic) -> None:
        key = (diagnostic.path, diagnostic.line, diagnostic.code + str(diagnostic.args.get("detail", "")))
        if key not in self._reported:
            self._reported.add(key)
            self.diagnostics.add(diagnostic)

    def _template_rel(self, name: str | None) -> str:
        base = self.templates_dir / name if name else self.templates_dir
        return self._relative(base)

    def _relative(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def _template_frame(self, error: Exception) -> tuple[str | None, int | None]:
        """The innermost template line in the traceback (Jinja rewrites frames to template lines)."""
        for frame in reversed(traceback.extract_tb(error.__traceback__)):
            frame_path = Path(frame.filename)
            if frame_path.is_absolute() and frame_path.resolve().is_relative_to(self.templates_dir):
                return self._relative(frame_path), frame.lineno
        return self._template_rel(None), None
