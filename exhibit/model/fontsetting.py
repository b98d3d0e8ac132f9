"""What `font:` in site.yaml asks for; read with the rest of the config, found on disk by the asset stage.

`font:` may be a file (relative to content/, or absolute), a family name, a
mapping `{file: ..., index: 2}` / `{family: ...}`, or `false` for no web font.
"""

from __future__ import annotations

from dataclasses import dataclass

from exhibit.diagnostics import Diagnostics
from exhibit.read.yamltext import LinedDict

FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")
_OFF_WORDS = ("false", "no", "none", "off", "无", "不用")


@dataclass(frozen=True)
class FontSetting:
    """What site.yaml says about the font (None of it: let fontconfig find one)."""

    file: str | None = None
    index: int | None = None
    family: str | None = None
    enabled: bool = True
    line: int = 1


def read_font_setting(data: LinedDict, rel: str, diagnostics: Diagnostics) -> FontSetting | None:
    """Parse `font:` leniently, reporting a wrong shape at its line."""
    if "font" not in data:
        return None
    value, line = data["font"], data.line_of("font")
    if value is None or value is False or (isinstance(value, str) and value.strip().lower() in _OFF_WORDS):
        return FontSetting(enabled=False, line=line)
    if isinstance(value, str):
        text = value.strip()
        is_file = text.lower().endswith(FONT_SUFFIXES) or "/" in text or "\\" in text
        return FontSetting(file=text, line=line) if is_file else FontSetting(family=text, line=line)
    if isinstance(value, LinedDict):
        index = value.get("index")
        if index is not None and (isinstance(index, bool) or not isinstance(index, int) or index < 0):
            diagnostics.error("field_not_number", rel, value.line_of("index"), 1, field="font.index")
            index = None
        file, family = value.get("file"), value.get("family")
        if isinstance(file, str) or isinstance(family, str):
            return FontSetting(file=file if isinstance(file, str) else None, index=index,
                               family=family if isinstance(family, str) else None, line=line)
    diagnostics.error("field_not_text", rel, line, 1, field="font")
    return None
