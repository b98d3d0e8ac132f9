"""Terminal safety: control and escape characters written in content reach the terminal escaped."""

from __future__ import annotations

import json

from conftest import SITE_YAML

# An OSC title change, a CSI colour, a bell, a C1 CSI, a bidi override and a line that forges a diagnostic.
HOSTILE = '"\\e]0;owned\\a\\e[31mred\\x9b2J\\u202eevil\\nfake.md:1:1: error: forged"'


def _site(bare_site) -> object:
    return bare_site({
        "content/site.yaml": SITE_YAML,
        "content/workers/x.md": f"---\nname: 张三\nunit: {HOSTILE}\n---\n",
    })


def test_escape_sequences_from_yaml_are_shown_escaped(bare_site, cli) -> None:
    run = cli(_site(bare_site), "check", "--lang", "en")
    assert run.code == 1
    printed = run.out + run.err
    assert "unit" in printed and "owned" in printed  # the problem is reported, naming the value
    for raw in ("\x1b", "\x07", "\x9b", "\u202e"):
        assert raw not in printed
    assert "\\x1b]0;owned\\x07" in printed and "\\u202eevil" in printed
    assert not any(line.startswith("fake.md") for line in printed.splitlines())


def test_json_diagnostics_carry_the_same_escaped_text(bare_site, cli) -> None:
    run = cli(_site(bare_site), "check", "--format", "json", "--lang", "en")
    rows = json.loads(run.out)
    text = " ".join(f"{row['message']} {row['hint']}" for row in rows)
    assert "\\x1b]0;owned" in text and "\x1b" not in text and "\u202e" not in text
