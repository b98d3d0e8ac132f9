"""Orchestrates the stages, in the order data flows; nothing is written until everything is known."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from exhibit.config import SiteConfig, load_config
from exhibit.diagnostics import Diagnostics
from exhibit.lint import lint_site
from exhibit.messages import normalise_language
from exhibit.model import ModelBuilder, SiteModel
from exhibit.output import OutputRefused, StagedOutput
from exhibit.plan import SitePlan, plan_site
from exhibit.render import PageRenderer, RenderedPage
from exhibit.sources import content_files, discover
from exhibit.templates import make_environment


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


@dataclass
class BuildResult:
    diagnostics: Diagnostics
    language: str
    items: int = 0
    pages: int = 0
    files: int = 0
    seconds: float = 0.0
    written: bool = False
    rendered: list[RenderedPage] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.diagnostics.has_errors()


def _check_layout(project: Project, diagnostics: Diagnostics) -> bool:
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


def load_site(project: Project, diagnostics: Diagnostics, lang: str | None) -> tuple[SiteConfig, SiteModel] | None:
    """Config, sources and model: every content problem of the site, found in one pass."""
    config = load_config(project.root, project.content_dir, diagnostics, lang)
    if config is None:
        return None
    records = discover(project.root, project.content_dir, diagnostics)
    lint_site(project.root, [project.content_dir / "site.yaml", *content_files(project.content_dir)],
              config.language, diagnostics)
    builder = ModelBuilder(project.root, project.content_dir, project.assets_dir, config, diagnostics)
    return config, builder.build(records)


def render_site(project: Project, model: SiteModel, plan: SitePlan, diagnostics: Diagnostics) -> list[RenderedPage]:
    env, _ = make_environment(project.templates_dir, model)
    renderer = PageRenderer(env, project.templates_dir, project.root, diagnostics)
    rendered = (renderer.render(page) for page in plan.pages)
    return [page for page in rendered if page is not None]


def build(project: Project, lang: str | None = None, write: bool = True) -> BuildResult:
    """Run every stage; write the site only when the whole run found no error."""
    started = time.perf_counter()
    diagnostics = Diagnostics()
    result = BuildResult(diagnostics, normalise_language(lang))
    if not _check_layout(project, diagnostics):
        return result
    loaded = load_site(project, diagnostics, lang)
    if loaded is None:
        return result
    config, model = loaded
    result.language = config.language
    plan = plan_site(model, project.assets_dir, diagnostics)
    result.items = sum(1 for _ in model.items())
    result.pages = len(plan.pages)
    result.files = len(plan.files)
    rendered = render_site(project, model, plan, diagnostics)
    result.rendered = rendered
    if write and not diagnostics.has_errors():
        result.written = _write(project, rendered, plan, diagnostics)
    result.seconds = time.perf_counter() - started
    return result


def _write(project: Project, rendered: list[RenderedPage], plan: SitePlan, diagnostics: Diagnostics) -> bool:
    output = StagedOutput(project.out)
    try:
        output.open()
        for page in rendered:
            output.write(page.path, page.html)
        for file in plan.files:
            output.copy(file.path, file.source)
        output.commit()
        return True
    except OutputRefused:
        diagnostics.error("out_not_site", folder=str(project.out))
        return False
    except OSError as error:
        output.discard()
        diagnostics.error("write_failed", detail=f"{error.filename or ''} {error.strerror or error}".strip())
        return False
    except BaseException:
        output.discard()
        raise
