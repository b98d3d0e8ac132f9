"""A Word document (.docx) as Markdown blocks, its title and its photos.

python-docx walks the document's paragraphs, runs and tables in order. It was
chosen over mammoth because mammoth's Markdown writer drops tables, and its HTML
hides run font sizes, which is how WPS users make headings (bold, large text, no
Heading style); python-docx gives both, and the pictures' original bytes. The
Markdown written here covers a small, fixed set (headings, paragraphs, bold,
italic, lists, tables, links, pictures), so the converter is short.

Where a photo goes, the body holds a placeholder (`photo_marker(n)`); the import
replaces it with the file name once the item's name is known.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from docx.document import Document
from docx.drawing import Drawing
from docx.table import Table, _Cell
from docx.text.hyperlink import Hyperlink
from docx.text.paragraph import Paragraph
from docx.text.run import Run

BODY_POINTS = 10.5  # 五号, Word's and WPS's default body size in Chinese documents
HEADING_POINTS = 14.0  # 四号 and up, all bold, no full stop: a heading made by hand
TITLE_POINTS = 18.0  # 小二 and up: the document's title
HEADING_MAX_CHARS = 40
PHOTO_SUFFIXES = {"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/bmp": ".bmp",
                  "image/webp": ".webp"}
_INDENT = " \t\u3000\u00a0"
_ESCAPE = re.compile(r"([\\`*_\[\]>|])")
_LINE_START = re.compile(r"^(#|[-+](?=\s)|>)")
_NUMBER_START = re.compile(r"^(\d+)([.)])(?=\s)")
_SENTENCE_END = ("。", "！", "？", "；", "，", ".", "!", "?", ";", ":", "：")
_NUMBERED = re.compile(r"^( *)1\. ")
_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)


def photo_marker(number: int) -> str:
    """A placeholder no document text contains (Unicode private use characters)."""
    return f"\ue000{number}\ue001"


@dataclass(frozen=True)
class Photo:
    data: bytes
    suffix: str  # ".jpg", ".png", ...


@dataclass
class Converted:
    """The document as the import needs it: title, Markdown body, photos, and what was left out."""

    title: str
    body: str
    photos: list[Photo]
    text: str  # the plain text, for finding a date and a unit
    skipped_photos: list[str] = field(default_factory=list)  # content types browsers cannot show


@dataclass
class _Block:
    markdown: str
    heading: int = 0  # 0: not a heading; 1: a title; 2+: a section heading
    list_item: bool = False
    plain: str = ""


class _Converter:
    def __init__(self, document: Document) -> None:
        self.document = document
        self.photos: list[Photo] = []
        self.skipped: list[str] = []
        self.body_points = _style_points(document, "Normal") or BODY_POINTS

    def blocks(self) -> Iterator[_Block]:
        for part in self.document.iter_inner_content():
            block = self._table(part) if isinstance(part, Table) else self._paragraph(part)
            if block is not None and block.markdown.strip():
                yield block

    def _paragraph(self, paragraph: Paragraph) -> _Block | None:
        inline = self._inline(paragraph)
        plain = _clean(paragraph.text)
        level = _heading_level(paragraph, self.body_points)
        if level and plain:
            return _Block(_escape(plain), heading=level, plain=plain)
        ordered = _list_kind(paragraph)
        if ordered is not None and inline:
            marker = "1." if ordered else "-"
            return _Block(f"{'    ' * _list_level(paragraph)}{marker} {inline}", list_item=True, plain=plain)
        if not inline:
            return None
        return _Block(_NUMBER_START.sub(r"\1\\\2", _LINE_START.sub(r"\\\1", inline)), plain=plain)

    def _inline(self, paragraph: Paragraph) -> str:
        pieces: list[tuple[str, bool, bool, str | None]] = []
        for part in paragraph.iter_inner_content():
            if isinstance(part, Hyperlink):
                address = part.url or ""
                pieces.extend((text, bold, italic, address or None) for text, bold, italic in self._runs(part.runs))
            else:
                pieces.extend((text, bold, italic, None) for text, bold, italic in self._runs([part]))
        return _join(_strip_indent(pieces))

    def _runs(self, runs: list[Run]) -> Iterator[tuple[str, bool, bool]]:
        for run in runs:
            for content in run.iter_inner_content():
                if isinstance(content, Drawing):
                    marker = self._photo(content)
                    if marker:
                        yield (marker, False, False)
                elif isinstance(content, str):
                    yield (content, bool(run.bold), bool(run.italic))

    def _photo(self, drawing: Drawing) -> str:
        if not drawing.has_picture:
            return ""
        image = drawing.image
        suffix = PHOTO_SUFFIXES.get(image.content_type)
        if suffix is None:
            self.skipped.append(image.content_type)
            return ""
        self.photos.append(Photo(image.blob, suffix))
        return photo_marker(len(self.photos))

    def _table(self, table: Table) -> _Block | None:
        rows = [[self._cell(cell) for cell in row.cells] for row in table.rows]
        rows = [row for row in rows if any(row)]
        if not rows:
            return None
        width = max(len(row) for row in rows)
        rows = [row + [""] * (width - len(row)) for row in rows]
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + " --- |" * width]
        lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
        return _Block("\n".join(lines), plain=" ".join(" ".join(row) for row in rows))

    def _cell(self, cell: _Cell) -> str:
        texts = [self._inline(paragraph) for paragraph in cell.paragraphs]
        return "<br>".join(text for text in texts if text)


def _style_points(document: Document, name: str) -> float | None:
    try:
        size = document.styles[name].font.size
    except KeyError:
        return None
    return size.pt if size is not None else None


def _run_points(run: Run, paragraph: Paragraph) -> float | None:
    size = run.font.size
    if size is None and paragraph.style is not None:
        size = paragraph.style.font.size
    return size.pt if size is not None else None


def _heading_level(paragraph: Paragraph, body_points: float) -> int:
    """1 for a title, 2+ for a heading: a Heading style, or (as WPS users make them) bold, large, short text."""
    style = paragraph.style.name if paragraph.style is not None else ""
    if style in ("Title", "标题"):
        return 1
    match = _HEADING_STYLE.match(style)
    if match:
        return int(match.group(1))
    text = _clean(paragraph.text)
    runs = [run for run in paragraph.runs if run.text.strip(_INDENT)]
    if not runs or not text or len(text) > HEADING_MAX_CHARS or text.endswith(_SENTENCE_END):
        return 0
    style_bold = bool(paragraph.style is not None and paragraph.style.font.bold)
    if not all(run.bold or (run.bold is None and style_bold) for run in runs):
        return 0
    points = min((_run_points(run, paragraph) or body_points) for run in runs)
    if points >= max(TITLE_POINTS, body_points + 6):
        return 1
    return 2 if points >= max(HEADING_POINTS, body_points + 2) else 0


def _list_kind(paragraph: Paragraph) -> bool | None:
    """True for a numbered item, False for a bullet, None for no list."""
    style = paragraph.style.name.lower() if paragraph.style is not None else ""
    if style.startswith("list number") or "编号" in style:
        return True
    if style.startswith("list bullet") or "项目符号" in style:
        return False
    p_pr = paragraph._p.pPr  # noqa: SLF001 - python-docx has no public numbering API
    if p_pr is None or p_pr.numPr is None:
        return None
    return _numbering_format(paragraph) not in ("bullet", "none")


def _list_level(paragraph: Paragraph) -> int:
    p_pr = paragraph._p.pPr  # noqa: SLF001
    if p_pr is None or p_pr.numPr is None or p_pr.numPr.ilvl is None:
        return 0
    return min(int(p_pr.numPr.ilvl.val), 3)


def _numbering_format(paragraph: Paragraph) -> str:
    """The w:numFmt of a numbered paragraph ('decimal', 'bullet', ...), 'decimal' when unknown."""
    num_pr = paragraph._p.pPr.numPr  # noqa: SLF001
    if num_pr.numId is None:
        return "decimal"
    try:
        numbering = paragraph.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return "decimal"
    level = num_pr.ilvl.val if num_pr.ilvl is not None else 0
    found = numbering.xpath(
        f"w:abstractNum[@w:abstractNumId=string(//w:num[@w:numId='{int(num_pr.numId.val)}']/w:abstractNumId/@w:val)]"
        f"/w:lvl[@w:ilvl='{int(level)}']/w:numFmt/@w:val")
    return str(found[0]) if found else "decimal"


def _clean(text: str) -> str:
    return " ".join(text.replace("\u3000", " ").split())


def _escape(text: str) -> str:
    """Markdown's own characters as text; `<` as an entity (Python-Markdown has no escape for it)."""
    return _ESCAPE.sub(r"\\\1", text).replace("<", "&lt;")


