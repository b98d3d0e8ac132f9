"""Installed versions of the libraries whose output the caches keep (Python-Markdown, nh3, OpenCC, ...).

Hand-written rather than `importlib.metadata.version`: importing importlib.metadata took 11 to 33 ms of a
0.57 s one-shot build, which needed three versions. An installed distribution leaves a
`<name>-<version>.dist-info` folder on `sys.path`; listing those folders takes a third of a millisecond.
Anything else (an egg, a zip) is asked of importlib.metadata, as before.
"""

from __future__ import annotations

import os
import re
import sys
from functools import lru_cache


def installed_version(name: str) -> str | None:
    """The version of the installed distribution `name` (as pip spells it), or None when there is none."""
    found = _dist_infos(tuple(sys.path)).get(_normal(name))
    if found is not None:
        return found
    from importlib import metadata  # not a plain dist-info folder: the standard way, slow as it is
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def _normal(name: str) -> str:
    """PEP 503's normal form, as in dist-info folder names (`PyYAML` and `pyyaml`, `python-docx` and `python_docx`)."""
    return re.sub(r"[-_.]+", "_", name).lower()


@lru_cache(maxsize=4)
def _dist_infos(path: tuple[str, ...]) -> dict[str, str]:
    """Every `<name>-<version>.dist-info` folder on the path, by normal name; the first one wins, as for imports."""
    found: dict[str, str] = {}
    for folder in path:
        try:
            names = os.listdir(folder or ".")
        except OSError:
            continue
        for entry in names:
            if entry.endswith(".dist-info"):
                package, _, version = entry[: -len(".dist-info")].rpartition("-")
                if package:
                    found.setdefault(_normal(package), version)
    return found
