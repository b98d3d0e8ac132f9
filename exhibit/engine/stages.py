"""The stages in the order data flows: read and model, plan, render; the engine (run.py) drives them."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from exhibit.diagnostics import Diagnostic, Diagnostics
from exhibit.kiosk.playlists import KioskPlan, plan_screens
from exhibit.kiosk.screens import ScreenSet, load_screens
from exhibit.model.collections import COLLECTIONS
from exhibit.model.config import SiteConfig, load_config
from exhibit.model.markup import RenderedStories
from exhibit.model.site import ModelBuilder
from exhibit.model.sitemodel import SiteModel
from exhibit.project import Project
from exhibit.read.lint import LintCache, PendingLint
from exhibit.read.sources import (
    ContentBytes,
    ContentHash,
    Record,
    RecordCache,
    content_files,
    discover,
    discover_screens,
)
from exhibit.render.outputs import SitePlan, check_collisions
from exhibit.render.renderer import PageRenderer, RenderedPage
from exhibit.render.showcase import plan_showcase
from exhibit.render.templates import make_environment


class LoadedSite(NamedTuple):
    """What reading and modelling produce: the settings, the model, and the screens beside it."""

    config: SiteConfig
    model: SiteModel
    screens: ScreenSet


@dataclass
class ModelSources:
    """What a model build leaves for a later run to patch (the preview's, engine/resident.py): the builder, the
    records it built from, and every message reported before the screens were loaded."""

    builder: ModelBuilder | None = None
    records: list[Record] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def load_site(project: Project, diagnostics: Diagnostics, lang: str | None,
              story_html: dict[str, str] | None = None, jobs: int | None = None,
              lint_findings: LintCache | None = None, records: RecordCache | None = None,
              content_hash: ContentHash | None = None, newest_ns: int | None = None,
              rendered: RenderedStories | None = None, sources: ModelSources | None = None,
              late_lint: list[tuple[PendingLint, int]] | None = None,
              content_bytes: ContentBytes | None = None) -> LoadedSite | None:
    """Config, sources, model and screens: every content problem of the site, found in one pass.

    `story_html`: converted stories by story key, which receives the newly converted ones;
    `lint_findings`: the same for the copy lint's warnings, by lint key; `records`: for content files' records;
    `content_hash`: a file's sha256 by root-relative path, where the engine knows it, so unchanged files are not read;
    `content_bytes`: the bytes a hash was made of, where the engine kept them, so no file is read twice;
    `newest_ns`: the newest content file's mtime, where the engine knows every file's (kiosk/screens.py build_time);
    `rendered`: stories rendered by an earlier build, by place, which receives this build's (the engine's cache);
    `sources`: filled with what the model was built from, for a later run to patch;
    `late_lint`: receives the copy lint, still running on idle cores, and where its warnings go in `diagnostics`
    (the caller finishes it, `PendingLint.finish`, or stops it), instead of its warnings being added here.
    """
    start = len(diagnostics.items)
    config = load_config(project.root, project.content_dir, diagnostics, lang)
    if config is None:
        return None
    files = content_files(project.content_dir, project.root, diagnostics)  # walked once, for both
    # The copy lint's warnings are wanted only in the report: it runs on its workers while the content is read
    # and modelled (reading is serial: a core would idle), or on to the end of the run for a caller that takes
    # them there (`late_lint`), and its warnings go where they always stood.
    lint = PendingLint(project.root, [project.content_dir / "site.yaml", *files], config.language, jobs,
                       lint_findings, content_hash, idle_priority=late_lint is not None)
    with lint if late_lint is None else _stopped_on_error(lint):
        found = discover(project.root, project.content_dir, COLLECTIONS, diagnostics, records, content_hash, files,
                         content_bytes)
        read_problems = len(diagnostics.items)
        builder = ModelBuilder(project.root, project.content_dir, project.assets_dir, config, diagnostics,
                               story_html=story_html, jobs=jobs, rendered=rendered)
        model = builder.build(found)
        if late_lint is None:
            lint.finish(diagnostics, at=read_problems)
        else:
            late_lint.append((lint, read_problems))
    if sources is not None:
        sources.builder, sources.records, sources.diagnostics = builder, found, list(diagnostics.items[start:])
    screens = load_screens(discover_screens(project.root, project.content_dir, diagnostics), model,
                           project.root, project.content_dir, project.assets_dir, diagnostics, newest_ns)
    return LoadedSite(config, model, screens)


@contextlib.contextmanager
def _stopped_on_error(lint: PendingLint) -> Iterator[PendingLint]:
    """The lint left running when the block succeeds (its caller takes it), stopped when it fails."""
    try:
        yield lint
    except BaseException:
        lint.cancel()
        raise


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
