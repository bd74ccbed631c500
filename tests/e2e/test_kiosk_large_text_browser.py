"""End to end: the kiosk's "Larger text" (+) really enlarges the text in a browser
(`frontdesk serve kiosk`): the glyphs measured in headless Chromium grow by the kiosk's
scale and the app is laid out again in fewer, larger cells; + again restores them.

Needs Debian's chromium and `npm ci` in tests/e2e (see test_kiosk_browser.py).
Screenshots go to tests/e2e/screenshots/large-*.png.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from frontdesk.kiosk.app import LARGE_TEXT_SCALE
from tests.e2e.test_kiosk_browser import CONFIG, HOURS
from tests.support.e2e import free_port, require_browser, wait_for_port

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "kiosk_large.mjs"
SHOTS = HERE / "screenshots"
pytestmark = pytest.mark.slow


def test_larger_text_enlarges_the_glyphs_in_the_browser(tmp_path: Path) -> None:
    require_browser("the browser test")
    kiosk = f"large-{os.getpid()}"
    url = f"sqlite:///{tmp_path / 'large.db'}"
    frontdesk = [sys.executable, "-m", "frontdesk"]
    config = tmp_path / "e2e.toml"
    config.write_text(CONFIG.format(hours=HOURS, kiosk=kiosk, port=9))
    subprocess.run([*frontdesk, "init", "--config", str(config), "--db", url], check=True)
    port = int(os.environ.get("FRONTDESK_E2E_PORT", "0")) or free_port()
    env = {**os.environ, "FRONTDESK_CONFIG": str(config)}
    env.pop("FRONTDESK_DB", None)
    serve = ["serve", "kiosk", "--centre", "E2E", "--kiosk", kiosk, "--db", url]
    server = subprocess.Popen(
        [*frontdesk, *serve, "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(port)
        result = subprocess.run(
            ["node", str(SCRIPT), f"http://127.0.0.1:{port}/", str(SHOTS)],
            cwd=HERE,
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert result.returncode == 0, result.stdout + result.stderr
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    sizes = json.loads(result.stdout.strip().splitlines()[-1])
    before, large, after = sizes["before"], sizes["large"], sizes["after"]
    grown = large["glyph"]["height"] / before["glyph"]["height"]
    wider = large["glyph"]["width"] / before["glyph"]["width"]
    # The glyphs grow by the kiosk's scale (to the pixel the font rounds to)...
    assert grown == pytest.approx(LARGE_TEXT_SCALE, rel=0.15)
    assert wider == pytest.approx(LARGE_TEXT_SCALE, rel=0.15)
    # ...the app is given fewer, larger cells in the same window...
    assert large["cols"] < before["cols"] and large["rows"] < before["rows"]
    # ...and + again gives the usual size back.
    assert after["glyph"] == before["glyph"]
    assert (after["cols"], after["rows"]) == (before["cols"], before["rows"])
