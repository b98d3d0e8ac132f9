"""Which inputs every page was made from: what a page's cache key covers (see exhibit/engine/keys.py).

An *input key* is a path relative to the site root (`content/workers/a.md`,
`templates/base.html`, `assets/css/site.css`) or a virtual key starting with
`@` whose value is a fingerprint the build computes (`@collection:workers`, the
list of items in a collection, which the home page's counts read).

A page's inputs are its plan `sources`, `content/site.yaml` (every header shows
the site title and units), the templates its render loaded, and everything
reachable from its context: each item's file, its images, the files its story
links to and the items it points at (a team's leader, an honor's worker). A
template that reads the `collections` global depends on every item. Static and
generated files depend on their `sources`.

The engine hashes these inputs into each page's key, so a page is rendered
again exactly when something it was made from changed.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from jinja2 import Environment, TemplateError, meta

from exhibit.model.collections import COLLECTIONS
from exhibit.model.config import CONFIG_NAME
from exhibit.model.items import Item
from exhibit.model.media import Media
from exhibit.model.sitemodel import SiteModel
from exhibit.model.units import Unit, UnitTree
from exhibit.render.outputs import Page
from exhibit.render.paginate import Pager

CONFIG_KEY = f"content/{CONFIG_NAME}"
TEMPLATE_PREFIX = "templates/"
COLLECTION_KEY = "@collection:"
WHOLE_SITE_GLOBALS = frozenset({"collections"})


def template_key(name: str) -> str:
    return TEMPLATE_PREFIX + name


def collection_key(name: str) -> str:
    """Virtual input: which items a collection holds (not what they say)."""
    return COLLECTION_KEY + name


class PageInputs(NamedTuple):
    """What a page's context reaches, before the items are expanded into their files.

    `files`: the settings, the page's template and sources and the media its context holds itself; `items`: the
    items it holds, by id (each stands for its own inputs, `InputCollector.item_inputs`)."""

    files: set[str]
    items: dict[int, Item]


class InputCollector:
    """Computes page inputs from the model; memoises per item, since items appear on many pages."""

    def __init__(self, model: SiteModel, root: Path) -> None:
        self.model = model
        self.root = root.resolve()
        self._items: dict[int, frozenset[str]] = {}
        self._all_items: frozenset[str] | None = None
        self._digests: dict[int, str] = {}

    def rel(self, path: Path) -> str:
        """Media paths are already resolved by MediaResolver, so no filesystem call is needed."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def item_inputs(self, item: Item) -> frozenset[str]:
        known = self._items.get(id(item))
        if known is not None:
            return known
        self._items[id(item)] = frozenset({item.source})  # guards against reference loops
        keys = {item.source, *self.model.links.get(item.source, ())}
        keys.update(self.rel(media.source) for media in item.images)
        keys.update(self.rel(media.source) for media in _media_fields(item))
        for linked in _linked_items(item):
            keys |= self.item_inputs(linked)
        result = frozenset(keys)
        self._items[id(item)] = result
        return result

    def known_item_inputs(self) -> dict[int, frozenset[str]]:
        """The inputs of every item asked about so far, by id of the item."""
        return dict(self._items)

    def item_digest(self, item: Item, hash_of: Callable[[str], str]) -> str:
        """A hash of the item's inputs and their contents: what a page that shows the item hashes for it.

        Once per item and build, however many pages show it (a listing page would otherwise hash each of its
        items' files again)."""
        known = self._digests.get(id(item))
        if known is None:
            known = self._digests[id(item)] = inputs_digest(self.item_inputs(item), hash_of)
        return known

    def all_items(self) -> frozenset[str]:
        if self._all_items is None:
            keys: set[str] = set()
            for item in self.model.items():
                keys |= self.item_inputs(item)
            keys.update(collection_key(name) for name in self.model.collections)
            self._all_items = frozenset(keys)
        return self._all_items

    def value_inputs(self, value: object, into: PageInputs, depth: int = 0) -> None:
        """Walk a context value: items, media, units, and containers of them."""
        if isinstance(value, Item):
            into.items[id(value)] = value
        elif isinstance(value, Media):
            into.files.add(self.rel(value.source))
        elif isinstance(value, (Unit, UnitTree)):
            into.files.add(CONFIG_KEY)
        elif isinstance(value, dict) and depth < 4:
            for inner in value.values():
                self.value_inputs(inner, into, depth + 1)
        elif isinstance(value, (list, tuple, set, frozenset)) and depth < 4:
            for inner in value:
                self.value_inputs(inner, into, depth + 1)

    def page_inputs(self, page: Page) -> PageInputs:
        """Inputs known before rendering; the renderer adds the templates it loaded."""
        found = PageInputs({CONFIG_KEY, template_key(page.template), *page.sources}, {})
        self.value_inputs(page.context, found)
        return found

    def expand(self, inputs: PageInputs) -> set[str]:
        """Every file (and virtual input) the page's inputs stand for."""
        keys = set(inputs.files)
        for item in inputs.items.values():
            keys |= self.item_inputs(item)
        return keys


def inputs_digest(keys: Iterable[str], hash_of: Callable[[str], str]) -> str:
    """A hash of the inputs by name and content, in a fixed order."""
    return hashlib.sha256("".join([f"{key}\0{hash_of(key)}\n" for key in sorted(keys)]).encode()).hexdigest()


