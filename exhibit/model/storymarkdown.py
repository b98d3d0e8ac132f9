"""Python-Markdown configured once per process, trying on each story only the patterns it can match.

Profile of converting the 1,000-item benchmark corpus (1.2 s of CPU, the largest
single cost of a cold build): most of it is the inline processor trying each of
its 16 patterns on each text node, through a method call and a regex search
whose Python overhead is the same whether the pattern could match or not.

Every inline pattern of these extensions matches only text holding certain
characters (a code span needs a backtick, an entity an ampersand, a link a
bracket). Block processing only removes characters from a story and adds
placeholders made of STX, ETX, letters, digits and a colon, so a pattern whose
characters are not all in the story cannot match any text node of it. Leaving
such patterns out changes nothing but the time: on that corpus, which has no
backtick, backslash, `<`, `&` or `_`, conversion takes 27 % less. The inline
processor's registry is also handed over as a plain list (its `__getitem__`
re-checks its sort on every call), and its list of block-level tags as a set
(`is_block_level` scanned the list about 120 times a story: 8 % less time).
tests/model/test_story_markdown.py converts generated stories both ways and
compares the HTML.

The same test is made again on each text node, before each pattern is tried on it: a story's characters are
spread over many nodes (a paragraph, a list item, a table cell each), and most nodes lack most of them (on that
corpus, 93,000 of 148,000 tries). A node holding none of the characters any pattern needs (most of them) skips
the test for each pattern with characters of its own (0.96 of the time converting that corpus). This replaces
the inline processor's own loop over its patterns, a method Python-Markdown keeps private, so only where its
class still has the methods of those names (else the stock loop runs): a pattern whose characters the node
lacks counts as not matched, what trying it would give.

Two tree processors get the same treatment: `attr_list` looks for `{...}` in each
element's text and `unescape` for the placeholders only backslash escapes make,
so a story without `{` (or without a backslash) skips a walk over its whole tree
that can change nothing (9 % of converting that corpus, which has neither). So do
two preprocessors: raw HTML blocks (an HTML parser run over the whole story) need
`<`, fenced code ``` or ~~~ (`_WALK_NEEDS`; 0.96 to 0.99 of the time on that corpus).

The block parser gets the same test on each block: its loop asks up to 16 block processors in turn whether
they take the block, each through a method call and a regular expression, and a paragraph reaches the last one.
A table, a heading, a list or a quote needs characters of its own (a pipe, `#`, a marker, `>`), so a processor
whose characters the block lacks is passed over (`_BLOCK_NEEDS`; 0.78 to 0.82 of the time converting 1,000 stories of
the benchmark corpus, the same HTML on 5,000).

Hand-written because Python-Markdown has no such option; it stays the engine,
with its own patterns in its own order. A pattern this table does not know (a
newer Python-Markdown's) is always tried, and so is one whose regular
expression no longer spells the characters listed for it.

The extensions are handed over as instances, not names: Python-Markdown looks a
name up among every installed package's entry points first, which imports
importlib.metadata and reads each package's metadata (23 ms of the 57 ms it took
to make the instance, paid by every build that converts a story, a one-item
rebuild included), and lets another package that registers the same name stand
in for Python-Markdown's own extension.
"""

from __future__ import annotations

import contextlib
import importlib
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    import markdown
    from markdown.blockparser import BlockParser
    from markdown.extensions import Extension
    from markdown.treeprocessors import Treeprocessor
    from markdown.util import Registry

MARKDOWN_EXTENSIONS = ("extra", "sane_lists", "nl2br")

# Pattern name -> groups of characters; a match holds at least one character of each group.
# Line breaks (`linebreak`, nl2br's `nl`) are always tried: normalising whitespace turns "\r" into "\n".
_NEEDS: dict[str, tuple[str, ...]] = {
    "backtick": ("`",),
    "escape": ("\\",),
    "footnote": ("[", "^"),
    "reference": ("[",),
    "link": ("[",),
    "image_link": ("!", "["),
    "image_reference": ("!", "["),
    "short_reference": ("[",),
    "short_image_ref": ("!", "["),
    "autolink": ("<",),
    "automail": ("<",),
    "html": ("<",),
    "entity": ("&",),
    "em_strong": ("*_",),
    "em_strong2": ("_",),
    "not_strong": ("*_",),
}

# Any character some pattern needs: a text node without one is tried only with the patterns that need none (the
# placeholders that matched patterns put in are made of STX, ETX, letters and digits, so it never gains one).
_ANY_NEEDED = re.compile("[" + re.escape("".join(sorted({char for groups in _NEEDS.values() for group in groups
                                                         for char in group}))) + "]")

