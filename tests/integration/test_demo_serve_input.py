"""`frontdesk demo --serve` and its hidden app option refuse bad input in one line, before
building anything (the browser run itself is tests/e2e/test_demo_browser.py)."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest


def _demo(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "frontdesk", "demo", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("port", ["0", "70000"])
def test_a_port_out_of_range(port: str) -> None:
    done = _demo("--serve", "--port", port)
    assert done.returncode == 1
    assert done.stderr == f"frontdesk: error: --port must be between 1 and 65535, not {port}\n"
    assert done.stdout == ""


def test_a_port_in_use() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = _demo("--serve", "--port", str(port))
    assert done.returncode == 1
    assert done.stderr.startswith(f"frontdesk: error: --port: cannot listen on 127.0.0.1:{port} (")
    assert "Traceback" not in done.stderr and done.stdout == ""


def test_an_app_outside_a_served_demo() -> None:
    done = _demo("--in-browser", "kiosk")
    assert done.returncode == 1
    assert done.stderr.startswith("frontdesk: error: --in-browser is for `frontdesk demo --serve`")
    done = _demo("--in-browser", "nope")
    assert done.stderr.startswith("frontdesk: error: --in-browser: no demo app 'nope'")
