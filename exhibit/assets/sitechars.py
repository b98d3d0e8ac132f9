"""The characters the site's pages show, for the font subset: counted once per process, kept by witness page.

Profile of a cold 1,000-item build: listing each page's characters (a set of its
5,000 characters, then sorted) was 0.33 s of the render workers' 0.83 s, and a
page's full set was only needed to tell, in a later build, whether a character
left the site with a changed page. Now a render worker (`NewCharacters`) finds
only the characters its earlier pages did not have: it first removes, in one
regular-expression pass, every character it already met, and looks at what is
left (0.05 s for the same pages).

What a later build needs instead is one page per character that shows it (its
witness, `BuildState.page_characters`). A witness whose page comes out of this
build as it was still shows the character; a page rendered again reports what
it shows to its worker; the characters left over (their witness changed or went,
and no rendered page reported them) are looked for in the pages kept as they
were, read back only then. The union is therefore exactly every page's, as it
was when each page's set was kept, and the subset is cut from the same
characters a clean build finds.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from concurrent.futures import Future

from exhibit.assets.fonts import characters_in, escaped_characters, unshown_met

_STABLE_PAGES = 20  # pages in a row without a new character before the subset is guessed (or a tenth of all)
_RECOMPILE_SHARE = 8  # the pattern of met characters is made again when they grew by an eighth (at least 32)
_RECOMPILE_MIN = 32


def _character_class(chars: Iterable[str]) -> str:
    return "[" + "".join(re.escape(char) for char in sorted(chars)) + "]"


class NewCharacters:
    """One process's scan of the pages it renders: each page's characters that no earlier page of it showed.

    `new_in(text)` equals `characters_in([text])` (assets/fonts.py) minus what it returned before: entities are
    decoded and escapes read first, then every character met so far (shown or not, as line breaks) is removed at
    C speed."""

    def __init__(self) -> None:
        self.met: set[str] = set()  # shown characters returned so far
        self._pattern: re.Pattern[str] | None = None
        self._pattern_size = 0

    def new_in(self, text: str) -> str:
        new = characters_in([text], self._pattern) - self.met
        self.met |= new
        if len(self.met) >= self._pattern_size + max(_RECOMPILE_MIN, self._pattern_size // _RECOMPILE_SHARE):
            self._pattern = re.compile(_character_class(self.met | unshown_met()) + "+")
            self._pattern_size = len(self.met)
        return "".join(sorted(new))


def shown_among(text: str, wanted: set[str]) -> set[str]:
    """Which of `wanted` (shown characters) the page shows: `characters_in([text]) & wanted`, found faster."""
    found = set(re.findall(_character_class(wanted), html.unescape(text)))
    if "\\" in text:
        found |= escaped_characters(text) & wanted
    return found


class FontPrefetch:
    """Every page's characters, with a witness page for each, across builds; starts cutting the subset on a guess
    while pages still render (assets/stage.py, module docstring).

    Order of calls: `begin` (what an earlier build counted, and which pages this one keeps as they were), `seen`
    for each page rendered, `complete`; then `characters` is the union and `for_next_build` what to keep."""

    def __init__(self, start: Callable[[set[str]], Future[None] | None] | None, total_pages: int,
                 base: set[str]) -> None:
        self._start = start
        self._collecting = start is not None  # a font will be cut: its characters are worth counting
        self._total = total_pages
        self._chars = set(base)  # the theme's own texts and the generated files' (no page witnesses them)
        self._witness: dict[str, str] = {}
        self._before: dict[str, str] | None = None  # what the last build left
        self._kept: set[str] = set()
        self._uncounted: set[str] = set()
        self._read: Callable[[str], bytes] = _nothing_to_read
        self._rendered = 0
        self._last_new = 0
        self._complete = False
        self._future: Future[None] | None = None
        self._started_with: set[str] | None = None

    @property
    def counting(self) -> bool:
        """Whether pages' characters are counted at all (a font will be cut): else `seen` need not get them."""
        return self._collecting

    def begin(self, witnessed: dict[str, str] | None, uncounted: set[str], kept: Iterable[str],
              read: Callable[[str], bytes]) -> None:
        """Before rendering. `witnessed`: each character the last build counted, with its page (None: no build
        counted); `uncounted`: pages changed since, by runs that did not count; `kept`: the pages this build keeps
        as they were, whose HTML `read` returns. A witness kept as it was still shows its character; a kept page
        nobody counted is scanned now."""
        self._before, self._read, self._kept = witnessed, read, set(kept)
        self._uncounted = set(self._kept) if witnessed is None else uncounted & self._kept
        if not self._collecting:
            return
        for char, page in (witnessed or {}).items():
            if page in self._kept and page not in self._uncounted:
                self._add(page, char)
        scanner = NewCharacters()
        for page in sorted(self._uncounted):
            self._add(page, scanner.new_in(read(page).decode("utf-8")))

    def seen(self, page: str, new: str) -> None:
        """A page rendered by this build, with the characters its process had not reported before."""
        if not self._collecting:
            return
        before = len(self._chars)
        self._add(page, new)
        self._rendered += 1
        if len(self._chars) != before:
            self._last_new = self._rendered
        stable = self._rendered - self._last_new >= max(_STABLE_PAGES, self._total // 10)
        if self._start is not None and stable and 2 * self._rendered >= self._total:
            start, self._start = self._start, None
            self._started_with = set(self._chars)
            self._future = start(self._started_with)

    def complete(self) -> None:
        """After the last rendered page: the characters the last build counted whose witness changed or went, and
        no rendered page reported, looked for in the counted pages kept (each read only while some are missing)."""
        if not self._collecting:
            return
        missing = {char for char in self._before or {} if char not in self._witness}
        for page in sorted(self._kept - self._uncounted) if missing else ():
            found = shown_among(self._read(page).decode("utf-8"), missing)
            self._add(page, found)
            missing -= found
            if not missing:
                break
        self._complete = True

    def characters(self) -> set[str] | None:
        """Every character of the site, once `complete`: `finish` need not scan the pages again."""
        return set(self._chars) if self._collecting and self._complete else None

    def for_next_build(self, pages: Iterable[str]) -> tuple[dict[str, str] | None, set[str]]:
        """What the state keeps for the next build's `begin`, `pages` being this build's: the witnesses and no
        uncounted page after a count; else the last count's witnesses, with the pages rendered since uncounted."""
        if self._collecting:
            return dict(self._witness), set()
        return self._before, {page for page in pages if page in self._uncounted or page not in self._kept}

    def cutting(self, chars: set[str]) -> Future[None] | None:
        """The cut started on a guess, when the guess was exactly these characters."""
        return self._future if self._started_with == chars else None

    def _add(self, page: str, chars: Iterable[str]) -> None:
        for char in chars:
            if char not in self._witness:
                self._witness[char] = page
                self._chars.add(char)


def _nothing_to_read(page: str) -> bytes:
    raise LookupError(f"FontPrefetch: {page} read before `begin`")
