"""What a publish changes in DEST, and in which order, worked out before the first byte is written.

The order is what keeps readers whole: a new page only appears once every asset it names
is in place, and the screens' version file (what they poll) only once every playlist and
page is. Fingerprinted names never change content, so old pages keep finding their old
assets: those stay for one more publish and go at the next.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from exhibit.publish.manifest import Entry, Manifest

FINGERPRINTED = re.compile(r"\.[0-9a-f]{10}\.[A-Za-z0-9]+$")
VERSION_FILE = "version.json"
SKIPPED = frozenset({".exhibit-site"})  # the build folder's own marker, not part of the site
CHUNK = 1 << 20


def is_fingerprinted(rel: str) -> bool:
    return bool(FINGERPRINTED.search(rel))


def phase(rel: str) -> int:
    """0: fingerprinted assets, 1: pages, playlists and everything else, 2: the version files screens poll."""
    if is_fingerprinted(rel):
        return 0
    return 2 if rel.rsplit("/", 1)[-1] == VERSION_FILE else 1


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def site_files(site: Path) -> dict[str, Path]:
    """Every file of the built site by its posix path relative to the site."""
    return {path.relative_to(site).as_posix(): path for path in sorted(site.rglob("*"))
            if path.is_file() and path.name not in SKIPPED}


@dataclass
class Change:
    rel: str
    source: Path
    sha256: str
    new: bool  # False: replaces an older version of the same path


@dataclass
class PublishPlan:
    """Writes in reader-safe order, the files removed after them, and the manifest that results."""

    writes: list[Change] = field(default_factory=list)
    removals: list[str] = field(default_factory=list)
    unchanged: int = 0
    collisions: list[str] = field(default_factory=list)  # files Exhibit would write but did not write before
    manifest: Manifest = field(default_factory=Manifest)

    @property
    def changes_anything(self) -> bool:
        return bool(self.writes or self.removals)

    @property
    def bytes_to_copy(self) -> int:
        return sum(change.source.stat().st_size for change in self.writes)


def plan_publish(site: Path, dest: Path, current: Manifest) -> PublishPlan:
    """Compare the built site with what DEST holds and with what the manifest says Exhibit wrote there."""
    plan = PublishPlan()
    sources = site_files(site)
    entries: dict[str, Entry] = {}
    for rel, source in sources.items():
        sha = file_hash(source)
        entries[rel] = _unchanged_entry(dest, rel, sha, current)
        if entries[rel].size >= 0:
            plan.unchanged += 1
            continue
        if not current.owns(rel) and (dest / rel).exists():
            plan.collisions.append(rel)
        plan.writes.append(Change(rel, source, sha, new=not (rel in current.files or rel in current.retired)))
    plan.writes.sort(key=lambda change: (phase(change.rel), change.rel))
    plan.manifest = Manifest(entries, _still_retired(current, sources, plan))
    plan.removals = sorted(rel for rel in {*current.files, *current.retired}
                           if rel not in entries and rel not in plan.manifest.retired)
    return plan


def _unchanged_entry(dest: Path, rel: str, sha: str, current: Manifest) -> Entry:
    """The entry to record for rel: with size and mtime when DEST already holds exactly these bytes."""
    known = current.files.get(rel) or current.retired.get(rel)
    if known is None or known.sha256 != sha:
        return Entry(sha)
    path = dest / rel
    try:
        stat = path.stat()
    except OSError:
        return Entry(sha)
    if (stat.st_size, stat.st_mtime_ns) == (known.size, known.mtime_ns) or file_hash(path) == sha:
        return Entry(sha, stat.st_size, stat.st_mtime_ns)
    return Entry(sha)


def _still_retired(current: Manifest, sources: dict[str, Path], plan: PublishPlan) -> dict[str, Entry]:
    """A new generation retires the fingerprinted files it dropped; an unchanged one keeps the retired as they were."""
    if not plan.writes and not any(rel not in sources for rel in current.files):
        return {rel: entry for rel, entry in current.retired.items() if rel not in sources}
    return {rel: entry for rel, entry in current.files.items() if rel not in sources and is_fingerprinted(rel)}
