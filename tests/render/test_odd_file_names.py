"""Odd file names (& ' " # % ? spaces, Chinese) linked from stories resolve in the built site."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit

from conftest import SITE_YAML, make_image

NAMES = ["a&b", "it's", 'say "hi"', "report#2", "50%", "why?", "two words", "先进事迹", "%41"]


class _Links(HTMLParser):
    """Every href, src and srcset URL of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("href", "src", "poster"):
                self.urls.append(value)
            elif name == "srcset":
                self.urls += [candidate.strip().split(" ")[0] for candidate in value.split(",")]


def local_targets(site: Path) -> dict[str, list[str]]:
    """Each page's local link targets as URLs (relative to the page)."""
    found: dict[str, list[str]] = {}
    for page in sorted(site.rglob("*.html")):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        rel = page.relative_to(site).as_posix()
        found[rel] = [url for url in parser.urls
                      if url and not url.startswith(("#", "http:", "https:", "mailto:", "tel:", "data:"))]
    return found


def missing_targets(site: Path) -> list[str]:
    """Links a browser would follow to a file that is not there: what a visitor sees as 404."""
    missing = []
    for page, urls in local_targets(site).items():
        for url in urls:
            path = unquote(urlsplit(urljoin(f"http://x/{quote(page)}", url)).path).lstrip("/")
            target = site / path
            if not (target.is_file() or (target / "index.html").is_file()):
                missing.append(f"{page}: {url}")
    return missing


def _story() -> str:
    lines = []
    for name in NAMES:
        escaped_angle = name.replace(">", "%3E")
        lines.append(f"- [{name} as seen](<{escaped_angle}.pdf>)")
        lines.append(f"- [{name} encoded]({quote(name)}.pdf)")
        lines.append(f"- ![{name}](<{escaped_angle}.jpg>)")
        html_name = name.replace("&", "&amp;").replace('"', "&quot;")
        lines.append(f'- <a href="{html_name}.pdf">raw</a> <img src="{html_name}.jpg" alt="">')
    return "\n".join(lines) + "\n"


def test_every_local_link_of_a_site_with_odd_names_resolves(make_site, cli) -> None:
    files: dict[str, str | bytes] = {
        "content/site.yaml": SITE_YAML,
        "content/workers/x.md": "---\nname: 张三\nunit: acid\n---\n" + _story(),
    }
    files.update({f"content/workers/{name}.pdf": b"%PDF-1.4\n" for name in NAMES})
    root = make_site(files)
    for name in NAMES:
        make_image(root / "content/workers" / f"{name}.jpg", (40, 30))
    run = cli(root, "build", "--lang", "en")
    assert run.code == 0, run.err
    site = root / "site"
    targets = local_targets(site)["workers/x.html"]
    assert len([url for url in targets if ".pdf" in url]) == 3 * len(NAMES)
    assert missing_targets(site) == []
