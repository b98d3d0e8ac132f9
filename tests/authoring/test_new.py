"""`python build.py new`: a filled-in file for each collection that `check` accepts.

`new` runs as a person runs it (a process); the check and build of what it wrote run in-process (faster).
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import run_cli

from exhibit.model.collections import COLLECTIONS


@pytest.mark.parametrize("collection", list(COLLECTIONS))
def test_new_item_of_each_collection_passes_check(make_site, cli, collection):
    root = make_site()
    result = run_cli(root, "new", collection, "红色熔炉")
    assert result.returncode == 0, result.stderr
    rel = result.stdout.strip()
    assert rel == f"content/{collection}/hong-se-rong-lu.md"
    text = (root / rel).read_text(encoding="utf-8")
    assert "红色熔炉" in text
    if collection in ("honors", "history", "activities"):
        assert f"date: {dt.date.today().isoformat()}" in text
    if collection in ("workers", "teams", "activities"):
        assert "unit: smelting-1" in text  # the first branch of site.yaml
    check = cli(root, "check")
    assert check.code == 0, check.err
    assert "0 个错误，0 个警告" in check.out
    build = cli(root)
    assert build.code == 0
    assert (root / f"site/{collection}/hong-se-rong-lu.html").is_file()


def test_refuses_to_overwrite_or_to_reuse_a_slug(make_site):
    root = make_site({"content/workers/邵志村.md": "---\nname: 邵志村\nunit: acid\n---\n原文\n"})
    before = (root / "content/workers/邵志村.md").read_bytes()
    result = run_cli(root, "new", "workers", "邵志村")
    assert result.returncode == 1
    assert "content/workers/邵志村.md" in result.stderr and "shao-zhi-cun" in result.stderr
    assert not (root / "content/workers/shao-zhi-cun.md").exists()
    assert (root / "content/workers/邵志村.md").read_bytes() == before
    assert run_cli(root, "new", "workers", "Li Jing").returncode == 0
    again = run_cli(root, "new", "workers", "Li Jing")
    assert again.returncode == 1 and "content/workers/li-jing.md" in again.stderr


def test_collection_names_in_chinese_units_and_awkward_titles(make_site, cli):
    root = make_site()
    result = run_cli(root, "new", "劳模先进", "张三: 技术标兵 #1", "--unit", "acid")
    assert result.returncode == 0, result.stderr
    path = root / result.stdout.strip()
    assert path.parent.name == "workers"
    assert 'name: "张三: 技术标兵 #1"' in path.read_text(encoding="utf-8")
    assert cli(root, "check").code == 0
    built = cli(root)
    assert "张三: 技术标兵 #1" in (root / "site/workers" / (path.stem + ".html")).read_text(encoding="utf-8")
    assert built.code == 0


def test_mistakes_are_explained(make_site):
    root = make_site()
    wrong = run_cli(root, "new", "worker", "张三")  # an alias is fine
    assert wrong.returncode == 0
    unknown = run_cli(root, "new", "wrokers", "李四")
    assert unknown.returncode == 2 and "是不是想写“workers”" in unknown.stderr
    bad_unit = run_cli(root, "new", "workers", "王五", "--unit", "acd")
    assert bad_unit.returncode == 2 and "是不是想写“acid”" in bad_unit.stderr
    empty = run_cli(root, "new", "workers", "!!!")
    assert empty.returncode == 2 and "网址名" in empty.stderr
    assert "Traceback" not in unknown.stderr + bad_unit.stderr + empty.stderr
