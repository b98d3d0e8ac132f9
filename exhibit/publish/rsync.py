"""Publish to `user@host:path` through the system rsync, keeping the reader-safe order.

The plan is carried out on a local mirror first (under the project's .exhibit-cache/), which
holds the manifest; rsync then sends the mirror in the same phases a local publish uses:
fingerprinted assets, pages, version files with the manifest, then the removals
(`--delete-missing-args` on the exact files the manifest dropped, so nothing foreign goes).
rsync itself writes each file to a temporary name and renames it, as the local copy does.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

from exhibit.publish.manifest import MANIFEST_NAME
from exhibit.publish.plan import PublishPlan, phase


class RsyncFailed(RuntimeError):
    """rsync exited non-zero; its own words are the detail."""


def rsync_executable() -> str | None:
    return shutil.which("rsync")


def mirror_for(cache: Path, target: str) -> Path:
    """One mirror folder per target, so two servers never share a manifest."""
    return cache / "publish" / hashlib.sha256(target.encode("utf-8")).hexdigest()[:16]


def remote_is_foreign(target: str) -> bool:
    """True when the target folder holds files but no manifest: someone else's folder."""
    listing = _run(["--list-only", _folder(target)], allow_missing=True)
    names = [line.split(None, 4)[-1] for line in listing.splitlines() if line.strip()]
    names = [name for name in names if name not in (".", "./")]
    return bool(names) and MANIFEST_NAME not in names


def push(mirror: Path, target: str, plan: PublishPlan) -> None:
    """Send the mirror's changes in reader-safe phases, then delete what the manifest dropped."""
    for wanted in (0, 1, 2):
        files = [change.rel for change in plan.writes if phase(change.rel) == wanted]
        if wanted == 2:
            files.append(MANIFEST_NAME)
        if files:
            # --ignore-times: the plan already chose these files as changed, and rsync's own quick check
            # (size and mtime, to the second) would skip a page rebuilt within a second at the same size.
            _run(["-a", "--ignore-times", "--files-from=-", f"{mirror}/", _folder(target)], stdin="\n".join(files))
    if plan.removals:
        _run(["-a", "--delete-missing-args", "--files-from=-", f"{mirror}/", _folder(target)],
             stdin="\n".join(plan.removals))


def _folder(target: str) -> str:
    return target if target.endswith("/") else f"{target}/"


def _run(arguments: list[str], stdin: str = "", allow_missing: bool = False) -> str:
    executable = rsync_executable() or "rsync"
    completed = subprocess.run([executable, *arguments], input=stdin, capture_output=True, text=True, check=False)
    if completed.returncode == 23 and allow_missing:  # the folder does not exist yet: nothing foreign in it
        return ""
    if completed.returncode != 0:
        raise RsyncFailed(f"rsync {completed.returncode}: {completed.stderr.strip()}")
    return completed.stdout
