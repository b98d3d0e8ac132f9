"""A .docx dropped on the preview is imported like `build.py import`, and its page opens."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO, free_port, poll_until, stop_process, wait_for_port

from exhibit.read.slugs import slugify
from tests.authoring.docx_samples import report_docx

TITLE = "熔炼支部红色熔炉主题党日"
WORKER = "---\nname: 邵志村\nunit: smelting-1\n---\n外堰出口烧穿后，他第一个冲到现场。\n"


@pytest.fixture
def served(make_site) -> Iterator[tuple[Path, str]]:
    """A running `serve` on a free port: (site root, base URL)."""
    root = make_site({"content/workers/邵志村.md": WORKER})
    port = free_port()
    process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--root", str(root),
                                "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    try:
        wait_for_port(port, timeout=30)
        base = f"http://127.0.0.1:{port}/"
        url = base + "workers/shao-zhi-cun.html"
        poll_until(lambda: _answers(url), 30, f"{url} never answered", interval=0.1)
        yield root, base
    finally:
        stop_process(process)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=10):
            return True
    except (urllib.error.URLError, ConnectionError):
        return False


def _post(url: str, data: bytes, headers: dict[str, str]) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=data, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def test_the_import_route_wants_the_clients_header_and_refuses_what_is_not_a_docx(served, tmp_path):
    root, base = served
    data = report_docx(tmp_path / "report.docx").read_bytes()
    status, answer = _post(base + "__exhibit/import?name=report.docx&collection=workers", data, {})
    assert status == 403 and "只能在本机的预览页面上拖入文档" in answer["message"]  # a plain form cannot import
    status, answer = _post(base + "__exhibit/import?name=notes.docx", b"plain text", {"X-Exhibit-Import": "1"})
    assert status == 422 and "notes.docx 不是有效的 .docx 文件" in answer["message"]
    status, answer = _post(base + "__exhibit/import?name=report.docx&collection=workers", data,
                           {"X-Exhibit-Import": "1"})
    assert status == 200 and answer["url"] == f"/workers/{slugify(TITLE)}.html"
    assert (root / f"content/workers/{TITLE}.md").is_file()


@pytest.mark.browser
def test_a_docx_dropped_on_the_preview_opens_the_new_items_page(served, page, tmp_path):
    root, base = served
    page.goto(base + "workers/shao-zhi-cun.html")
    encoded = base64.b64encode(report_docx(tmp_path / "活动报道.docx").read_bytes()).decode()
    page.evaluate("""(encoded) => {
        const bytes = Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0));
        const file = new File([bytes], "活动报道.docx",
            {type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"});
        const transfer = new DataTransfer();
        transfer.items.add(file);
        for (const type of ["dragover", "drop"]) {
            document.body.dispatchEvent(new DragEvent(type, {dataTransfer: transfer, bubbles: true, cancelable: true}));
        }
    }""", encoded)
    page.wait_for_url(f"**/workers/{slugify(TITLE)}.html", timeout=30000)
    page.wait_for_function("document.body.innerText.includes('走进生产一线')", timeout=30000)
    assert page.locator("table").inner_text().count("节约三百万元") == 1
    assert (root / f"content/workers/{slugify(TITLE)}-1.jpg").is_file()
