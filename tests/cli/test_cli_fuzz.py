"""Fuzzing the CLI with Hypothesis: generated front matter and Markdown never break a build.

For any input: no traceback, never exit 70, site/ untouched when the build fails,
and nothing executable in what it publishes (no <script> from content, no on*=
attributes, no javascript: URLs, in pages or attachments).

Profiles: `ci` (CI=true) runs 250 examples per test (500 in all); the default, 40.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import json
import re
import signal
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from conftest import BARE_THEME, IN_CI, SITE_YAML, tree_bytes, write_files
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exhibit.cli import main

settings.register_profile("ci", max_examples=250, deadline=None, database=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("dev", max_examples=40, deadline=None, database=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
PROFILE = "ci" if IN_CI else "dev"  # database=None: nothing written in the repository, shared by xdist workers

STORY = "content/workers/x.md"
HOSTILE_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script>'
               '<a href="javascript:alert(1)"><circle r="4"/></a></svg>')
ATTACHMENTS = {"content/workers/a.svg": HOSTILE_SVG, "content/workers/b.html": "<script>alert(1)</script>",
               "content/workers/c.pdf": b"%PDF-1.4\n", "content/workers/d e&f#1.pdf": b"%PDF-1.4\n"}
THEME = {**BARE_THEME, "templates/workers/item.html":
         '<title>{{ item.heading }}</title><p title="{{ item.title }}">{{ item.quote }}</p>{{ item.body }}\n'}

# --- what is published must never be able to run --------------------------------------------
class _ActiveMarkup(HTMLParser):
    """Script elements, event handler attributes and javascript: URLs in real tags (not in escaped text)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.found.append("<script")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{name}=")
            if value and re.sub(r"[\x00-\x20]", "", value).lower().startswith("javascript:"):
                self.found.append(f"{name}=javascript:")


def _active_in(markup: str) -> list[str]:
    parser = _ActiveMarkup()
    parser.feed(markup)
    parser.close()
    return parser.found


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def executable_parts(site: Path) -> list[str]:
    """What in the built site could run: pages, drawings, and the HTML inside screen data (JSON)."""
    found = []
    for rel, data in tree_bytes(site).items():
        suffix = Path(rel).suffix
        if suffix in (".html", ".svg", ".xml"):
            texts = [data.decode("utf-8", "replace")]
        elif suffix == ".json":
            texts = _strings(json.loads(data))
        else:
            continue
        found += [f"{rel}: {what}" for text in texts for what in _active_in(text)]
    return found


# --- strategies -----------------------------------------------------------------------------
_WEIRD_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), _WEIRD_TEXT,
                     st.dates(), st.sampled_from(["acid", "smelting-1", "邵志村", "2024-13-45", "~", "null"]))
_VALUES = st.recursive(_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(_WEIRD_TEXT, inner, max_size=4)), max_leaves=12)
_YAML_BITS = st.sampled_from([
    ": ", "：", "- ", "  ", "\t", "&a ", "*a", "<<: *a", "[", "]", "{", "}", '"', "'", "!!python/object:os.system ",
    "|", ">", "#", "---", "...", "\\", "\\e]0;x\\a", "\x1b[31m", "\u202e", "\x00", "\ufeff", "%YAML 1.1",
    "name", "unit", "title", "photo", "honors", "a.svg", "b.html", "../../../etc/passwd", "\n", "\r\n", "\r"])


@st.composite
def front_matter(draw: st.DrawFn) -> str:
    """YAML as dumped from random data, as typed by hand from odd pieces, or with aliases; fields mixed in."""
    kind = draw(st.sampled_from(["dumped", "pieces", "aliases"]))
    if kind == "dumped":
        data = draw(st.dictionaries(st.sampled_from(["name", "unit", "title", "quote", "honors", "since", "photo",
                                                     "order"]) | _WEIRD_TEXT, _VALUES, max_size=6))
        return yaml.safe_dump(data, allow_unicode=draw(st.booleans()), default_flow_style=draw(st.booleans()))
    if kind == "pieces":
        return "".join(draw(st.lists(_YAML_BITS | _WEIRD_TEXT, max_size=40)))
    width, depth = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    lines = ["a0: &a0 [x, y]"] + [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * width)}]" for n in range(1, depth)]
    return "name: 张三\nunit: acid\n" + "\n".join(lines) + "\n"


