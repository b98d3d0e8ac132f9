"""Shared fixtures: small sample sites in tmp_path, real images, real Chromium and nginx."""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

from exhibit.assets.cache import CACHE_DIR_NAME

# pytest imports this file as `tests.conftest` (--import-mode=importlib); test modules and kiosk_support
# import it as `conftest` (tests/ is on pythonpath). One module under both names, so helpers and fixtures
# share their state.
sys.modules.setdefault("conftest", sys.modules[__name__])

REPO = Path(__file__).resolve().parents[1]
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

SITE_YAML = """\
title: 测试站点
language: zh-CN
units:
  - id: plant
    name: 冶炼厂党委
    kind: committee
  - id: smelting
    name: 熔炼党总支
    parent: plant
    kind: general-branch
  - id: smelting-1
    name: 熔炼党总支第一党支部
    parent: smelting
    kind: branch
    tier: demonstration
  - id: acid
    name: 硫酸党支部
    parent: plant
    kind: branch
    tier: benchmark
    secretary: 朱卫国
"""

WORKER_MD = """\
---
name: 邵志村
unit: smelting-1
title: 党员突击队员
honors: [优秀共产党员]
quote: 哪里最难，党员就先站到哪里。
since: 2008
---
外堰出口烧穿后，他第一个冲到现场。
"""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Long tests first: tests marked `slow`, then the browser and nginx tests, then the rest, each
    group in its usual order. Under xdist the many short tests then fill the end of the run, and no
    worker is left alone with a long test while the other has finished."""
    def weight(item: pytest.Item) -> int:
        if item.get_closest_marker("slow"):
            return 0
        return 1 if item.get_closest_marker("browser") or item.get_closest_marker("nginx") else 2

    items.sort(key=weight)


def missing_tool(what: str, how: str) -> None:
    """Skip where a user's machine lacks a tool; under CI=true a missing tool is a failure."""
    message = f"{what} is not installed: {how}"
    if IN_CI:
        pytest.fail(f"{message} (CI must install it: see scripts/test.sh)")
    pytest.skip(message)


def paginated_content(workers: int = 30, page_size: int = 5) -> dict[str, str]:
    """A site whose listings span pages: `workers` workers (in acid and smelting-1) and eleven honors."""
    files = {"content/site.yaml": SITE_YAML + f"page_size: {page_size}\n"}
    for n in range(workers):
        unit = "acid" if n % 3 else "smelting-1"
        files[f"content/workers/w{n:02d}.md"] = f"---\nname: 工人{n:02d}\nunit: {unit}\norder: {n}\n---\n"
    levels = ["国家级", "厂级", "公司级", "厂级", "省级", "集团级", "厂级", "公司级", "国家级", "", "厂级"]
    files["content/honors.yaml"] = "".join(
        f"- title: 荣誉{n:02d}\n  date: 20{10 + n}\n  recipient: acid\n" + (f"  level: {level}\n" if level else "")
        for n, level in enumerate(levels))
    return files


def write_files(root: Path, files: dict[str, str | bytes]) -> None:
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(textwrap.dedent(data), encoding="utf-8")


