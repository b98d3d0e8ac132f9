"""Files a story may link as attachments: what would run in a browser is refused, whatever its name.

A page, script or program beside a story would be published on the site's own
origin (also the screens' service-worker origin), so opening it would run it
there. Such types are refused by suffix, and any other file whose first bytes
are markup a browser would render (an HTML page renamed to `.pdf`, say) by
content. SVG is the one active type that is published: sanitised (svg.py).
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

ACTIVE_SUFFIXES = frozenset({
    ".html", ".htm", ".xhtml", ".xht", ".shtml", ".shtm", ".mht", ".mhtml", ".xml", ".xsl", ".xslt",
    ".js", ".mjs", ".cjs", ".wasm", ".swf", ".svgz", ".hta", ".htc", ".php", ".jsp", ".asp", ".aspx",
    ".cgi", ".appcache", ".manifest", ".webmanifest",
    ".exe", ".bat", ".cmd", ".com", ".scr", ".pif", ".ps1", ".vbs", ".vbe", ".wsf", ".jse", ".msi",
    ".jar", ".lnk", ".reg", ".sh",
})
_SNIFF_BYTES = 1024
_MARKUP_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|script|iframe|svg|\?xml|"
                           rb"x:xmpmeta|a\s|img\s|div|p\b|meta|title|style|object|embed)", re.IGNORECASE | re.DOTALL)
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def active_kind(path: Path) -> str | None:
    """Why a file would run in a browser (its suffix, or 'markup' for its content); None when inert."""
    suffix = path.suffix.lower()
    if suffix in ACTIVE_SUFFIXES:
        return suffix
    if suffix == ".svg":
        return None  # sanitised, not refused
    try:
        with path.open("rb") as stream:
            head = stream.read(_SNIFF_BYTES)
    except OSError:
        return None  # the readers report an unreadable file
    for bom in _BOMS:
        head = head.removeprefix(bom)
    head = head.replace(b"\x00", b"")  # UTF-16 markup
    return "markup" if _MARKUP_START.match(head) else None
