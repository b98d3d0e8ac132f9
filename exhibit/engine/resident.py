"""What a resident engine (the preview's, which runs again on every save) keeps of its last model.

A save that changed a few content files is read, linted and modelled for those files only: their new
records take the place of the old ones in the model the last run left (exhibit/model/patch.py decides
whether they can), and the screens are loaded again from the patched model. Everything after the model
(plan, page keys, rendering, writing) runs as in any build, on the patched model.

The kept model is used only when what it was made from is known to be the same: the last run had no
error, the settings and every file under content/ and assets/ other than the changed content files have
the size and mtime they had, and neither the changed files nor their reading, lint or model build report
anything (a message would have to be put where a full build puts it). Otherwise the whole site is read
again, and that run's model is kept instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment
from markupsafe import Markup

from exhibit.diagnostics import Diagnostics
from exhibit.engine.keys import KeptKeys
from exhibit.engine.stages import LoadedSite, ModelSources
from exhibit.kiosk.screens import load_screens
from exhibit.model.collections import COLLECTIONS
from exhibit.model.config import CONFIG_NAME
from exhibit.model.items import Item
from exhibit.model.markup import RenderedStories
from exhibit.model.patch import patch_model
from exhibit.model.sitemodel import SiteModel
from exhibit.project import Project
from exhibit.read.lint import LintCache, lint_site
from exhibit.read.sources import YAML_SUFFIXES, ContentHash, Record, RecordCache, discover, discover_screens
from exhibit.render.outputs import Page

_KEPT_FOLDERS = ("content/", "assets/")  # what the model reads (templates/ it does not)
_ITEM_SUFFIXES = (".md", ".markdown", *YAML_SUFFIXES)


@dataclass
class KeptSite:
    """The last run's model, with what it was made from."""

    options: tuple[object, ...]
    stats: dict[str, tuple[int, int]]  # every input file's (size, mtime) then (engine/keys.py input_signature)
    loaded: LoadedSite
    sources: ModelSources
    records: dict[str, list[Record]] = field(default_factory=dict)  # by file
    bodies: dict[int, Markup] = field(default_factory=dict)  # by id(item): each story as the model built it
    keys: KeptKeys | None = None  # the page keys of the last run on this model
    render: KeptRender | None = None  # what the last run rendered and finished its pages with (engine/quick.py)

    def __post_init__(self) -> None:
        for record in self.sources.records:
            self.records.setdefault(record.rel, []).append(record)
        self.sources.records = []  # held by file from here on, where a patch replaces them
        self.bodies = {id(item): item.body for item in self.loaded.model.items()}

    def model_as_built(self, model: SiteModel) -> SiteModel:
        """The model with every story as the model build made it: the asset stage points a run's stories at
        that run's picture renditions (assets/stage.py prepare), which the next run makes again."""
        bodies = {}
        for item in model.items():
            body = self.bodies.get(id(item))
            if body is None:
                body = item.body  # built by this patch: not through the asset stage yet
            else:
                item.body = body
            bodies[id(item)] = body
        self.bodies = bodies
        return model

    def swap_bodies(self, replaced: dict[int, Item]) -> None:
        """The new items' stories as built, in place of the old items' (the quick pass, which left the rest)."""
        for old, item in replaced.items():
            self.bodies.pop(old, None)
            self.bodies[id(item)] = item.body


@dataclass
class KeptRender:
    """What the last run rendered its pages with, for the next save's quick pass (engine/quick.py)."""

    env: Environment  # its compiled templates, and the asset stage's helpers among its globals
    pages: dict[str, Page]  # the plan's pages by path, but the screens' (whose contexts hold the screens)
    global_hash: str  # what every page's key holds of the globals (engine/keys.py PageKeys)
    finish_page: Callable[[str, bytes], bytes]  # the last run's asset URLs put into a page
    finish_key: str


_KEPT: dict[str, KeptSite] = {}
"""The kept model by site root: the preview's process builds one site."""


def keep(root: Path, options: tuple[object, ...], stats: dict[str, tuple[int, int]], loaded: LoadedSite,
         sources: ModelSources) -> None:
    """Keep this run's model for the next run of this process (a run with errors keeps nothing)."""
    if sources.builder is None or any(found.severity.value == "error" for found in sources.diagnostics):
        _KEPT.pop(str(root), None)
        return
    sources.builder.story_html = {}  # converted stories: rendered, they are in the rendered cache
    _KEPT[str(root)] = KeptSite(options, stats, loaded, sources)


