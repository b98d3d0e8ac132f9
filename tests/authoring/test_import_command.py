"""`build.py import` as a command: refusals in words, --dry-run, never overwriting, legacy formats."""

from __future__ import annotations

import os
import stat
import sys
import zipfile
from pathlib import Path

from conftest import tree_bytes

from tests.authoring.docx_samples import plain_docx, report_docx, wps_docx


def _no_soffice(monkeypatch, tmp_path: Path) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))


def test_a_legacy_doc_gets_a_clear_error_naming_the_file(bare_site, cli, tmp_path, monkeypatch):
    root = bare_site()
    _no_soffice(monkeypatch, tmp_path)
    legacy = tmp_path / "先进事迹.doc"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))  # an OLE2 (Word 97-2003) header
    run = cli(root, "import", str(legacy), "--collection", "workers")
    assert run.code == 1
    assert "先进事迹.doc 是旧版 Word/WPS 格式" in run.err
    assert "另存为 → Word 文档(*.docx)" in run.err and "WPS" in run.err
    wps = tmp_path / "report.wps"
    wps.write_bytes(legacy.read_bytes())
    run = cli(root, "import", str(wps), "--collection", "workers", "--lang", "en")
    assert run.code == 1 and "report.wps is in the old Word/WPS format" in run.err and "Save As" in run.err
    assert not (root / "content/workers").exists() or not list((root / "content/workers").iterdir())


def test_a_docx_that_is_another_zip_or_no_zip_gets_a_clear_error(bare_site, cli, tmp_path):
    root = bare_site()
    photos = tmp_path / "photos.docx"
    with zipfile.ZipFile(photos, "w") as archive:
        archive.writestr("a.jpg", b"not really")
    text = tmp_path / "renamed.docx"
    text.write_text("只是一个文本文件", encoding="utf-8")
    before = tree_bytes(root)
    for path in (photos, text):
        run = cli(root, "import", str(path), "--collection", "activities")
        assert run.code == 1
        assert f"{path.name} 不是有效的 .docx 文件" in run.err and "另存为 → Word 文档(*.docx)" in run.err
    assert tree_bytes(root) == before


def test_dry_run_writes_nothing_and_says_what_it_would_write(bare_site, cli, tmp_path):
    root = bare_site()
    source = report_docx(tmp_path / "report.docx")
    before = tree_bytes(root)
    run = cli(root, "import", str(source), "--collection", "activities", "--dry-run")
    assert run.code == 0, run.err
    assert "将写入 content/activities/熔炼支部红色熔炉主题党日.md（--dry-run：未写入任何文件）" in run.out
    assert tree_bytes(root) == before


def test_an_existing_item_is_never_overwritten_without_force(bare_site, cli, tmp_path):
    rel = "content/activities/电解支部先进事迹材料.md"
    root = bare_site({rel: "---\ntitle: 手写的版本\n---\n不能丢的文字\n"})
    original = (root / rel).read_bytes()
    source = wps_docx(tmp_path / "wps.docx")
    run = cli(root, "import", str(source), "--collection", "activities", "--unit", "acid")
    assert run.code == 1
    assert f"{rel} 已存在，没有覆盖" in run.err and "--force" in run.err
    assert (root / rel).read_bytes() == original
    run = cli(root, "import", str(source), "--collection", "activities", "--unit", "acid", "--force")
    assert run.code == 0, run.err
    assert "攻坚克难" in (root / rel).read_text(encoding="utf-8")
    backups = list((root / ".exhibit-backup").glob(f"*/{rel}"))
    assert [path.read_bytes() for path in backups] == [original]
    assert "修改前的文件已备份到 .exhibit-backup/" in run.out


def test_an_item_overwritten_with_force_keeps_its_files_mode(bare_site, cli, tmp_path):
    rel = "content/activities/电解支部先进事迹材料.md"
    root = bare_site({rel: "---\ntitle: 手写的版本\n---\n共享文件夹里的文字\n"})
    (root / rel).chmod(0o664)  # a folder the branch's staff share: the group may write
    run = cli(root, "import", str(wps_docx(tmp_path / "wps.docx")), "--collection", "activities", "--unit", "acid",
              "--force")
    assert run.code == 0, run.err
    assert "攻坚克难" in (root / rel).read_text(encoding="utf-8")
    assert stat.S_IMODE((root / rel).stat().st_mode) == 0o664


def test_a_folder_imports_every_word_file_in_it(bare_site, cli, tmp_path):
    root = bare_site()
    folder = tmp_path / "来稿"
    folder.mkdir()
    plain_docx(folder / "a.docx", "硫酸党支部二〇二三年工作总结")
    plain_docx(folder / "~$a.docx", "Word 的锁文件")  # Word's owner file while a document is open
    run = cli(root, "import", str(folder), "--collection", "philosophy")
    assert run.code == 0, run.err
    assert sorted(path.name for path in (root / "content/philosophy").iterdir()) == ["硫酸党支部二〇二三年工作总结.md"]
    missing = cli(root, "import", str(tmp_path / "nowhere.docx"), "--collection", "philosophy")
    assert missing.code == 1 and "找不到文件或文件夹" in missing.err


FAKE_SOFFICE = """#!{python}
# A stand-in for LibreOffice's `soffice --headless --convert-to docx --outdir DIR FILE` (LibreOffice is too
# heavy to install for a test): it writes a real .docx, made with python-docx, where soffice would.
import sys
from pathlib import Path
from docx import Document
args = sys.argv[1:]
out = Path(args[args.index("--outdir") + 1])
source = Path(args[-1])
document = Document()
document.add_heading("硫酸党支部解难题", 1)
document.add_paragraph("2021年5月，硫酸党支部领导干部带头认领难题。")
document.save(str(out / (source.stem + ".docx")))
"""


def test_with_libreoffice_installed_a_legacy_file_is_converted_and_the_output_says_so(
        bare_site, cli, tmp_path, monkeypatch):
    """The `soffice` here is a fake (see FAKE_SOFFICE): it checks the call and the path after it."""
    root = bare_site()
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    soffice = bin_dir / "soffice"
    soffice.write_text(FAKE_SOFFICE.format(python=sys.executable), encoding="utf-8")
    soffice.chmod(soffice.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", str(bin_dir) + os.pathsep + os.environ.get("PATH", ""))
    legacy = tmp_path / "解难题.doc"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    run = cli(root, "import", str(legacy), "--collection", "activities")
    assert run.code == 0, run.err
    assert "已用 LibreOffice（soffice）把旧格式文件转换为 .docx 后导入" in run.out
    text = (root / "content/activities/硫酸党支部解难题.md").read_text(encoding="utf-8")
    assert "unit: acid" in text and "date: 2021-05" in text and "# 由 Word 文件 解难题.doc 导入" in text
