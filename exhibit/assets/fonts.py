"""The CJK font cut down to the characters the site shows, as WOFF2 (HarfBuzz's hb-subset + fontTools).

A full Noto Sans CJK face is 16 MB; the characters of an exhibition site make a
subset of a few hundred KB. The subset is cached by (font bytes, face, characters),
so a rebuild without new characters costs a hash of the font file.

The subset's site name carries that key too, not a hash of the bytes cut: the key
covers everything the bytes follow from (the font, the face, the characters, the
cutting options, HarfBuzz's, fontTools' and brotli's versions), so the name still
changes whenever the bytes would. Knowing the name before the cut lets the
stylesheets and pages that name the font be finished and written while the cut runs.

Why HarfBuzz cuts and fontTools packs: hb-subset (C, through uharfbuzz) cuts the
sample's 520 characters out of Noto Sans CJK in 10 ms, where fontTools' subsetter
spent 0.6 s in Python on the CFF outlines alone. fontTools still writes the WOFF2
(hb-subset has no WOFF2 writer) and still cuts fonts HarfBuzz cannot open (a
WOFF or WOFF2 file named in site.yaml).

The WOFF2 is compressed at brotli quality 9 with a 64 KB window (`lgwin` 16),
not fontTools' fixed quality 11 and 4 MB window. Noto Sans CJK SC cut to 600 and
3,500 characters (a site's usual range): quality 10 took 0.52 and 2.25 s, and
quality 9 with the small window 0.05 and 0.09 s, for 9 to 12 % more bytes (859 KB
against 960 KB at 3,500 characters). With a larger window, quality 9 chooses a
hash table of 16 MB or more: the 1,000-item benchmark's cold build peaked 27 MB
higher than at quality 10, and 2 % fewer bytes did not pay for it; with 64 KB, 4
to 5 MB. The subset is cut again whenever a story brings a new character, and
the file is fetched once per screen and cached: two seconds per cut matter more
than a tenth of a file read once on the intranet. fontTools has no option for it,
so `_brotli_settings` swaps the function its WOFF2 writer calls for the length of
one save.
"""

from __future__ import annotations

import contextlib
import functools
import html
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from exhibit.assets.cache import AssetCache, bytes_hash, file_hash, settings_hash, touch, write_atomic
from exhibit.assets.fontsource import FontFile
from exhibit.read.slugs import slugify
from exhibit.versions import installed_version

SUBSET_VERSION = 5  # 2: brotli quality 10; 3: cut by hb-subset; 4: brotli quality 9; 5: its window 64 KB
WOFF2_QUALITY = 9
WOFF2_WINDOW_BITS = 16
WEB_FAMILY = "Exhibit CJK"  # the name themes put first in their font-family stacks
COMMON_PUNCTUATION = (
    "\u00a0\u00b7\u00d7\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u2030\u2039\u203a\u2190\u2192\u2460\u2461\u2462"
    "\u3000\u3001\u3002\u3008\u3009\u300a\u300b\u300c\u300d\u300e\u300f\u3010\u3011\u3014\u3015\u3016\u3017"
    "\uff01\uff08\uff09\uff0c\uff0d\uff0e\uff1a\uff1b\uff1f\uff3b\uff3d\uff5e\uffe5"
)
ALWAYS_INCLUDED = frozenset(chr(code) for code in range(0x20, 0x7F)) | frozenset(COMMON_PUNCTUATION)
_JS_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?")
_CJK_RANGES = ((0x2E80, 0x9FFF), (0xAC00, 0xD7AF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF),
               (0x20000, 0x3FFFF))


@dataclass(frozen=True)
class SubsetEntry:
    """Where one subset is cached, and the name it is published under (known before it is cut)."""

    data_file: Path
    meta_file: Path
    name: str  # e.g. noto-sans-cjk-sc.1a2b3c4d5e.woff2


@dataclass(frozen=True)
class FontSubset:
    """The WOFF2 bytes' cached file, its site name, and what it covers."""

    file: Path
    name: str
    family: str
    characters: int
    missing: tuple[str, ...]

    @property
    def size(self) -> int:
        return self.file.stat().st_size


def characters_in(texts: Iterable[str], skipped: re.Pattern[str] | None = None) -> set[str]:
    """Every character a page may show: text, attributes, and \\uXXXX / CSS escapes in scripts and styles.

    `skipped`: runs of characters not to look at, removed from the text once its entities are decoded (a scan
    that met them already, assets/sitechars.py); escapes are read from the text as written, whatever it holds."""
    found: set[str] = set()
    for text in texts:
        decoded = html.unescape(text)
        found.update(skipped.sub("", decoded) if skipped is not None else decoded)
        if "\\" in text:  # both escapes start with one
            found |= escaped_characters(text)
    return shown(found)


