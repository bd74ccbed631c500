"""`frontdesk report estimates`: how accurate the waits told to visitors were.

Over the walk-in tickets issued at a centre in a period that were seen and carried an
estimate: mean absolute error, mean error (bias; positive = waited longer than told),
share of waits inside the 80% interval, share told more than 5 minutes too little —
overall, by service and by local hour of issue.
"""

from __future__ import annotations

import argparse
from typing import Any

from frontdesk.cli.common import Commands, centre_option, console, emit, minutes, services


def cmd_report_estimates(args: argparse.Namespace) -> int:
    from frontdesk.services.estimate_report import estimate_accuracy
    from frontdesk.services.reports import parse_day

    report = estimate_accuracy(
        services(args).queue,
        args.centre,
        parse_day(args.date_from, "--from"),
        parse_day(args.date_to, "--to"),
    )
    emit(args, report.as_json(), lambda: _print(report))
    return 0


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def _signed(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    return ("+" if seconds > 0 else "-" if seconds < 0 else "") + minutes(int(abs(seconds)))


def _print(report: Any) -> None:
    from rich.table import Table

    period = (
        report.date_from.isoformat()
        if report.date_from == report.date_to
        else f"{report.date_from} to {report.date_to}"
    )
    table = Table(
        title=f"{report.centre} estimated waits, {period}",
        caption=(
            f"{report.seen} tickets seen of {report.estimated} walk-ins given an estimate. "
            "Error = waited − told (positive: waited longer than told)."
        ),
    )
    for col in ("", "tickets", "mean abs. error", "bias", "inside 80% range", "told >5 min short"):
        table.add_column(col, justify="right" if col else "left")

    def row(label: str, f: Any) -> None:
        table.add_row(
            label,
            str(f.tickets),
            "—"
            if f.mean_absolute_error_seconds is None
            else minutes(int(f.mean_absolute_error_seconds)),
            _signed(f.mean_error_seconds),
            _pct(f.share_inside_interval),
            _pct(f.share_under_by_more_than_5_minutes),
        )

    row("all", report.overall)
    for code, f in report.by_service.items():
        row(code, f)
    for hour, f in report.by_hour.items():
        row(hour, f)
    console().print(table)


def register_report(report: Commands) -> None:
    """Add `report estimates` under the `report` command."""
    p = report.add("estimates", cmd_report_estimates, "how accurate the estimated waits were")
    centre_option(p)
    p.add_argument("--from", dest="date_from", required=True, help="first local date")
    p.add_argument("--to", dest="date_to", required=True, help="last local date (inclusive)")
