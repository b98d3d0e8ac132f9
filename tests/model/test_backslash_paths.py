"""Paths written the Windows way (`photos\\邵志村.jpg`) work, with a warning that suggests `/`."""

from __future__ import annotations

from conftest import make_image

WORKER = """\
---
name: 邵志村
unit: smelting-1
photo: photos\\邵志村.jpg
---
他的班组见[熔炼突击队](..\\teams\\commando.md)。
"""
TEAM = "---\nname: 熔炼突击队\nunit: smelting-1\n---\n突击。\n"


def test_backslash_paths_resolve_with_a_warning(bare_site, cli):
    root = bare_site({"content/workers/邵志村.md": WORKER, "content/teams/commando.md": TEAM})
    make_image(root / "content/workers/photos/邵志村.jpg")
    run = cli(root, "build")
    assert run.code == 0, run.err
    warnings = [match for match in run.diagnostics if match.group(0).find("warning") >= 0]
    texts = [match.group(0) for match in warnings]
    assert any("content/workers/邵志村.md:4:1" in text and "photos\\邵志村.jpg" in text for text in texts), run.err
    assert "请改为 “photos/邵志村.jpg”" in run.err and "请改为 “../teams/commando.md”" in run.err
    assert list((root / "site/media/workers/photos").glob("*"))  # the photo was used


def test_forward_slashes_get_no_warning(bare_site, cli):
    root = bare_site({"content/workers/邵志村.md": WORKER.replace("\\", "/"), "content/teams/commando.md": TEAM})
    make_image(root / "content/workers/photos/邵志村.jpg")
    run = cli(root, "build")
    assert run.code == 0 and "反斜杠" not in run.err, run.err
