"""`check --fix` (exhibit.authoring.fix): rewrites what lint and typing-slip checks found, keeping a backup."""

from __future__ import annotations

from conftest import REPO, run_cli
from lint_support import SEED, W, lint_warnings, worker


def test_fix_rewrites_keeps_a_backup_and_prints_what_changed(make_site):
    original = worker(SEED, front="title：支部書記\n").replace("\n", "\r\n").encode("utf-8")
    root = make_site({W: original})
    result = run_cli(root, "check", "--fix")
    assert result.returncode == 0, result.stderr
    fixed = (root / W).read_bytes().decode("utf-8")
    assert fixed == worker("党支部是党最基本的组织，是党全部工作和战斗力的基础。",
                            front="title: 支部书记\n").replace("\n", "\r\n")  # CRLF kept
    assert f"{W}:4: 已修改：中文冒号改为英文冒号" in result.stderr
    assert f"{W}:6: 已修改：文字里夹着拼音注音：戰(zhàn)、礎(chǔ)" in result.stderr
    backups = list((root / ".exhibit-backup").rglob("x.md"))
    assert len(backups) == 1 and backups[0].read_bytes() == original  # every byte kept
    assert "修改前的文件已备份到 .exhibit-backup/" in result.stderr
    assert "0 个错误，0 个警告" in result.stdout
    again = run_cli(root, "check", "--fix")
    assert "没有可以自动修正的问题" in again.stderr
    assert len(list((root / ".exhibit-backup").rglob("x.md"))) == 1


def test_fix_repairs_typing_slips_that_are_errors(make_site):
    gbk = worker("他是党员。").replace("unit: acid\n", "unit: acid\ntags:\n\t- 党员\n").encode("gb18030")
    root = make_site({W: gbk, "content/workers/y.md": "——\nname:\u3000李四\nunit: acid\n——\n正文\n"})
    assert run_cli(root, "check").returncode == 1
    result = run_cli(root, "check", "--fix")
    assert result.returncode == 0, result.stderr
    assert (root / W).read_text(encoding="utf-8").startswith("---\nname: 张三\nunit: acid\ntags:\n  - 党员\n")
    assert (root / "content/workers/y.md").read_text(encoding="utf-8") == "---\nname: 李四\nunit: acid\n---\n正文\n"
    assert "另存为 UTF-8 编码" in result.stderr and "字段区分隔线改为 ---" in result.stderr


def test_fix_never_writes_a_file_that_would_read_differently(make_site):
    text = "- title: 荣誉,一\n  date: 2021\n  recipient: acid\n"
    root = make_site({"content/honors.yaml": "- title: 榮譽\n  date: 2021\n  recipient: acid\n",
                      "content/history.yaml": text})
    run_cli(root, "check", "--fix")
    assert (root / "content/honors.yaml").read_text(encoding="utf-8").startswith("- title: 荣誉\n")
    assert (root / "content/history.yaml").read_text(encoding="utf-8") == text.replace("荣誉,一", "荣誉，一")


def test_the_seed_article_is_cleaned_completely(make_site):
    seed = (REPO / "tests/data/copied-from-web.md").read_text(encoding="utf-8")
    root = make_site({"content/activities/seed.md": seed})
    assert len(lint_warnings(root)) > 10
    run_cli(root, "check", "--fix")
    assert lint_warnings(root) == [] or all(row["code"] == "lint_punctuation" for row in lint_warnings(root))
