"""`frontdesk` subcommands for the web face: API tokens for council systems
(`api-token add|list|revoke`) and the visitors' ratings (`report satisfaction`).

`serve web` itself is with the other `serve` targets (cli_apps)."""

from __future__ import annotations

import argparse

from frontdesk.cli.common import Commands, centre_option, console, emit, services
from frontdesk.services.api_tokens import SCOPES, parse_scopes


def cmd_token_add(args: argparse.Namespace) -> int:
    scopes = parse_scopes(args.scope)  # a bad scope is refused before anything is written
    made = services(args).api_tokens.add(args.name, scopes, by=args.staff)
    payload = {**made.info.as_json(), "token": made.token}

    def human() -> None:
        print(f"API token '{made.info.name}' ({', '.join(made.info.scopes)}):")
        print(made.token)
        print("Keep it now: it is stored only as a hash and cannot be shown again.")

    emit(args, payload, human)
    return 0


def cmd_token_list(args: argparse.Namespace) -> int:
    tokens = services(args).api_tokens.list()

    def human() -> None:
        from rich.table import Table

        table = Table(title=f"{len(tokens)} API tokens")
        for col in ("name", "scopes", "made", "last used", "revoked"):
            table.add_column(col)
        for t in tokens:
            table.add_row(
                t.name,
                ", ".join(t.scopes),
                f"{t.created_at:%Y-%m-%d %H:%M}",
                f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never",
                f"{t.revoked_at:%Y-%m-%d %H:%M}" if t.revoked_at else "",
            )
        console().print(table)

    emit(args, {"tokens": [t.as_json() for t in tokens]}, human)
    return 0


def cmd_token_revoke(args: argparse.Namespace) -> int:
    info = services(args).api_tokens.revoke(args.name, by=args.staff)
    emit(args, info.as_json(), lambda: print(f"API token '{info.name}' is revoked"))
    return 0


def cmd_report_satisfaction(args: argparse.Namespace) -> int:
    from frontdesk.services.reports import parse_day

    day_from, day_to = parse_day(args.date_from, "--from"), parse_day(args.date_to, "--to")
    figures = services(args).visitors.satisfaction(args.centre, day_from, day_to)

    def share(value: float | None) -> str:
        return "–" if value is None else f"{value * 100:.1f}%"

    def human() -> None:
        f = figures
        print(f"{f.centre}: how visitors rated their visits, {f.date_from} to {f.date_to}")
        print(f"  answers            {f.responses} of {f.visits} visits ({share(f.response_rate)})")
        average = "–" if f.average_rating is None else f"{f.average_rating:.2f} of 5"
        print(f"  average            {average}")
        print(f"  rated 4 or 5       {share(f.satisfied_share)}")
        print("  ratings            " + "  ".join(f"{k}: {v}" for k, v in f.ratings.items()))
        for comment in f.comments[:10]:
            print(f"  “{comment}”")

    emit(args, figures.as_json(), human)
    return 0


def register(commands: Commands) -> None:
    """`api-token add|list|revoke`."""
    gsub = commands.group("api-token", "API tokens for council systems (HTTP API)")
    p = gsub.add("add", cmd_token_add, "make a token (shown once; stored as a hash)")
    p.add_argument("--name", required=True, help="who uses it, e.g. crm")
    p.add_argument(
        "--scope",
        action="append",
        required=True,
        help=f"what it may do: {', '.join(SCOPES)} (repeat, or comma-separated)",
    )
    gsub.add("list", cmd_token_list, "the tokens, their scopes and last use")
    p = gsub.add("revoke", cmd_token_revoke, "revoke a token by name (it stops working at once)")
    p.add_argument("name")


def register_report(report: Commands) -> None:
    """`report satisfaction`."""
    p = report.add("satisfaction", cmd_report_satisfaction, "visitors' ratings of their visits")
    centre_option(p)
    p.add_argument("--from", dest="date_from", required=True, help="first local date")
    p.add_argument("--to", dest="date_to", required=True, help="last local date")
