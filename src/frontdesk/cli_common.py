"""What every `frontdesk` subcommand module shares: the process's services, the output
(one JSON object with --json, text otherwise), the one-line parser errors and the
common options.

`frontdesk.cli` re-exports `services` and `emit` as `_services` and `_emit`.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

Handler = Callable[[argparse.Namespace], int]
# `add(name, handler, help, parent=sub)` from `build_parser`: a subcommand with the
# common options (--db, --json, --staff).
Add = Callable[..., argparse.ArgumentParser]


def services(args: argparse.Namespace) -> Any:
    """The process's services (one engine per process), opened on first use."""
    from frontdesk.services.wiring import open_services

    if getattr(args, "_opened", None) is None:
        args._opened = open_services(args.db)
    return args._opened


def emit(args: argparse.Namespace, payload: dict[str, Any], human: Callable[[], None]) -> None:
    if args.json:
        print(json.dumps(payload, default=json_default, ensure_ascii=False))
    else:
        human()


def json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"cannot encode {type(value).__name__}")


def console() -> Any:
    from rich.console import Console

    return Console()


def minutes(seconds: int) -> str:
    m, s = divmod(max(0, int(seconds)), 60)
    return f"{m} min {s:02d} s" if m < 60 else f"{m // 60} h {m % 60:02d} min"


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # one line, non-zero (argparse's own is 2 lines)
        self.exit(2, f"frontdesk: error: {message} (see {self.prog} --help)\n")


def centre_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--centre", required=True, help="centre code, e.g. CIVIC")


def desk_options(p: argparse.ArgumentParser) -> None:
    centre_option(p)
    p.add_argument("--desk", required=True, help="desk name at the centre")
