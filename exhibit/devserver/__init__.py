"""`python build.py serve`: build, serve site/ on 127.0.0.1, rebuild after each edit, reload pages.

The preview is the build engine (exhibit/engine/) plus a watcher, an HTTP
server and a reload channel: each save runs the same engine `build` runs, so
the preview's site is byte for byte what `build` makes (without cutting the web
font), and a `build` run meanwhile on the same root takes its turn through the
engine's lock. The build loop runs in the main thread; the HTTP server and the
file watcher run in their own. A build with errors writes nothing: the last good
site stays served and every open page shows the errors until a later build is clean.
"""

from __future__ import annotations

import contextlib
import gc
import signal
import sys
import threading
import time
import webbrowser
from dataclasses import dataclass

from exhibit.devserver.channel import BuildState, ReloadChannel, SiteLock, error_rows, overlay_labels
from exhibit.devserver.http import PreviewServer, is_loopback
from exhibit.devserver.watcher import DEFAULT_QUIET, Batch, ChangeWatcher
from exhibit.diagnostics import print_diagnostics
from exhibit.engine import BuildResult, Engine, EngineOptions
from exhibit.engine.cache import EngineCache
from exhibit.engine.quick import quick_pass
from exhibit.i18n import format_message, normalise_language
from exhibit.project import Project

_REBUILDS_BEFORE_COLLECTING = 5
_IDLE_SECONDS = 1.0  # without edits for this long, the preview catches up: the regular run, caches, garbage
_PATHS_NAMED = 200  # a build that changed more paths than this reloads every open page


@dataclass(frozen=True)
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 8000
    open_browser: bool = False
    lang: str | None = None
    quiet_seconds: float = DEFAULT_QUIET
    jobs: int | None = None


class DevSession:
    """One preview: the builder, the reload channel and the build counter."""

    def __init__(self, project: Project, options: ServeOptions) -> None:
        self.project = project
        self.options = options
        self.lock = SiteLock()
        self.engine_options = EngineOptions(options.lang, write=True, subset_font=False, jobs=options.jobs,
                                            preview=True)
        self.token = f"{int(time.time() * 1000):x}"
        self.count = 0
        lang = normalise_language(options.lang)
        self.lang = lang
        self.channel = ReloadChannel(BuildState(self._build_id(), labels=overlay_labels(lang)))
        self.ready = threading.Event()
        self._shown_errors: tuple[str, ...] = ()

    def _build_id(self) -> str:
        return f"{self.token}-{self.count}"

    def save(self, batch: Batch) -> BuildResult | None:
        """A save the watcher reported: its quick pass (engine/quick.py), announced at once, when it applies, and
        None: the regular run is still to come (`run`, which `serve` calls once the saves pause). Else the
        regular run, now, and its result."""
        first = None
        if not batch.rescan and not self.channel.state.errors:
            first = quick_pass(self.project, self.engine_options, batch.paths, self.lock.write)
        if first is None:
            return self.run(batch)
        if first.change.written:
            self._publish(first)
        print(format_message("serve_rebuilt_quick", self.lang, {
            "written": len(first.change.written), "ms": first.seconds * 1000})[0], flush=True)
        return None

    def run(self, batch: Batch | None) -> BuildResult:
        """Run the engine once; the watcher's batch only says what to print, the engine finds what changed.

        The content caches a later process reads are not saved here but by `save_caches`, when the preview is
        idle: pickling them held the interpreter for 0.13 s at 5,000 items, and the reload announcement
        waited for it."""
        engine = Engine(self.project, self.engine_options, write_guard=self.lock.write)
        result = engine.run()
        self.lang = result.language
        if not result.skipped or self.channel.state.errors:  # skipped: saved with the same bytes, or undone
            self._publish(result)
            if batch is not None or result.change.written or result.change.removed or not result.ok:
                self._print(result, batch)  # after quick passes: only when it changed more
        return result

    def build(self, batch: Batch | None) -> BuildResult:
        """A save and, right after, the regular run (`serve` waits for a pause before that run): the site as a
        `build` makes it."""
        result = self.save(batch) if batch is not None else None
        return result if result is not None else self.run(None)

    @staticmethod
    def save_caches() -> None:
        """Save the content caches the runs held back (rendered stories, records, lint findings) for a later `build`."""
        EngineCache.save_pending()

    def _publish(self, result: BuildResult) -> None:
        previous = self.channel.state
        build, kind = previous.build, previous.kind
        paths = previous.paths if build == previous.build else None
        if result.written and (result.change.written or result.change.removed or result.full):
            self.count += 1
            build = self._build_id()
            kind = "css" if result.change.css_only and not result.full else "reload"
            changed = result.change.written + result.change.removed
            paths = tuple(changed) if not result.full and len(changed) <= _PATHS_NAMED else None
        errors = result.diagnostics.sorted() if not result.ok else []
        errors = [d for d in errors if d.severity.value == "error"]
        renamed = result.change.renamed if kind == "css" and build != previous.build else {}
        self.channel.publish(BuildState(build, previous.build if build != previous.build else previous.previous,
                                        kind, error_rows(errors, result.language), overlay_labels(result.language),
                                        renamed, paths))

    def _print(self, result: BuildResult, batch: Batch | None) -> None:
        lang = result.language
        if not result.ok:
            shown = tuple(f"{d.location()} {d.code}" for d in result.diagnostics.errors)
            if shown != self._shown_errors:
                print_diagnostics(result.diagnostics.errors, lang)
                self._shown_errors = shown
            print(format_message("serve_failed", lang, {"errors": len(result.diagnostics.errors)})[0],
                  file=sys.stderr, flush=True)
            return
        if self._shown_errors:
            print(format_message("serve_fixed", lang, {})[0], flush=True)
            self._shown_errors = ()
        kinds = ", ".join(sorted(batch.kinds(self.project.root))) if batch else ""
        print(format_message("serve_rebuilt", lang, {
            "written": len(result.change.written), "removed": len(result.change.removed),
            "rendered": len(result.rendered_paths), "ms": result.seconds * 1000, "kinds": kinds})[0], flush=True)


