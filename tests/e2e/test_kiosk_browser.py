"""End to end: take a ticket by touch in headless Chromium through `frontdesk serve kiosk`.

Needs Debian's chromium and `npm ci` in tests/e2e (playwright-core, which never downloads
a browser). Skipped when they are missing, except in CI (CI=true), where that fails.
Screenshots go to tests/e2e/screenshots/.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from frontdesk.devices.fakes import FakeNetworkPrinter
from tests.support.e2e import free_port, require_browser, wait_for_port

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "kiosk.mjs"
SHOTS = HERE / "screenshots"
HOURS = ", ".join(f'{d} = "00:00-23:59"' for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"))
CONFIG = """
[[service]]
code = "GENQ"
name = "General enquiries"
prefix = "G"

[[service.topic]]
code = "GENQ-QUESTION"
name = "A quick question"

[[centre]]
code = "E2E"
name = "Civic Centre"
timezone = "UTC"
services = ["GENQ"]
hours = {{ {hours} }}

[[centre.desk]]
name = "1"
services = ["GENQ"]

[[centre.kiosk]]
name = "{kiosk}"
printer = {{ type = "network", host = "127.0.0.1", port = {port}, timeout_seconds = 1.0 }}
"""
pytestmark = pytest.mark.slow


def _app_processes(kiosk: str) -> list[str]:
    out = subprocess.run(["ps", "-eo", "pid,args"], capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if f"--kiosk {kiosk}" in line and "serve" not in line]


def test_a_ticket_by_touch_in_the_browser(tmp_path: Path) -> None:
    require_browser("the browser test")
    kiosk = f"e2e-{os.getpid()}"
    db = tmp_path / "e2e.db"
    url = f"sqlite:///{db}"
    frontdesk = [sys.executable, "-m", "frontdesk"]
    with FakeNetworkPrinter() as printer:
        config = tmp_path / "e2e.toml"
        config.write_text(CONFIG.format(hours=HOURS, kiosk=kiosk, port=printer.port))
        subprocess.run([*frontdesk, "init", "--config", str(config), "--db", url], check=True)
        port = free_port()
        env = {**os.environ, "FRONTDESK_CONFIG": str(config)}
        env.pop("FRONTDESK_DB", None)
        server = subprocess.Popen(
            [
                *frontdesk,
                "serve",
                "kiosk",
                "--centre",
                "E2E",
                "--kiosk",
                kiosk,
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--db",
                url,
            ],
            env=env,
            start_new_session=True,  # its own process group, killed as a whole below
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for_port(port)
            page = subprocess.run(["curl", "-s", f"http://127.0.0.1:{port}/"], capture_output=True)
            assert url.encode() not in page.stdout  # no credentials in the page
            result = subprocess.run(
                ["node", str(SCRIPT), f"http://127.0.0.1:{port}/", str(SHOTS)],
                cwd=HERE,
                capture_output=True,
                text=True,
                timeout=180,
            )
            assert result.returncode == 0, result.stdout + result.stderr
            jobs = printer.wait_for_jobs(1, timeout=10)
            # The browser has gone: its app process is reaped.
            deadline = time.monotonic() + 15
            while _app_processes(kiosk) and time.monotonic() < deadline:
                time.sleep(0.5)
            assert _app_processes(kiosk) == []
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
    queue = subprocess.run(
        [*frontdesk, "queue", "--centre", "E2E", "--db", url, "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    waiting = json.loads(queue.stdout)["waiting"]
    assert [w["ticket"] for w in waiting] == ["G001"]
    with sqlite3.connect(db) as conn:
        channel, token = conn.execute("SELECT channel, token FROM ticket").fetchone()
    assert channel == "kiosk"
    printed = b"".join(jobs)
    assert b"G001" in printed and token.encode() in printed
    assert (SHOTS / "6-ticket.png").exists()
