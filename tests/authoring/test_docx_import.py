"""`build.py import`: a Word document becomes an item that `check` accepts and the built page shows."""

from __future__ import annotations

import re

import pytest
from conftest import run_cli

from exhibit.model.collections import COLLECTIONS
from exhibit.read.slugs import slugify
from tests.authoring.docx_samples import image_bytes, plain_docx, report_docx, wps_docx

TITLE = "熔炼支部红色熔炉主题党日"
SLUG = slugify(TITLE)


@pytest.mark.parametrize("collection", list(COLLECTIONS))
def test_a_report_becomes_an_item_of_each_collection(make_site, tmp_path, collection):
    root = make_site()
    source = report_docx(tmp_path / "活动报道.docx")
    result = run_cli(root, "import", str(source), "--collection", collection)
    assert result.returncode == 0, result.stderr
    item = root / f"content/{collection}/{TITLE}.md"
    assert f"content/{collection}/{TITLE}.md" in result.stdout
    assert (root / f"content/{collection}/{SLUG}-1.jpg").read_bytes() == image_bytes("JPEG", "#b71c1c")
    assert (root / f"content/{collection}/{SLUG}-2.png").read_bytes() == image_bytes("PNG", "#1c4bb7")
    text = item.read_text(encoding="utf-8")
    assert "**走进生产一线**" in text and "- 学习提升行动方案\n- 现场攻关降本增效" in text
    assert f"({SLUG}-1.jpg)" in text and f"({SLUG}-2.png)" in text
    if collection in ("honors", "history", "activities"):
        assert "date: 2023-05-12" in text
    if collection in ("workers", "teams", "activities"):
        assert "unit: smelting-1" in text  # the text names 熔炼党总支第一党支部
    if collection in ("workers", "teams"):
        assert f"photo: {SLUG}-1.jpg" in text
    check = run_cli(root, "check")
    assert check.returncode == 0, check.stderr
    assert "0 个错误" in check.stdout
    build = run_cli(root)
    assert build.returncode == 0, build.stderr
    page = (root / f"site/{collection}/{SLUG}.html").read_text(encoding="utf-8")
    assert "<strong>走进生产一线</strong>" in page
    assert re.search(r"<table>.*<th>项目</th>.*<td>节约三百万元</td>.*</table>", page, re.S)
    assert re.search(rf'<img[^>]+src="[^"]*{SLUG}-1[^"]*"', page)
    assert re.search(rf'<img[^>]+src="[^"]*{SLUG}-2[^"]*"', page)


def test_a_wps_document_gives_a_clean_item_and_the_usual_lint_warnings(bare_site, tmp_path):
    root = bare_site()
    source = wps_docx(tmp_path / "先进事迹.docx")
    result = run_cli(root, "import", str(source), "--collection", "activities", "--unit", "acid", "--lang", "en")
    assert result.returncode == 0, result.stderr
    rel = "content/activities/电解支部先进事迹材料.md"
    text = (root / rel).read_text(encoding="utf-8")
    assert "title: 电解支部先进事迹材料" in text and "date: 2022-08" in text and "unit: acid" in text
    body = text.split("---\n", 2)[2]
    assert body.startswith("## 一、攻坚克难\n\n2022年8月")  # the bold large lines: title, then a heading
    assert "\u3000" not in text
    line = text.splitlines().index("2022年8月，电解党总支第二党支部党员冲在战(zhàn)斗一线。") + 1
    assert f"{rel}:{line}:" in result.stderr and "pinyin annotations in the text: 战(zhàn)" in result.stderr
    assert run_cli(root, "check", "--fix").returncode == 0
    assert "党员冲在战斗一线" in (root / rel).read_text(encoding="utf-8")
    check = run_cli(root, "check", "--lang", "en")
    assert check.returncode == 0 and "0 error(s), 0 warning(s)" in check.stdout, check.stdout + check.stderr


def test_fields_the_text_does_not_give_stay_placeholders_that_check_reports(bare_site, tmp_path):
    root = bare_site()
    source = plain_docx(tmp_path / "note.docx", "一次没有日期的活动")
    result = run_cli(root, "import", str(source), "--collection", "activities")
    assert result.returncode == 0, result.stderr
    text = (root / "content/activities/一次没有日期的活动.md").read_text(encoding="utf-8")
    assert "# date:   # 必填：文档中没有找到 date" in text and "# unit:   # 必填" in text
    check = run_cli(root, "check")
    assert check.returncode == 1
    assert "缺少必填字段“date”" in check.stderr and "缺少必填字段“unit”" in check.stderr


def test_the_samples_word_document_gives_the_committed_item(bare_site, cli):
    """The sample's source is kept: importing it again gives exactly the item and photos in content/."""
    from conftest import REPO

    root = bare_site({"content/site.yaml": (REPO / "content/site.yaml").read_text(encoding="utf-8")})
    run = cli(root, "import", str(REPO / "docs/samples/党支部建设提升行动.docx"), "--collection", "activities",
              "--unit", "plant")
    assert run.code == 0, run.err
    written = sorted((root / "content/activities").iterdir())
    assert [path.name for path in written] == [
        "ye-lian-chang-kai-zhan-1-2-n-dang-zhi-bu-jian-she-ti-sheng-xing-dong-1.jpg",
        "ye-lian-chang-kai-zhan-1-2-n-dang-zhi-bu-jian-she-ti-sheng-xing-dong-2.jpg",
        "冶炼厂开展“1+2+N”党支部建设提升行动.md"]
    for path in written:
        assert path.read_bytes() == (REPO / "content/activities" / path.name).read_bytes()
