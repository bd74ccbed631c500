"""How reports leave the `frontdesk` command: a readable table (its caption states the
period, centres, standard and denominators), `--json`, `--csv` on standard output, or
`--xlsx FILE` (the table on one sheet, what it covers on another; the writers are
`frontdesk.services.reports.export`, shared with the supervisor's reports screen)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from frontdesk.cli.common import console, json_default
from frontdesk.errors import InvalidInput
from frontdesk.services.reports.export import cell, write_csv, write_xlsx


def add_output_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--csv", action="store_true", help="write the table as CSV to standard output")
    p.add_argument("--xlsx", metavar="FILE", help="write the report to a spreadsheet")


def emit_report(
    args: argparse.Namespace,
    report: Any,
    payload: dict[str, Any] | None = None,
    human: Callable[[], None] | None = None,
) -> None:
    """Send a report where the options ask: the spreadsheet first (if asked), then one
    of JSON, CSV or the table on standard output."""
    if args.json and args.csv:
        raise InvalidInput("choose one of --json and --csv")
    if args.xlsx:
        path = write_xlsx(report, Path(args.xlsx))
        if not args.json and not args.csv:
            print(f"wrote {report.title.lower()} to {path}")
    if args.json:
        data = report.as_json() if payload is None else payload
        print(json.dumps(data, default=json_default, ensure_ascii=False))
    elif args.csv:
        write_csv(report, sys.stdout)
    elif not args.xlsx:
        (human or (lambda: print_table(report)))()


def print_table(report: Any) -> None:
    from rich import box
    from rich.table import Table

    shown = [c for c in report.columns if c.brief]
    caption = report.caption()
    if any(c.kind == "seconds" for c in shown):
        caption += "\ntimes in minutes:seconds"
    if len(shown) < len(report.columns):
        caption += "\nmore columns with --csv, --xlsx FILE or --json"
    table = Table(title=report.title, caption=caption, caption_justify="left", box=box.SIMPLE_HEAD)
    cells = [[cell(row.get(col.key), col.kind) for col in shown] for row in report.rows]
    for i, col in enumerate(shown):
        # Codes, periods and figures are read whole; the headings wrap instead.
        word = max(len(w) for w in col.label.split())
        widest = min(max([len(r[i]) for r in cells] + [word]), 16)
        right = col.kind not in ("text", "date")
        table.add_column(col.label, min_width=widest, justify="right" if right else "left")
    for r in cells:
        table.add_row(*r)
    if not report.rows:
        table.add_row("nothing in this period", *[""] * (len(shown) - 1))
    console().print(table)