def escaped_characters(text: str) -> set[str]:
    """The characters \\uXXXX (scripts) and CSS escapes in the text stand for."""
    found = {chr(int(code, 16)) for code in _JS_ESCAPE.findall(text)}
    found.update(_css_char(code) for code in _CSS_ESCAPE.findall(text))
    return found


def shown(chars: set[str]) -> set[str]:
    """`chars` without those no page shows (line breaks, tabs, other controls)."""
    return chars - _unshown(chars)


def unshown_met() -> set[str]:
    """The characters no page shows, among those this process has looked at: a scan may skip them."""
    return set(_UNSHOWN)


# Characters whose printability this process has looked at, and those of them no page shows. Each page's few
# hundred characters were tested one by one, 20 % of the time spent finding a page's characters; a site has a few
# thousand characters in all, so only a page's first-seen ones are tested.
_LOOKED_AT: set[str] = set()
_UNSHOWN: set[str] = set()


def _unshown(chars: set[str]) -> set[str]:
    """The characters no page shows (line breaks, tabs, other controls), among those looked at so far and `chars`."""
    unknown = chars - _LOOKED_AT
    if unknown:  # _UNSHOWN first: a thread that finds a character looked at finds its verdict too
        _UNSHOWN.update(char for char in unknown if not (char.isprintable() or char == "\u3000"))
        _LOOKED_AT.update(unknown)
    return _UNSHOWN


def _css_char(code: str) -> str:
    value = int(code, 16)
    return chr(value) if 0 < value <= 0x10FFFF and not 0xD800 <= value <= 0xDFFF else " "


def is_cjk(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _CJK_RANGES)


def needs_font(chars: set[str]) -> bool:
    """A site without any CJK character (an English-only site) is better served by system fonts."""
    return any(is_cjk(char) for char in chars)


class FontSubsetter:
    """Subsets one face, through the cache."""

    def __init__(self, cache: AssetCache) -> None:
        self.cache = cache

    def subset(self, font: FontFile, chars: set[str]) -> FontSubset:
        """The subset of these characters: from the cache, or cut here and cached."""
        entry = self.entry(font, chars)
        found = self.cached(font, entry)
        if found is not None:
            return found
        data, meta = _make_subset(font, _wanted(chars))
        write_atomic(entry.data_file, data)
        write_atomic(entry.meta_file, json.dumps(meta, ensure_ascii=False).encode())
        return FontSubset(entry.data_file, entry.name, font.family, meta["characters"], tuple(meta["missing"]))

    def cached(self, font: FontFile, entry: SubsetEntry) -> FontSubset | None:
        """The subset from the cache (marked as used), or None when it has not been cut yet."""
        meta = self.cache.read_json(entry.meta_file)
        if meta is None or not entry.data_file.is_file():
            return None
        touch(entry.data_file)
        return FontSubset(entry.data_file, entry.name, font.family, meta["characters"], tuple(meta["missing"]))

    def has(self, font: FontFile, chars: set[str]) -> bool:
        """Whether the subset of these characters is cached already."""
        entry = self.entry(font, chars)
        return entry.data_file.is_file() and entry.meta_file.is_file()

    def entry(self, font: FontFile, chars: set[str]) -> SubsetEntry:
        import brotli
        import fontTools  # the package alone is cheap; subset and ttLib are imported only to cut a subset

        wanted = _wanted(chars)
        characters = bytes_hash(wanted.encode("utf-8", "surrogatepass"))
        harfbuzz = installed_version("uharfbuzz") or ""  # not uharfbuzz.__version__: importing it costs 20 ms
        key = settings_hash(self._font_hash(font.path)[:32], font.index, characters, SUBSET_VERSION,
                            fontTools.version, getattr(brotli, "__version__", ""), harfbuzz)
        folder = self.cache.folder("fonts")
        return SubsetEntry(folder / f"{key}.woff2", folder / f"{key}.json", f"{subset_stem(font)}.{key[:10]}.woff2")

    def _font_hash(self, path: Path) -> str:
        """The font file's sha256, kept in the cache by the file's size, mtime and inode (20 MB: 20 ms to read).

        Every build names its subset by it, so each one-shot build after an edit read the whole font again."""
        stat = path.stat()
        identity = [stat.st_size, stat.st_mtime_ns, stat.st_ino]
        note = self.cache.folder("fonts") / FONT_HASHES_NOTE
        known = self.cache.read_json(note) or {}
        entry = known.get(str(path))
        if isinstance(entry, list) and len(entry) == 4 and entry[:3] == identity:
            return str(entry[3])
        digest = file_hash(path)
        known[str(path)] = [*identity, digest]
        write_atomic(note, json.dumps(known).encode())
        return digest


