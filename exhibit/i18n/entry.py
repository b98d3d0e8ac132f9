"""The one shape of a catalogue entry, and the languages every entry is written in.

Apart from the lookup (exhibit.i18n) so the domain modules can name the type
without importing the package that imports them.
"""

from __future__ import annotations

LANGUAGES = ("zh-CN", "en")
DEFAULT_LANGUAGE = "zh-CN"

Text = tuple[str, str | None]
"""What a person reads, and a hint saying what to do about it (None for labels and plain lines)."""

Entry = dict[str, Text]
"""One Text for each of LANGUAGES, e.g. {"zh-CN": ("关闭", None), "en": ("Close", None)}."""
