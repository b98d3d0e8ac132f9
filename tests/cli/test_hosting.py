"""site/ can be copied to any static server, under any sub-path, or opened from a file share.

Without a browser: every local href/src/url() in the built sample resolves to a file in
site/, and nothing points at the server root or another host unless content declared
that URL. With nginx: the same site served under /exhibit/ and under / answers every
page and file with 200 and the right Content-Type.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import gzip
import json
import re
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import quote, unquote, urljoin, urlsplit
from urllib.request import Request, urlopen

import pytest
from conftest import REPO, missing_tool, run_cli

URL_ATTRIBUTES = {"href", "src", "poster", "action", "formaction", "data", "xlink:href"}
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
CSS_IMPORT = re.compile(r"""@import\s+(['"])([^'"]+)\1""")
DECLARED_URL = re.compile(r"""https?://[^\s"'<>()\[\]{}`，。；、）》]+""")
ROOTED_OR_REMOTE = re.compile(r"""(?:src|href)\s*=\s*["']((?:/|https?:)[^"']*)["']""", re.I)
HARMLESS_SCHEMES = {"mailto", "tel", "data"}
TEXT_SUFFIXES = {".html", ".htm", ".css", ".js", ".svg", ".xml", ".json", ".txt", ".webmanifest"}
CONTENT_TYPES = {
    ".html": ("text/html",),
    ".css": ("text/css",),
    ".js": ("application/javascript", "text/javascript"),
    ".jpg": ("image/jpeg",),
    ".jpeg": ("image/jpeg",),
    ".png": ("image/png",),
    ".gif": ("image/gif",),
    ".webp": ("image/webp",),
    ".svg": ("image/svg+xml",),
}


# --- finding references ---------------------------------------------------------------------


class References(HTMLParser):
    """Every URL an HTML page refers to: link and media attributes, srcset, inline CSS."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in URL_ATTRIBUTES:
                self.urls.append(value.strip())
            elif name in ("srcset", "imagesrcset"):
                self.urls.extend(candidate.split()[0] for candidate in value.split(",") if candidate.strip())
            elif name == "style":
                self.urls.extend(css_urls(value))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.urls.extend(css_urls(data))


def css_urls(css: str) -> list[str]:
    return [m.group(2).strip() for m in CSS_URL.finditer(css)] + [m.group(2) for m in CSS_IMPORT.finditer(css)]


def references(path_or_text: Path | str, suffix: str | None = None) -> list[str]:
    text = path_or_text.read_text(encoding="utf-8") if isinstance(path_or_text, Path) else path_or_text
    suffix = suffix or (path_or_text.suffix if isinstance(path_or_text, Path) else ".html")
    if suffix == ".css":
        return css_urls(text)
    parser = References()
    parser.feed(text)
    parser.close()
    return parser.urls


def declared_urls(root: Path) -> set[str]:
    """External URLs that the content itself names (links in stories, site.yaml's base_url)."""
    found: set[str] = set()
    for path in (root / "content").rglob("*"):
        if path.suffix.lower() in (".md", ".markdown", ".yaml", ".yml"):
            text = path.read_bytes().decode("utf-8", errors="replace")
            found.update(url.rstrip(".,;:!?'\"") for url in DECLARED_URL.findall(text))
    return found


def is_declared(url: str, declared: set[str]) -> bool:
    return any(url == d or (d.endswith("/") and url.startswith(d)) for d in declared)


def problems_in(site: Path, page: Path, url: str, declared: set[str]) -> str | None:
    """Why a reference found in page is not fine for a relocatable site, or None."""
    parts = urlsplit(url)
    where = page.relative_to(site).as_posix()
    if parts.scheme in ("http", "https") or url.startswith("//"):
        return None if is_declared(url, declared) else f"{where}: external URL {url!r} that no content declares"
    if parts.scheme in HARMLESS_SCHEMES:
        return None
    if parts.scheme:
        return f"{where}: unexpected URL scheme in {url!r}"
    if not parts.path:
        return None  # "#fragment" or "?query" on the same page
    if parts.path.startswith("/"):
        return f"{where}: root-relative URL {url!r} breaks under a sub-path and from file://"
    target = page.parent / unquote(parts.path)
    if parts.path.endswith("/"):
        target = target / "index.html"
    resolved = target.resolve()
    if not resolved.is_relative_to(site.resolve()):
        return f"{where}: {url!r} points outside site/"
    if not resolved.is_file():
        return f"{where}: {url!r} names a file that does not exist ({resolved.relative_to(site.resolve())})"
    return None


def crawl_disk(site: Path, declared: set[str]) -> tuple[list[str], int]:
    problems: list[str] = []
    checked = 0
    for page in sorted(site.rglob("*")):
        if page.suffix not in (".html", ".css"):
            continue
        for url in references(page):
            checked += 1
            problem = problems_in(site, page, url, declared)
            if problem:
                problems.append(problem)
    return problems, checked


def rooted_or_remote(site: Path, declared: set[str]) -> list[str]:
    """`grep -rE '(src|href)="(/|https?:)' site/`, minus the URLs content declared."""
    hits = []
    for path in sorted(site.rglob("*")):
        if path.is_file() and path.suffix.lower() in TEXT_SUFFIXES:
            text = path.read_bytes().decode("utf-8", errors="replace")
            for match in ROOTED_OR_REMOTE.finditer(text):
                if not is_declared(match.group(1), declared):
                    hits.append(f"{path.relative_to(site).as_posix()}: {match.group(0)}")
    return hits


# --- without a server -------------------------------------------------------------------------


def test_every_local_reference_resolves(sample_site: Path) -> None:
    problems, checked = crawl_disk(sample_site, declared_urls(sample_site.parent))
    assert checked > 100, f"only {checked} references found: is the crawler reading the pages?"
    assert not problems, "\n".join(problems)


def test_no_root_relative_or_remote_urls(sample_site: Path) -> None:
    hits = rooted_or_remote(sample_site, declared_urls(sample_site.parent))
    assert not hits, "\n".join(hits)


def test_every_page_is_reachable_from_the_home_page(sample_site: Path) -> None:
    seen, queue = set(), deque([sample_site / "index.html"])
    while queue:
        page = queue.popleft().resolve()
        if page in seen:
            continue
        seen.add(page)
        for url in references(page):
            parts = urlsplit(url)
            if not parts.scheme and parts.path.endswith(".html") and not parts.path.startswith("/"):
                target = (page.parent / unquote(parts.path)).resolve()
                if target.is_file():
                    queue.append(target)
    pages = {p.resolve() for p in sample_site.rglob("*.html")}
    orphans = sorted(p.relative_to(sample_site.resolve()).as_posix() for p in pages - seen)
    assert not orphans, f"pages no link leads to: {orphans}"


def test_content_declared_links_survive_and_nothing_else_is_external(make_site) -> None:
    """A story may link to the group's website; that link is kept as written and allowed."""
    root = make_site({
        "content/workers/邵志村.md": """\
            ---
            name: 邵志村
            unit: smelting-1
            ---
            事迹见[集团新闻](https://news.example.com/2021/shao.html)。
            """,
    })
    result = run_cli(root)
    assert result.returncode == 0, result.stdout + result.stderr
    site = root / "site"
    declared = declared_urls(root)
    assert declared == {"https://news.example.com/2021/shao.html"}
    assert "https://news.example.com/2021/shao.html" in (site / "workers" / "shao-zhi-cun.html").read_text("utf-8")
    problems, _ = crawl_disk(site, declared)
    assert not problems, "\n".join(problems)
    assert not rooted_or_remote(site, declared)
    # The checker itself notices what it must: the same site without the declaration fails.
    assert any("news.example.com" in hit for hit in rooted_or_remote(site, set()))


def test_checker_flags_root_relative_and_missing_targets(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "ok.html").write_text("")
    page = site / "a" / "page.html"
    page.write_text('<a href="/ok.html">x</a><img src="../missing.jpg"><a href="../ok.html#top">y</a>'
                    '<img srcset="../ok.html 1x, ../gone.png 2x"><a href="#main">z</a>'
                    '<div style="background: url(../nope.png)"></div><a href="http://cdn.example/x.js">w</a>')
    problems = [p for url in references(page) if (p := problems_in(site, page, url, set()))]
    assert len(problems) == 5, problems
    assert rooted_or_remote(site, set()) == ['a/page.html: href="/ok.html"', 'a/page.html: href="http://cdn.example/x.js"']


# --- over HTTP, with a real nginx ---------------------------------------------------------------


def fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urlopen(url, timeout=10) as response:  # a local nginx the test started
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), b""


def content_type_problem(url: str, content_type: str) -> str | None:
    suffix = Path(unquote(urlsplit(url).path)).suffix.lower() or ".html"
    expected = CONTENT_TYPES.get(suffix)
    mime = content_type.split(";")[0].strip().lower()
    if expected and mime not in expected:
        return f"{url}: Content-Type {content_type!r}, expected {' or '.join(expected)}"
    if suffix == ".html" and "charset=utf-8" not in content_type.lower().replace(" ", ""):
        return f"{url}: Content-Type {content_type!r} names no UTF-8 charset"
    return None


@pytest.mark.nginx
@pytest.mark.parametrize("sub_path", ["/exhibit/", "/"], ids=["sub-path", "root"])
def test_served_by_nginx(nginx, sample_site: Path, sub_path: str) -> None:
    base = nginx(sample_site, sub_path)
    seen, problems = crawl_over_http(base, sub_path, declared_urls(sample_site.parent))
    problems += every_file_served(sample_site, base, sub_path, seen)
    assert len(seen) > 50, f"the crawl reached only {len(seen)} URLs"
    assert not problems, "\n".join(problems)


def crawl_over_http(base: str, sub_path: str, declared: set[str]) -> tuple[dict[str, str], list[str]]:
    """Follow every link and asset from the base URL; (Content-Type by URL, problems)."""
    origin = urlsplit(base)
    problems: list[str] = []
    seen: dict[str, str] = {}
    queue = deque([base])  # the folder URL itself: nginx answers with index.html
    while queue:
        url = queue.popleft()
        if url in seen:
            continue
        status, content_type, body = fetch(url)
        seen[url] = content_type
        if status != 200:
            problems.append(f"{url}: HTTP {status}")
            continue
        if problem := content_type_problem(url, content_type):
            problems.append(problem)
        suffix = Path(unquote(urlsplit(url).path)).suffix.lower() or ".html"
        if suffix not in (".html", ".css"):
            continue
        for ref in references(body.decode("utf-8"), suffix):
            parts = urlsplit(ref)
            if parts.scheme in HARMLESS_SCHEMES or not (parts.path or parts.netloc):
                continue
            if parts.scheme or parts.netloc:
                if not is_declared(ref, declared):
                    problems.append(f"{url}: external URL {ref!r}")
                continue
            target = urljoin(url, ref).split("#")[0]
            target_parts = urlsplit(target)
            if target_parts.netloc != origin.netloc or not target_parts.path.startswith(sub_path):
                problems.append(f"{url}: {ref!r} leaves {sub_path} (-> {target})")
                continue
            queue.append(target)
    return seen, problems


def every_file_served(site: Path, base: str, sub_path: str, seen: dict[str, str]) -> list[str]:
    """Every page was reached by following links, and every file answers on its own URL with its bytes."""
    problems: list[str] = []
    reached = {unquote(urlsplit(u).path) for u in seen}
    for path in sorted(site.rglob("*")):
        if not path.is_file() or path.name.startswith("."):
            continue
        rel = path.relative_to(site).as_posix()
        if path.suffix == ".html" and f"{sub_path}{rel}" not in reached and not (
                rel == "index.html" and sub_path in reached):
            problems.append(f"{rel}: no link leads to it over HTTP")
        url = base + quote(rel)
        status, content_type, body = fetch(url)
        if status != 200:
            problems.append(f"{url}: HTTP {status}")
        elif body != path.read_bytes():
            problems.append(f"{url}: served bytes differ from {rel}")
        elif problem := content_type_problem(url, content_type):
            problems.append(problem)
    return problems


# --- the published site, served by the sample config in hosting/ ------------------------------

FINGERPRINTED = re.compile(r"\.[0-9a-f]{10}\.[A-Za-z0-9]+$")
YEAR = dt.timedelta(days=365)


def headers_of(url: str, gzip_ok: bool = False) -> tuple[int, dict[str, str], bytes]:
    """Status, headers (repeated ones joined with ', ', names lower-cased) and the body as sent."""
    request = Request(url, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
    try:
        with urlopen(request, timeout=10) as response:  # a local nginx the test started
            names = {name.lower() for name in response.headers}
            return response.status, {n: ", ".join(response.headers.get_all(n)) for n in names}, response.read()
    except HTTPError as error:
        return error.code, {}, b""


def cache_problem(rel: str, headers: dict[str, str]) -> str | None:
    """Fingerprinted assets: immutable for a year; everything else (pages, playlists, version files): no-cache."""
    cache = headers.get("cache-control", "")
    if FINGERPRINTED.search(rel):
        expires = email.utils.parsedate_to_datetime(headers.get("expires", "Thu, 01 Jan 1970 00:00:00 GMT"))
        date = email.utils.parsedate_to_datetime(headers["date"])
        if "immutable" not in cache or "max-age=31536000" not in cache or expires - date < YEAR:
            return f"{rel}: Cache-Control {cache!r}, Expires {headers.get('expires')!r}: not immutable for a year"
    elif "no-cache" not in cache:
        return f"{rel}: Cache-Control {cache!r}, expected no-cache"
    return None


@pytest.fixture
def published_behind_sample_nginx(sample_site: Path, tmp_path: Path):
    """The sample published with `build.py publish` into www/showcase, served by hosting/nginx.conf."""
    from bench.hosting_nginx import nginx_executable, serve_published

    if nginx_executable() is None:
        missing_tool("nginx", "sudo apt-get install nginx-light (Debian/Ubuntu)")
    dest = tmp_path / "www" / "showcase"
    result = run_cli(sample_site.parent, "publish", str(dest))
    assert result.returncode == 0, result.stdout + result.stderr
    (dest / "app.webmanifest").write_text('{"name": "展示"}', encoding="utf-8")  # a file of the admin's
    with serve_published(tmp_path / "www", tmp_path / "nginx") as base:
        yield dest, base


@pytest.mark.nginx
def test_sample_nginx_config_serves_the_published_site(published_behind_sample_nginx) -> None:
    dest, base = published_behind_sample_nginx
    seen, problems = crawl_over_http(base, "/showcase/", declared_urls(REPO))
    problems += every_file_served(dest, base, "/showcase/", seen)
    assert len(seen) > 50, f"the crawl reached only {len(seen)} URLs"
    files = sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file()
                   and not p.name.startswith("."))
    for rel in files:
        status, headers, _ = headers_of(base + quote(rel))
        if status == 200 and (problem := cache_problem(rel, headers)):
            problems.append(problem)
    assert not problems, "\n".join(problems[:40])
    assert any(FINGERPRINTED.search(rel) for rel in files) and any(rel.endswith("version.json") for rel in files)


@pytest.mark.nginx
def test_sample_nginx_config_compresses_text_and_names_types(published_behind_sample_nginx) -> None:
    dest, base = published_behind_sample_nginx
    text = [next(dest.glob(pattern)).relative_to(dest).as_posix() for pattern in
            ("index.html", "assets/css/site.*.css", "assets/kiosk/kiosk.*.js", "screens/*/playlist.json")]
    for rel in text:
        status, headers, body = headers_of(base + quote(rel), gzip_ok=True)
        assert status == 200 and headers.get("content-encoding") == "gzip", (rel, headers)
        assert gzip.decompress(body) == (dest / rel).read_bytes()
    expected = {"assets/fonts/*.woff2": "font/woff2", "screens/*/version.json": "application/json",
                "app.webmanifest": "application/manifest+json"}
    for pattern, mime in expected.items():
        rel = next(dest.glob(pattern)).relative_to(dest).as_posix()
        status, headers, body = headers_of(base + quote(rel))
        assert status == 200 and headers["content-type"].split(";")[0] == mime, (rel, headers)
    assert json.loads(headers_of(base + "app.webmanifest")[2]) == {"name": "展示"}
    assert headers_of(base + ".exhibit-publish.json")[0] == 404, "the publish record must not be served"
    assert headers_of(base.rstrip("/"))[0] == 200  # /showcase redirects to /showcase/


@pytest.mark.nginx
@pytest.mark.browser
def test_every_screen_plays_from_the_sample_nginx(published_behind_sample_nginx, browser) -> None:
    from kiosk_support import KIOSK, current, next_slide, open_screen, weekday_morning

    dest, base = published_behind_sample_nginx
    screens = sorted(p.parent.name for p in dest.glob("screens/*/playlist.json"))
    assert len(screens) >= 4
    for screen in screens:
        data = json.loads((dest / "screens" / screen / "playlist.json").read_text(encoding="utf-8"))
        context = browser.new_context(viewport={"width": data["screen"]["width"],  # type: ignore[attr-defined]
                                                "height": data["screen"]["height"]})
        try:
            page = context.new_page()
            failed: list[str] = []
            page.on("response", lambda r, failed=failed: failed.append(r.url) if r.status >= 400 else None)
            open_screen(page, f"{base}screens/{screen}/index.html", weekday_morning(data["built"] / 1000))
            shown = [current(page)]
            for _ in range(3):
                shown.append(next_slide(page))
            assert None not in shown and len(set(shown)) > 1, (screen, shown)
            # Every file the screen asked nginx for was there (KIOSK.errors may hold a poll that the
            # fake clock timed out before loopback answered: time jumps a whole slide at once here).
            assert not failed, failed
            assert page.evaluate(f"{KIOSK}.mode") != "boot", screen
        finally:
            context.close()
