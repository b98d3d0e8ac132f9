"""Orchestrates the stages, in the order data flows; nothing is written until everything is known."""

from __future__ import annotations

import contextlib
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from exhibit.assets.stage import AssetOptions, AssetReport, AssetStage, FinishedSite
from exhibit.diagnostics import Diagnostics
from exhibit.i18n import normalise_language
from exhibit.kiosk.playlists import KioskPlan, plan_screens
from exhibit.kiosk.screens import ScreenSet, load_screens
from exhibit.model.collections import COLLECTIONS
from exhibit.model.config import SiteConfig, load_config
from exhibit.model.site import ModelBuilder, SiteModel
from exhibit.project import Project, check_layout
from exhibit.read.lint import lint_site
from exhibit.read.sources import content_files, discover, discover_screens
from exhibit.render.output import OutputRefused, StagedOutput
from exhibit.render.outputs import SitePlan, check_collisions
from exhibit.render.renderer import PageRenderer, RenderedPage
from exhibit.render.showcase import plan_showcase
from exhibit.render.templates import make_environment


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


class LoadedSite(NamedTuple):
    """What reading and modelling produce: the settings, the model, and the screens beside it."""

    config: SiteConfig
    model: SiteModel
    screens: ScreenSet


def load_site(project: Project, diagnostics: Diagnostics, lang: str | None) -> LoadedSite | None:
    """Config, sources, model and screens: every content problem of the site, found in one pass."""
    config = load_config(project.root, project.content_dir, diagnostics, lang)
    if config is None:
        return None
    records = discover(project.root, project.content_dir, COLLECTIONS, diagnostics)
    lint_site(project.root, [project.content_dir / "site.yaml", *content_files(project.content_dir)],
              config.language, diagnostics)
    builder = ModelBuilder(project.root, project.content_dir, project.assets_dir, config, diagnostics)
    model = builder.build(records)
    screens = load_screens(discover_screens(project.root, project.content_dir, diagnostics), model,
                           project.root, project.content_dir, project.assets_dir, diagnostics)
    return LoadedSite(config, model, screens)


def plan_site(model: SiteModel, screens: ScreenSet, assets_dir: Path, diagnostics: Diagnostics,
              templates_dir: Path | None = None) -> SitePlan:
    """The showcase's pages, then the screens' pages and files."""
    return with_screens(plan_showcase(model, assets_dir), plan_screens(model, screens, assets_dir, templates_dir),
                        diagnostics)


def with_screens(showcase: SitePlan, screens: KioskPlan, diagnostics: Diagnostics) -> SitePlan:
    """The whole site: the showcase, then the screens' pages and files; two outputs on one path are errors."""
    pages = showcase.pages + screens.pages
    files = showcase.files + screens.files
    check_collisions(pages, files, diagnostics, screens.generated)
    return SitePlan(pages, files, screens.generated, len(screens.pages))


def render_site(project: Project, model: SiteModel, plan: SitePlan, diagnostics: Diagnostics,
                helpers: dict[str, object] | None = None, screens: ScreenSet | None = None) -> list[RenderedPage]:
    env, _ = make_environment(project.templates_dir, model, helpers, screens)
    renderer = PageRenderer(env, project.templates_dir, project.root, diagnostics)
    rendered = (renderer.render(page) for page in plan.pages)
    return [page for page in rendered if page is not None]


def build(project: Project, lang: str | None = None, write: bool = True, minify: bool = False,
          progress: bool = False, subset_font: bool | None = None) -> BuildResult:
    """Run every stage; write the site only when the whole run found no error."""
    with _cache_dir(write) as cache_dir:
        options = AssetOptions(minify=minify, progress=progress,
                               subset_font=write if subset_font is None else subset_font, cache_dir=cache_dir)
        return _build(project, lang, write, options)


@contextlib.contextmanager
def _cache_dir(write: bool) -> Iterator[Path | None]:
    """`check` writes nothing in the site folder: its asset cache is a temporary folder, removed after."""
    if write:
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="exhibit-check-") as scratch:
        yield Path(scratch)


def _build(project: Project, lang: str | None, write: bool, options: AssetOptions) -> BuildResult:
    started = time.perf_counter()
    diagnostics = Diagnostics()
    result = BuildResult(diagnostics, normalise_language(lang))
    if not check_layout(project, diagnostics):
        return result
    loaded = load_site(project, diagnostics, lang)
    if loaded is None:
        return result
    config, model, screens = loaded
    result.language = config.language
    assets = AssetStage(project.root, project.content_dir, project.assets_dir, config, diagnostics, options)
    result.assets = assets.report
    assets.prepare(model, screens)
    plan = plan_site(model, screens, project.assets_dir, diagnostics, project.templates_dir)
    result.items = sum(1 for _ in model.items())
    result.pages = len(plan.pages)
    rendered = render_site(project, model, plan, diagnostics, assets.template_helpers(), screens)
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
