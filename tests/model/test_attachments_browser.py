"""A browser opens every attachment the site publishes: nothing in them runs."""

from __future__ import annotations

import pytest
from conftest import SITE_YAML, make_image
from hostile import HOSTILE_SVG, PAYLOAD
from kiosk_support import SiteServer

pytestmark = pytest.mark.browser

ONLOAD_ONLY = f'<svg xmlns="http://www.w3.org/2000/svg" onload="{PAYLOAD}"><circle r="5"/></svg>'
ATTACHMENTS: dict[str, str | bytes] = {
    "plan.svg": HOSTILE_SVG,
    "badge.svg": ONLOAD_ONLY,
    "report.pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n",
    "notes.txt": f"<b>plain text</b> {PAYLOAD}",
    "slides.pptx": b"PK\x03\x04 not really a presentation",
}


def test_no_published_attachment_runs_anything_when_opened(bare_site, cli, page) -> None:
    from playwright.sync_api import Error as PlaywrightError

    links = " ".join(f"[{name}]({name})" for name in ATTACHMENTS)
    story = f"---\nname: 张三\nunit: acid\nphoto: p.jpg\n---\n{links} ![](plan.svg)\n"
    root = bare_site({"content/site.yaml": SITE_YAML, "content/workers/x.md": story,
                      **{f"content/workers/{name}": data for name, data in ATTACHMENTS.items()}})
    make_image(root / "content/workers/p.jpg")
    assert cli(root, "build").code == 0
    published = sorted(path for path in (root / "site/media").rglob("*") if path.is_file())
    assert {path.name for path in published} >= set(ATTACHMENTS)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    server = SiteServer(root / "site").start()
    try:
        opened = 0
        for path in published:
            url = server.url + path.relative_to(root / "site").as_posix()
            try:
                page.goto(url, wait_until="load")
            except PlaywrightError as error:  # offered as a download: not shown, so nothing in it runs
                assert "Download is starting" in str(error) or "ERR_ABORTED" in str(error), error
                continue
            opened += 1
            page.wait_for_timeout(200)  # let onload handlers and timers fire, if any survived
            ran = page.evaluate("() => [typeof window.pwned, document.title]")
            assert ran[0] == "undefined" and ran[1] != "pwned", path.name  # the payload sets both
        assert opened >= 3  # the drawings and the text at least were shown
    finally:
        server.stop()
    assert dialogs == []
