"""The `frontdesk` command: administration, scripting (stable `--json`) and simulation.

Every subcommand exits 0 on success and non-zero with a one-line error on bad input.

This module builds the parser and runs the chosen handler; the handlers live in one
module per command group, each adding its commands with `register(commands)`
(`frontdesk.cli.common.Commands`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from frontdesk import __version__
from frontdesk.cli import (
    admin,
    appointments,
    apps,
    audit,
    backup,
    estimates,
    queue,
    report_commands,
    reports,
    safety,
    serve,
    staff,
    staffing,
    web,
)
from frontdesk.cli.common import Commands, Parser, finish
from frontdesk.errors import FrontdeskError

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        help="SQLAlchemy URL of the store (default: FRONTDESK_DB or "
        "an SQLite file in the user data directory)",
    )
    common.add_argument("--json", action="store_true", help="print one JSON object")
    common.add_argument("--staff", help="the staff code acting (for the audit log)")

    parser = Parser(prog="frontdesk", description="Front-desk queue and appointments.")
    parser.add_argument("--version", action="version", version=f"frontdesk {__version__}")
    commands = Commands(
        parser.add_subparsers(dest="command", required=True, parser_class=Parser), common
    )

    # The order of registration is the order `frontdesk --help` lists the commands in.
    admin.register_init(commands)
    queue.register(commands)
    report = commands.group("report", "reports")
    reports.register_report(report)
    report_commands.register(report)
    estimates.register_report(report)
    appointments.register_report(report)
    web.register_report(report)
    appointments.register(commands)
    apps.register(commands)
    serve.register(commands)
    staff.register(commands)
    admin.register(commands)
    audit.register(commands)
    backup.register(commands)
    reports.register(commands)
    staffing.register(commands)
    web.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        safety.check_arguments(argv)
        args = build_parser().parse_args(argv)
        status = int(args.handler(args))
        finish(args)
        sys.stdout.flush()  # a closed pipe shows here, not in Python's flush at exit
        return status
    except FrontdeskError as exc:
        print(safety.error_line(str(exc)), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return safety.output_closed()
    except SystemExit:
        raise
    except Exception as exc:  # the last resort: one line, never a traceback
        return safety.unexpected(exc)
