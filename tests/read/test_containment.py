"""Containment: content never reaches outside the site through links, and messages never show what is there."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import SITE_YAML, WORKER_MD

SECRET = "SECRET-OUTSIDE-THE-SITE"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the site root with a worker file and a secret in it."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "worker.md").write_text(WORKER_MD.replace("党员突击队员", SECRET), encoding="utf-8")
    (folder / "secret.txt").write_text(SECRET, encoding="utf-8")
    return folder


def _site(bare_site, body: str = "正文。\n") -> Path:
    return bare_site({"content/site.yaml": SITE_YAML,
                      "content/workers/a.md": f"---\nname: 张三\nunit: acid\n---\n{body}"})


def test_a_markdown_file_linked_from_outside_is_refused_and_never_read(bare_site, cli, outside) -> None:
    root = _site(bare_site)
    os.symlink(outside / "worker.md", root / "content/workers/evil.md")
    os.symlink(outside, root / "content/workers/more")
    run = cli(root, "build", "--lang", "en")
    assert run.code == 1
    refused = {m.group("path"): m.group("message") for m in run.diagnostics if m.group("severity") == "error"}
    assert set(refused) == {"content/workers/evil.md", "content/workers/more"}
    assert all("symbolic link to something outside the site folder" in text for text in refused.values())
    assert SECRET not in run.out + run.err
    assert not (root / "site").exists()


def test_dangling_links_and_loops_are_warned_about_and_skipped(bare_site, cli) -> None:
    root = _site(bare_site)
    os.symlink(root / "content/workers/gone.md", root / "content/workers/dangling.md")
    os.symlink(root / "content", root / "content/workers/loop")
    os.symlink("self", root / "content/workers/self")
    run = cli(root, "build", "--lang", "en")
    assert run.code == 0, run.err
    warned = {m.group("path"): m.group("message") for m in run.diagnostics if m.group("severity") == "warning"}
    assert "does not exist" in warned["content/workers/dangling.md"]
    assert "loop" in warned["content/workers/loop"] and "loop" in warned["content/workers/self"]
    assert (root / "site/workers/a.html").is_file()


def test_a_linked_folder_inside_the_site_is_read(bare_site, cli) -> None:
    root = _site(bare_site)
    shared = root / "shared"
    shared.mkdir()
    (shared / "b.md").write_text(WORKER_MD, encoding="utf-8")
    os.symlink(shared, root / "content/workers/shared")
    run = cli(root, "build", "--lang", "en")
    assert run.code == 0, run.err
    assert (root / "site/workers/b.html").is_file()


def test_a_link_to_a_file_outside_says_outside_and_hints_show_nothing_there(bare_site, cli, outside) -> None:
    up, system = "../../../outside", "../" * 40 + "etc/passwd"
    root = _site(bare_site, f"[a]({up}/secret.txt) [b]({up}/secrt.txt) [c]({system}) [d]({system}x)\n")
    run = cli(root, "check", "--lang", "en")
    assert run.code == 1
    messages = [m.group("message") for m in run.diagnostics]
    assert any(f"'{up}/secret.txt'" in text and "leads outside content/" in text for text in messages)
    assert any(f"'{system}'" in text and "leads outside" in text for text in messages)
    assert any(f"'{system}x'" in text and "does not exist" in text for text in messages)
    assert any(f"'{up}/secrt.txt'" in text and "does not exist" in text for text in messages)
    assert "secret.txt" not in run.err.replace(f"{up}/secret.txt", "")  # no did-you-mean from outside
    assert "worker.md" not in run.err and SECRET not in run.err and "passwd'?" not in run.err
