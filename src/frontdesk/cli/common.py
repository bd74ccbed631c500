"""What every `frontdesk` command module shares: the parser being built (`Commands`),
the process's services, the output (one JSON object with --json, text otherwise) and the
one-line parser errors."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from frontdesk.errors import InvalidInput

if TYPE_CHECKING:
    from frontdesk.services.wiring import Services

Handler = Callable[[argparse.Namespace], int]


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # one line, non-zero (argparse's own is 2 lines)
        from frontdesk.cli.safety import escaped

        self.exit(2, f"frontdesk: error: {escaped(message)} (see {self.prog} --help)\n")


class Commands:
    """Subcommands being added to the `frontdesk` parser (or to one command's group).

    Each command module has `register(commands)`; the order of registration is the order
    `frontdesk --help` lists the commands in.
    """

    def __init__(self, sub: Any, common: argparse.ArgumentParser) -> None:
        self._sub = sub  # argparse's (private) _SubParsersAction
        self._common = common

    def add(self, name: str, handler: Handler, help: str) -> argparse.ArgumentParser:
        """A subcommand with the common options (--db, --json, --staff)."""
        p: argparse.ArgumentParser = self._sub.add_parser(
            name, parents=[self._common], help=help, description=help
        )
        p.set_defaults(handler=handler)
        return p

    def group(self, name: str, help: str) -> Commands:
        """A command with subcommands of its own (`frontdesk NAME SUBCOMMAND`);
        the chosen one is in `args.NAME_command`."""
        parser = self._sub.add_parser(name, help=help)
        sub = parser.add_subparsers(dest=f"{name}_command", required=True, parser_class=Parser)
        return Commands(sub, self._common)


def services(args: argparse.Namespace) -> Services:
    """The process's services (one engine per process), opened on first use."""
    from frontdesk.services.wiring import open_services

    if getattr(args, "_opened", None) is None:
        from frontdesk.cli import identity

        args._opened = open_store(args.db, open_services)
        identity.confirm(args, args._opened)  # --staff and the PIN, before anything is done
    opened: Services = args._opened
    return opened


def finish(args: argparse.Namespace) -> None:
    """Before the process ends: send what the command queued (notifications)."""
    opened = getattr(args, "_opened", None)
    if opened is not None:
        opened.queue.after_call.drain()


def open_store(url: str | None, opener: Callable[[str | None], Any]) -> Any:
    """`opener(url)`, with a URL that names no usable store refused in one line."""
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    try:
        return opener(url)
    except (NoSuchModuleError, ImportError) as exc:
        raise InvalidInput(
            f"--db '{url}' names a database frontdesk cannot use here ({exc}); "
            "use sqlite:/// or postgresql://"
        ) from None
    except ArgumentError:
        raise InvalidInput(
            f"--db '{url}' is not a store URL (e.g. sqlite:///path/frontdesk.db or "
            "postgresql://user@host/dbname)"
        ) from None


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


def centre_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--centre", required=True, help="centre code, e.g. CIVIC")


def desk_options(p: argparse.ArgumentParser) -> None:
    centre_option(p)
    p.add_argument("--desk", required=True, help="desk name at the centre")


def hours_ahead(text: str) -> float:
    """An argparse type: a number of hours ahead, more than 0 and at most a year."""
    import math

    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and 0 < value <= 24 * 366):
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of hours from 0 to 8784")
    return value
