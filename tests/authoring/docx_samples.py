"""Word documents for the import tests, made with python-docx as Word would save them."""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.shared import Pt
from PIL import Image


def image_bytes(fmt: str, color: str) -> bytes:
    """A real JPEG or PNG, 64×48."""
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(buffer, fmt)
    return buffer.getvalue()


def report_docx(path: Path) -> Path:
    """A Chinese report: heading, bold in a paragraph, a list, a table, a JPEG and a PNG, a date and a unit."""
    document = Document()
    document.add_heading("熔炼支部红色熔炉主题党日", 1)
    paragraph = document.add_paragraph("2023年5月12日，熔炼党总支第一党支部组织党员")
    paragraph.add_run("走进生产一线").bold = True
    paragraph.add_run("，开展主题党日活动。")
    document.add_heading("活动内容", 2)
    document.add_paragraph("学习提升行动方案", style="List Bullet")
    document.add_paragraph("现场攻关降本增效", style="List Bullet")
    table = document.add_table(rows=2, cols=2)
    for (row, column), text in {(0, 0): "项目", (0, 1): "成效", (1, 0): "制酸系统改造", (1, 1): "节约三百万元"}.items():
        table.cell(row, column).text = text
    document.add_picture(io.BytesIO(image_bytes("JPEG", "#b71c1c")))
    document.add_picture(io.BytesIO(image_bytes("PNG", "#1c4bb7")))
    document.save(str(path))
    return path


def wps_docx(path: Path) -> Path:
    """As WPS users write: the title and a heading as bold large text, full-width-space indents, pasted pinyin."""
    document = Document()
    title = document.add_paragraph().add_run("电解支部先进事迹材料")
    title.bold, title.font.size = True, Pt(22)
    heading = document.add_paragraph().add_run("一、攻坚克难")
    heading.bold, heading.font.size = True, Pt(16)
    document.add_paragraph("\u3000\u30002022年8月，电解党总支第二党支部党员冲在战(zhàn)斗一线。")
    document.add_paragraph("\u3000\u3000他们以点带面，带动全厂提升。")
    document.save(str(path))
    return path


def plain_docx(path: Path, text: str) -> Path:
    """A document of one line of text: no date, no unit."""
    document = Document()
    document.add_paragraph(text)
    document.save(str(path))
    return path
