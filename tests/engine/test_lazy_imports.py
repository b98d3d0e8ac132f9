"""A check of a site without photos, QR codes or minification does not pay for the libraries they need."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from conftest import REPO, WORKER_MD

HEAVY = ("PIL.Image", "fontTools.ttLib", "fontTools.subset", "minify_html", "rcssmin", "rjsmin", "segno", "rich")

_SCRIPT = textwrap.dedent(
    """
    import sys
    from exhibit.cli import main
    code = main(["check", "--root", sys.argv[1]])
    heavy = sys.argv[2].split(",")
    print(code, ",".join(name for name in heavy if name in sys.modules))
    """
)


def test_check_imports_no_heavy_library_it_does_not_need(make_site):
    root = make_site({"content/workers/shao.md": WORKER_MD})
    finished = subprocess.run([sys.executable, "-c", _SCRIPT, str(root), ",".join(HEAVY)], cwd=REPO,
                              capture_output=True, text=True, timeout=120)
    code, _, imported = finished.stdout.strip().splitlines()[-1].partition(" ")
    assert code == "0", finished.stderr
    assert imported == "", f"imported without need: {imported}"
