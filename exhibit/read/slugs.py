"""ASCII slugs for page addresses: Chinese names become pinyin, so URLs survive every server and share."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NON_SLUG = re.compile(r"[^a-z0-9]+")
_HAS_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@lru_cache(maxsize=65536)
def slugify(text: str) -> str:
    """'邵志村' -> 'shao-zhi-cun'; 'Team A_1' -> 'team-a-1'; '' when nothing usable is left."""
    if _HAS_HAN.search(text):
        from pypinyin import Style, lazy_pinyin  # here: half a second to import, and ASCII names never need it

        words = lazy_pinyin(text, style=Style.NORMAL, errors=lambda chars: list(chars))
        text = "-".join(words)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NON_SLUG.sub("-", ascii_text.lower()).strip("-")


def is_slug(text: str) -> bool:
    """True for the form unit ids must have: lower-case ASCII words joined by '-'."""
    return bool(text) and slugify(text) == text
