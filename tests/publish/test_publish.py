"""`build.py publish DEST`: readers never meet a missing file, nothing is rewritten or removed needlessly,
foreign files survive, dangerous destinations are refused with words, and --dry-run writes nothing."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from conftest import REPO, WORKER_MD, missing_tool

ASSET_REF = re.compile(r"""(?:href|src)="([^"#?]+)\"""")


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file with its inode and mtime: a rewrite changes one of them."""
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def project(make_site) -> Path:
    return make_site({"content/workers/邵志村.md": WORKER_MD})


def restyle(root: Path, n: int) -> None:
    """A new generation whose every fingerprinted CSS/JS asset changes (and a page's text)."""
    for css in (root / "assets").rglob("*.css"):
        css.write_text(css.read_text(encoding="utf-8") + f"\n/* generation {n} */\n", encoding="utf-8")
    for js in (root / "assets").rglob("*.js"):
        js.write_text(js.read_text(encoding="utf-8") + f"\n// generation {n}\n", encoding="utf-8")
    md = root / "content/workers/邵志村.md"
    md.write_text(md.read_text(encoding="utf-8") + f"\n第 {n} 版。\n", encoding="utf-8")


def read_like_a_browser(dest: Path, stop: threading.Event, problems: list[str], reads: list[int]) -> None:
    """Open every page, then every local file it names, relative to it; record what was missing."""
    while not stop.is_set():
        for page in list(dest.rglob("*.html")):
            try:
                html = page.read_text(encoding="utf-8")
            except FileNotFoundError:
                problems.append(f"page vanished: {page.relative_to(dest)}")
                continue
            for ref in ASSET_REF.findall(html):
                if "://" in ref or ref.startswith(("mailto:", "tel:", "data:")):
                    continue
                target = page.parent / ref
                try:
                    target.read_bytes()
                    reads[0] += 1
                except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
                    if ref.endswith("/"):
                        continue
                    problems.append(f"{page.relative_to(dest)} names missing {ref}")


def test_a_reader_never_meets_a_missing_file_while_generations_are_published(project, tmp_path, cli) -> None:
    dest = tmp_path / "www"
    assert cli(project, "publish", str(dest)).code == 0
    stop, problems, reads = threading.Event(), [], [0]
    reader = threading.Thread(target=read_like_a_browser, args=(dest, stop, problems, reads), daemon=True)
    reader.start()
    try:
        for n in range(1, 7):
            restyle(project, n)
            run = cli(project, "publish", str(dest), "--lang", "en")
            assert run.code == 0, run.err
    finally:
        stop.set()
        reader.join(timeout=30)
    assert reads[0] > 100, "the reader read too little to prove anything"
    assert not problems, "\n".join(sorted(set(problems))[:20])
    # Only the newest and the previous generation's stylesheets remain.
    assert len(list((dest / "assets/css").glob("site.*.css"))) == 2


def test_previous_assets_stay_one_publish_then_go(project, tmp_path, cli) -> None:
    dest = tmp_path / "www"
    cli(project, "publish", str(dest))
    first = {p.name for p in (dest / "assets/css").glob("*.css")}
    restyle(project, 1)
    cli(project, "publish", str(dest))
    second = {p.name for p in (dest / "assets/css").glob("*.css")}
    assert first < second
    restyle(project, 2)
    cli(project, "publish", str(dest))
    third = {p.name for p in (dest / "assets/css").glob("*.css")}
    assert not first & third and len(third) == 2


def test_same_build_again_rewrites_nothing(project, tmp_path, cli) -> None:
    dest = tmp_path / "www"
    assert cli(project, "publish", str(dest)).code == 0
    before = snapshot(dest)
    again = cli(project, "publish", str(dest), "--lang", "zh-CN")
    assert again.code == 0
    assert "已是最新" in again.out
    assert snapshot(dest) == before


def test_foreign_files_survive(project, tmp_path, cli) -> None:
    dest = tmp_path / "www"
    cli(project, "publish", str(dest))
    (dest / "robots.txt").write_text("User-agent: *\n")
    (dest / "assets/css/theirs.css").write_text("p{}")
    (dest / "downloads").mkdir()
    (dest / "downloads/handbook.pdf").write_bytes(b"%PDF-1.4")
    restyle(project, 1)
    cli(project, "publish", str(dest))
    restyle(project, 2)
    cli(project, "publish", str(dest))
    assert (dest / "robots.txt").read_text() == "User-agent: *\n"
    assert (dest / "assets/css/theirs.css").read_text() == "p{}"
    assert (dest / "downloads/handbook.pdf").read_bytes() == b"%PDF-1.4"


def test_a_foreign_file_in_the_way_is_not_replaced(project, tmp_path, cli) -> None:
    dest = tmp_path / "www"
    cli(project, "publish", str(dest))
    (dest / "workers/index.html").unlink()
    manifest = dest / ".exhibit-publish.json"
    record = json.loads(manifest.read_text("utf-8"))
    del record["files"]["workers/index.html"]
    manifest.write_text(json.dumps(record), "utf-8")
    (dest / "workers/index.html").write_text("their own page")
    run = cli(project, "publish", str(dest), "--lang", "en")
    assert run.code == 1
    assert "workers/index.html" in run.err and "was not written by Exhibit" in run.err
    assert (dest / "workers/index.html").read_text() == "their own page"


@pytest.mark.parametrize("lang, words", [("zh-CN", "没有 Exhibit 的发布记录"), ("en", "no Exhibit publish record")])
def test_refuses_a_non_empty_folder_without_manifest(project, tmp_path, cli, lang, words) -> None:
    dest = tmp_path / "share"
    dest.mkdir()
    (dest / "report.docx").write_bytes(b"theirs")
    run = cli(project, "publish", str(dest), "--lang", lang)
    assert run.code == 1
    assert words in run.err and str(dest) in run.err
    assert [p.name for p in dest.iterdir()] == ["report.docx"]
    assert not (project / "site").exists(), "a refused publish must not even build"


@pytest.mark.parametrize("where, words_zh, words_en", [
    ("root", "不能发布到根目录", "refusing to publish into the root folder"),
    ("home", "不能发布到用户主目录", "refusing to publish into the home folder"),
    ("project", "不能发布到站点项目本身", "refusing to publish into the project itself"),
    ("content", "不能发布到站点项目本身", "refusing to publish into the project itself"),
    ("site", "不能发布到站点项目本身", "refusing to publish into the project itself"),
])
def test_refuses_dangerous_destinations(project, cli, where, words_zh, words_en) -> None:
    dest = {"root": Path("/"), "home": Path.home(), "project": project, "content": project / "content" / "www",
            "site": project / "site"}[where]
    for lang, words in (("zh-CN", words_zh), ("en", words_en)):
        run = cli(project, "publish", str(dest), "--lang", lang)
        assert run.code == 1, run.out
        assert words in run.err
        assert "提示" in run.err or "hint" in run.err
    assert not (project / "content" / "www").exists()


def test_dry_run_writes_nothing(project, tmp_path, cli) -> None:
    dest = tmp_path / "www"
    run = cli(project, "publish", str(dest), "--dry-run", "--lang", "en")
    assert run.code == 0
    assert "+ index.html" in run.out and "nothing was written" in run.out
    assert not dest.exists()
    cli(project, "publish", str(dest))
    before = snapshot(dest)
    restyle(project, 1)
    run = cli(project, "publish", str(dest), "--dry-run")
    assert run.code == 0
    assert re.search(r"^\+ assets/css/site\.[0-9a-f]{10}\.css$", run.out, re.M)
    assert "~ workers/shao-zhi-cun.html" in run.out and "没有写入任何文件" in run.out
    assert snapshot(dest) == before


def test_version_file_is_written_after_pages_and_assets(project, tmp_path) -> None:
    from exhibit.publish.manifest import Manifest
    from exhibit.publish.plan import phase, plan_publish

    site = tmp_path / "built"
    shutil.copytree(REPO / "content", tmp_path / "sample" / "content")
    (site / "screens/hall").mkdir(parents=True)
    (site / "assets").mkdir()
    for rel in ("screens/hall/version.json", "screens/hall/playlist.json", "index.html", "assets/a.0123456789.css"):
        (site / rel).write_text(rel)
    plan = plan_publish(site, tmp_path / "empty", Manifest())
    order = [change.rel for change in plan.writes]
    assert order == ["assets/a.0123456789.css", "index.html", "screens/hall/playlist.json",
                     "screens/hall/version.json"]
    assert [phase(rel) for rel in order] == [0, 1, 1, 2]


def test_rsync_target_keeps_foreign_files_and_removes_old_generations(project, tmp_path, cli) -> None:
    """`host:path` goes through rsync; here rsync's local mode stands in for the remote end."""
    if shutil.which("rsync") is None:
        missing_tool("rsync", "sudo apt-get install rsync")
    from exhibit.project import Project
    from exhibit.publish import PublishOptions, publish

    remote = tmp_path / "remote"
    remote.mkdir()
    (remote / "theirs.txt").write_text("keep")
    (remote / ".exhibit-publish.json").write_text('{"format": 1, "files": {}}')
    target = f"localhost:{remote}"

    def run_rsync_locally(target_spec: str) -> str:
        return target_spec.split(":", 1)[1]

    project_obj = Project(project, project / "site")
    env_path = tmp_path / "bin"
    env_path.mkdir()
    shim = env_path / "rsync"
    real = shutil.which("rsync")
    # A shim that turns host:path into path, as ssh to this machine would.
    shim.write_text(f'#!/bin/sh\nexec {real} $(printf "%s\\n" "$@" | sed "s#^localhost:##")\n')
    shim.chmod(0o755)
    old_path = os.environ["PATH"]
    os.environ["PATH"] = f"{env_path}:{old_path}"
    try:
        for n in range(3):
            restyle(project, n)
            assert publish(project_obj, target, PublishOptions()).exit_code == 0
    finally:
        os.environ["PATH"] = old_path
    assert (remote / "theirs.txt").read_text() == "keep"
    assert len(list((remote / "assets/css").glob("site.*.css"))) == 2
    built = {p.relative_to(project / "site").as_posix() for p in (project / "site").rglob("*") if p.is_file()}
    served = {p.relative_to(remote).as_posix() for p in remote.rglob("*") if p.is_file()}
    assert built - {".exhibit-site"} <= served
    assert subprocess.run(["diff", "-rq", "--exclude=.exhibit*", "--exclude=theirs.txt", "--exclude=*.css",
                           "--exclude=*.js", str(project / "site"), str(remote)], capture_output=True).returncode == 0
