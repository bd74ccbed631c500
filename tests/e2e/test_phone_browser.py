"""End to end: the visitor's ticket page on a phone-sized headless Chromium (390 × 844),
served by `frontdesk serve web` (uvicorn, in its own process), following a ticket from
issue to the call while a desk works through the CLI on the same store — then the one
question when the visit has ended; then the council website's page of the centres' waits.
Nothing may be loaded from outside 127.0.0.1.

Needs Debian's chromium and `npm ci` in tests/e2e (playwright-core, which never
downloads a browser). Skipped when they are missing, except in CI (CI=true), where that
fails. Screenshots go to tests/e2e/screenshots/ and docs/screens/phone-*.png and
docs/screens/centres.png.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.support.e2e import ScriptBrowser, free_port, require_browser, wait_for_port

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "phone.mjs"
SHOTS = HERE / "screenshots"
DOCS = HERE.parents[1] / "docs" / "screens"
HOURS = ", ".join(f'{d} = "00:00-23:59"' for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"))
CONFIG = """
[[service]]
code = "CTAX"
name = "Council Tax"
prefix = "C"

[[centre]]
code = "E2E"
name = "Civic Centre"
timezone = "UTC"
services = ["CTAX"]
hours = {{ {hours} }}
""" + "".join(f'\n[[centre.desk]]\nname = "{n}"\nservices = ["CTAX"]\n' for n in (1, 2, 3))
WAIT = 20.0  # the page asks every 2 seconds here; a change normally shows within that
pytestmark = pytest.mark.slow


def until(browser: ScriptBrowser, check: Any, timeout: float = WAIT) -> dict[str, Any]:
    """Ask the page what it says until `check(state)`."""
    started = time.monotonic()
    state = browser.ask("state")
    while not check(state):
        if time.monotonic() - started > timeout:
            raise AssertionError(f"the phone page did not get there in time: {state}")
        time.sleep(0.2)
        state = browser.ask("state")
    return state


def test_a_visitor_follows_their_ticket_on_their_phone(tmp_path: Path) -> None:
    require_browser("the phone browser test")
    db = tmp_path / "phone.db"
    url = f"sqlite:///{db}"
    port = free_port()
    frontdesk = [sys.executable, "-m", "frontdesk"]
    config = tmp_path / "phone.toml"
    config.write_text(CONFIG.format(hours=HOURS))
    env = {
        **os.environ,
        "FRONTDESK_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        "FRONTDESK_WEB_POLL_SECONDS": "2",
    }
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
    ahead = cli("ticket", "issue", "--centre", "E2E", "--service", "CTAX")
    mine = cli("ticket", "issue", "--centre", "E2E", "--service", "CTAX")
    assert mine["status_url"].startswith(f"http://127.0.0.1:{port}/t/")
    server = subprocess.Popen(
        [*frontdesk, "serve", "web", "--host", "127.0.0.1", "--port", str(port), "--db", url],
        env=env,
        start_new_session=True,  # its own process group, killed as a whole below
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    browser: ScriptBrowser | None = None
    SHOTS.mkdir(parents=True, exist_ok=True)
    try:
        wait_for_port(port)
        browser = ScriptBrowser(SCRIPT, mine["status_url"])
        assert browser.answer(timeout=90).get("ready")
        state = browser.ask("state")
        assert state["number"] == mine["ticket"] == "C002"
        assert state["phase"] == "waiting" and state["headline"] == "People ahead of you: 1"
        assert state["detail"].startswith(("Estimated wait", "You should be seen"))
        assert not state["overflow"]  # nothing wider than the phone
        browser.ask(f"shot {SHOTS / 'phone-waiting.png'}")
        browser.ask("width 360")
        assert not browser.ask("state")["overflow"]
        browser.ask("width 390")

        # The desk calls the visitor ahead: the page says so in place.
        assert cli("call-next", "--centre", "E2E", "--desk", "1")["ticket"] == ahead["ticket"]
        until(browser, lambda s: s["headline"] == "You are next")
        cli("start", "--centre", "E2E", "--desk", "1")
        cli("complete", "--centre", "E2E", "--desk", "1", "--resolved")

        started = time.monotonic()
        assert cli("call-next", "--centre", "E2E", "--desk", "3")["ticket"] == "C002"
        state = until(browser, lambda s: s["phase"] == "called")
        took = time.monotonic() - started
        assert state["headline"] == "Please go to desk 3 now"
        assert state["detail"] == "Your number C002 has been called."
        browser.ask(f"shot {SHOTS / 'phone-called.png'}")
        print(f"the phone showed the call {took:.1f} s after it was made (asking every 2 s)")

        cli("start", "--centre", "E2E", "--desk", "3")
        cli("complete", "--centre", "E2E", "--desk", "3", "--resolved")
        state = until(browser, lambda s: s["phase"] == "ended" and s["survey"])
        browser.ask(f"shot {SHOTS / 'phone-survey.png'}")
        browser.ask("rate 5 Quick and kind")
        assert browser.ask("state")["thanks"] == "Thank you for your answer."

        # The council's website: the centre's waits while a desk serves and two wait,
        # as a range in the kiosk's words (never one figure, never a dash while open).
        for _ in range(3):
            cli("ticket", "issue", "--centre", "E2E", "--service", "CTAX")
        cli("call-next", "--centre", "E2E", "--desk", "1")
        browser.ask("width 760")
        text = browser.ask("open /centres")["text"]
        assert "Closed" not in text and "Open" in text, text
        assert re.search(r"About \d+ to \d+ minutes|Less than \d+ minutes", text), text
        browser.ask(f"shot {SHOTS / 'centres.png'}")

        seen = browser.ask("outside")
        assert seen["outside"] == [] and seen["violations"] == []
        browser.close()
        browser = None
    finally:
        if browser is not None:
            browser.close()
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    rated = cli(
        "report", "satisfaction", "--centre", "E2E", "--from", "2000-01-01", "--to", "2100-01-01"
    )
    assert rated["responses"] == 1 and rated["comments"] == ["Quick and kind"]
    DOCS.mkdir(parents=True, exist_ok=True)
    for name in ("phone-waiting.png", "phone-called.png", "phone-survey.png", "centres.png"):
        assert (SHOTS / name).stat().st_size > 5_000
        shutil.copyfile(SHOTS / name, DOCS / name)