# Block processor name -> its class, and groups of characters a block it takes holds (one of each group), read
# off the regular expression its test (or, for footnote, abbr and reference, whose test takes every block, its
# run) must match; a table's header row needs a pipe. Processors that look at the parser's state or at indents
# only (empty, indent, defindent, code, markdown_block, paragraph) are always tried.
_BLOCK_NEEDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "table": ("TableProcessor", ("|",)),
    "hashheader": ("HashHeaderProcessor", ("#",)),
    "setextheader": ("SetextHeaderProcessor", ("=-",)),
    "hr": ("HRProcessor", ("-_*",)),
    "olist": ("SaneOListProcessor", (".",)),
    "ulist": ("SaneUListProcessor", ("*+-",)),
    "deflist": ("DefListProcessor", (":",)),
    "quote": ("BlockQuoteProcessor", (">",)),
    "footnote": ("FootnoteBlockProcessor", ("[", "^")),
    "abbr": ("AbbrBlockprocessor", ("*", "[")),
    "reference": ("ReferenceProcessor", ("[", "]", ":")),
}


# Processors that walk the whole story or tree, by registry and name -> their class, and the characters of which
# every story they can change holds one: attr_list's expressions all spell `{`; the placeholders `unescape`
# restores come only from backslash escapes (the source's own STX and ETX are removed before parsing); raw HTML
# starts with `<` and a fenced block with ``` or ~~~. Another class under that name (a newer Python-Markdown's)
# always runs.
_WALK_NEEDS: dict[tuple[str, str], tuple[str, str]] = {
    ("treeprocessors", "attr_list"): ("AttrListTreeprocessor", "{"),
    ("treeprocessors", "unescape"): ("UnescapeTreeprocessor", "\\"),
    ("preprocessors", "html_block"): ("HtmlBlockPreprocessor", "<"),
    ("preprocessors", "fenced_code_block"): ("FencedBlockPreprocessor", "`~"),
}


class StoryMarkdown:
    """One Markdown instance; `convert` runs it on a story with the patterns the story can match."""

    def __init__(self) -> None:
        import markdown

        self.md: markdown.Markdown = markdown.Markdown(extensions=extension_instances())
        self._inline = self.md.treeprocessors["inline"]
        registry = self.md.inlinePatterns
        needs: list[tuple[str, ...]] = [()] * len(registry)
        for name, groups in _NEEDS.items():
            if name in registry:
                needs[registry.get_index_for_name(name)] = _checked(registry[name], groups)
        self._patterns = [(registry[index], needs[index]) for index in range(len(registry))]
        self._node_needs: list[tuple[str, ...]] = []  # the needs of each pattern the story tries, in its order
        _gate_each_text_node(self._inline, self._node_needs)
        blocks = frozenset(self.md.block_level_elements)  # a list Python-Markdown scans on each of 120 calls a story

        answers: dict[object, bool] = {}  # by tag: 81 calls a story, for a handful of tags

        def is_block_level(tag: object) -> bool:
            try:
                return answers[tag]
            except (KeyError, TypeError):
                answer = isinstance(tag, str) and tag.lower().rstrip("/") in blocks
                with contextlib.suppress(TypeError):
                    answers[tag] = answer
                return answer

        self.md.is_block_level = is_block_level  # type: ignore[method-assign]
        self._all_tree_processors = self.md.treeprocessors
        self._all_preprocessors = self.md.preprocessors
        self._walk_needs = {(where, name): chars for (where, name), (kind, chars) in _WALK_NEEDS.items()
                            if name in getattr(self.md, where) and type(getattr(self.md, where)[name]).__name__ == kind}
        self._variants: dict[tuple[str, frozenset[str]], Registry[Any]] = {}
        _gate_each_block(self.md.parser)

    def convert(self, text: str) -> str:
        tried = [(pattern, needs) for pattern, needs in self._patterns if _holds(text, needs)]
        self._inline.inlinePatterns = [pattern for pattern, _ in tried]
        self._node_needs[:] = [needs for _, needs in tried]
        skipped = {key for key, chars in self._walk_needs.items() if not _holds(text, (chars,))}
        try:
            self.md.treeprocessors = self._without("treeprocessors", self._all_tree_processors, skipped)
            self.md.preprocessors = self._without("preprocessors", self._all_preprocessors, skipped)
            return self.md.reset().convert(text)
        finally:
            self.md.treeprocessors = self._all_tree_processors
            self.md.preprocessors = self._all_preprocessors

    def _without(self, where: str, registry: Registry[Any], skipped: set[tuple[str, str]]) -> Registry[Any]:
        """The registry without its processors in `skipped`, in their order (made once for each set skipped)."""
        names = frozenset(name for kind, name in skipped if kind == where)
        if not names:
            return registry
        found = self._variants.get((where, names))
        if found is None:
            from markdown.util import Registry

            found = Registry()
            list(registry)  # iterating sorts its entries by priority
            for item in registry._priority:
                if item.name not in names:
                    found.register(registry[item.name], item.name, item.priority)
            self._variants[(where, names)] = found
        return found


