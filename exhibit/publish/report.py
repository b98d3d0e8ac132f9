"""What publish prints: refusals and failures on stderr, the change list and the summary on stdout."""

from __future__ import annotations

import sys

from exhibit.i18n import format_message
from exhibit.publish.plan import PublishPlan

SHOWN_CHANGES = 200  # a dry run of a first publish lists every file; past this, a count says the rest


def error(code: str, lang: str, **args: object) -> None:
    message, hint = format_message(code, lang, args)
    print(f"exhibit: error: {message}", file=sys.stderr)
    if hint:
        print(f"    {format_message('hint_prefix', lang, {})[0]}{hint}", file=sys.stderr)


def _counts(plan: PublishPlan, dest: str) -> dict[str, object]:
    return {"dest": dest, "added": sum(1 for c in plan.writes if c.new),
            "changed": sum(1 for c in plan.writes if not c.new), "removed": len(plan.removals),
            "unchanged": plan.unchanged, "kept": len(plan.manifest.retired)}


def dry_run(plan: PublishPlan, dest: str, lang: str) -> None:
    """`+` a new file, `~` a replaced one, `-` a removed one: what a real publish would do, in its order."""
    lines = [f"{'+' if c.new else '~'} {c.rel}" for c in plan.writes] + [f"- {rel}" for rel in plan.removals]
    for line in lines[:SHOWN_CHANGES]:
        print(line)
    if len(lines) > SHOWN_CHANGES:
        print(format_message("publish_more_changes", lang, {"count": len(lines) - SHOWN_CHANGES})[0])
    print(format_message("publish_dry_run_summary", lang, _counts(plan, dest))[0])


def published(plan: PublishPlan, dest: str, lang: str) -> None:
    if plan.changes_anything:
        print(format_message("publish_summary", lang, _counts(plan, dest))[0])
    else:
        print(format_message("publish_nothing_changed", lang, _counts(plan, dest))[0])


def seconds_taken(lang: str, seconds: float) -> None:
    print(format_message("publish_seconds", lang, {"seconds": seconds})[0])
