"""End to end: `frontdesk demo --serve` in headless Chromium. The front page links the four
apps and shows the simulated clock; the dashboard opens from it with the demo's line; the
demo's keys move the tab to the kiosk, the desk and the board (each in its own app process)
and back to the front page, where the simulated clock has moved on. Ctrl+C (SIGINT to the
process group) stops the server, every app process it started, and deletes the store.

Needs Debian's chromium and `npm ci` in tests/e2e (skipped when missing, except in CI).
Screenshots: tests/e2e/screenshots/demo-*.png and docs/screens/demo-*-browser.png."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.e2e import E2E, ScriptBrowser, free_port, require_browser, wait_for_port

SHOTS = E2E / "screenshots"
DOCS = E2E.parents[1] / "docs" / "screens"
pytestmark = pytest.mark.slow


def _text(page: ScriptBrowser, check: Callable[[str, str], bool], timeout: float = 60.0) -> str:
    """The app's text once `check(url, text)` holds (pages load, apps start: wait for it)."""
    deadline = time.monotonic() + timeout
    while True:
        reply = page.ask("text")
        text = "\n".join(reply["rows"])
        if check(reply["url"], text):
            return text
        if time.monotonic() > deadline:
            raise AssertionError(f"{reply['url']} did not show it in time:\n{text}")
        time.sleep(0.3)


def _clock(front: str) -> str:
    found = re.search(r"Simulated \S+ (\d\d:\d\d) UTC", front)
    assert found, front
    return found.group(1)


def _app_processes(server: int) -> list[int]:
    """The demo's app processes started by the server `server` (children, by /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
            args = (entry / "cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue
        if f"\nPPid:\t{server}\n" in status and b"--in-browser" in args:
            found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        return "\nState:\tZ" not in Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False


def test_the_demo_in_a_browser(tmp_path: Path) -> None:
    require_browser("the demo's browser test")
    port = free_port()
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "FRONTDESK_DB"}
    env["TMPDIR"] = str(temp)  # where the demo's throw-away store goes
    server = subprocess.Popen(
        [sys.executable, "-m", "frontdesk", "demo", "--serve", "--port", str(port)],
        env=env,
        start_new_session=True,  # its own process group: Ctrl+C is sent to it below
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    said: list[str] = []
    threading.Thread(target=lambda: said.extend(server.stdout or ()), daemon=True).start()
    page: ScriptBrowser | None = None
    last: list[int] = []
    try:
        wait_for_port(port, timeout=60)
        url = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 30  # the line is read by another thread
        while not any(f"open {url} in a browser" in line for line in said):
            assert time.monotonic() < deadline, said
            time.sleep(0.2)
        assert list(temp.glob("frontdesk-demo-*"))  # the store exists while the demo runs
        page = ScriptBrowser(E2E / "demo.mjs", url)
        assert page.answer(timeout=90).get("ready")
        front = page.ask("links")
        assert [link["href"] for link in front["links"]] == [
            "/dashboard",
            "/kiosk",
            "/desk",
            "/board",
        ]
        assert "DEMO-ADV PIN 1357" in front["text"]
        started = _clock(front["text"])
        SHOTS.mkdir(exist_ok=True)

        page.ask("click dashboard")
        text = _text(page, lambda u, t: "DEMO  ctrl+o" in t and "Per service" in t)
        assert "ctrl+x front page" in text
        _text(page, lambda u, t: "GENQ" in t or "General enquiries" in t)
        page.ask(f"shot {SHOTS / 'demo-dashboard.png'}")

        page.ask("press Control+k")
        _text(page, lambda u, t: u.endswith("/kiosk") and "Welcome to" in t and "DEMO" in t)
        page.ask(f"shot {SHOTS / 'demo-kiosk.png'}")

        page.ask("press Control+d")
        _text(page, lambda u, t: u.endswith("/desk") and "Services this desk serves" in t)
        page.ask("press Enter")  # the desk's own first step: today's services, in order
        _text(page, lambda u, t: "Alex Adviser (DEMO-ADV)" in t and "OPEN" in t)
        page.ask("press F2")  # call next: the desk is the newcomer's, on the live queue
        _text(page, lambda u, t: "Called " in t or "Nobody is waiting" in t)
        page.ask(f"shot {SHOTS / 'demo-desk.png'}")

        page.ask("press Control+b")
        _text(page, lambda u, t: u.endswith("/board") and "DEMO" in t and len(t.split()) > 20)
        page.ask(f"shot {SHOTS / 'demo-board.png'}")

        page.ask("press Control+x")
        deadline = time.monotonic() + 30
        while not (back := page.ask("links"))["links"]:
            assert time.monotonic() < deadline, "ctrl+x did not come back to the front page"
            time.sleep(0.3)
        assert _clock(back["text"]) > started  # the simulation moved on meanwhile
        assert page.ask("outside")["outside"] == []
        # The tab has left the apps: each one's process is reaped by the server.
        deadline = time.monotonic() + 30
        while _app_processes(server.pid) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert _app_processes(server.pid) == []
        # One app left running when Ctrl+C comes: it goes with the server.
        page.ask("click kiosk")
        _text(page, lambda u, t: "Welcome to" in t)
        last = _app_processes(server.pid)
        assert last
    finally:
        if page is not None:
            page.close()
        os.killpg(server.pid, signal.SIGINT)  # Ctrl+C in the demo's terminal
        try:
            code = server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
            raise
    assert code == 0
    deadline = time.monotonic() + 10
    while not any("Demo over" in line for line in said) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert any("Demo over" in line for line in said), said
    assert [pid for pid in last if _alive(pid)] == []
    assert not list(temp.glob("frontdesk-demo-*"))  # the store is gone
    for name in ("dashboard", "kiosk", "desk", "board"):
        shutil.copyfile(SHOTS / f"demo-{name}.png", DOCS / f"demo-{name}-browser.png")