def _holds(text: str, needs: tuple[str, ...]) -> bool:
    """Whether the text has a character of each group (loops, not `all(any(...))`: this runs for each pattern on
    each text node, where a generator costs more than the test)."""
    for group in needs:
        for char in group:
            if char in text:
                break
        else:
            return False
    return True


def _gate_each_text_node(inline: Treeprocessor, node_needs: list[tuple[str, ...]]) -> None:
    """The inline processor's loop over its patterns for one text, skipping each pattern whose characters the text
    lacks (`node_needs[i]` for `inline.inlinePatterns[i]`): Python-Markdown's `__handleInline` with that test
    added. Set on this instance only, and only where its class still has that loop and its `__applyPattern`."""
    from markdown.util import AtomicString

    prefix = f"_{type(inline).__name__}__"
    apply = getattr(inline, prefix + "applyPattern", None)
    if apply is None or not hasattr(type(inline), prefix + "handleInline"):
        return

    def handle_inline(data: str, pattern_index: int = 0) -> str:
        if isinstance(data, AtomicString):
            return data
        start = 0
        patterns = inline.inlinePatterns  # type: ignore[attr-defined]
        plain = _ANY_NEEDED.search(data) is None  # most nodes: no pattern with characters of its own can match
        while pattern_index < len(patterns):
            needs = node_needs[pattern_index]
            if needs and (plain or not _holds(data, needs)):
                pattern_index, start = pattern_index + 1, 0  # what trying it returns: not matched, from 0
                continue
            data, matched, start = apply(patterns[pattern_index], data, pattern_index, start)
            if not matched:
                pattern_index += 1
        return data

    setattr(inline, prefix + "handleInline", handle_inline)


def _gate_each_block(parser: BlockParser) -> None:
    """The block parser's loop over its processors for a list of blocks, skipping each processor whose characters
    the block lacks (`_BLOCK_NEEDS`): Python-Markdown's `parseBlocks` with that test added, taken as not matching
    (a footnote, abbr or reference processor's run puts back a block it does not match and returns False). Set
    on this instance only, and only where its class still has Python-Markdown's own `parseBlocks`."""
    loop = getattr(type(parser), "parseBlocks", None)
    if getattr(loop, "__module__", "") != "markdown.blockparser" or loop.__qualname__ != "BlockParser.parseBlocks":
        return
    registry = parser.blockprocessors
    in_order = list(registry)  # iterating sorts the registry by priority, and its names with it
    processors = [(processor, _block_needs(item.name, processor))
                  for item, processor in zip(registry._priority, in_order, strict=True)]

    def parse_blocks(parent: Element, blocks: list[str]) -> None:
        while blocks:
            block = blocks[0]
            for processor, needs in processors:
                if needs and not _holds(block, needs):
                    continue
                if processor.test(parent, block) and processor.run(parent, blocks) is not False:
                    break

    parser.parseBlocks = parse_blocks  # type: ignore[method-assign]


def _block_needs(name: str, processor: object) -> tuple[str, ...]:
    """The characters a block must hold for this processor to take it; none (always tried) for a processor of
    another class than the table names, or whose regular expression no longer spells them."""
    kind, needs = _BLOCK_NEEDS.get(name, ("", ()))
    if type(processor).__name__ != kind:
        return ()
    if kind == "TableProcessor":  # its test splits the rows on pipes, with no expression of its own
        return needs
    expression = getattr(processor, "SEARCH_RE", None) or getattr(processor, "RE", None)
    return _spelled(expression if isinstance(expression, str) else getattr(expression, "pattern", None), needs)


def extension_instances() -> list[Extension]:
    """MARKDOWN_EXTENSIONS as the instances Python-Markdown would make of their names, in its order: "extra" is
    the extensions its module lists (each made with extra's empty settings, as `ExtraExtension` makes them)."""
    from markdown.extensions import extra

    names: list[str] = []
    for name in MARKDOWN_EXTENSIONS:
        names.extend(extra.extensions if name == "extra" else [name])
    return [importlib.import_module(f"markdown.extensions.{name}").makeExtension() for name in names]


def _checked(pattern: object, groups: tuple[str, ...]) -> tuple[str, ...]:
    """`groups` when the pattern's regular expression spells each of them, else none (the pattern is always tried)."""
    return _spelled(getattr(pattern, "pattern", None), groups)


def _spelled(source: object, groups: tuple[str, ...]) -> tuple[str, ...]:
    """`groups` when the regular expression `source` spells each of them, else none."""
    if not isinstance(source, str):
        return ()
    spelled = all(any(re.escape(char) in source or char in source for char in group) for group in groups)
    return groups if spelled else ()


@lru_cache(maxsize=1)
def story_markdown() -> StoryMarkdown:
    """One per process (building one per story costs more than converting it); forked workers inherit it."""
    return StoryMarkdown()
