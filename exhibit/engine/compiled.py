"""Jinja's compiled templates, kept in this process and, for a writing build, in `.exhibit-cache/jinja/`.

Compiling the theme is most of a small build's time. The preview, and any process
that builds more than once (`check` then `build`, publish after publish), make a new
Jinja environment each run: the memory layer hands each one the code compiled before
for the same template file with the same text (Jinja's bucket key names the template
and its file, the checksum its source), so output and error messages stay the same.
"""

from __future__ import annotations

from collections import OrderedDict

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
