"""`frontdesk` subcommands that start the Textual apps: kiosk, desk, board, supervisor.

Each room exposes `run(args) -> int` in its `launch` module; it is imported only when its
command runs, so the scripting commands never load Textual.
"""

from __future__ import annotations

import argparse
import importlib

from frontdesk.cli.common import Commands, Handler

APPS = ("kiosk", "desk", "board", "supervisor")


def _launcher(room: str) -> Handler:
    def run(args: argparse.Namespace) -> int:
        module = importlib.import_module(f"frontdesk.{room}.launch")
        return int(module.run(args))

    return run


def register(commands: Commands) -> None:
    p = commands.add("kiosk", _launcher("kiosk"), "the visitor kiosk (touchscreen or terminal)")
    p.add_argument("--centre", required=True)
    p.add_argument("--kiosk", default="kiosk-1", help="this kiosk's name (its printer config)")
    p.add_argument(
        "--greeter",
        action="store_true",
        help="greeter mode: staff log-in, no lockdown, issue for visitors",
    )
    p.add_argument("--language", help="starting language (en, cy, pl, ro)")

    p = commands.add("desk", _launcher("desk"), "a reception adviser's desk console")
    p.add_argument("--centre", required=True)
    p.add_argument("--desk", required=True)

    p = commands.add("board", _launcher("board"), "the now-serving board for a waiting room TV")
    p.add_argument("--centre", required=True)
    p.add_argument("--speech", action="store_true", help="speak each call (espeak-ng)")

    p = commands.add(
        "supervisor", _launcher("supervisor"), "the supervisor's live view of every centre"
    )
    p.add_argument("--centre", help="open on this centre (default: every centre)")
    p.add_argument("--high-contrast", action="store_true", help="black, white and yellow")