def make_image(path: Path, size: tuple[int, int] = (64, 48), color: str = "#b71c1c",
               fmt: str = "JPEG", **save_args: object) -> Path:
    """A real image file made by Pillow."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = "RGB" if fmt.upper() in ("JPEG", "JPG") else "RGBA"
    Image.new(mode, size, color).save(path, fmt, **save_args)
    return path


SiteFactory = Callable[..., Path]


@pytest.fixture
def make_site(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> SiteFactory:
    """make_site({'content/workers/a.md': '...'}) -> a site root with the repo's theme copied in.

    `site.yaml` defaults to SITE_YAML unless the files name one; `theme=False` leaves out
    templates/ and assets/.

    The root's font cache (.exhibit-cache/fonts) is one folder shared by every test and worker of the
    run: cutting the CJK font is the slowest step of a themed build, and most sites show the same
    characters. Entries are keyed by font bytes and characters and appear by rename, so sharing them
    changes no output (the build's own rules for two builds at once). Tests of the font cache, or of
    cutting the font, are marked `own_font_cache` and start with an empty one.
    """
    fonts = None if request.node.get_closest_marker("own_font_cache") else shared_font_cache(tmp_path_factory)

    def factory(files: dict[str, str | bytes] | None = None, theme: bool = True, name: str = "site-root") -> Path:
        root = tmp_path / name
        root.mkdir(parents=True, exist_ok=True)
        files = dict(files or {})
        files.setdefault("content/site.yaml", SITE_YAML)
        write_files(root, files)
        if theme:
            shutil.copytree(REPO / "templates", root / "templates", dirs_exist_ok=True)
            shutil.copytree(REPO / "assets", root / "assets", dirs_exist_ok=True)
        link = root / CACHE_DIR_NAME / "fonts"
        if fonts is not None and not (link.exists() or link.is_symlink()):
            link.parent.mkdir(exist_ok=True)
            link.symlink_to(fonts, target_is_directory=True)
        return root

    return factory


_COLLECTION_NAMES = ("workers", "teams", "honors", "history", "activities", "philosophy")
BARE_THEME = {f"templates/{name}": "{{ page.path }}\n" for name in (
    "home.html", "units/index.html", "units/item.html",
    *(f"{collection}/{kind}.html" for collection in _COLLECTION_NAMES for kind in ("index", "item")))}


@pytest.fixture
def bare_site(make_site: SiteFactory) -> SiteFactory:
    """Like make_site, but with one-line templates instead of the theme: for content checks, and much faster."""

    def factory(files: dict[str, str | bytes] | None = None, name: str = "site-root") -> Path:
        return make_site({**BARE_THEME, **(files or {})}, theme=False, name=name)

    return factory


def run_cli(root: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run `python build.py ARGS --root ROOT` as a user would, capturing its output."""
    command = [sys.executable, str(REPO / "build.py"), *args, "--root", str(root)]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=root,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"})


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under a folder with its bytes, for byte-for-byte comparisons."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop_process(process: subprocess.Popen, timeout: float = 10) -> None:
    """Ctrl+C, as a person stops `serve`; killed if it has not exited within `timeout` seconds."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def poll_until(check: Callable[[], object], timeout: float, what: str | Callable[[], str],
               interval: float = 0.05) -> None:
    """Ask `check` until it answers truly; after `timeout` seconds fail with `what` (or what it returns then)."""
    deadline = time.monotonic() + timeout
    while True:
        if check():
            return
        if time.monotonic() >= deadline:
            raise AssertionError(what() if callable(what) else what)
        time.sleep(interval)


def wait_for_port(port: int, timeout: float = 10.0) -> None:
    poll_until(lambda: _listens(port), timeout, f"nothing listens on port {port}")


def _listens(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
        return True
    return False


# --- built once per test run, shared by every xdist worker -----------------------------------


def shared_tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder all xdist workers of this run see: the run's base temp folder (each worker's is inside it)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def made_once(tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]) -> Path:
    """shared_tmp/NAME, filled by make(folder) in the first worker that asks; the others wait for it.

    For expensive inputs that tests only read. A make() that fails leaves nothing behind, so the
    next worker tries again and fails the same way.
    """
    folder = shared_tmp(tmp_path_factory) / name
    with (folder.parent / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / ".made").is_file():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            try:
                make(folder)
            except BaseException:
                shutil.rmtree(folder, ignore_errors=True)
                raise
            (folder / ".made").touch()
    return folder


def shared_font_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The font cache folder make_site links into each site root (see there)."""
    folder = shared_tmp(tmp_path_factory) / "font-cache"
    folder.mkdir(exist_ok=True)
    return folder


def _build_sample(root: Path) -> None:
    for part in ("content", "templates", "assets"):
        shutil.copytree(REPO / part, root / part)
    result = run_cli(root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (root / "site/index.html").is_file()


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample (the repo's content/, templates/, assets/) built by the CLI once per run; its site/.

    Shared by every test and worker: read it, never change it (copy it first: copy_sample).
    """
    return made_once(tmp_path_factory, "sample", _build_sample) / "site"


def copy_sample(sample_site: Path, root: Path) -> Path:
    """A private copy of the built sample's root (sources, site/ and asset cache) to change and rebuild."""
    shutil.copytree(sample_site.parent, root, symlinks=True, ignore=shutil.ignore_patterns(".made"))
    return root


# --- Chromium through Playwright ------------------------------------------------------

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_executable() -> str | None:
    for candidate in (os.environ.get("EXHIBIT_CHROMIUM"), shutil.which("chromium"),
                      shutil.which("chromium-browser"), "/usr/bin/chromium"):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """A real Chromium (Debian's package), headless, driven by Playwright."""
    executable = chromium_executable()
    if executable is None:
        missing_tool("Chromium", "sudo apt-get install chromium (Debian/Ubuntu), or set EXHIBIT_CHROMIUM")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing_tool("Playwright for Python", "pip install -e '.[test]'")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    yield context.new_page()
    context.close()


# --- nginx ---------------------------------------------------------------------------------

NGINX_CONF = """\
daemon off;
master_process on;
worker_processes 1;
{user}
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 64; }}
http {{
    include {mime_types};
    default_type application/octet-stream;
    access_log {prefix}/access.log;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    server {{
        listen 127.0.0.1:{port};
        location {sub_path} {{
            alias {site}/;
            index index.html;
            charset utf-8;
        }}
    }}
}}
"""


def nginx_executable() -> str | None:
    for candidate in (shutil.which("nginx"), "/usr/sbin/nginx"):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def _start_nginx(executable: str, prefix: Path, site: Path, sub_path: str) -> tuple[subprocess.Popen[bytes], int]:
    """nginx on a free port. A port picked free can be taken (by another xdist worker, another test run)
    before nginx binds it: nginx then exits, and the next free port is tried."""
    mime_types = next((p for p in ("/etc/nginx/mime.types", "/usr/local/nginx/conf/mime.types")
                       if Path(p).is_file()), None)
    for _ in range(5):
        port = free_port()
        conf = NGINX_CONF.format(
            user="user root;" if os.geteuid() == 0 else "",
            prefix=prefix, port=port, sub_path=sub_path, site=site.resolve(),
            mime_types=mime_types or "/dev/null",
        )
        (prefix / "nginx.conf").write_text(conf)
        (prefix / "nginx.pid").unlink(missing_ok=True)
        process = subprocess.Popen([executable, "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        # nginx writes its pid file only once its sockets are bound: then the port is ours.
        deadline = time.monotonic() + 10
        while process.poll() is None and not (prefix / "nginx.pid").is_file() and time.monotonic() < deadline:
            time.sleep(0.01)
        if process.poll() is None and (prefix / "nginx.pid").is_file():
            wait_for_port(port)
            return process, port
        if process.poll() is None:
            process.kill()
        error = process.communicate()[1].decode(errors="replace")
        if "Address already in use" not in error:
            raise RuntimeError(f"nginx did not start: {error}")
    raise RuntimeError("nginx found no free port in five tries")


@pytest.fixture
def nginx(tmp_path: Path) -> Callable[[Path, str], str]:
    """serve(site_dir, '/exhibit/') -> base URL of a real nginx serving site_dir under that sub-path."""
    executable = nginx_executable()
    if executable is None:
        missing_tool("nginx", "sudo apt-get install nginx-light (Debian/Ubuntu)")
    processes: list[subprocess.Popen[bytes]] = []

    def serve(site: Path, sub_path: str = "/") -> str:
        prefix = tmp_path / f"nginx-{len(processes)}"
        prefix.mkdir()
        process, port = _start_nginx(executable, prefix, site, sub_path)
        processes.append(process)
        return f"http://127.0.0.1:{port}{sub_path}"

    yield serve
    for process in processes:
        process.terminate()
        process.wait(timeout=10)


# --- in-process runs: much faster than a subprocess, same code path -----------------------

DIAGNOSTIC_LINE = re.compile(
    r"^(?P<path>[^\s:][^:]*?)(?::(?P<line>\d+):(?P<col>\d+))?: (?P<severity>error|warning): (?P<message>.+)$")


@dataclass
class CliRun:
    """What `exhibit.cli.main` returned and printed."""

    code: int
    out: str
    err: str

    @property
    def diagnostics(self) -> list[re.Match[str]]:
        """The `path:line:col: error: message` lines, in the order printed."""
        return [m for m in map(DIAGNOSTIC_LINE.match, self.err.splitlines()) if m]

    def hint_after(self, match: re.Match[str]) -> str | None:
        """The indented hint line printed right after a diagnostic line, if any."""
        lines = self.err.splitlines()
        index = lines.index(match.group(0))
        following = lines[index + 1] if index + 1 < len(lines) else ""
        return following.strip() if following.startswith("    ") else None


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., CliRun]:
    """cli(root, 'check', '--lang', 'en') runs `exhibit ARGS --root ROOT` in-process (root None: ARGS only).

    main() installs a SIGTERM handler; it is restored afterwards. No run may print a traceback.
    """
    from exhibit import cli as cli_module
    from exhibit import diagnostics as diagnostics_module

    def print_to_current_stderr(items: object, lang: str, stream: object = None) -> None:
        # print_diagnostics binds sys.stderr when it is imported; capture the stderr of now.
        diagnostics_module.print_diagnostics(items, lang, stream if stream is not None else sys.stderr)

    monkeypatch.setattr(cli_module, "print_diagnostics", print_to_current_stderr, raising=False)

    def run(root: Path | None, *args: str) -> CliRun:
        previous = signal.getsignal(signal.SIGTERM)
        capsys.readouterr()
        try:
            try:
                code = cli_module.main([*args, "--root", str(root)] if root is not None else list(args))
            except SystemExit as exit_:  # argparse: usage errors, --help, --version
                code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
        finally:
            signal.signal(signal.SIGTERM, previous)
        captured = capsys.readouterr()
        assert "Traceback" not in captured.out + captured.err
        return CliRun(code, captured.out, captured.err)

    return run


def check_site(root: Path, lang: str | None = None, write: bool = False) -> object:
    """exhibit.engine.build on a site root: the BuildResult, with its diagnostics."""
    from exhibit.engine import build
    from exhibit.project import Project

    return build(Project(root, root / "site"), lang=lang, write=write)


def load_model(root: Path, lang: str | None = None) -> tuple[object, list[object]]:
    """(SiteModel, diagnostics) of a site root, without planning or rendering."""
    loaded, problems = load_whole_site(root, lang)
    return (loaded.model if loaded else None), problems


def load_whole_site(root: Path, lang: str | None = None) -> tuple[object, list[object]]:
    """(LoadedSite: config, model and screens, diagnostics) of a site root, without planning or rendering."""
    from exhibit.diagnostics import Diagnostics
    from exhibit.engine.stages import load_site
    from exhibit.project import Project

    diagnostics = Diagnostics()
    return load_site(Project(root, root / "site"), diagnostics, lang), diagnostics.items


def found(diagnostics: Iterable[object], code: str) -> list[object]:
    """The diagnostics of one code."""
    return [d for d in diagnostics if d.code == code]  # type: ignore[attr-defined]
