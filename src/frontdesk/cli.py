"""The `frontdesk` command: administration, scripting (stable `--json`) and simulation.

Every subcommand exits 0 on success and non-zero with a one-line error on bad input.

This module builds the parser and runs the chosen handler; the handlers live in modules
by area (cli_queue, cli_reports, cli_admin, cli_appointments, cli_apps), sharing
cli_common.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from frontdesk import (
    __version__,
    cli_admin,
    cli_appointments,
    cli_apps,
    cli_queue,
    cli_reports,
    cli_web,
)
from frontdesk.cli_common import Handler, Parser
from frontdesk.cli_common import emit as _emit
from frontdesk.cli_common import services as _services
from frontdesk.cli_reports import EXAMPLE_CONFIG
from frontdesk.errors import FrontdeskError

# Kept importable from here (scripts and tests use them).
__all__ = ["EXAMPLE_CONFIG", "Handler", "_emit", "_services", "build_parser", "main"]
_Parser = Parser


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        help="SQLAlchemy URL of the store (default: FRONTDESK_DB or "
        "an SQLite file in the user data directory)",
    )
    common.add_argument("--json", action="store_true", help="print one JSON object")
    common.add_argument("--staff", help="the staff code acting (for the audit log)")

    parser = _Parser(prog="frontdesk", description="Front-desk queue and appointments.")
    parser.add_argument("--version", action="version", version=f"frontdesk {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def add(name: str, handler: Handler, help: str, parent: Any = sub) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = parent.add_parser(
            name, parents=[common], help=help, description=help
        )
        p.set_defaults(handler=handler)
        return p

    # The order of registration is the order `frontdesk --help` lists the commands in.
    cli_admin.register_init(sub, add)
    cli_queue.register(sub, add)

    report = sub.add_parser("report", help="reports")
    rsub = report.add_subparsers(dest="report_command", required=True, parser_class=_Parser)
    cli_reports.register_report(rsub, add)
    cli_appointments.register_report(rsub, add, _emit, _services)
    cli_web.register_report(rsub, add)
    cli_appointments.register(sub, add, _emit, _services)

    cli_apps.register(sub, add)
    cli_admin.register(sub, add)
    cli_reports.register(sub, add)
    cli_web.register(sub, add)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        status = int(args.handler(args))
        opened = getattr(args, "_opened", None)
        if opened is not None:
            opened.queue.after_call.drain()  # queued notifications, before the process ends
        return status
    except FrontdeskError as exc:
        print(f"frontdesk: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
