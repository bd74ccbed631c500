"""What the end-to-end tests share: whether the browser tools are here (skipped when
not, except in CI, where that fails), and the local ports their servers listen on."""

from __future__ import annotations

import os
import shutil
import socket
import time
from pathlib import Path

import pytest

# The browser scripts and their node_modules live beside the end-to-end tests.
E2E = Path(__file__).resolve().parents[1] / "e2e"


def skip_or_fail(test: str, problem: str) -> None:
    """Skip on a developer's machine; in CI (CI=true) a missing tool is a failure."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{test} cannot run in CI: {problem}", pytrace=False)
    pytest.skip(problem)


def browser_missing() -> str | None:
    if shutil.which("chromium") is None and not os.environ.get("CHROMIUM"):
        return "chromium is not installed (apt-get install -y chromium)"
    if shutil.which("node") is None:
        return "node is not installed"
    if not (E2E / "node_modules" / "playwright-core").is_dir():
        return "playwright-core is not installed (cd tests/e2e && npm ci)"
    return None


def require_browser(test: str) -> None:
    problem = browser_missing()
    if problem:
        skip_or_fail(test, problem)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError(f"the server did not listen on port {port}")
