"""Content and checks shared by the copy-lint tests (tests/read) and the `check --fix` tests (tests/authoring)."""

from __future__ import annotations

import json

from conftest import run_cli

SEED = "黨支部是黨最基本的組織,是黨全部工作和戰(zhàn)斗力的基礎(chǔ)。"
W = "content/workers/x.md"


def worker(body: str, front: str = "") -> str:
    return f"---\nname: 张三\nunit: acid\n{front}---\n{body}\n"


def lint_warnings(root) -> list[dict]:
    result = run_cli(root, "check", "--format", "json")
    assert result.returncode == 0, result.stderr
    return [row for row in json.loads(result.stdout) if row["severity"] == "warning"]