_INLINE = st.sampled_from([
    "text", "**bold**", "_em_", "`code`", "[a](a.svg)", "[b](b.html)", "[c](c.pdf)", "[d](<d e&f#1.pdf>)",
    "[j](javascript:alert(1))", "[m](missing.md)", "![i](a.svg)", "<https://example.com>", "[^1]", "中文",
    "<span onclick=alert(1)>x</span>", "<a href=\"javascript:alert(1)\">x</a>", "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>", "<script>alert(1)</script>", "<iframe src=javascript:alert(1)>", "<style>*{}</style>",
    "<div id=\"k-stage\" class=\"k-standby k-is-on\">x</div>", "<form name=fonts>", "{: #k-root .k-slide }",
    "<a href=\"b.html\">b</a>", "<img src=\"a.svg\">", "&lt;", "\\", "<!-- c -->", "<object data=b.html>",
])
_BLOCK = st.one_of(
    st.lists(_INLINE | _WEIRD_TEXT, min_size=1, max_size=6).map(" ".join),
    st.tuples(st.integers(1, 6), _INLINE).map(lambda t: "#" * t[0] + " " + t[1]),
    st.lists(_INLINE, min_size=1, max_size=4).map(lambda items: "\n".join(f"- {i}" for i in items)),
    st.integers(1, 6).map(lambda depth: "\n".join("    " * n + f"- level {n}" for n in range(depth))),
    _INLINE.map(lambda text: f"> {text}\n> > {text}"),
    _INLINE.map(lambda text: f"```\n{text}\n```"),
    _INLINE.map(lambda text: f"| a | b |\n|---|---|\n| {text} | x |"),
    st.just("[^1]: a footnote"),
)
_MARKDOWN = st.lists(_BLOCK, max_size=8).map("\n\n".join)


def _as_file(text: str, bom: bool, newline: str) -> bytes:
    data = text.replace("\n", newline).encode("utf-8", "surrogatepass")
    return (codecs.BOM_UTF8 if bom else b"") + data


# --- the runs -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def fuzz_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One site, built once; each example rewrites one story and builds again."""
    root = tmp_path_factory.mktemp("fuzz") / "site-root"
    write_files(root, {"content/site.yaml": SITE_YAML, STORY: "---\nname: 张三\nunit: acid\n---\n正文\n",
                       **THEME, **ATTACHMENTS})
    assert _run(root)[0] == 0
    return root


def _run(root: Path) -> tuple[int, str]:
    """`exhibit build` in-process: (exit code, everything printed)."""
    previous = signal.getsignal(signal.SIGTERM)
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            try:
                code = main(["build", "--lang", "en", "--root", str(root)])
            except SystemExit as exit_:
                code = exit_.code if isinstance(exit_.code, int) else 1
    finally:
        signal.signal(signal.SIGTERM, previous)
    return code, out.getvalue()


def _check_one(root: Path, data: bytes) -> None:
    before = tree_bytes(root / "site")
    (root / STORY).write_bytes(data)
    code, printed = _run(root)
    assert "Traceback" not in printed, printed
    assert code in (0, 1), printed
    if code == 0:
        assert executable_parts(root / "site") == []
        for rel in ("media/workers/b.html",):
            assert not (root / "site" / rel).exists()
    else:
        assert tree_bytes(root / "site") == before, "a failed build changed site/"


@settings(settings.get_profile(PROFILE))
@given(front=front_matter(), body=_MARKDOWN, bom=st.booleans(), newline=st.sampled_from(["\n", "\r\n"]))
def test_generated_front_matter_never_breaks_the_cli(fuzz_site: Path, front: str, body: str, bom: bool,
                                                     newline: str) -> None:
    _check_one(fuzz_site, _as_file(f"---\n{front}\n---\n{body}\n", bom, newline))


@settings(settings.get_profile(PROFILE))
@given(title=_WEIRD_TEXT, body=_MARKDOWN, bom=st.booleans(), newline=st.sampled_from(["\n", "\r\n", "\r"]))
def test_generated_markdown_never_breaks_the_cli_or_publishes_anything_executable(
        fuzz_site: Path, title: str, body: str, bom: bool, newline: str) -> None:
    front = yaml.safe_dump({"name": "张三", "unit": "acid", "title": title}, allow_unicode=True)
    _check_one(fuzz_site, _as_file(f"---\n{front}---\n{body}\n", bom, newline))
