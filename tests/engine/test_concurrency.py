"""A build beside a running preview, and a parallel build killed outright: site/ stays whole, no worker stays."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import REPO, SITE_YAML, free_port, poll_until, run_cli, stop_process, tree_bytes, wait_for_port

_LINKED = re.compile(r"""<(?:link[^>]*\shref|script[^>]*\ssrc)=["']([^"'#?]+\.(?:css|js))["']""")


UNITS = ["plant", "smelting", "smelting-1", "acid"]


def _worker(n: int, body: str = "故事。") -> str:
    return f"---\nname: 工人{n:03d}\nunit: {UNITS[n % 4]}\norder: {n}\n---\n{body}\n"


def _missing_assets(site: Path) -> list[str]:
    """Every stylesheet and script a page names that is not on disk."""
    missing = []
    for page in site.rglob("*.html"):
        for url in _LINKED.findall(page.read_text(encoding="utf-8")):
            if "://" not in url and not (page.parent / url).resolve().is_file():
                missing.append(f"{page.relative_to(site)} -> {url}")
    return missing


def test_build_beside_a_running_preview_leaves_no_page_naming_a_missing_file(make_site):
    root = make_site({f"content/workers/w{n:03d}.md": _worker(n) for n in range(12)})
    port = free_port()
    serve = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--root", str(root),
                              "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    try:
        wait_for_port(port, timeout=60)
        poll_until(lambda: (root / "site/index.html").is_file(), 60, "the preview never built")
        built = run_cli(root, "build")  # cuts the web font: other stylesheet names than the preview's
        assert built.returncode == 0, built.stderr
        assert _missing_assets(root / "site") == []
        css = root / "assets/css/site.css"
        css.write_text(css.read_text(encoding="utf-8") + "\n.edited { color: red; }\n", encoding="utf-8")
        page = root / "content/workers/w003.md"
        page.write_text(_worker(3, "保存之后的新故事。"), encoding="utf-8")
        shown = root / "site/workers/w003.html"
        poll_until(lambda: shown.is_file() and "保存之后的新故事" in shown.read_text(encoding="utf-8"), 60,
                    "the preview never rebuilt after the edit")
        assert _missing_assets(root / "site") == []
        assert any(".edited" in sheet.read_text(encoding="utf-8") for sheet in (root / "site/assets").rglob("*.css"))
    finally:
        stop_process(serve, timeout=20)


def _children(parent: int) -> set[int]:
    """Live processes whose parent is `parent`, from /proc (zombies count as gone)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        state, ppid = stat.rpartition(")")[2].split()[:2]
        if int(ppid) == parent and state != "Z":
            found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def test_killing_a_parallel_build_leaves_no_worker_and_the_old_site(make_site, tmp_path):
    files = {f"content/workers/w{n:03d}.md": _worker(n, "他带头攻关。" * 40) for n in range(400)}
    root = make_site({**files, "content/site.yaml": SITE_YAML})
    first = run_cli(root, "build", "--jobs", "2", timeout=600)
    assert first.returncode == 0, first.stderr
    old = tree_bytes(root / "site")
    base = root / "templates/base.html"
    base.write_text(base.read_text(encoding="utf-8") + "{# every page again #}\n", encoding="utf-8")
    for n in range(0, 400, 7):
        (root / f"content/workers/w{n:03d}.md").write_text(_worker(n, "新的故事。" * 30), encoding="utf-8")
    build = subprocess.Popen([sys.executable, str(REPO / "build.py"), "build", "--jobs", "2", "--root", str(root)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    deadline = time.monotonic() + 300
    while not workers and build.poll() is None and time.monotonic() < deadline:
        workers = _children(build.pid)
        time.sleep(0.01)
    assert workers, "the build never started a worker process"
    time.sleep(0.3)  # let them get going
    workers |= _children(build.pid)
    build.send_signal(signal.SIGKILL)
    build.wait()
    poll_until(lambda: not any(_alive(pid) for pid in workers), 15,
                f"workers outlived their parent: {[pid for pid in workers if _alive(pid)]}")
    after = tree_bytes(root / "site")
    assert after == old or (after != old and run_cli(root, "build").returncode == 0
                            and tree_bytes(root / "site") == after)
