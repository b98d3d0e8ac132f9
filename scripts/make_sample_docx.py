#!/usr/bin/env python3
"""Write the sample Word document that the bundled site imports: the path from Word to the screen.

docs/samples/党支部建设提升行动.docx is written the way publicity staff write:
a Heading-styled title, sections made both with Heading styles and (as WPS users
do) with bold large text, full-width-space indents, a list, a table and two
photos. The facts are those of the smelter's "1+2+N" party-branch programme that
the rest of the sample site tells; the date is an example, as elsewhere.
The item in content/activities/ was made from it with

    python build.py import docs/samples/党支部建设提升行动.docx --collection activities --unit plant

Output is deterministic (fixed document properties, placeholder photos from
make_placeholders.py), so running the script again gives the same file.

Requires python-docx and Pillow.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
from pathlib import Path

from docx import Document
from docx.shared import Cm, Pt

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_placeholders import encode, render  # noqa: E402 - the script folder is not a package

OUTPUT = Path("docs/samples/党支部建设提升行动.docx")
INDENT = "\u3000\u3000"


def _wps_heading(document: Document, text: str) -> None:
    """A heading as WPS users make one: bold, 16 pt (三号), in a Normal paragraph."""
    run = document.add_paragraph().add_run(text)
    run.bold, run.font.size = True, Pt(16)


def _photo(document: Document, rel: str, motif: str) -> None:
    document.add_picture(io.BytesIO(encode(render(rel, "landscape", motif))), width=Cm(14))


def build() -> Document:
    document = Document()
    properties = document.core_properties
    properties.author = properties.last_modified_by = "Exhibit"
    properties.created = properties.modified = dt.datetime(2021, 6, 1, tzinfo=dt.UTC)
    properties.revision = 1
    document.add_heading("冶炼厂开展“1+2+N”党支部建设提升行动", 1)
    document.add_paragraph("2021年6月（示例日期）　冶炼厂党委")
    document.add_paragraph(INDENT + "党支部是党的基础组织，是服务生产经营、凝心聚力的“战斗堡垒”。冶炼厂党委坚持"
                           "“一切工作到支部”的鲜明导向，以争创示范党支部为契机，开展“1+2+N”党支部建设提升行动，"
                           "让基层党支部的组织力、凝聚力、战斗力和创造力不断增强。")
    document.add_heading("标杆引领，以点带面", 2)
    paragraph = document.add_paragraph(INDENT + "厂党委把中央企业第一批基层示范党支部——")
    paragraph.add_run("电解党总支第二党支部").bold = True
    paragraph.add_run("树为标杆，发挥它的示范和引领作用，以点带面，推动全厂党建工作质量整体提升。")
    document.add_heading("创建目标", 2)
    for line in ("创建 1 个标杆党支部", "创建 2 个示范党支部", "建成 N 个标准党支部"):
        document.add_paragraph(line, style="List Number")
    document.add_paragraph(INDENT + "按照“强弱项、亮特色、树标杆、抓两头、促中间”的思路，各支部这样推进：")
    table = document.add_table(rows=4, cols=2)
    table.style = "Table Grid"
    rows = (("环节", "做法"), ("方案", "逐项审核支部创建方案，提出修改意见"),
            ("过程", "成立创建工作领导小组，细化目标、分解责任、明确时限"), ("验收", "督导过程控制，逐个达标验收"))
    for row, cells in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    _wps_heading(document, "阵地建设")
    document.add_paragraph(INDENT + "各单位因地制宜，利用走廊、楼梯间、活动室、主控室，"
                           "展示劳模先进、党员团队、发展轨迹、车间理念、特色活动和风采荣誉，"
                           "党建阵地“硬件”达标升级，“软件”规范提升。")
    _photo(document, "activities/dang-zhi-bu-jian-she-1.jpg", "hall")
    _photo(document, "activities/dang-zhi-bu-jian-she-2.jpg", "plant")
    return document


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[1], help="repository root")
    args = parser.parse_args(argv)
    target = args.root / OUTPUT
    target.parent.mkdir(parents=True, exist_ok=True)
    build().save(str(target))
    print(target.relative_to(args.root).as_posix())
    return 0


if __name__ == "__main__":
    sys.exit(main())
