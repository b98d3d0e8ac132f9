"""Command line: argument parsing, exit codes and output formatting; nothing else."""

from __future__ import annotations

import argparse
import signal
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from exhibit import __version__
from exhibit.diagnostics import diagnostics_as_json, print_diagnostics
from exhibit.messages import DEFAULT_LANGUAGE, LANGUAGES, format_message
from exhibit.pipeline import BuildResult, Project, build

EXIT_OK = 0
EXIT_CONTENT_ERRORS = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
EXIT_INTERNAL = 70


def _parser() -> argparse.ArgumentParser:
    shared = argparse.ArgumentParser(add_help=False)
    shared.add_argument("--root", type=Path, default=Path("."),
                        help="site folder holding content/, templates/, assets/ (default: current folder)")
    shared.add_argument("--out", type=Path, default=None, help="output folder (default: ROOT/site)")
    shared.add_argument("--lang", choices=LANGUAGES, default=None,
                        help="language of messages and labels (default: site.yaml's language, else zh-CN)")
    shared.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    shared.add_argument("-v", "--verbose", action="store_true", help="also list every page written")
    parser = argparse.ArgumentParser(prog="exhibit", parents=[shared],
                                     description="Build exhibition sites and kiosk screens from content/.")
    parser.add_argument("--version", action="version", version=f"exhibit {__version__}")
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("build", parents=[shared], help="build content/ into the output folder (default)")
    check = commands.add_parser("check", parents=[shared], help="validate everything, write nothing")
    check.add_argument("--format", choices=("text", "json"), default="text", help="how to print problems")
    check.add_argument("--fix", action="store_true",
                       help="rewrite what can be fixed safely (keeps a copy in .exhibit-backup/), then check")
    serve = commands.add_parser("serve", parents=[shared], help="preview: build, serve, rebuild on every edit")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this computer)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    serve.add_argument("--open", action="store_true", help="open the preview in the web browser")
    new = commands.add_parser("new", parents=[shared], help="create a new content file, filled in")
    new.add_argument("collection", help="workers, teams, honors, history, activities or philosophy (or 劳模先进 …)")
    new.add_argument("title", help="the name or title of the new item")
    new.add_argument("--unit", default=None, help="unit id for the item (default: the first branch in site.yaml)")
    return parser


def _raise_on_sigterm(signum: int, frame: FrameType | None) -> None:
    """A service manager's stop becomes an orderly exit that discards the staging folder."""
    raise KeyboardInterrupt


def _report(result: BuildResult, args: argparse.Namespace, out: Path) -> None:
    lang = result.language
    shown = result.diagnostics.errors if args.quiet else result.diagnostics.sorted()
    if getattr(args, "format", "text") == "json":
        print(diagnostics_as_json(result.diagnostics.sorted(), lang))
        return
    print_diagnostics(shown, lang)
    if args.verbose and result.written:
        for page in result.rendered:
            print(page.path)
    counts = format_message("summary_counts", lang, {"errors": len(result.diagnostics.errors),
                                                      "warnings": len(result.diagnostics.warnings)})[0]
    if not result.ok:
        summary = format_message("summary_failed", lang, {})[0]
        print(f"{summary} ({counts})", file=sys.stderr)
    elif args.quiet:
        return
    elif result.written:
        print(format_message("summary_built", lang, {"pages": result.pages, "files": result.files,
                                                     "out": out, "seconds": result.seconds})[0] + f" ({counts})")
    else:
        print(format_message("summary_checked", lang, {"items": result.items, "pages": result.pages})[0]
              + f" ({counts})")


def _report_internal_error(error: Exception, args: argparse.Namespace) -> int:
    lang = args.lang or DEFAULT_LANGUAGE
    message, hint = format_message("internal_error", lang, {"detail": f"{type(error).__name__}: {error}"})
    print(f"exhibit: error: {message}", file=sys.stderr)
    print(f"    {format_message('hint_prefix', lang, {})[0]}{hint}", file=sys.stderr)
    if args.verbose:
        traceback.print_exception(error, file=sys.stderr)
    return EXIT_INTERNAL


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    command = args.command or "build"
    root = args.root.resolve()
    out = (args.out or root / "site").resolve()
    signal.signal(signal.SIGTERM, _raise_on_sigterm)
    if command in ("serve", "new"):
        return _run_tool(command, args, Project(root, out))
    try:
        if command == "check" and args.fix:
            from exhibit.fix import fix_site, print_fixes
            print_fixes(fix_site(root, args.lang), args.lang, root)
        result = build(Project(root, out), lang=args.lang, write=(command == "build"))
    except KeyboardInterrupt:
        message = format_message("interrupted", args.lang or DEFAULT_LANGUAGE, {})[0]
        print(message, file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as error:  # noqa: BLE001 - a bug must still end in words, not a traceback
        return _report_internal_error(error, args)
    _report(result, args, out)
    return EXIT_OK if result.ok else EXIT_CONTENT_ERRORS


def _run_tool(command: str, args: argparse.Namespace, project: Project) -> int:
    """serve and new: each in its own module, behind the same no-traceback guard."""
    try:
        if command == "serve":
            from exhibit.devserver import ServeOptions, serve
            return serve(project, ServeOptions(args.host, args.port, args.open, args.lang))
        from exhibit.scaffold import create_item
        return create_item(project, args.collection, args.title, args.unit, args.lang)
    except KeyboardInterrupt:
        return EXIT_OK if command == "serve" else EXIT_INTERRUPTED
    except Exception as error:  # noqa: BLE001 - a bug must still end in words, not a traceback
        return _report_internal_error(error, args)


if __name__ == "__main__":
    sys.exit(main())
