"""Jinja's compiled templates, kept in this process and, for a writing build, in `.exhibit-cache/jinja/`.

Compiling the theme is most of a small build's time. The preview, and any process
that builds more than once (`check` then `build`, publish after publish), make a new
Jinja environment each run: the memory layer hands each one the code compiled before
for the same template file with the same text (Jinja's bucket key names the template
and its file, the checksum its source), so output and error messages stay the same.
"""

from __future__ import annotations

from collections import OrderedDict
from concurrent.futures import Future
from pathlib import Path

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket

_CAPACITY = 400  # templates: a few themes' worth; least recently used first out
_IN_MEMORY: OrderedDict[tuple[str, str], object] = OrderedDict()


class CompiledTemplates(BytecodeCache):
    """Memory first, then the folder's cache (if any); what either finds or compiles is kept in both."""

    def __init__(self, on_disk: BytecodeCache | None = None) -> None:
        self.on_disk = on_disk

    def load_bytecode(self, bucket: Bucket) -> None:
        key = (bucket.key, bucket.checksum)
        code = _IN_MEMORY.get(key)
        if code is not None:
            _IN_MEMORY.move_to_end(key)
            bucket.code = code  # type: ignore[assignment]
            return
        if self.on_disk is not None:
            self.on_disk.load_bytecode(bucket)
            if bucket.code is not None:
                _remember(key, bucket.code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        _remember((bucket.key, bucket.checksum), bucket.code)
        if self.on_disk is not None:
            self.on_disk.dump_bytecode(bucket)


def _remember(key: tuple[str, str], code: object) -> None:
    _IN_MEMORY[key] = code
    _IN_MEMORY.move_to_end(key)
    while len(_IN_MEMORY) > _CAPACITY:
        _IN_MEMORY.popitem(last=False)


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
