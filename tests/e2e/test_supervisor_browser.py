"""End to end: the supervisor's view served by `frontdesk serve supervisor`, in headless
Chromium: log in, see the centre, watch a ticket issued from the CLI arrive on screen.

Needs Debian's chromium and `npm ci` in tests/e2e (playwright-core, which never downloads
a browser); skipped when they are missing, except in CI (CI=true). The page is driven by
board.mjs (text, type, press, shot)."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from tests.support.e2e import free_port, require_browser, wait_for_port

HERE = Path(__file__).resolve().parent
HOURS = ", ".join(f'{d} = "00:00-23:59"' for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"))
CONFIG = f"""
[[service]]
code = "GENQ"
name = "General enquiries"
prefix = "G"

[[centre]]
code = "E2E"
name = "Riverside Hub"
timezone = "UTC"
services = ["GENQ"]
hours = {{ {HOURS} }}

[[centre.desk]]
name = "1"
services = ["GENQ"]
"""
pytestmark = pytest.mark.slow


class Page:
    """board.mjs: one command in, one JSON line out."""

    def __init__(self, url: str) -> None:
        self.process = subprocess.Popen(
            ["node", str(HERE / "board.mjs"), url],
            cwd=HERE,
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
        self.lines.put("")

    def answer(self, timeout: float = 60.0) -> dict[str, Any]:
        line = self.lines.get(timeout=timeout)
        if not line:
            assert self.process.stderr is not None
            raise AssertionError(f"board.mjs ended: {self.process.stderr.read()}")
        reply = dict(json.loads(line))
        assert "error" not in reply, reply["error"]
        return reply

    def ask(self, command: str) -> dict[str, Any]:
        assert self.process.stdin is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return self.answer()

    def text(self) -> str:
        return "\n".join(self.ask("text")["rows"])

    def until(self, check: Any, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        text = self.text()
        while not check(text):
            if time.monotonic() > deadline:
                raise AssertionError("the page did not show it in time:\n" + text)
            time.sleep(0.2)
            text = self.text()
        return text

    def close(self) -> None:
        if self.process.poll() is None:
            try:
                self.ask("quit")
                self.process.wait(timeout=20)
            except (AssertionError, OSError, subprocess.TimeoutExpired, queue.Empty):
                self.process.kill()
                self.process.wait()


def test_the_supervisor_view_in_a_browser(tmp_path: Path) -> None:
    require_browser("the supervisor's browser test")
    url = f"sqlite:///{tmp_path / 'sup.db'}"
    config = tmp_path / "sup.toml"
    config.write_text(CONFIG)
    frontdesk = [sys.executable, "-m", "frontdesk"]
    env = {k: v for k, v in os.environ.items() if k != "FRONTDESK_DB"}
    subprocess.run([*frontdesk, "init", "--config", str(config), "--db", url], env=env, check=True)
    for code, role, pin in (("SU", "supervisor", "4321"), ("AB", "adviser", "1234")):
        subprocess.run(
            [*frontdesk, "staff", "add", code, "--name", code, "--role", role, "--db", url],
            input=pin + "\n",
            text=True,
            env=env,
            check=True,
            capture_output=True,
        )
    port = free_port()
    serve = ["serve", "supervisor", "--host", "127.0.0.1", "--port", str(port), "--db", url]
    server = subprocess.Popen(
        [*frontdesk, *serve],
        env=env,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    page: Page | None = None
    try:
        wait_for_port(port)
        page = Page(f"http://127.0.0.1:{port}/")
        assert page.answer(timeout=90).get("ready")
        page.until(lambda t: "Staff code" in t)
        page.ask("type AB")
        page.ask("press Enter")
        page.ask("type 1234")
        page.ask("press Enter")
        page.until(lambda t: "only supervisors and administrators" in t)
        page.ask("press Shift+Tab")  # back to the code: clear it
        for key in ("End", "Backspace", "Backspace"):
            page.ask(f"press {key}")
        page.ask("type SU")
        page.ask("press Enter")
        page.ask("type 4321")
        page.ask("press Enter")
        text = page.until(lambda t: "Riverside Hub" in t and "All centres" in t)
        assert "on track" in text or "will breach" in text or "at risk" in text
        subprocess.run(
            [*frontdesk, "ticket", "issue", "--centre", "E2E", "--service", "GENQ", "--db", url],
            env=env,
            check=True,
            capture_output=True,
        )
        page.until(lambda t: any("Riverside Hub" in row and " 1 " in row for row in t.splitlines()))
        shots = HERE / "screenshots"
        shots.mkdir(exist_ok=True)
        page.ask(f"shot {shots / 'supervisor.png'}")
        assert (shots / "supervisor.png").stat().st_size > 10_000
    finally:
        if page is not None:
            page.close()
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
