"""What the end-to-end tests share: whether the browser tools are here (skipped when
not, except in CI, where that fails), the local ports their servers listen on, and a
browser script driven one command at a time (board.mjs, phone.mjs)."""

from __future__ import annotations

import json
import os
import queue
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

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


class ScriptBrowser:
    """A node script driving the browser: one command in, one JSON line out."""

    def __init__(self, script: Path, url: str) -> None:
        self.name = script.name
        self.process = subprocess.Popen(
            ["node", str(script), url],
            cwd=E2E,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)
        self.lines.put("")  # the script has ended

    def answer(self, timeout: float = 60.0) -> dict[str, Any]:
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"{self.name} did not answer in time") from None
        if not line:
            assert self.process.stderr is not None
            raise AssertionError(f"{self.name} ended: {self.process.stderr.read()}")
        reply = json.loads(line)
        assert "error" not in reply, reply["error"]
        return dict(reply)

    def ask(self, command: str) -> dict[str, Any]:
        assert self.process.stdin is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return self.answer()

    def close(self) -> None:
        if self.process.poll() is None:
            try:
                self.ask("quit")
                self.process.wait(timeout=20)
            except (AssertionError, OSError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait()