def _strip_indent(pieces: list[tuple[str, bool, bool, str | None]]) -> list[tuple[str, bool, bool, str | None]]:
    """Full-width-space (and space) indentation removed; so is trailing white space."""
    pieces = [piece for piece in pieces if piece[0]]
    while pieces and not pieces[0][0].lstrip(_INDENT):
        pieces.pop(0)
    if pieces:
        pieces[0] = (pieces[0][0].lstrip(_INDENT), *pieces[0][1:])
    while pieces and not pieces[-1][0].rstrip(_INDENT):
        pieces.pop()
    if pieces:
        pieces[-1] = (pieces[-1][0].rstrip(_INDENT), *pieces[-1][1:])
    return pieces


def _join(pieces: list[tuple[str, bool, bool, str | None]]) -> str:
    """Runs with the same formatting merged, then marked up (bold **, italic *, link [text](url))."""
    merged: list[list] = []
    for text, bold, italic, link in pieces:
        photo = "\ue000" in text or (merged and "\ue000" in merged[-1][0])
        if merged and merged[-1][1:] == [bold, italic, link] and not photo:
            merged[-1][0] += text
        else:
            merged.append([text, bold, italic, link])
    out = []
    for text, bold, italic, link in merged:
        out.append(_mark(text, bold, italic, link))
    return "".join(out).replace("\n", "  \n").replace("\t", " ")


