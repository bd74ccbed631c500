"""End to end: the now-serving board served by `frontdesk serve board`, in headless Chromium.

A desk calls through the CLI on the same store; the page shows the ticket number (read
from the browser's terminal) and nothing personal. Needs Debian's chromium and `npm ci`
in tests/e2e (playwright-core, which never downloads a browser). Skipped when they are
missing, except in CI (CI=true), where that fails. The screenshot goes to
tests/e2e/screenshots/board.png and docs/screens/board-browser.png.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from frontdesk.ui.bigtext import render_lines
from tests.support.e2e import ScriptBrowser, free_port, require_browser, wait_for_port

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "board.mjs"
SHOTS = HERE / "screenshots"
DOCS_SHOT = HERE.parents[1] / "docs" / "screens" / "board-browser.png"
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

[[centre.desk]]
name = "2"
services = ["GENQ"]
"""
# Personal data given with the tickets: none of it may reach the board.
NAME = "Jane Example"
PHONE = "07700900123"
NOTE = f"{NAME} wants her letter back"
WAIT = 20.0  # generous: a change normally shows within a second or two
pytestmark = pytest.mark.slow


def _board_apps(server_pid: int) -> list[str]:
    """The board app processes this server started (one per browser tab)."""
    out = subprocess.run(["ps", "-eo", "pid,ppid,args"], capture_output=True, text=True).stdout
    found = []
    for line in out.splitlines()[1:]:
        _pid, ppid, args = line.split(None, 2)
        if int(ppid) == server_pid and "frontdesk board" in args:
            found.append(line)
    return found


class Browser(ScriptBrowser):
    """board.mjs: the served board's text, row by row."""

    def __init__(self, url: str) -> None:
        super().__init__(SCRIPT, url)

    def rows(self) -> list[str]:
        return list(self.ask("text")["rows"])


def big(rows: list[str], text: str) -> bool:
    """Whether `text` is drawn in the board's big half-block letters somewhere in `rows`."""
    for scale in range(1, 9):
        lines = render_lines(text, scale)
        for top in range(len(rows) - len(lines) + 1):
            column = rows[top].find(lines[0])
            while column >= 0:
                if all(rows[top + k][column:].startswith(lines[k]) for k in range(len(lines))):
                    return True
                column = rows[top].find(lines[0], column + 1)
    return False


def shows(
    browser: Browser, check: Any, since: float | None = None, timeout: float = WAIT
) -> tuple[list[str], float]:
    """Poll the page's text until `check(rows)`; the rows and how long it took `since`."""
    started = time.monotonic() if since is None else since
    rows = browser.rows()
    while not check(rows):
        if time.monotonic() - started > timeout:
            raise AssertionError("the board did not show it in time:\n" + "\n".join(rows))
        time.sleep(0.1)
        rows = browser.rows()
    return rows, time.monotonic() - started


def test_the_board_in_a_browser_shows_each_call_and_nothing_personal(tmp_path: Path) -> None:
    require_browser("the browser test")
    db = tmp_path / "board.db"
    url = f"sqlite:///{db}"
    frontdesk = [sys.executable, "-m", "frontdesk"]
    config = tmp_path / "board.toml"
    config.write_text(CONFIG.format(hours=HOURS))
    env = {**os.environ, "FRONTDESK_CONFIG": str(config)}
    env.pop("FRONTDESK_DB", None)

    def cli(*args: str) -> dict[str, Any]:
        done = subprocess.run(
            [*frontdesk, *args, "--db", url, "--json"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        return dict(json.loads(done.stdout))

    subprocess.run([*frontdesk, "init", "--config", str(config), "--db", url], env=env, check=True)
    first = cli(
        "ticket", "issue", "--centre", "E2E", "--service", "GENQ", "--note", NOTE, "--notify", PHONE
    )["ticket"]
    second = cli("ticket", "issue", "--centre", "E2E", "--service", "GENQ")["ticket"]
    assert (first, second) == ("G001", "G002")
    with sqlite3.connect(db) as conn:
        tokens = [t for (t,) in conn.execute("SELECT token FROM ticket")]
    port = free_port()
    server = subprocess.Popen(
        [
            *frontdesk,
            "serve",
            "board",
            "--centre",
            "E2E",
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
    browser: Browser | None = None
    try:
        wait_for_port(port)
        page = subprocess.run(["curl", "-s", f"http://127.0.0.1:{port}/"], capture_output=True)
        assert url.encode() not in page.stdout  # no credentials in the page
        browser = Browser(f"http://127.0.0.1:{port}/")
        assert browser.answer(timeout=90).get("ready")
        # The board is up and waiting: the centre's name, nobody called yet.
        rows, _ = shows(
            browser,
            lambda r: "Please wait to be called" in "\n".join(r) and "Civic Centre" in r[0],
        )
        assert not big(rows, first)

        # Timed from the call's start: the CLI itself takes a moment to run.
        started = time.monotonic()
        cli("call-next", "--centre", "E2E", "--desk", "1")
        rows, took_first = shows(browser, lambda r: big(r, first), started)
        assert "please go to desk" in "\n".join(rows)
        assert big(rows, "1")

        started = time.monotonic()
        cli("call-next", "--centre", "E2E", "--desk", "2")
        rows, took_second = shows(browser, lambda r: big(r, second), started)
        # The first call moves to the recent calls, in plain text.
        assert any(first in row for row in rows)
        SHOTS.mkdir(parents=True, exist_ok=True)
        shot = SHOTS / "board.png"
        browser.ask(f"shot {shot}")

        text = "\n".join(rows)
        for secret in (NAME, "Jane", PHONE, "07700", NOTE, "letter", *tokens):
            assert secret not in text, f"the board shows personal data: {secret!r}"
        print(
            f"board showed {first} after {took_first:.2f} s and {second} after {took_second:.2f} s"
        )
        assert browser.ask("outside")["outside"] == []  # nothing loaded from outside
        browser.close()
        browser = None
        # The browser has gone: its app process is reaped.
        deadline = time.monotonic() + 15
        while _board_apps(server.pid) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert _board_apps(server.pid) == []
    finally:
        if browser is not None:
            browser.close()
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    assert shot.stat().st_size > 10_000
    DOCS_SHOT.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shot, DOCS_SHOT)
