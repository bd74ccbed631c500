"""`frontdesk` subcommands that start the Textual apps: kiosk, desk, board, serve (and
`serve web`, the web face for phones, the council's website and the HTTP API).

Each room exposes `run(args) -> int` in its `launch` module; it is imported only when its
command runs, so the scripting commands never load Textual.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable
from typing import Any

APPS = ("kiosk", "desk", "board", "web")


def _launcher(room: str) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        module = importlib.import_module(f"frontdesk.{room}.launch")
        return int(module.run(args))

    return run


def _serve(args: argparse.Namespace) -> int:
    return _launcher("web" if args.app == "web" else "ui")(args)


def register(sub: Any, add: Callable[..., argparse.ArgumentParser]) -> None:
    p = add("kiosk", _launcher("kiosk"), "the visitor kiosk (touchscreen or terminal)")
    p.add_argument("--centre", required=True)
    p.add_argument("--kiosk", default="kiosk-1", help="this kiosk's name (its printer config)")
    p.add_argument(
        "--greeter",
        action="store_true",
        help="greeter mode: staff log-in, no lockdown, issue for visitors",
    )
    p.add_argument("--language", help="starting language (en, cy, pl, ro)")

    p = add("desk", _launcher("desk"), "a reception adviser's desk console")
    p.add_argument("--centre", required=True)
    p.add_argument("--desk", required=True)

    p = add("board", _launcher("board"), "the now-serving board for a waiting room TV")
    p.add_argument("--centre", required=True)
    p.add_argument("--speech", action="store_true", help="speak each call (espeak-ng)")

    p = add(
        "serve",
        _serve,
        "serve an app to browsers (textual-serve), or `web`: the visitor's phone page, "
        "the centres' waits and the HTTP API",
    )
    p.add_argument("app", choices=APPS)
    p.add_argument("--centre", help="for kiosk, desk and board")
    p.add_argument("--desk", help="for `serve desk`")
    p.add_argument("--kiosk", default="kiosk-1")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
