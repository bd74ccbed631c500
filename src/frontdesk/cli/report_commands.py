"""`frontdesk report …`: summary by period, hours, query types, advisers, repeat visits,
and `rebuild` (the rollups from the event log). Each report takes `--centre` as a code,
several codes (A,B) or ALL, and prints a table, `--json`, `--csv` or `--xlsx FILE`."""

from __future__ import annotations

import argparse
from typing import Any

from frontdesk.cli.common import Commands, emit, services
from frontdesk.cli.report_output import add_output_options, emit_report

CENTRE_HELP = "a centre code, several (CIVIC,GATEFIELD) or ALL"


def report_options(p: argparse.ArgumentParser, *, centre_required: bool = True) -> None:
    p.add_argument("--centre", required=centre_required, help=CENTRE_HELP)
    p.add_argument("--from", dest="date_from", required=True, help="first local date")
    p.add_argument("--to", dest="date_to", required=True, help="last local date (inclusive)")
    add_output_options(p)


def _period(args: argparse.Namespace) -> tuple[Any, Any]:
    from frontdesk.services.reports import parse_day

    return parse_day(args.date_from, "--from"), parse_day(args.date_to, "--to")


def cmd_summary(args: argparse.Namespace) -> int:
    report = services(args).reports.summary(args.centre, *_period(args), by=args.by)
    emit_report(args, report)
    return 0


def cmd_hours(args: argparse.Namespace) -> int:
    emit_report(args, services(args).reports.hours(args.centre, *_period(args)))
    return 0


def cmd_queries(args: argparse.Namespace) -> int:
    emit_report(args, services(args).reports.queries(args.centre, *_period(args)))
    return 0


def cmd_advisers(args: argparse.Namespace) -> int:
    emit_report(args, services(args).reports.advisers(args.centre, *_period(args)))
    return 0


def cmd_repeats(args: argparse.Namespace) -> int:
    emit_report(args, services(args).reports.repeats(args.centre, *_period(args), args.days))
    return 0


def cmd_rebuild(args: argparse.Namespace) -> int:
    from frontdesk.services.reports import parse_day

    day_from = parse_day(args.date_from, "--from") if args.date_from else None
    day_to = parse_day(args.date_to, "--to") if args.date_to else None
    done = services(args).reports.rebuild(args.centre, day_from, day_to)
    payload = {
        "centres": len(done.centres),
        "days": done.days,
        "visits": done.visits,
        "seconds": round(done.seconds, 3),
    }
    emit(
        args,
        payload,
        lambda: print(
            f"rebuilt the rollups of {done.visits} visits over {done.days} days at "
            f"{len(done.centres)} centres in {done.seconds:.1f} s"
        ),
    )
    return 0


def register(report: Commands) -> None:
    """Add summary, hours, queries, advisers, repeats and rebuild under `report`."""
    p = report.add("summary", cmd_summary, "the return by day, week, month, quarter or year")
    report_options(p)
    p.add_argument("--by", default="month", choices=("day", "week", "month", "quarter", "year"))
    p = report.add("hours", cmd_hours, "arrivals and waits by hour of day and day of week")
    report_options(p)
    p = report.add("queries", cmd_queries, "queries by type: handling time, FCR, avoidable")
    report_options(p)
    p = report.add("advisers", cmd_advisers, "per adviser: customers, handling, FCR, time")
    report_options(p)
    p = report.add("repeats", cmd_repeats, "repeat visits: back about the same service")
    report_options(p)
    p.add_argument("--days", type=int, help="the repeat window (default: the council's)")
    p = report.add("rebuild", cmd_rebuild, "recompute the rollups from the event log")
    p.add_argument("--centre", help=CENTRE_HELP + " (default: all)")
    p.add_argument("--from", dest="date_from", help="first local date (default: the first)")
    p.add_argument("--to", dest="date_to", help="last local date (default: the last)")
