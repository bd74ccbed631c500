"""End to end: the on-screen QR code decodes from what a real terminal and a real browser
show, not only from the widget's own text.

(a) A tiny Textual app showing `QRCode(payload)` runs in tmux; `tmux capture-pane -p -e`
gives the screen's characters with their colours; the dark/light module grid is rebuilt
from the half blocks and their foreground/background colours, drawn with Pillow and
decoded with zxing-cpp. Skipped without tmux (failed in CI, CI=true).

(b) The same app served with textual-serve is opened in headless Debian chromium
(tests/e2e/board.mjs, playwright-core, never downloads a browser); the page screenshot is
decoded with zxing-cpp. Skipped without chromium/node modules (failed in CI).
"""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from tests.support.e2e import free_port, require_browser, skip_or_fail, wait_for_port

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "board.mjs"
SHOTS = HERE / "screenshots"
PAYLOAD = "https://frontdesk.example/t/CIVIC/7f3a9c-Qr_capture"
APP = f"""
from textual.app import App, ComposeResult
from textual.widgets import Label

from frontdesk.kiosk.widgets.qr_code import QRCode


class QRApp(App[None]):
    CSS = "Screen {{ align: center middle; }}"

    def compose(self) -> ComposeResult:
        yield Label("Scan me")
        yield QRCode({PAYLOAD!r})


if __name__ == "__main__":
    QRApp().run()
"""
pytestmark = pytest.mark.slow


@pytest.fixture
def app_file(tmp_path: Path) -> Path:
    path = tmp_path / "qr_app.py"
    path.write_text(APP)
    return path


def decode(image: Image.Image) -> list[str]:
    return [code.text for code in zxingcpp.read_barcodes(image)]


# -- (a) a real terminal: tmux -------------------------------------------------------------