FONT_HASHES_NOTE = "font-hashes.json"


def _wanted(chars: set[str]) -> str:
    return "".join(sorted(chars | ALWAYS_INCLUDED))


def cut_subset(root: Path, font: FontFile, chars: frozenset[str], cache_dir: Path | None = None) -> None:
    """Cut a subset into the cache of ROOT (or `cache_dir`): run in a background worker by the asset stage."""
    FontSubsetter(AssetCache(root, cache_dir)).subset(font, set(chars))


def _make_subset(font: FontFile, wanted: str) -> tuple[bytes, dict]:
    """The WOFF2 bytes of the face cut to `wanted`, and what it covers (`characters`) and lacks (`missing`)."""
    import uharfbuzz

    face = uharfbuzz.Face(uharfbuzz.Blob.from_file_path(str(font.path)), font.index)
    covered = face.unicodes
    if not covered:  # HarfBuzz reads no WOFF or WOFF2 file (and no font it cannot parse): fontTools cuts it
        return _make_subset_with_fonttools(font, wanted)
    present, meta = _coverage(wanted, covered)
    request = uharfbuzz.SubsetInput()
    for char in present:
        request.unicode_set.add(ord(char))
    # no hints (CJK outlines render well unhinted; hints are a third of the bytes), flat charstrings (they
    # compress better under WOFF2's brotli)
    request.flags = uharfbuzz.SubsetFlags.NO_HINTING | uharfbuzz.SubsetFlags.DESUBROUTINIZE
    cut = uharfbuzz.subset(face, request)
    if cut is None:
        return _make_subset_with_fonttools(font, wanted)
    return _woff2(cut.blob.data), meta


def _coverage(wanted: str, covered: set[int]) -> tuple[list[str], dict]:
    """The wanted characters the face has, and the meta saved beside the subset (the CJK ones it lacks)."""
    present = [char for char in wanted if ord(char) in covered]
    missing = [char for char in wanted if ord(char) not in covered and is_cjk(char)]
    return present, {"characters": len(present), "missing": missing}


def _woff2(sfnt: bytes) -> bytes:
    from fontTools.ttLib import woff2

    buffer = io.BytesIO()
    with _brotli_settings(WOFF2_QUALITY, WOFF2_WINDOW_BITS):
        woff2.compress(io.BytesIO(sfnt), buffer)
    return buffer.getvalue()


def _make_subset_with_fonttools(font: FontFile, wanted: str) -> tuple[bytes, dict]:
    from fontTools import subset

    options = subset.Options()
    options.flavor = "woff2"
    options.font_number = font.index
    options.hinting = False
    options.desubroutinize = True
    options.recalc_timestamp = False  # same input, same bytes
    ttfont = subset.load_font(str(font.path), options, dontLoadGlyphNames=True)
    present, meta = _coverage(wanted, set(ttfont.getBestCmap() or {}))
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(char) for char in present])
    subsetter.subset(ttfont)
    buffer = io.BytesIO()
    with _brotli_settings(WOFF2_QUALITY, WOFF2_WINDOW_BITS):
        subset.save_font(ttfont, buffer, options)
    return buffer.getvalue(), meta


def subset_stem(font: FontFile) -> str:
    """The subset's name before its key: the family's, as a file name."""
    return slugify(font.family) or "cjk"


@contextlib.contextmanager
def _brotli_settings(quality: int, window_bits: int) -> Iterator[None]:
    """fontTools' WOFF2 writer calls `brotli.compress(data, mode=...)`: give those calls this quality and window."""
    from fontTools.ttLib import woff2

    library = woff2.brotli
    compress = library.compress
    library.compress = functools.partial(compress, quality=quality, lgwin=window_bits)
    try:
        yield
    finally:
        library.compress = compress


def subset_cmap(data: bytes) -> set[str]:
    """The characters a WOFF2/TTF file maps (for checks and tests)."""
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(data))
    return {chr(code) for code in (font.getBestCmap() or {})}


def font_face_rule(url: str) -> str:
    """`block`: a kiosk without CJK fonts would otherwise flash boxes until the font arrives."""
    return ("@font-face {\n"
            f'  font-family: "{WEB_FAMILY}";\n'
            f'  src: url("{url}") format("woff2");\n'
            "  font-weight: 400;\n"
            "  font-style: normal;\n"
            "  font-display: block;\n"
            "}\n")
