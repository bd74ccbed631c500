"""How reports leave the `frontdesk` command: a readable table (its caption states the
period, centres, standard and denominators), `--json`, `--csv` on standard output, or
`--xlsx FILE` (the table on one sheet, what it covers on another)."""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import tempfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from frontdesk.cli.common import console, json_default
from frontdesk.errors import FrontdeskError, InvalidInput


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


def _cell(value: Any, kind: str) -> str:
    if value is None:
        return "—"
    if kind == "share":
        return f"{value * 100:.1f}%"
    if kind == "seconds":
        return clock_time(value)
    if kind == "number":
        return f"{value:.1f}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def clock_time(seconds: float) -> str:
    """A duration as m:ss (h:mm:ss from an hour)."""
    m, s = divmod(max(0, round(seconds)), 60)
    return f"{m}:{s:02d}" if m < 60 else f"{m // 60}:{m % 60:02d}:{s:02d}"


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
    cells = [[_cell(row.get(col.key), col.kind) for col in shown] for row in report.rows]
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


def write_csv(report: Any, out: Any) -> None:
    """One header row of column keys, then the rows: shares as fractions, durations in
    seconds, nothing for a figure without a denominator."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.key for c in report.columns])
    for row in report.rows:
        writer.writerow(["" if row.get(c.key) is None else row.get(c.key) for c in report.columns])


def write_xlsx(report: Any, path: Path) -> Path:
    """The report as a workbook: the table (durations as times, shares as percentages)
    and an "About" sheet. Written to a temporary file and moved into place whole."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = report.name[:31]
    sheet.append([c.label for c in report.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in report.rows:
        sheet.append([_xlsx_value(row.get(c.key), c.kind) for c in report.columns])
    for i, col in enumerate(report.columns, start=1):
        letter = sheet.cell(row=1, column=i).column_letter
        fmt = {"share": "0.0%", "seconds": "[h]:mm:ss", "number": "0.0"}.get(col.kind)
        if fmt:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=i, max_col=i):
                cell.number_format = fmt
        sheet.column_dimensions[letter].width = max(10, min(40, len(col.label) + 2))
    sheet.freeze_panes = "A2"
    about = book.create_sheet("About")
    for line in _about(report):
        about.append(line)
    about.column_dimensions["A"].width = 28
    about.column_dimensions["B"].width = 90
    target = path.expanduser()
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=".frontdesk-", suffix=".xlsx", dir=folder)
        os.close(fd)
        try:
            book.save(tmp)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise FrontdeskError(f"--xlsx {path}: cannot write: {exc.strerror or exc}") from None
    return target


def _xlsx_value(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind == "seconds":
        return timedelta(seconds=float(value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict | list):
        return json.dumps(value, default=json_default)
    return value


def _about(report: Any) -> list[list[Any]]:
    from frontdesk.services.reports.common import standard_words

    lines: list[list[Any]] = [
        ["report", report.title],
        ["from", report.date_from.isoformat()],
        ["to", report.date_to.isoformat()],
        ["centres", ", ".join(report.centres)],
        ["standard in force", standard_words(report)],
    ]
    lines += [[k, v] for k, v in getattr(report, "extra", {}).items()]
    lines += [[f"{k}: out of", v] for k, v in report.denominators.items()]
    lines += [["note", n] for n in report.notes]
    return lines
