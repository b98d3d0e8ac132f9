"""`exhibit publish DEST`: build, then update DEST so a reader always finds a whole generation.

Layered above the pipeline: the build is one call (`_build`), so a new build engine is
repointed there and nowhere else. DEST is a local folder, a mounted share, or an rsync
target (`user@host:path`). What Exhibit wrote is listed in DEST's manifest; nothing else
in DEST is ever replaced or removed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from exhibit.assets.progress import ProgressDisplay, progress_wanted
from exhibit.engine import BuildResult, build
from exhibit.i18n import normalise_language
from exhibit.project import Project
from exhibit.publish import report
from exhibit.publish.local import apply_plan
from exhibit.publish.manifest import Manifest, ManifestBroken, read_manifest
from exhibit.publish.plan import PublishPlan, plan_publish
from exhibit.publish.rsync import RsyncFailed, mirror_for, push, remote_is_foreign, rsync_executable
from exhibit.publish.target import is_rsync_target, refusal_for

EXIT_OK = 0
EXIT_REFUSED = 1
PROGRESS_FILES = 50  # fewer files than this copy in a blink: no bar
PROGRESS_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class PublishOptions:
    dry_run: bool = False
    lang: str | None = None
    minify: bool = False
    quiet: bool = False


@dataclass
class PublishOutcome:
    """The build's result (None when DEST was refused before building) and the exit code."""

    build: BuildResult | None
    exit_code: int


def publish(project: Project, dest: str, options: PublishOptions,
            on_built: Callable[[BuildResult], None] = lambda result: None) -> PublishOutcome:
    """Refuse a dangerous DEST before building; build; report the build (on_built); then update DEST."""
    lang = normalise_language(options.lang)
    remote = is_rsync_target(dest)
    if remote and rsync_executable() is None:
        report.error("publish_rsync_missing", lang, target=dest)
        return PublishOutcome(None, EXIT_REFUSED)
    folder = mirror_for(project.root / ".exhibit-cache", dest) if remote else Path(dest).expanduser()
    refusal = None if remote else refusal_for(folder, project)
    if refusal is not None:
        report.error(refusal.code, lang, folder=refusal.folder)
        return PublishOutcome(None, EXIT_REFUSED)
    result = _build(project, options)
    on_built(result)
    if not result.ok:
        return PublishOutcome(result, EXIT_REFUSED)
    started = time.perf_counter()
    code = _update(project, dest, folder, remote, options, result.language)
    if code == EXIT_OK and not options.quiet:
        report.seconds_taken(result.language, time.perf_counter() - started)
    return PublishOutcome(result, code)


def _build(project: Project, options: PublishOptions) -> BuildResult:
    """The one place publish runs the build: repoint here when the build engine changes."""
    return build(project, lang=options.lang, write=True, minify=options.minify,
                 progress=progress_wanted(options.quiet))


def _update(project: Project, dest: str, folder: Path, remote: bool, options: PublishOptions, lang: str) -> int:
    try:
        if remote and remote_is_foreign(dest):
            report.error("publish_refused_not_empty", lang, folder=dest)
            return EXIT_REFUSED
        current = read_manifest(folder) or Manifest()
        plan = plan_publish(project.out, folder, current)
        if plan.collisions:
            report.error("publish_foreign_file", lang, folder=dest, file=plan.collisions[0],
                         count=len(plan.collisions))
            return EXIT_REFUSED
        if options.dry_run:
            report.dry_run(plan, dest, lang)
            return EXIT_OK
        if plan.changes_anything or plan.manifest != current:
            _apply(plan, folder, current, options, lang)
        if remote:
            push(folder, dest, plan)
    except ManifestBroken as error:
        report.error("publish_manifest_broken", lang, folder=dest, detail=str(error))
        return EXIT_REFUSED
    except RsyncFailed as error:
        report.error("publish_rsync_failed", lang, target=dest, detail=str(error))
        return EXIT_REFUSED
    except OSError as error:
        report.error("publish_write_failed", lang, folder=dest,
                     detail=f"{error.filename or ''} {error.strerror or error}".strip())
        return EXIT_REFUSED
    if not options.quiet:
        report.published(plan, dest, lang)
    return EXIT_OK


def _apply(plan: PublishPlan, folder: Path, current: Manifest, options: PublishOptions, lang: str) -> None:
    """Copy with a progress bar when there is much to copy and a person is watching."""
    much = len(plan.writes) >= PROGRESS_FILES or plan.bytes_to_copy >= PROGRESS_BYTES
    display = ProgressDisplay(much and progress_wanted(options.quiet), lang)
    with display.task("publish_progress", total=len(plan.writes)) as advance:
        apply_plan(plan, folder, current, advance)
