"""`frontdesk serve APP --max-sessions N` (issue 17): beyond N open browser sessions a
new browser gets a "busy, try again" page and no app process; when a session ends, the
next browser is served again.

A real server (textual-serve, in its own process group) and a real app process; the
"browser" is an aiohttp client doing what textual-serve's page does (load the page, open
the websocket).
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from frontdesk.cli import main

ROOT = Path(__file__).resolve().parents[2]
COUNCIL = ROOT / "tests" / "contracts" / "council.toml"
PORTS = range(8110, 8120)
PATIENCE = 90.0  # seconds: a loaded 2-core machine starts an app slowly


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.skip("no free port in 8110-8119")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    """`frontdesk serve board --max-sessions 1` on a new store; its base URL."""
    url = f"sqlite:///{tmp_path / 'frontdesk.db'}"
    assert main(["init", "--config", str(COUNCIL), "--db", url, "--json"]) == 0
    port = free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), "NO_COLOR": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "frontdesk", "serve", "board", "--centre", "CIVIC",
         "--max-sessions", "1", "--host", "127.0.0.1", "--port", str(port), "--db", url],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=30)


async def page(http: aiohttp.ClientSession, base: str) -> tuple[int, str]:
    async with http.get(f"{base}/") as response:
        return response.status, await response.text()


async def until_page(http: aiohttp.ClientSession, base: str, status: int) -> str:
    """Poll the page until it answers `status` (the server may still be starting)."""
    deadline = asyncio.get_running_loop().time() + PATIENCE
    while True:
        try:
            got, body = await page(http, base)
            if got == status:
                return body
        except aiohttp.ClientConnectionError:
            pass
        assert asyncio.get_running_loop().time() < deadline, f"the page never answered {status}"
        await asyncio.sleep(0.2)


def test_beyond_max_sessions_a_browser_gets_the_busy_page(served: str) -> None:
    async def scenario() -> None:
        ws_url = served.replace("http:", "ws:") + "/ws?width=80&height=24"
        async with aiohttp.ClientSession() as http:
            await until_page(http, served, 200)
            first = await http.ws_connect(ws_url)
            # The app process draws the board: the first session is really served.
            message = await first.receive(timeout=PATIENCE)
            assert message.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT)

            busy = await until_page(http, served, 503)
            assert "Busy, try again" in busy and "http" not in busy.split("<body>")[1]
            second = await http.ws_connect(ws_url)
            closed = await second.receive(timeout=PATIENCE)
            assert closed.type == aiohttp.WSMsgType.CLOSE and closed.data == 1013
            await second.close()

            await first.close()
            # The session is over (its app reaped): the next browser is served again.
            body = await until_page(http, served, 200)
            assert "Busy" not in body

    asyncio.run(scenario())
