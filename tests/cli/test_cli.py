"""The command line: exit codes, what is printed and where, and that nothing ends in a traceback."""

from __future__ import annotations

import contextlib
import io
import json
import signal
from pathlib import Path

import pytest
from conftest import WORKER_MD, run_cli, tree_bytes

from exhibit import __version__

BAD_WORKER = "---\nname: 张三\nunit: nowhere\n---\n"
BAD_TEAM = "---\nunit: acid\n---\n"


def _no_leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith(".site") or p.name == "site")


# --- exit codes -------------------------------------------------------------------------------

def test_build_exits_0_and_ends_with_a_summary(bare_site, cli):
    root = bare_site({"content/workers/邵志村.md": WORKER_MD})
    run = cli(root, "build")
    assert run.code == 0
    assert (root / "site/workers/shao-zhi-cun.html").is_file()
    assert run.err == ""
    last = run.out.strip().splitlines()[-1]
    assert "13" in last and "0 个错误" in last  # 13 pages, no errors


def test_build_is_the_default_command(bare_site, cli):
    root = bare_site({"content/workers/邵志村.md": WORKER_MD})
    assert cli(root).code == 0
    assert (root / "site/index.html").is_file()


def test_content_errors_exit_1_and_every_error_is_listed(bare_site, cli):
    root = bare_site({"content/workers/a.md": BAD_WORKER, "content/teams/b.md": BAD_TEAM})
    run = cli(root, "build")
    assert run.code == 1
    assert [(m["path"], m["line"], m["severity"]) for m in run.diagnostics] == [
        ("content/teams/b.md", "2", "error"), ("content/workers/a.md", "3", "error")]
    assert all(run.hint_after(m) for m in run.diagnostics)
    last = run.err.strip().splitlines()[-1]
    assert "2 个错误" in last
    assert not (root / "site").exists()
    assert run.out == ""


def test_summary_in_english(bare_site, cli):
    root = bare_site({"content/workers/a.md": BAD_WORKER, "content/teams/b.md": BAD_TEAM})
    run = cli(root, "check", "--lang", "en")
    assert run.code == 1
    assert "2 error(s)" in run.err.strip().splitlines()[-1]


def test_warnings_alone_exit_0(bare_site, cli):
    root = bare_site({"content/workers/邵志村.md": WORKER_MD.encode("gbk")})
    run = cli(root, "check")
    assert run.code == 0
    assert [m["severity"] for m in run.diagnostics] == ["warning"]
    assert "1 个警告" in run.out.strip().splitlines()[-1]


def test_usage_errors_exit_2(tmp_path):
    result = run_cli(tmp_path, "--no-such-option")
    assert result.returncode == 2
    assert "usage:" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("args", [
    ["--bogus"], ["publish"], ["check", "--lang", "fr"], ["build", "--format", "json"],
    ["check", "--format", "xml"],
])
def test_bad_options_exit_2_in_process(bare_site, cli, args):
    run = cli(bare_site(), *args)
    assert run.code == 2
    assert "usage:" in run.err


def test_version(bare_site, cli):
    run = cli(bare_site(), "--version")
    assert run.code == 0
    assert __version__ in run.out


def test_options_before_the_command_are_honoured(bare_site, cli, monkeypatch, tmp_path):
    root = bare_site({"content/workers/a.md": BAD_WORKER})
    monkeypatch.chdir(tmp_path)  # not the site: only --root can find it
    run = cli(None, "--root", str(root), "--lang", "en", "check")
    assert run.code == 1
    assert "there is no unit 'nowhere'" in run.err
    run = cli(None, "--root", str(root), "-q")
    assert run.code == 1
    assert not (tmp_path / "site").exists()


def test_errors_follow_a_redirected_stderr(bare_site):
    from exhibit.cli import main

    root = bare_site({"content/workers/a.md": BAD_WORKER})
    buffer = io.StringIO()
    previous = signal.getsignal(signal.SIGTERM)
    try:
        with contextlib.redirect_stderr(buffer):
            code = main(["check", "--root", str(root)])
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert code == 1
    assert "content/workers/a.md:3:1: error:" in buffer.getvalue()


# --- check writes nothing ---------------------------------------------------------------------

def test_check_writes_nothing(bare_site, cli):
    root = bare_site({"content/workers/邵志村.md": WORKER_MD})
    run = cli(root, "check")
    assert run.code == 0
    assert _no_leftovers(root) == []
    assert "13" in run.out.strip().splitlines()[-1]


