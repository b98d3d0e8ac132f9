"""What the dev server remembers between builds: each input file's signature, records and problems.

A one-file edit then re-reads one file; everything else comes from memory.
Files are keyed by their path relative to the site root.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from exhibit.diagnostics import Diagnostic, Diagnostics
from exhibit.model.collections import COLLECTIONS
from exhibit.model.config import SiteConfig, config_path, load_config
from exhibit.read.lint import lint_file
from exhibit.read.sources import Record, content_files, layout_problems, read_content_file, source_kind

Signature = tuple[int, int]
WATCHED_FOLDERS = ("content", "templates", "assets")


def signature_of(path: Path) -> Signature | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


def _digest(path: Path) -> bytes | None:
    try:
        return hashlib.blake2b(path.read_bytes(), digest_size=16).digest()
    except OSError:
        return None


def _is_hidden(rel_parts: tuple[str, ...]) -> bool:
    return any(part.startswith((".", "~", "#")) or part.endswith(("~", ".swp", ".tmp", ".bak"))
               for part in rel_parts)


@dataclass
class FileEntry:
    """One content file as last read."""

    records: list[Record]
    problems: list[Diagnostic]
    lint: list[Diagnostic] = field(default_factory=list)
    lint_language: str | None = None


class SourceCache:
    """Signatures of every watched file, and the parsed form of each content file."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.content_dir = self.root / "content"
        self.signatures: dict[str, Signature] = {}
        self.digests: dict[str, bytes | None] = {}
        self.entries: dict[str, FileEntry] = {}
        self.touched: set[str] = set()  # content files saved again with the same bytes (see update)
        self._content_files: list[Path] | None = None
        self._layout: tuple[list[tuple[Path, str]], Diagnostics] | None = None
        self._config: tuple[SiteConfig | None, list[Diagnostic]] | None = None
        self._config_lang: str | None = None

    # --- finding what changed --------------------------------------------------------------
    def scan(self) -> set[str]:
        """Compare every watched file with what is remembered; the changed paths (added, edited, gone)."""
        found: dict[str, Signature] = {}
        for folder in WATCHED_FOLDERS:
            base = self.root / folder
            for directory, dirs, files in os.walk(base):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in files:
                    path = Path(directory) / name
                    rel = path.relative_to(self.root).as_posix()
                    if _is_hidden(tuple(rel.split("/")[1:])):
                        continue
                    sig = signature_of(path)
                    if sig is not None:
                        found[rel] = sig
        changed = {rel for rel, sig in found.items() if self.signatures.get(rel) != sig}
        changed |= set(self.signatures) - set(found)
        self.signatures = found
        for rel in changed:
            self.digests.pop(rel, None)
        self._forget(changed)
        self._content_files = None
        return changed

    def update(self, paths: Iterable[Path]) -> set[str]:
        """Take the watcher's word for which files changed; re-read only those.

        Editors and watchers report one save as several events (modified, closed);
        a file whose bytes are what they were is not a change.
        """
        changed: set[str] = set()
        for path in paths:
            absolute = path if path.is_absolute() else self.root / path
            try:
                rel = absolute.relative_to(self.root).as_posix()
            except ValueError:
                continue
            parts = tuple(rel.split("/"))
            if parts[0] not in WATCHED_FOLDERS or _is_hidden(parts[1:]):
                continue
            sig = signature_of(absolute) if absolute.is_file() else None
            before = rel in self.signatures
            if sig is None:
                self.signatures.pop(rel, None)
                self.digests.pop(rel, None)
                if before:
                    self._content_files = None
                    changed.add(rel)
                continue
            digest = _digest(absolute)
            if before and digest is not None and self.digests.get(rel) == digest:
                if sig != self.signatures.get(rel) and rel.startswith("content/"):
                    self.signatures[rel] = sig
                    self.touched.add(rel)  # same bytes, newer time: the screens' build time may move
                continue
            self.signatures[rel] = sig
            self.digests[rel] = digest
            if not before:
                self._content_files = None
            changed.add(rel)
        self._forget(changed)
        return changed

    def _forget(self, changed: set[str]) -> None:
        for rel in changed:
            self.entries.pop(rel, None)
        if f"content/{config_path(Path()).name}" in changed:
            self._config = None

    def version_of(self, rel: str) -> object:
        """What identifies a file's current content: its signature, and its digest once read for a change."""
        return self.signatures.get(rel), self.digests.get(rel)

    # --- reading -------------------------------------------------------------------------------
    def config(self, lang: str | None) -> tuple[SiteConfig | None, list[Diagnostic]]:
        if self._config is None or self._config_lang != lang:
            diagnostics = Diagnostics()
            config = load_config(self.root, self.content_dir, diagnostics, lang)
            self._config, self._config_lang = (config, diagnostics.items), lang
        return self._config

    def files(self) -> list[Path]:
        """Content files in reading order (see sources.content_files)."""
        if self._content_files is None:
            rels = [rel for rel in self.signatures if rel.startswith("content/")]
            rels.sort(key=lambda rel: tuple(rel.split("/")))
            self._content_files = [self.root / rel for rel in rels]
            self._layout = None
        return self._content_files

    def _layout_of(self) -> tuple[list[tuple[Path, str]], Diagnostics]:
        """The files that hold records (with their root-relative names), and the misplaced-file problems.

        Redone only when files come or go.
        """
        files = self.files()
        if self._layout is None:
            problems = Diagnostics()
            layout_problems(self.root, self.content_dir, files, COLLECTIONS, problems)
            readable = [(path, path.relative_to(self.root).as_posix()) for path in files
                        if source_kind(self.content_dir, path, COLLECTIONS) is not None]
            self._layout = (readable, problems)
        return self._layout

    def records(self, language: str, diagnostics: Diagnostics) -> list[Record]:
        """Every record, re-reading only files not read since they last changed."""
        files, problems = self._layout_of()
        diagnostics.extend(problems.items)
        records: list[Record] = []
        for path, rel in files:
            entry = self._entry(path, rel, language)
            diagnostics.extend(entry.problems)
            diagnostics.extend(entry.lint)
            records.extend(entry.records)
        return records

    def lint_config(self, language: str) -> list[Diagnostic]:
        path = config_path(self.content_dir)
        return lint_file(path, path.relative_to(self.root).as_posix(), language) if path.is_file() else []

    def file_entry(self, rel: str, language: str) -> FileEntry:
        """One content file's records and problems (read again only if it changed)."""
        return self._entry(self.root / rel, rel, language)

    def _entry(self, path: Path, rel: str, language: str) -> FileEntry:
        entry = self.entries.get(rel)
        if entry is None:
            problems = Diagnostics()
            records = read_content_file(self.root, self.content_dir, path, COLLECTIONS, problems)
            entry = FileEntry(records, problems.items)
            self.entries[rel] = entry
        if entry.lint_language != language:
            entry.lint = lint_file(path, rel, language)
            entry.lint_language = language
        return entry


def all_content_files(content_dir: Path) -> list[Path]:
    """The same files, found by walking (for one-shot builds)."""
    return content_files(content_dir)
