"""A report's table written out: cells in words, CSV, and the XLSX workbook (the table
on one sheet, what it covers on another). Shared by the `frontdesk report` commands and
the supervisor's reports screen, so both export the same shapes."""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from frontdesk.errors import FrontdeskError
from frontdesk.services.reports.common import Report, standard_words


def clock_time(seconds: float) -> str:
    """A duration as m:ss (h:mm:ss from an hour)."""
    m, s = divmod(max(0, round(seconds)), 60)
    return f"{m}:{s:02d}" if m < 60 else f"{m // 60}:{m % 60:02d}:{s:02d}"


def cell(value: Any, kind: str) -> str:
    """One figure as it reads in a table: shares in per cent, durations as m:ss."""
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


def write_csv(report: Report, out: Any) -> None:
    """One header row of column keys, then the rows: shares as fractions, durations in
    seconds, nothing for a figure without a denominator."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.key for c in report.columns])
    for row in report.rows:
        writer.writerow(["" if row.get(c.key) is None else row.get(c.key) for c in report.columns])


def csv_text(report: Report) -> str:
    out = io.StringIO()
    write_csv(report, out)
    return out.getvalue()


def xlsx_bytes(report: Report) -> bytes:
    """The report as a workbook: the table (durations as times, shares as percentages)
    and an "About" sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = report.name[:31]
    sheet.append([c.label for c in report.columns])
    for c in sheet[1]:
        c.font = Font(bold=True)
    for row in report.rows:
        sheet.append([_xlsx_value(row.get(c.key), c.kind) for c in report.columns])
    for i, col in enumerate(report.columns, start=1):
        letter = sheet.cell(row=1, column=i).column_letter
        fmt = {"share": "0.0%", "seconds": "[h]:mm:ss", "number": "0.0"}.get(col.kind)
        if fmt:
            for (c,) in sheet.iter_rows(min_row=2, min_col=i, max_col=i):
                c.number_format = fmt
        sheet.column_dimensions[letter].width = max(10, min(40, len(col.label) + 2))
    sheet.freeze_panes = "A2"
    about = book.create_sheet("About")
    for line in _about(report):
        about.append(line)
    about.column_dimensions["A"].width = 28
    about.column_dimensions["B"].width = 90
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_xlsx(report: Report, path: Path, field: str = "--xlsx") -> Path:
    """The workbook written to a temporary file beside `path` and moved into place
    whole (never half a spreadsheet)."""
    data = xlsx_bytes(report)
    target = path.expanduser()
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=".frontdesk-", suffix=".xlsx", dir=folder)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise FrontdeskError(f"{field} {path}: cannot write: {exc.strerror or exc}") from None
    return target


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _xlsx_value(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind == "seconds":
        return timedelta(seconds=float(value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict | list):
        return json.dumps(value, default=_json_default)
    return value


def _about(report: Report) -> list[list[Any]]:
    lines: list[list[Any]] = [
        ["report", report.title],
        ["from", report.date_from.isoformat()],
        ["to", report.date_to.isoformat()],
        ["centres", ", ".join(report.centres)],
        ["standard in force", standard_words(report)],
    ]
    lines += [[k, v] for k, v in report.extra.items()]
    lines += [[f"{k}: out of", v] for k, v in report.denominators.items()]
    lines += [["note", n] for n in report.notes]
    return lines