def _mark(text: str, bold: bool, italic: bool, link: str | None) -> str:
    if "\ue000" in text:
        return re.sub("\ue000(\\d+)\ue001", lambda m: f"![]({photo_marker(int(m.group(1)))})", text)
    core = text.strip()
    if not core:
        return text
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()):]
    core = _escape(core)
    if italic:
        core = f"*{core}*"
    if bold:
        core = f"**{core}**"
    if link and not link.lower().startswith(("javascript:", "data:", "vbscript:")):
        core = f"[{core}](<{link}>)"
    return f"{lead}{core}{trail}"


def convert(document: Document) -> Converted:
    """The document's title (its first heading, else its first line), body, photos and plain text."""
    converter = _Converter(document)
    blocks = list(converter.blocks())
    title_index = next((i for i, block in enumerate(blocks) if block.heading), None)
    if title_index is None:
        title_index = next((i for i, block in enumerate(blocks) if block.plain and not block.list_item), None)
    title = ""
    if title_index is not None:
        title = blocks[title_index].plain
        if blocks[title_index].heading or len(title) <= HEADING_MAX_CHARS:
            del blocks[title_index]
        else:
            title = title[:HEADING_MAX_CHARS]
    body = _assemble(blocks)
    text = "\n".join([title, *(block.plain for block in blocks)])
    return Converted(title, body, converter.photos, text, converter.skipped)


def _assemble(blocks: list[_Block]) -> str:
    """Blocks joined by blank lines (list items by one line break); the top heading left becomes ##."""
    top = min((block.heading for block in blocks if block.heading), default=1)
    out: list[str] = []
    numbers: dict[str, int] = {}  # indent -> the last number of a numbered list there
    for index, block in enumerate(blocks):
        markdown = block.markdown
        if not block.list_item:
            numbers.clear()
        numbered = _NUMBERED.match(markdown)
        if numbered:
            numbers[numbered.group(1)] = numbers.get(numbered.group(1), 0) + 1
            markdown = f"{numbered.group(1)}{numbers[numbered.group(1)]}. {markdown[numbered.end():]}"
        if block.heading:
            markdown = "#" * min(2 + block.heading - top, 6) + " " + markdown
        if index and not (block.list_item and blocks[index - 1].list_item):
            out.append("")
        out.append(markdown)
    return "\n".join(out) + "\n" if out else ""
