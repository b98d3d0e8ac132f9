"""Real-world input mistakes: each gets a message with its file, line and words a person can act on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import REPO, WORKER_MD, make_image, run_cli, write_files

from exhibit.cli import main

DATA = REPO / "tests" / "data"
W = "content/workers/x.md"


def check_json(root: Path, capsys, *extra: str) -> tuple[int, list[dict]]:
    code = main(["check", "--format", "json", "--root", str(root), *extra])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, json.loads(captured.out)


def _worker(front: str, body: str = "正文。") -> str:
    return f"---\n{front}---\n{body}\n"


CASES = [
    # (id, files, path, line, col or None, words in the message, words in the hint)
    ("fullwidth-colon", {W: _worker("name：张三\nunit: acid\n")}, W, 2, 5, "中文冒号", "name: "),
    ("fullwidth-space-after-colon", {W: _worker("name:\u3000张三\nunit: acid\n")}, W, 2, 6, "全角空格", "半角空格"),
    ("tab-indent", {W: _worker("name: 张三\nunit: acid\ntags:\n\t- 党员\n")}, W, 5, 1, "Tab 或全角空格", "半角空格"),
    ("fullwidth-indent", {W: _worker("name: 张三\n\u3000unit: acid\n")}, W, 3, 1, "Tab 或全角空格", None),
    ("unclosed-front-matter", {W: "---\nname: 张三\nunit: acid\n\n他是党员。\n"}, W, 4, 1, "没有对应的结束", "第 4 行"),
    ("dash-fence", {W: "——\nname: 张三\nunit: acid\n——\n正文\n"}, W, 1, 1, "分隔线写成了“——”", "---"),
    ("duplicate-key", {W: _worker("name: 张三\nunit: acid\nname: 李四\n")}, W, 4, 1,
     "“name”写了两次（第一次在第 2 行）", "只保留一个"),
    ("colon-in-value", {W: _worker("name: 张三\nunit: acid\ntitle: 标兵: 先锋\n")}, W, 4, None,
     "“title”的值里有“: ”", '"甲: 乙"'),
    ("quote-then-text", {W: _worker('name: 张三\nunit: acid\nquote: "哪里最难"党员先上\n')}, W, 4, None,
     "以引号开头", "中文引号"),
    ("yes-no-in-number", {W: _worker("name: 张三\nunit: acid\norder: no\n")}, W, 4, 1, "读成了是/否（no）", '"no"'),
    ("yes-no-in-date", {W: _worker("name: 张三\nunit: acid\nsince: no\n")}, W, 4, 1, "读成了是/否（no）", None),
    ("month-13", {W: _worker("name: 张三\nunit: acid\nsince: 2024-13-01\n")}, W, 4, 1,
     "“2024-13-01”不存在：没有 13 月", "1 到 12"),
    ("february-30", {W: _worker("name: 张三\nunit: acid\nsince: 2024年2月30日\n")}, W, 4, 1,
     "2024 年 2 月没有 30 日", None),
    ("not-a-date", {W: _worker("name: 张三\nunit: acid\nsince: 去年\n")}, W, 4, 1, "“去年”无法识别", "2021-06"),
    ("missing-required", {W: _worker("name: 张三\n")}, W, 2, 1, "缺少必填字段“unit”", "unit: …"),
    ("unknown-collection", {"content/worker/a.md": _worker("name: 张三\nunit: acid\n")}, "content/worker/a.md", 1, 1,
     "“worker”不是已知的内容栏目", "是不是想写“workers”"),
    ("unknown-unit", {W: _worker("name: 张三\nunit: smelting1\n")}, W, 3, 1,
     "组织“smelting1”在 site.yaml 的 units 中不存在", "是不是想写“smelting-1”"),
    ("unknown-recipient", {"content/workers/邵志村.md": WORKER_MD,
                           "content/honors.yaml": "- title: 优秀党员\n  date: 2021\n  recipient: shao-zhi-cn\n"},
     "content/honors.yaml", 3, 1, "获奖对象“shao-zhi-cn”", "是不是想写“shao-zhi-cun”"),
    ("duplicate-slug", {"content/workers/邵志村.md": WORKER_MD, "content/workers/shao-zhi-cun.md": WORKER_MD},
     "content/workers/邵志村.md", 2, 1, "网址名“shao-zhi-cun”与 content/workers/shao-zhi-cun.md 重复", "重命名"),
    ("broken-story-link", {"content/workers/li-jing.md": _worker("name: 李静\nunit: acid\n"),
                           W: _worker("name: 张三\nunit: acid\n", "见[李静](li-jin.md)。")}, W, 5, 1,
     "链接“li-jin.md”指向的文件不存在", "是不是想写“li-jing.md”"),
]


@pytest.mark.parametrize(("files", "path", "line", "col", "message", "hint"),
                         [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_each_mistake_is_explained_at_its_line(make_site, capsys, files, path, line, col, message, hint):
    root = make_site(files)
    code, rows = check_json(root, capsys)
    assert code == 1
    matching = [row for row in rows if row["path"] == path and row["line"] == line and message in row["message"]]
    assert matching, rows
    assert matching[0]["severity"] == "error"
    if col is not None:
        assert matching[0]["col"] == col
    if hint is not None:
        assert hint in (matching[0]["hint"] or "")


def test_missing_image_suggests_the_file_that_is_there(make_site, capsys):
    root = make_site({W: _worker("name: 张三\nunit: acid\nphoto: zhang.jpeg\n")})
    make_image(root / "content/workers/zhang.jpg")
    _, rows = check_json(root, capsys)
    assert rows[0]["path"] == W and rows[0]["line"] == 4
    assert "找不到文件“zhang.jpeg”" in rows[0]["message"] and "zhang.jpg" in rows[0]["hint"]


def test_a_file_that_is_not_an_image(make_site, capsys):
    root = make_site({W: _worker("name: 张三\nunit: acid\nphoto: bad.jpg\n"),
                      "content/workers/bad.jpg": (DATA / "not-an-image.jpg").read_bytes()})
    _, rows = check_json(root, capsys)
    assert rows[0]["path"] == W and rows[0]["line"] == 4
    assert "“bad.jpg”不是可读取的图片" in rows[0]["message"]


def test_gbk_file_is_read_with_a_warning(make_site, capsys):
    root = make_site({W: (DATA / "gbk-worker.md").read_bytes()})
    code, rows = check_json(root, capsys)
    assert code == 0
    assert [(r["path"], r["line"], r["severity"]) for r in rows] == [(W, 2, "warning")]
    assert "GBK/GB18030" in rows[0]["message"] and "UTF-8" in rows[0]["hint"]
    assert run_cli(root).returncode == 0
    assert "邵志村" in (root / "site/workers/x.html").read_text(encoding="utf-8")


def test_bom_and_crlf_are_accepted_silently(make_site, capsys):
    root = make_site({W: (DATA / "bom-crlf-worker.md").read_bytes()})
    code, rows = check_json(root, capsys)
    assert code == 0 and rows == []
    assert run_cli(root).returncode == 0
    html = (root / "site/workers/x.html").read_text(encoding="utf-8")
    assert "<h1 class=\"entry__title\">邵志村</h1>" in html and "\r" not in html


def test_values_yaml_would_retype_stay_as_written_in_text_fields(make_site, capsys):
    root = make_site({W: _worker("name: no\nunit: acid\ntitle: 1.10\nquote: 2024-13-01\nsince: 2024年5月\n")})
    code, rows = check_json(root, capsys)
    assert code == 0 and rows == []
    assert run_cli(root).returncode == 0
    html = (root / "site/workers/x.html").read_text(encoding="utf-8")
    assert ">no</h1>" in html and "1.10" in html and "2024-13-01" in html and "2024年5月" in html


def test_messages_in_english(make_site, capsys):
    root = make_site({W: _worker("name: 张三\nunit: smelting1\n")})
    _, rows = check_json(root, capsys, "--lang", "en")
    assert rows[0]["message"] == "there is no unit 'smelting1' in site.yaml's units"
    assert rows[0]["hint"].startswith("Did you mean 'smelting-1'?")


def test_check_lists_every_problem_at_once_with_counts(make_site):
    root = make_site({W: _worker("name: 张三\nunit: smelting1\n"),
                      "content/workers/y.md": _worker("name：李四\n"),
                      "content/workers/z.md": (DATA / "gbk-worker.md").read_bytes()})
    result = run_cli(root, "check")
    assert result.returncode == 1
    assert "content/workers/x.md:3:1: error:" in result.stderr
    assert "content/workers/y.md:2:5: error:" in result.stderr
    assert "content/workers/z.md:2:1: warning:" in result.stderr
    assert "字段区应为" not in result.stderr  # no second, vaguer message for the same slip
    assert "2 个错误，1 个警告" in result.stderr


def _all_inputs() -> list[tuple[str, dict[str, str | bytes]]]:
    inputs: list[tuple[str, dict[str, str | bytes]]] = [(case[0], case[1]) for case in CASES]
    for path in sorted(DATA.iterdir()):
        for folder in ("workers", "honors", "activities"):
            inputs.append((f"{path.name}-in-{folder}", {f"content/{folder}/{path.name}": path.read_bytes()}))
        if path.suffix == ".md":
            inputs.append((f"{path.name}-as-site.yaml", {"content/site.yaml": path.read_bytes()}))
            inputs.append((f"{path.name}-as-list", {"content/honors.yaml": path.read_bytes()}))
    return inputs


# One case per input (not one test looping over all of them): the cases spread over the xdist workers.
@pytest.mark.parametrize("files", [pytest.param(files, id=name) for name, files in _all_inputs()])
def test_no_input_in_test_data_makes_the_cli_print_a_traceback(make_site, capsys, files):
    root = make_site(files)
    for command in (["check", "--format", "json"], ["build"]):
        code = main([*command, "--root", str(root)])
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err + captured.out
        assert code in (0, 1), (command, captured.err)  # 70 would be an internal error


@pytest.mark.slow
def test_every_data_file_at_once_through_the_real_command(make_site):
    files: dict[str, str | bytes] = {f"content/workers/{p.name}": p.read_bytes() for p in DATA.iterdir()}
    root = make_site(files)
    for args in (("check",), ("check", "--fix"), ("build",)):
        result = run_cli(root, *args)
        assert "Traceback" not in result.stderr + result.stdout
        assert result.returncode in (0, 1)
    write_files(root, {"content/site.yaml": (DATA / "binary-garbage.md").read_bytes()})
    result = run_cli(root, "check")
    assert result.returncode == 1 and "content/site.yaml" in result.stderr and "Traceback" not in result.stderr