def test_check_leaves_an_existing_site_untouched(bare_site, cli):
    root = bare_site({"content/workers/邵志村.md": WORKER_MD})
    assert cli(root).code == 0
    before = tree_bytes(root / "site")
    (root / "content/workers/new.md").write_text("---\nname: 新人\nunit: acid\n---\n", encoding="utf-8")
    assert cli(root, "check").code == 0
    assert tree_bytes(root / "site") == before
    assert _no_leftovers(root) == ["site"]


# --- output formats ---------------------------------------------------------------------------

def test_json_format_parses(bare_site, cli):
    root = bare_site({"content/workers/a.md": BAD_WORKER, "content/teams/b.md": BAD_TEAM})
    run = cli(root, "check", "--format", "json")
    assert run.code == 1
    rows = json.loads(run.out)
    assert [(row["path"], row["line"], row["severity"], row["code"]) for row in rows] == [
        ("content/teams/b.md", 2, "error", "field_required"),
        ("content/workers/a.md", 3, "error", "unit_unknown")]
    assert all(row["message"] and row["hint"] for row in rows)
    assert "nowhere" in rows[1]["message"]


def test_json_location_matches_the_text_location(bare_site, cli):
    root = bare_site({"content/teams/b.md": BAD_TEAM})
    (line,) = cli(root, "check").diagnostics
    (row,) = json.loads(cli(root, "check", "--format", "json").out)
    assert (row["path"], str(row["line"]), str(row["col"])) == (line["path"], line["line"], line["col"])


def test_json_format_on_a_clean_site_is_an_empty_list(bare_site, cli):
    root = bare_site({"content/workers/邵志村.md": WORKER_MD})
    run = cli(root, "check", "--format", "json", "--lang", "en")
    assert run.code == 0
    assert json.loads(run.out) == []


def test_json_format_in_english(bare_site, cli):
    root = bare_site({"content/workers/a.md": BAD_WORKER})
    rows = json.loads(cli(root, "check", "--format", "json", "--lang", "en").out)
    assert rows[0]["message"] == "there is no unit 'nowhere' in site.yaml's units"


def test_quiet_prints_errors_only(bare_site, cli):
    root = bare_site({"content/workers/邵志村.md": WORKER_MD.encode("gbk")})
    run = cli(root, "-q")
    assert run.code == 0
    assert run.out == "" and run.err == ""
    write_bad = root / "content/workers/bad.md"
    write_bad.write_text(BAD_WORKER, encoding="utf-8")
    run = cli(root, "check", "-q")
    assert run.code == 1
    assert [m["severity"] for m in run.diagnostics] == ["error"]


def test_verbose_lists_every_page(bare_site, cli):
    root = bare_site({"content/workers/邵志村.md": WORKER_MD})
    run = cli(root, "build", "-v")
    assert run.code == 0
    listed = set(run.out.splitlines())
    assert {"index.html", "workers/shao-zhi-cun.html", "units/acid.html"} <= listed


# --- problems with the project itself ------------------------------------------------------------

def test_missing_root(tmp_path, cli):
    run = cli(tmp_path / "nowhere", "check")
    assert run.code == 1
    assert "nowhere" in run.err


def test_missing_content_and_templates(tmp_path, cli, bare_site):
    run = cli(tmp_path, "check")
    assert run.code == 1
    assert "content/" in run.err
    root = bare_site()
    for template in (root / "templates").rglob("*.html"):
        template.unlink()
    for folder in sorted((root / "templates").rglob("*"), reverse=True):
        folder.rmdir()
    (root / "templates").rmdir()
    run = cli(root, "check")
    assert run.code == 1
    assert "templates/" in run.err


def test_out_inside_content_is_refused(bare_site, cli):
    root = bare_site({"content/workers/邵志村.md": WORKER_MD})
    run = cli(root, "build", "--out", str(root / "content/site"))
    assert run.code == 1
    assert not (root / "content/site").exists()


def test_out_folder_that_is_not_ours_is_refused(bare_site, cli, tmp_path):
    root = bare_site({"content/workers/邵志村.md": WORKER_MD})
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.docx").write_bytes(b"years of work")
    run = cli(root, "build", "--out", str(precious))
    assert run.code == 1
    assert tree_bytes(precious) == {"thesis.docx": b"years of work"}


# --- no input ends in a traceback ---------------------------------------------------------------

def _hostile(name: str, files: dict[str, str | bytes]) -> object:
    return pytest.param(files, id=name)