_SGR = re.compile(r"\x1b\[([0-9;:]*)m")
_ANSI16 = [
    (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0),
    (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
    (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0),
    (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
]  # fmt: skip
Rgb = tuple[int, int, int]


def _palette(n: int) -> Rgb:
    """xterm's 256-colour palette."""
    if n < 16:
        return _ANSI16[n]
    if n < 232:
        n -= 16
        steps = (0, 95, 135, 175, 215, 255)
        return steps[n // 36], steps[(n // 6) % 6], steps[n % 6]
    grey = 8 + (n - 232) * 10
    return grey, grey, grey


def _colour(params: list[int], i: int) -> tuple[Rgb, int]:
    """The colour after a 38/48 at params[i]; and how many parameters it used."""
    if params[i + 1] == 2:
        return (params[i + 2], params[i + 3], params[i + 4]), 5
    return _palette(params[i + 2]), 3


def cells(capture: str) -> list[list[tuple[str, Rgb, Rgb]]]:
    """`capture-pane -p -e` text as rows of (character, foreground, background)."""
    default_fg, default_bg = (229, 229, 229), (0, 0, 0)  # a light-on-dark terminal
    fg, bg, reverse = default_fg, default_bg, False
    rows = []
    for line in capture.split("\n"):
        row = []
        position = 0
        for match in [*_SGR.finditer(line), None]:
            end = match.start() if match else len(line)
            for character in line[position:end]:
                row.append((character, bg, fg) if reverse else (character, fg, bg))
            if match is None:
                break
            position = match.end()
            params = [int(p or 0) for p in re.split("[;:]", match.group(1))] or [0]
            i = 0
            while i < len(params):
                p = params[i]
                if p == 0:
                    fg, bg, reverse = default_fg, default_bg, False
                elif p == 7:
                    reverse = True
                elif p == 27:
                    reverse = False
                elif p in (38, 48):
                    colour, used = _colour(params, i)
                    fg, bg = (colour, bg) if p == 38 else (fg, colour)
                    i += used - 1
                elif p == 39:
                    fg = default_fg
                elif p == 49:
                    bg = default_bg
                elif 30 <= p <= 37 or 90 <= p <= 97:
                    fg = _ANSI16[p - 30 if p < 90 else p - 90 + 8]
                elif 40 <= p <= 47 or 100 <= p <= 107:
                    bg = _ANSI16[p - 40 if p < 100 else p - 100 + 8]
                i += 1
        rows.append(row)
    return rows


def _dark(colour: Rgb) -> bool:
    r, g, b = colour
    return 0.299 * r + 0.587 * g + 0.114 * b < 128


def modules(rows: list[list[tuple[str, Rgb, Rgb]]]) -> Image.Image:
    """The screen as a picture, one pixel per half cell: what the eye (or a phone) sees."""
    width = max(len(r) for r in rows)
    image = Image.new("L", (width, 2 * len(rows)), 0)
    for y, row in enumerate(rows):
        for x, (character, fg, bg) in enumerate(row):
            if character == "▀":
                top, bottom = fg, bg
            elif character == "▄":
                top, bottom = bg, fg
            elif character == "█":
                top = bottom = fg
            elif character == " ":
                top = bottom = bg
            else:  # text: neither a module nor part of the code
                top = bottom = bg
            image.putpixel((x, 2 * y), 0 if _dark(top) else 255)
            image.putpixel((x, 2 * y + 1), 0 if _dark(bottom) else 255)
    return image.resize((image.width * 8, image.height * 8), Image.Resampling.NEAREST)


@pytest.fixture
def tmux_server() -> Iterator[list[str]]:
    """A tmux server of our own (its own socket), killed afterwards."""
    if shutil.which("tmux") is None:
        skip_or_fail("the capture test", "tmux is not installed (apt-get install -y tmux)")
    tmux = ["tmux", "-L", f"frontdesk-qr-{os.getpid()}", "-f", "/dev/null"]
    yield tmux
    subprocess.run([*tmux, "kill-server"], capture_output=True)


def test_the_qr_code_decodes_from_a_tmux_capture(
    tmux_server: list[str], app_file: Path, tmp_path: Path
) -> None:
    tmux = tmux_server
    command = f"{sys.executable} {app_file}"
    subprocess.run(
        [*tmux, "new-session", "-d", "-s", "qr", "-x", "100", "-y", "50",
         "-e", "COLORTERM=truecolor", "-e", "TERM=tmux-256color", command],
        check=True,
        cwd=HERE.parents[1],
    )  # fmt: skip
    found: list[str] = []
    capture = ""
    picture: Image.Image | None = None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not found:
        time.sleep(0.5)
        capture = subprocess.run(
            [*tmux, "capture-pane", "-p", "-e", "-t", "qr"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        if "▀" in capture or "▄" in capture:
            picture = modules(cells(capture))
            found = decode(picture)
    if picture is not None:
        picture.save(tmp_path / "tmux-capture.png")
    assert found == [PAYLOAD], f"no QR code read from the terminal:\n{capture}"
    # The colours were real: the code is dark modules on a light ground.
    assert "\x1b[" in capture


# -- (b) a real browser: textual-serve + chromium ------------------------------------------


def test_the_qr_code_decodes_from_a_browser_screenshot(app_file: Path) -> None:
    require_browser("the capture test")
    port = free_port()
    serve = (
        "import sys; from textual_serve.server import Server; "
        "Server(sys.argv[1], host='127.0.0.1', port=int(sys.argv[2])).serve()"
    )
    server = subprocess.Popen(
        [sys.executable, "-c", serve, f"{sys.executable} {app_file}", str(port)],
        cwd=HERE.parents[1],
        start_new_session=True,  # its own process group, killed as a whole below
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    shot = SHOTS / "qr-browser.png"
    shot.unlink(missing_ok=True)
    try:
        wait_for_port(port)
        browser = subprocess.Popen(
            ["node", str(SCRIPT), f"http://127.0.0.1:{port}/"],
            cwd=HERE,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        replies: queue.Queue[str] = queue.Queue()

        def read() -> None:
            assert browser.stdout is not None
            for line in browser.stdout:
                replies.put(line)
            replies.put("")

        def answer() -> dict[str, object]:
            line = replies.get(timeout=90)
            assert line, f"board.mjs ended: {browser.stderr.read() if browser.stderr else ''}"
            reply = json.loads(line)
            assert "error" not in reply, reply
            return dict(reply)

        def ask(command: str) -> dict[str, object]:
            assert browser.stdin is not None
            browser.stdin.write(command + "\n")
            browser.stdin.flush()
            return answer()

        threading.Thread(target=read, daemon=True).start()
        try:
            assert answer() == {"ready": True}
            # Wait until the terminal shows the code (its label and half blocks).
            deadline = time.monotonic() + 30
            screen = ""
            while time.monotonic() < deadline:
                screen = "\n".join(ask("text")["rows"])  # type: ignore[arg-type]
                if "Scan me" in screen and "▀" in screen:
                    break
                time.sleep(0.2)
            assert "Scan me" in screen, screen
            time.sleep(0.5)  # let the renderer paint the last frame
            ask(f"shot {shot}")
            ask("quit")
            browser.wait(timeout=20)
        finally:
            if browser.poll() is None:
                browser.kill()
                browser.wait()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    with Image.open(shot) as image:
        assert decode(image.convert("L")) == [PAYLOAD]