def serve(project: Project, options: ServeOptions) -> int:
    """Run the preview until Ctrl+C (or SIGTERM); 0 on a clean stop."""
    # A process started in the background by a shell inherits an ignored SIGINT; Ctrl+C must still stop it.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    session = DevSession(project, options)
    lang = normalise_language(options.lang)
    try:
        server = PreviewServer((options.host, options.port), project.out, session.channel, session.lock,
                               session.ready, lang)
        server.project = project  # the drop import writes into its content/
    except OSError as error:
        message, hint = format_message("serve_port_busy", lang, {"host": options.host, "port": options.port,
                                                                 "detail": error.strerror or str(error)})
        print(f"exhibit: error: {message}\n    {format_message('hint_prefix', lang, {})[0]}{hint}", file=sys.stderr)
        return 1
    threading.Thread(target=server.serve_forever, name="exhibit-http", daemon=True).start()
    watcher = ChangeWatcher(project.root, options.quiet_seconds)
    watcher.start()
    gc.disable()  # collected when idle instead (see below): a full collection was a tenth of a save's rebuild
    try:
        result = session.build(None)
        session.ready.set()
        server.lang = result.language
        _announce(server, options, result.language)
        uncollected = 1  # rebuilds since the last collection
        behind = False  # saves went through the quick pass: the regular run is to come
        while True:
            batch = watcher.next_batch(timeout=_IDLE_SECONDS)
            if batch is not None:
                behind = session.save(batch) is None  # else the regular run ran, and caught up with all
                uncollected += 1
            elif behind:  # a second without edits: the rest of the site catches up
                session.run(None)
                behind = False
            server.lang = session.lang
            # A second without edits after a rebuild: its caches are saved and its garbage goes now, not during
            # the next one; and after a few rebuilds in a row without such a pause, so that saving every few
            # moments cannot pile them up.
            if uncollected and (batch is None or uncollected >= _REBUILDS_BEFORE_COLLECTING):
                session.save_caches()
                gc.collect()
                uncollected = 0
    except KeyboardInterrupt:
        print(format_message("serve_stopped", session.lang, {})[0], flush=True)
        return 0
    finally:
        gc.enable()
        with contextlib.suppress(OSError):
            session.save_caches()
        session.channel.close()
        watcher.stop()
        with contextlib.suppress(Exception):
            server.shutdown()
        server.server_close()


def _announce(server: PreviewServer, options: ServeOptions, lang: str) -> None:
    host = options.host if ":" not in options.host else f"[{options.host}]"
    url = f"http://{host}:{server.server_address[1]}/"
    print(format_message("serve_listening", lang, {"url": url})[0], flush=True)
    if not is_loopback(options.host):
        print(format_message("serve_public_host", lang, {"host": options.host})[0], file=sys.stderr, flush=True)
    if options.open_browser:
        threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
