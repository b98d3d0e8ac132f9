"""`serve`'s options as a user types them: a port out of range, an address others can reach, IPv6."""

from __future__ import annotations

import signal
import subprocess
import sys
import urllib.request

import pytest
from conftest import REPO, WORKER_MD, run_cli


@pytest.mark.parametrize("port", ["99999", "65536", "-1"])
def test_port_out_of_range_exits_2_with_a_message(make_site, port):
    root = make_site({"content/workers/邵志村.md": WORKER_MD})
    result = run_cli(root, "serve", "--port", port, "--lang", "en", timeout=60)
    assert result.returncode == 2
    assert f"port {port} cannot be used: a port number is from 0 to 65535" in result.stderr
    assert "Traceback" not in result.stderr


def test_port_out_of_range_in_chinese(make_site):
    root = make_site({"content/workers/邵志村.md": WORKER_MD})
    result = run_cli(root, "serve", "--port", "99999", timeout=60)
    assert result.returncode == 2
    assert "端口 99999 不可用" in result.stderr


def _serve_until_listening(root, host: str) -> tuple[str, str]:
    """Start the preview on port 0, return the URL line it printed and its stderr after a Ctrl+C."""
    process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--root", str(root), "--host", host,
                                "--port", "0", "--lang", "en"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, encoding="utf-8")
    try:
        line = ""
        for line in process.stdout:  # type: ignore[union-attr]
            if line.startswith("Preview at"):
                break
        url = line.split()[2] if line.startswith("Preview at") else ""
        body = urllib.request.urlopen(url + "workers/shao-zhi-cun.html", timeout=30).read().decode() if url else ""
    finally:
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
    assert "Traceback" not in stderr
    return body, stderr


def test_binding_every_address_prints_a_warning(make_site):
    root = make_site({"content/workers/邵志村.md": WORKER_MD})
    body, stderr = _serve_until_listening(root, "0.0.0.0")
    assert "邵志村" in body
    assert "the preview listens on 0.0.0.0, so other computers on the network can open it" in stderr


def test_loopback_prints_no_warning_and_ipv6_loopback_works(make_site):
    root = make_site({"content/workers/邵志村.md": WORKER_MD})
    body, stderr = _serve_until_listening(root, "::1")
    assert "邵志村" in body
    assert "other computers" not in stderr
