"""`python build.py serve` driven for real: a subprocess on a free port, files edited as editors do."""

from __future__ import annotations

import http.client
import json
import os
import queue
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import REPO, WORKER_MD, poll_until, stop_process, write_files

TEAM_MD = "---\nname: 熔炼党员突击队\nunit: smelting-1\nleader: 邵志村\n---\n突击。\n"


class Preview:
    """A running `serve`, and how to read what it serves."""

    def __init__(self, root: Path, process: subprocess.Popen[str], port: int) -> None:
        self.root = root
        self.process = process
        self.port = port
        self.base = f"http://127.0.0.1:{port}/"

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.base + path, timeout=10) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8")

    def wait_for(self, path: str, check: Callable[[int, str], bool], timeout: float = 10.0) -> str:
        last: tuple[int, str] = (0, "")

        def matches() -> bool:
            nonlocal last
            last = self.get(path)
            return check(*last)

        poll_until(matches, timeout, lambda: f"{path} never matched; last answer {last[0]}: {last[1][:300]}")
        return last[1]

    def state(self, check: Callable[[dict], bool], timeout: float = 10.0) -> dict:
        """Read the reload channel until a state matches."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        connection.request("GET", "/__exhibit/events")
        response = connection.getresponse()
        deadline = time.monotonic() + timeout
        last: dict = {}
        try:
            while time.monotonic() < deadline:
                line = response.readline().decode("utf-8")
                if line.startswith("data: "):
                    last = json.loads(line[6:])
                    if check(last):
                        return last
        finally:
            connection.close()
        raise AssertionError(f"no matching state; last {last}")


LISTENING = re.compile(r"http://127\.0\.0\.1:(\d+)/")


def _lines(stream: object, into: queue.Queue[str]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        into.put(line)


@pytest.fixture
def preview(make_site) -> Iterator[Callable[..., Preview]]:
    started: list[subprocess.Popen[str]] = []

    def start(files: dict[str, str | bytes] | None = None, *extra: str) -> Preview:
        root = make_site(files or {"content/workers/邵志村.md": WORKER_MD, "content/teams/commando.md": TEAM_MD})
        # Port 0: the system picks a free port as the server binds it (no window for another test run
        # to take it), and serve announces it.
        process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--root", str(root),
                                    "--port", "0", *extra],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   env={**os.environ, "PYTHONIOENCODING": "utf-8"})
        started.append(process)
        output: queue.Queue[str] = queue.Queue()
        for stream, into in ((process.stdout, output), (process.stderr, queue.Queue())):  # drained: never blocks
            threading.Thread(target=_lines, args=(stream, into), daemon=True).start()
        deadline = time.monotonic() + 60
        port = None
        while port is None:
            try:
                line = output.get(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                raise AssertionError(f"serve never said where it listens (exit status {process.poll()})") from None
            if match := LISTENING.search(line):
                port = int(match.group(1))
        server = Preview(root, process, port)
        server.wait_for("", lambda status, _: status == 200, timeout=30)
        return server

    yield start
    for process in started:
        stop_process(process)


def _has(text: str) -> Callable[[int, str], bool]:
    return lambda status, body: status == 200 and text in body


def test_edits_adds_renames_and_deletes_show_up(preview):
    server = preview()
    root = server.root
    page = server.wait_for("workers/shao-zhi-cun.html", _has("哪里最难"))
    assert "/__exhibit/events" in page  # the served page gets the client …
    assert "__exhibit" not in (root / "site/workers/shao-zhi-cun.html").read_text(encoding="utf-8")  # … the file not
    path = root / "content/workers/邵志村.md"
    path.write_text(WORKER_MD.replace("哪里最难", "越是艰险越向前"), encoding="utf-8")
    server.wait_for("workers/shao-zhi-cun.html", _has("越是艰险越向前"))
    write_files(root, {"content/workers/李静.md": WORKER_MD.replace("邵志村", "李静")})
    server.wait_for("workers/li-jing.html", _has("李静"))
    server.wait_for("workers/", _has("li-jing.html"))
    (root / "content/workers/李静.md").rename(root / "content/workers/li-jing-2.md")
    server.wait_for("workers/li-jing-2.html", _has("李静"))
    server.wait_for("workers/li-jing.html", lambda status, _: status == 404)
    (root / "content/workers/li-jing-2.md").unlink()
    server.wait_for("workers/li-jing-2.html", lambda status, _: status == 404)
    assert not (root / "site/workers/li-jing-2.html").exists()
    assert "li-jing" not in server.get("workers/")[1]


def test_template_changes_reach_pages_through_extends_include_and_import(preview):
    server = preview()
    root = server.root
    base = root / "templates/base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("</footer>", "<p>底部标记一</p></footer>"),
                    encoding="utf-8")
    server.wait_for("workers/shao-zhi-cun.html", _has("底部标记一"))  # through extends (two levels)
    server.wait_for("units/plant.html", _has("底部标记一"))
    cards = root / "templates/partials/cards.html"  # imported by item pages
    cards.write_text(cards.read_text(encoding="utf-8").replace(
        "{% macro unit_link(unit) -%}", "{% macro unit_link(unit) -%}<i>导入标记</i>"), encoding="utf-8")
    server.wait_for("workers/shao-zhi-cun.html", _has("导入标记"))
    server.wait_for("teams/commando.html", _has("导入标记"))


def test_template_files_added_renamed_and_deleted(preview):
    server = preview()
    root = server.root
    page = root / "templates/workers/item.html"
    page.write_text(page.read_text(encoding="utf-8") + '\n{% block after_body %}{% include "partials/notice.html" %}'
                    "{% endblock %}\n", encoding="utf-8")
    state = server.state(lambda s: bool(s["errors"]))  # the include does not exist yet
    assert "partials/notice.html" in state["errors"][0]["message"]
    notice = root / "templates/partials/notice.html"
    notice.write_text("<p class=\"notice\">新增的模板</p>\n", encoding="utf-8")  # added
    server.wait_for("workers/shao-zhi-cun.html", _has("新增的模板"))
    server.state(lambda s: not s["errors"])
    notice.rename(root / "templates/partials/notice-old.html")  # renamed away: the page cannot be made
    state = server.state(lambda s: bool(s["errors"]))
    assert "partials/notice.html" in state["errors"][0]["message"]
    assert "新增的模板" in server.get("workers/shao-zhi-cun.html")[1]  # the last good page stays
    (root / "templates/partials/notice-old.html").rename(notice)
    server.state(lambda s: not s["errors"])
    notice.write_text("<p>改过的模板</p>\n", encoding="utf-8")
    server.wait_for("workers/shao-zhi-cun.html", _has("改过的模板"))
    assert "改过的模板" not in server.get("teams/commando.html")[1]  # a page that does not include it
    notice.unlink()  # deleted
    server.state(lambda s: bool(s["errors"]))
    page.write_text(page.read_text(encoding="utf-8").replace('{% include "partials/notice.html" %}', ""),
                    encoding="utf-8")
    server.state(lambda s: not s["errors"])
    server.wait_for("workers/shao-zhi-cun.html", lambda status, body: status == 200 and "改过的模板" not in body)


def test_vim_style_save_by_rename_and_replace(preview):
    server = preview()
    path = server.root / "content/workers/邵志村.md"
    backup = path.with_name("邵志村.md~")
    os.rename(path, backup)  # Vim: move the original away, write a new file, delete the backup
    path.write_text(WORKER_MD.replace("哪里最难", "新写的文件"), encoding="utf-8")
    backup.unlink()
    server.wait_for("workers/shao-zhi-cun.html", _has("新写的文件"))
    state = server.state(lambda s: True)
    assert state["errors"] == []


def test_bad_edit_keeps_the_old_site_and_reports_until_fixed(preview):
    server = preview()
    path = server.root / "content/workers/邵志村.md"
    path.write_text(WORKER_MD.replace("unit: smelting-1", "unit: smeltin-1").replace("哪里最难", "坏的版本"),
                    encoding="utf-8")
    state = server.state(lambda s: bool(s["errors"]))
    error = state["errors"][0]
    assert error["where"] == "content/workers/邵志村.md:3:1"
    assert "smeltin-1" in error["message"] and "smelting-1" in error["hint"]
    assert state["labels"]["title"] == "站点有错误，尚未更新"
    assert "哪里最难" in server.get("workers/shao-zhi-cun.html")[1]  # the last good page stays
    path.write_text(WORKER_MD.replace("哪里最难", "改好的版本"), encoding="utf-8")
    server.state(lambda s: not s["errors"])
    server.wait_for("workers/shao-zhi-cun.html", _has("改好的版本"))


def test_serves_only_inside_the_site_and_on_loopback(preview):
    server = preview()
    status, _ = server.get("../content/site.yaml")
    assert status == 404
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    connection.request("GET", "/%2e%2e/content/site.yaml")
    assert connection.getresponse().status == 404
    busy = subprocess.run([sys.executable, str(REPO / "build.py"), "serve", "--root", str(server.root),
                           "--port", str(server.port)], capture_output=True, text=True, timeout=30)
    assert busy.returncode == 1
    assert f"127.0.0.1:{server.port}" in busy.stderr and "--port" in busy.stderr
    assert "Traceback" not in busy.stderr


@pytest.mark.browser
def test_open_page_reloads_itself_and_shows_the_error_overlay(preview, page):
    server = preview()
    path = server.root / "content/workers/邵志村.md"
    story = "\n\n".join(f"第{n}段：外堰出口烧穿后，他第一个冲到现场。" for n in range(80))
    path.write_text(WORKER_MD + story, encoding="utf-8")
    server.wait_for("workers/shao-zhi-cun.html", _has("第79段"))
    page.goto(server.base + "workers/shao-zhi-cun.html")
    page.evaluate("window.scrollTo(0, 1500); window.__marker = 'old page'")
    page.wait_for_function("window.scrollY >= 1400")

    path.write_text((WORKER_MD + story).replace("哪里最难", "自动刷新了"), encoding="utf-8")
    page.wait_for_function("document.body.innerText.includes('自动刷新了')", timeout=10000)
    assert page.evaluate("window.__marker") is None  # a real reload, not a patch
    page.wait_for_function("window.scrollY >= 1400", timeout=5000)  # scroll position kept

    path.write_text((WORKER_MD + story).replace("unit: smelting-1", "unit: nowhere"), encoding="utf-8")
    overlay = page.locator("#exhibit-error-overlay")
    overlay.wait_for(state="attached", timeout=10000)
    text = page.evaluate("document.getElementById('exhibit-error-overlay').shadowRoot.textContent")
    assert "content/workers/邵志村.md:3:1" in text and "nowhere" in text and "站点有错误" in text
    assert "自动刷新了" in page.inner_text("body")  # the last good page is still there under it

    path.write_text((WORKER_MD + story).replace("哪里最难", "修好了"), encoding="utf-8")
    page.wait_for_function("document.body.innerText.includes('修好了')", timeout=10000)
    overlay.wait_for(state="detached", timeout=10000)

    page.evaluate("window.__marker = 'before css'")
    css = server.root / "assets/css/site.css"
    css.write_text(css.read_text(encoding="utf-8") + "\nbody { background-color: rgb(1, 2, 3) !important; }\n",
                   encoding="utf-8")
    page.wait_for_function("getComputedStyle(document.body).backgroundColor === 'rgb(1, 2, 3)'", timeout=10000)
    assert page.evaluate("window.__marker") == "before css"  # swapped without a reload


HISTORY_MD = "---\ntitle: 建厂\ndate: 2019\n---\n历史。\n"


def test_a_reworded_item_is_announced_with_the_pages_it_changed(preview):
    server = preview()
    server.wait_for("workers/shao-zhi-cun.html", _has("哪里最难"))
    path = server.root / "content/workers/邵志村.md"
    path.write_text(WORKER_MD.replace("哪里最难", "越是艰险越向前"), encoding="utf-8")
    state = server.state(lambda state: "workers/shao-zhi-cun.html" in (state["paths"] or ()))
    assert state["kind"] == "reload" and "workers/index.html" in state["paths"]
    assert "越是艰险越向前" in (server.root / "site/workers/shao-zhi-cun.html").read_text(encoding="utf-8")
    # A new file is a build the quick pass does not make: every open page hears of it as before.
    write_files(server.root, {"content/workers/李静.md": WORKER_MD.replace("邵志村", "李静")})
    server.wait_for("workers/li-jing.html", _has("李静"))


@pytest.mark.browser
def test_a_save_reloads_the_pages_it_changed_and_leaves_the_others_be(preview, page):
    server = preview({"content/workers/邵志村.md": WORKER_MD, "content/teams/commando.md": TEAM_MD,
                      "content/history/2019.md": HISTORY_MD})
    server.wait_for("history/", _has("建厂"))
    other = page.context.new_page()
    other.goto(server.base + "history/")
    other.evaluate("window.__marker = 'not reloaded'")
    page.goto(server.base + "workers/shao-zhi-cun.html")
    page.evaluate("window.__marker = 'old page'")
    time.sleep(0.5)  # both pages' reload channels connected

    worker = server.root / "content/workers/邵志村.md"
    worker.write_text(WORKER_MD.replace("哪里最难", "自动刷新了"), encoding="utf-8")
    page.wait_for_function("document.body.innerText.includes('自动刷新了')", timeout=10000)
    assert page.evaluate("window.__marker") is None  # the page the save changed reloaded
    time.sleep(1.0)  # the history index would have begun reloading by now
    assert other.evaluate("window.__marker") == "not reloaded"  # it did not change: left as it was

    (server.root / "content/history/2019.md").write_text(HISTORY_MD.replace("建厂", "建厂投产"), encoding="utf-8")
    other.wait_for_function("document.body.innerText.includes('建厂投产')", timeout=10000)
    assert other.evaluate("window.__marker") is None


def test_a_save_shows_at_once_and_the_screens_catch_up_when_the_saves_pause(preview):
    """The quick pass writes the pages that show the edit; a screen's playlist follows with the regular run."""
    server = preview({"content/workers/邵志村.md": WORKER_MD, "content/teams/commando.md": TEAM_MD,
                      "content/screens/hall.yaml": "name: 大厅\norientation: 横屏\nresolution: 1920x1080\n"
                                                   "unit: smelting\nplaylist:\n  - collection: workers\n"})
    server.wait_for("screens/hall/playlist.json", _has("哪里最难"))
    path = server.root / "content/workers/邵志村.md"
    path.write_text(WORKER_MD.replace("哪里最难", "越是艰险越向前"), encoding="utf-8")
    server.wait_for("workers/shao-zhi-cun.html", _has("越是艰险越向前"))
    server.wait_for("screens/hall/playlist.json", _has("越是艰险越向前"), timeout=15)
    out = server.root / "site"
    assert "越是艰险越向前" in (out / "screens/hall/index.html").read_text(encoding="utf-8")