HOSTILE = [
    _hostile("empty file", {"content/workers/a.md": b""}),
    _hostile("only dashes", {"content/workers/a.md": "---\n---\n"}),
    _hostile("yaml list as front matter", {"content/workers/a.md": "---\n- a\n---\n"}),
    _hostile("python tag", {"content/workers/a.md": "---\nname: !!python/object/apply:os.system [id]\n---\n"}),
    _hostile("recursive alias", {"content/honors.yaml": "- &a\n  title: x\n  date: 2021\n  self: *a\n"}),
    _hostile("huge date", {"content/history.yaml": "- title: x\n  date: 99999-99-99\n"}),
    _hostile("numbers everywhere",
             {"content/workers/1.md": "---\nname: 1\nunit: 2\nphoto: 3\nhonors: 4\nsince: 5\n---\n"}),
    _hostile("mappings everywhere",
             {"content/activities/a.md": "---\ntitle: {a: 1}\nunit: [acid]\ndate: {y: 2021}\n---\n"}),
    _hostile("photo is a folder", {"content/workers/a.md": "---\nname: a\nunit: acid\nphoto: .\n---\n"}),
    _hostile("photo with nul", {"content/workers/a.md": '---\nname: a\nunit: acid\nphoto: "a\\0b.jpg"\n---\n'}),
    _hostile("photo name too long",
             {"content/workers/a.md": f"---\nname: a\nunit: acid\nphoto: {'y' * 300}.jpg\n---\n"}),
    _hostile("story link name too long",
             {"content/workers/a.md": f"---\nname: a\nunit: acid\n---\n[x]({'y' * 300}.md)\n"}),
    _hostile("odd story links", {"content/workers/a.md": "---\nname: a\nunit: acid\n---\n[x](a%00b.md) [y](<a b>)\n"}),
    _hostile("markdown folder outside collections", {"content/notes/a.md": "---\ntitle: x\n---\n"}),
    _hostile("site.yaml is a list", {"content/site.yaml": "- 1\n- 2\n"}),
    _hostile("site.yaml units mess", {"content/site.yaml": "title: t\nunits:\n  - id: [a]\n    name: {b: 1}\n  - 7\n"}),
    _hostile("undecodable bytes", {"content/workers/a.md": b"---\nname: \x81\x20\x81\x20\n---\n"}),
    _hostile("control character", {"content/workers/a.md": b"---\nname: a\x0b\nunit: acid\n---\n"}),
]


@pytest.mark.parametrize("files", HOSTILE)
def test_no_input_makes_the_cli_print_a_traceback(bare_site, cli, files):
    root = bare_site(files)
    for args in (("check",), ("build", "-v"), ("check", "--format", "json", "--lang", "en")):
        run = cli(root, *args)  # the fixture asserts that no traceback is printed
        assert run.code in (0, 1), run.err
        if run.code == 1 and "json" not in args:
            assert run.diagnostics, run.err


def test_no_traceback_through_build_py(bare_site):
    root = bare_site({
        "content/workers/a.md": BAD_WORKER,
        "content/honors.yaml": "- title: x\n  date: 2021-13\n",
        "content/workers/b.md": "---\nname：张三\nunit: acid\n---\n",
    })
    result = run_cli(root, "check")
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert len([line for line in result.stderr.splitlines() if ": error: " in line]) == 3


def test_the_command_line_ends_at_once_with_its_whole_report_and_status(make_site):
    """build.py and `python -m exhibit` end without Python's teardown (cli.exit_now): what they printed into a
    pipe (block-buffered) still arrives whole, with the status `main` returned, and the site is written."""
    import os
    import subprocess
    import sys

    from conftest import REPO

    environment = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}

    def run(*command: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, *command, "--root", str(root)], capture_output=True, text=True,
                              timeout=120, cwd=REPO, env={**environment, "PYTHONIOENCODING": "utf-8"})

    workers = {f"content/workers/w{n:03d}.md": WORKER_MD.replace("邵志村", f"工人{n:03d}") for n in range(40)}
    root = make_site({**workers, "content/workers/a.md": BAD_WORKER})
    checked = run(str(REPO / "build.py"), "check", "--format", "json")
    assert checked.returncode == 1
    assert any(entry["severity"] == "error" for entry in json.loads(checked.stdout))
    (root / "content/workers/a.md").unlink()
    built = run("-m", "exhibit", "build")
    assert built.returncode == 0, built.stderr
    assert "0 个错误" in built.stdout + built.stderr
    assert (root / "site/index.html").is_file() and (root / "site/workers/w039.html").is_file()
