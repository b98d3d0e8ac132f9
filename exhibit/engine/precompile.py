"""The theme compiled in a background process while the content is read (engine/compiled.py loads that code).

The engine forks the compiling process before it imports the stages, so the theme compiles on the second
core while this one imports the rest (a cold 1,000-item build: 0.1 s of the first core's imports had the
second idle). Jinja and the theme's environment are imported first, here, and inherited: both processes
need them, and each importing its own took 30 ms of CPU twice while both cores were busy.
"""

from __future__ import annotations

from concurrent.futures import Future
from pathlib import Path

# Content files from which a site's pages render on every core (engine/render.py: chunks of at least
# MIN_PAGES_PER_CHUNK pages, four per worker); smaller sites compile the theme as they render it.
COMPILE_EARLY_FROM = 64


def compile_theme_in_background(templates_dir: Path, folder: Path) -> Future[int] | None:
    """Start compiling every page template of the theme into `folder` (Jinja's file cache) in a background process.

    Profile of a cold 1,000-item build: each render worker compiled the 26 templates itself (0.15 s of CPU
    each), after the model was built, while both cores were busy. Compiled here, the work is done once, early,
    while the parent reads the content on one core; the workers then load the compiled code from `folder` (a
    template not compiled yet, or changed since, is compiled by whoever needs it, as before). Only for a cache
    folder that holds no compiled template yet: afterwards the folder already has them.
    """
    if folder.is_dir() and any(folder.iterdir()):
        return None
    import exhibit.render.templates  # noqa: F401 - inherited by the compiling process (see above)
    from exhibit.workers import start_in_background
    return start_in_background(_compile_theme, templates_dir, folder)


def _compile_theme(templates_dir: Path, folder: Path) -> int:
    """Runs in the background process: the theme's templates compiled into `folder`; how many compiled."""
    from jinja2 import FileSystemBytecodeCache, TemplateError

    from exhibit.render.templates import theme_environment
    folder.mkdir(parents=True, exist_ok=True)
    env, loader = theme_environment(templates_dir)
    env.bytecode_cache = FileSystemBytecodeCache(str(folder))
    compiled = 0
    for name in loader.inner.list_templates():
        if name.endswith(".html"):
            try:
                env.get_template(name)
                compiled += 1
            except (TemplateError, OSError, UnicodeDecodeError):
                pass  # the render that uses it reports it, at its line
    return compiled