def _media_fields(item: Item) -> Iterator[Media]:
    """Media an item holds that `images` leaves out (e.g. a non-image in `photos`), from the fields that hold media."""
    for name in COLLECTIONS[item.collection].media_fields:
        value = getattr(item, name, None)
        if isinstance(value, Media):
            yield value
        elif isinstance(value, list):
            yield from (entry for entry in value if isinstance(entry, Media))


def _linked_items(item: Item) -> Iterator[Item]:
    """The items this one points at (a team's leader, an honor's recipient), as the registry lists them."""
    for name in COLLECTIONS[item.collection].linked:
        linked = getattr(item, name)
        if isinstance(linked, Item):
            yield linked


_MODEL_OBJECTS = (Item, Media, Unit, UnitTree)


def plain_values(value: object, depth: int = 0) -> object:
    """The plain data in a page's context (text, numbers, flags), as a comparable value.

    Model objects are covered by their inputs; this catches what the plan computes
    itself, such as counts or a kiosk playlist's version, which no single file holds,
    and which items and media a page holds (by address): a page that now shows
    another item is made again even though none of its old inputs changed.
    """
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (Item, Media)):
        return value.url_path
    if isinstance(value, Pager):
        return value.key  # its links and paths follow from these numbers
    if depth >= 4:
        return None
    if isinstance(value, dict):
        return tuple((str(key), plain_values(inner, depth + 1)) for key, inner in value.items())
    if isinstance(value, (list, tuple)):
        if value and isinstance(value[0], _MODEL_OBJECTS):
            # A list of items: their content is covered by their inputs, but which ones it holds, in which
            # order, is the plan's doing: a listing page's slice shifts when an item on another page moves.
            return tuple(getattr(inner, "url_path", None) for inner in value)
        return tuple(plain_values(inner, depth + 1) for inner in value)
    return None


def fingerprints(model: SiteModel) -> dict[str, object]:
    """Values of the virtual inputs: a page that shows counts changes when membership does."""
    return {collection_key(name): tuple((item.source, item.slug) for item in items)
            for name, items in model.collections.items()}


class TemplateScanner:
    """Tells whether a template reads a whole-site global (`collections`), by its source."""

    def __init__(self, env: Environment, templates_dir: Path,
                 known: dict[str, tuple[tuple[int, int] | None, bool]] | None = None) -> None:
        """`known`: answers of an earlier scan by template (its file's mtime and size then), kept when unchanged."""
        # Parsed in a bare environment with these delimiters: the site's own would not report its globals.
        self.delimiters = (env.block_start_string, env.block_end_string, env.variable_start_string,
                           env.variable_end_string, env.comment_start_string, env.comment_end_string)
        self.templates_dir = templates_dir
        self.known: dict[str, tuple[tuple[int, int] | None, bool]] = {} if known is None else known
        self._this_build: dict[str, bool] = {}

    def new_build(self) -> None:
        """Templates may have changed since the last build: look at their files again (once each)."""
        self._this_build.clear()

    def reads_whole_site(self, names: Iterable[str]) -> bool:
        return any(self._reads_cached(name) for name in names)

    def _reads_cached(self, name: str) -> bool:
        known = self._this_build.get(name)
        if known is None:
            known = self._this_build[name] = self._reads(name)
        return known

    def _reads(self, name: str) -> bool:
        path = self.templates_dir / name
        try:
            stat = path.stat()
            signature: tuple[int, int] | None = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            signature = None
        known = self.known.get(name)
        if known is not None and known[0] == signature:
            return known[1]
        reads = False
        if signature is not None:
            try:
                reads = _reads_whole_site(self.delimiters, path.read_text(encoding="utf-8-sig"))
            except (OSError, UnicodeDecodeError, TemplateError):
                reads = False
        self.known[name] = (signature, reads)
        return reads


_WHOLE_SITE_WORDS = re.compile(r"\b(?:" + "|".join(sorted(WHOLE_SITE_GLOBALS)) + r")\b")


@functools.lru_cache(maxsize=512)
def _reads_whole_site(delimiters: tuple[str, ...], source: str) -> bool:
    """Parsing a template costs milliseconds: the preview and many builds in one process ask again for one source.

    A template whose source does not even hold the global's name cannot read it: not parsed at all (a cold
    1,000-item build parsed its 21 templates in the parent, 0.45 s under the profiler, while the workers that
    needed the cores rendered)."""
    if not _WHOLE_SITE_WORDS.search(source):
        return False
    env = Environment(block_start_string=delimiters[0], block_end_string=delimiters[1],
                      variable_start_string=delimiters[2], variable_end_string=delimiters[3],
                      comment_start_string=delimiters[4], comment_end_string=delimiters[5])
    return not meta.find_undeclared_variables(env.parse(source)).isdisjoint(WHOLE_SITE_GLOBALS)


def page_dependencies(collector: InputCollector, scanner: TemplateScanner, page: Page,
                      templates: Iterable[str]) -> frozenset[str]:
    """Everything a rendered page was made from: what its key covers (engine/keys.py PageKeys)."""
    names = set(templates)
    keys = collector.expand(collector.page_inputs(page))
    keys.update(template_key(name) for name in names)
    if scanner.reads_whole_site(names):
        keys |= collector.all_items()
    return frozenset(keys)
