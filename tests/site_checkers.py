"""The outside checkers the site must pass: the Nu HTML Checker (vnu-jar, Java) and axe-core (in Chromium).

Both come from npm, pinned in tools/package.json; scripts/test.sh installs them (and Java) when missing.
Missing here: the test skips with the command to run, and fails under CI=true.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from conftest import REPO, missing_tool

TOOLS = REPO / "tools" / "node_modules"
VNU_JAR = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = TOOLS / "axe-core" / "axe.min.js"
INSTALL = "bash scripts/test.sh installs them, or: (cd tools && npm ci --ignore-scripts)"


def vnu_errors(folder: Path) -> list[str]:
    """Every error the Nu HTML Checker finds in the HTML files under folder, as 'file:line: message'."""
    java = shutil.which("java")
    if java is None:
        missing_tool("Java", "sudo apt-get install default-jre-headless")
    if not VNU_JAR.is_file():
        missing_tool("the Nu HTML Checker (npm vnu-jar)", INSTALL)
    completed = subprocess.run([java, "-jar", str(VNU_JAR), "--format", "json", "--errors-only", "--skip-non-html",
                                str(folder)], capture_output=True, text=True, timeout=600)
    messages = json.loads(completed.stderr or '{"messages": []}')["messages"]
    return [f"{m.get('url', '').rsplit(str(folder), 1)[-1]}:{m.get('lastLine', '?')}: {m['message']}"
            for m in messages if m["type"] in ("error", "non-document-error")]


def axe_script() -> Path:
    if not AXE_JS.is_file():
        missing_tool("axe-core (npm)", INSTALL)
    return AXE_JS


def axe_serious(page: object, context: str = "document", rules: list[str] | None = None) -> list[str]:
    """Run axe in the page; 'rule (impact): target' for each serious or critical violation."""
    page.add_script_tag(path=str(axe_script()))  # type: ignore[attr-defined]
    options = {"resultTypes": ["violations"], **({"runOnly": rules} if rules else {})}
    result = page.evaluate(f"options => axe.run({context}, options)", options)  # type: ignore[attr-defined]
    return [f"{v['id']} ({v['impact']}): {node['target']} {node.get('failureSummary', '')[:200]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical") for node in v["nodes"]]
