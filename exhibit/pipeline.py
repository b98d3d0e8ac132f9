"""Orchestrates the stages, in the order data flows; nothing is written until everything is known."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from exhibit.assets.stage import AssetOptions, AssetReport, AssetStage, FinishedSite
from exhibit.config import SiteConfig, load_config
from exhibit.diagnostics import Diagnostics
from exhibit.lint import lint_site
from exhibit.messages import normalise_language
from exhibit.model import ModelBuilder, SiteModel
from exhibit.output import OutputRefused, StagedOutput
from exhibit.plan import SitePlan, plan_site
from exhibit.render import PageRenderer, RenderedPage
from exhibit.screens import load_screens
from exhibit.sources import content_files, discover, discover_screens
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
    assets: AssetReport | None = None

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
    model = builder.build(records)
    model.screens = load_screens(discover_screens(project.root, project.content_dir, diagnostics), model,
                                 project.root, project.content_dir, project.assets_dir, diagnostics)
    return config, model


def render_site(project: Project, model: SiteModel, plan: SitePlan, diagnostics: Diagnostics,
                helpers: dict[str, object] | None = None) -> list[RenderedPage]:
    env, _ = make_environment(project.templates_dir, model, helpers)
    renderer = PageRenderer(env, project.templates_dir, project.root, diagnostics)
    rendered = (renderer.render(page) for page in plan.pages)
    return [page for page in rendered if page is not None]


def build(project: Project, lang: str | None = None, write: bool = True, minify: bool = False,
          progress: bool = False, subset_font: bool | None = None) -> BuildResult:
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
    assets = AssetStage(project.root, project.content_dir, project.assets_dir, config, diagnostics,
                        AssetOptions(minify=minify, progress=progress,
                                     subset_font=write if subset_font is None else subset_font))
    result.assets = assets.report
    assets.prepare(model)
    plan = plan_site(model, project.assets_dir, diagnostics, project.templates_dir)
    result.items = sum(1 for _ in model.items())
    result.pages = len(plan.pages)
    rendered = render_site(project, model, plan, diagnostics, assets.template_helpers())
    site = assets.finish(rendered, plan.files, plan.generated)
    result.rendered = site.pages
    result.files = len(site.files) + len(site.generated)
    if write and not diagnostics.has_errors():
        result.written = _write(project, site, diagnostics)
    result.seconds = time.perf_counter() - started
    return result


def _write(project: Project, site: FinishedSite, diagnostics: Diagnostics) -> bool:
    output = StagedOutput(project.out)
    try:
        output.open()
        for page in site.pages:
            output.write(page.path, page.html)
        for file in site.files:
            output.copy(file.path, file.source)
        for generated in site.generated:
            output.write(generated.path, generated.data)
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