def forget(root: Path) -> None:
    _KEPT.pop(str(root), None)


def kept_keys(root: Path) -> KeptKeys | None:
    """The page keys of the last run, for a run on its model patched (engine/keys.py PageKeys)."""
    kept = _KEPT.get(str(root))
    return None if kept is None else kept.keys


def keep_keys(root: Path, keys: KeptKeys | None) -> None:
    kept = _KEPT.get(str(root))
    if kept is not None:
        kept.keys = keys


def keep_render(root: Path, render: KeptRender | None) -> None:
    kept = _KEPT.get(str(root))
    if kept is not None:
        kept.render = render


def kept_site(root: Path) -> KeptSite | None:
    return _KEPT.get(str(root))


@dataclass
class Caches:
    """The engine's content caches, as this run reads and fills them."""

    records: RecordCache
    findings: LintCache
    rendered: RenderedStories
    content_hash: ContentHash


def patched_site(project: Project, options: tuple[object, ...], stats: dict[str, tuple[int, int]],
                 diagnostics: Diagnostics, caches: Caches, newest_ns: int,
                 quick: list[str] | None = None) -> LoadedSite | None:
    """The kept model with the changed content files read again, and the screens loaded on it; None when the
    kept model cannot serve (see the module docstring): the caller reads the whole site.

    `quick` (the quick pass, engine/quick.py): the only files whose stats may differ from the kept ones, as
    `stats` is the kept stats with theirs taken again. The last run's screens stay then, and the stories of
    the old items as the asset stage left them; the next run loads the screens and puts the stories back."""
    kept = _KEPT.get(str(project.root))
    if kept is None or kept.options != options:
        return None
    candidates = stats.keys() | kept.stats.keys() if quick is None else quick
    changed = sorted(rel for rel in candidates
                     if rel.startswith(_KEPT_FOLDERS) and stats.get(rel) != kept.stats.get(rel))
    screens = quick is None
    if not _content_edits(changed, stats, kept):
        return None
    scratch = Diagnostics()
    new_records = _read_again(project, changed, kept, scratch, caches)
    if scratch.items or new_records is None:
        return None
    pairs = [(old, new) for rel in changed
             for old, new in zip(kept.records.get(rel, []), new_records[rel], strict=True)]
    sources = kept.sources
    assert sources.builder is not None  # kept only with one (keep)
    # Also when the patch below is refused (then it is dropped). The quick pass keeps the stories as the asset
    # stage left them: it renders the old items as the last run did, and the next run puts them back.
    model = kept.model_as_built(kept.loaded.model) if screens else kept.loaded.model
    if pairs:
        sources.builder.rendered = caches.rendered
        model = patch_model(sources.builder, model, pairs)
        if model is None:
            return None
    diagnostics.extend(sources.diagnostics)
    loaded_screens = kept.loaded.screens
    if screens:
        loaded_screens = load_screens(discover_screens(project.root, project.content_dir, diagnostics), model,
                                      project.root, project.content_dir, project.assets_dir, diagnostics, newest_ns)
    kept.stats = stats
    kept.records.update(new_records)
    kept.loaded = LoadedSite(kept.loaded.config, kept.model_as_built(model) if screens else model, loaded_screens)
    return kept.loaded


def _content_edits(changed: list[str], now: dict[str, tuple[int, int]], kept: KeptSite) -> bool:
    """Only content files that were there and still are, none of them the settings or a picture."""
    config = {f"content/{CONFIG_NAME}", "content/site.yml"}
    return all(rel.startswith("content/") and rel not in config and rel in now and rel in kept.stats
               and rel.endswith(_ITEM_SUFFIXES) and not any(found.path == rel for found in kept.sources.diagnostics)
               for rel in changed)


def _read_again(project: Project, changed: list[str], kept: KeptSite, scratch: Diagnostics,
                caches: Caches) -> dict[str, list[Record]] | None:
    """The changed files' records (read and linted, problems into `scratch`); None when one now holds more or
    fewer records than it did."""
    paths = [project.root / rel for rel in changed]
    records = discover(project.root, project.content_dir, COLLECTIONS, scratch, caches.records,
                       caches.content_hash, paths)
    lint_site(project.root, paths, kept.loaded.config.language, scratch, 1, caches.findings, caches.content_hash)
    by_file: dict[str, list[Record]] = {rel: [] for rel in changed}
    for record in records:
        by_file[record.rel].append(record)
    if any(len(by_file[rel]) != len(kept.records.get(rel, [])) for rel in changed):
        return None
    return by_file

