"""The record in DEST of what Exhibit wrote there: the only files a publish may replace or remove.

A small JSON file (`.exhibit-publish.json`) rather than a database: it must survive a copy
to a share and be readable by a person who wonders what the folder holds.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST_NAME = ".exhibit-publish.json"
FORMAT = 1


@dataclass(frozen=True)
class Entry:
    """A published file: its content hash, and the size and mtime it had when written (a cheap 'unchanged')."""

    sha256: str
    size: int = -1
    mtime_ns: int = -1

    def to_json(self) -> list[object]:
        return [self.sha256, self.size, self.mtime_ns]

    @classmethod
    def from_json(cls, value: object) -> Entry:
        sha, size, mtime = value  # type: ignore[misc]
        return cls(str(sha), int(size), int(mtime))


@dataclass
class Manifest:
    """`files`: the current generation; `retired`: fingerprinted files of the one before, kept one publish."""

    files: dict[str, Entry] = field(default_factory=dict)
    retired: dict[str, Entry] = field(default_factory=dict)

    def owns(self, rel: str) -> bool:
        return rel in self.files or rel in self.retired

    def to_json(self) -> str:
        return json.dumps({"format": FORMAT, "written_by": "exhibit publish",
                           "files": {rel: entry.to_json() for rel, entry in sorted(self.files.items())},
                           "retired": {rel: entry.to_json() for rel, entry in sorted(self.retired.items())}},
                          ensure_ascii=False, indent=1)


class ManifestBroken(ValueError):
    """The manifest exists but cannot be read: nothing in DEST can be trusted to be ours."""


def read_manifest(dest: Path) -> Manifest | None:
    """The manifest in DEST, or None when there is none."""
    path = dest / MANIFEST_NAME
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise ManifestBroken(f"format {data.get('format')!r}")
        return Manifest({rel: Entry.from_json(v) for rel, v in data["files"].items()},
                        {rel: Entry.from_json(v) for rel, v in data.get("retired", {}).items()})
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise ManifestBroken(str(error)) from error


def write_manifest(dest: Path, manifest: Manifest) -> None:
    """Replace the manifest atomically: a crash leaves the old one or the new one, never half of either."""
    path = dest / MANIFEST_NAME
    temporary = dest / f"{MANIFEST_NAME}.{os.getpid()}.tmp"
    temporary.write_text(manifest.to_json(), encoding="utf-8")
    os.replace(temporary, path)
