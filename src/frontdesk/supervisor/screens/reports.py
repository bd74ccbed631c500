"""Reports from the dashboard: pick a report, a period and centres, see it, export it
(CSV, delivered as a download — a file in the terminal, the browser's download when
served).

`REPORTS` is the one list of what can be picked; the reports issue's reports and the
staffing plan are added there.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Header, Input, Select, SelectionList, Static

from frontdesk.errors import FrontdeskError
from frontdesk.services.reports import parse_day
from frontdesk.services.wiring import Services

Report = Callable[[Services, str, date, date], dict[str, Any]]


def _standard(services: Services, centre: str, day_from: date, day_to: date) -> dict[str, Any]:
    return services.reports.standard(centre, day_from, day_to).as_json()


def _appointments(services: Services, centre: str, day_from: date, day_to: date) -> dict[str, Any]:
    from frontdesk.services.appointments.reports import appointments_report

    return appointments_report(services.appointments, day_from, day_to, centre)


REPORTS: dict[str, tuple[str, Report]] = {
    "standard": ("Waiting standard and first-contact resolution", _standard),
    "appointments": ("Appointments: punctuality, no-shows, utilisation", _appointments),
}


def flatten(data: Any, prefix: str = "") -> dict[str, str]:
    """A report's JSON as rows of (figure, value) for the table and the CSV."""
    if isinstance(data, dict | list):
        items = data.items() if isinstance(data, dict) else enumerate(data)
        out: dict[str, str] = {}
        for key, value in items:
            out.update(flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return out
    if isinstance(data, float):
        return {prefix: f"{data:.4g}"}
    return {prefix: "" if data is None else str(data)}


class ReportsScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("ctrl+e", "export", "Export CSV"),
    ]

    def __init__(self, services: Services, today: date) -> None:
        super().__init__()
        self.services = services
        self.today = today
        self.rows: dict[str, dict[str, str]] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Select(
            [(title, key) for key, (title, _) in REPORTS.items()],
            value="standard",
            allow_blank=False,
            id="report",
        )
        with Horizontal(id="period"):
            monday = self.today - timedelta(days=self.today.weekday())
            yield Input(monday.isoformat(), placeholder="from (YYYY-MM-DD)", id="from")
            yield Input(self.today.isoformat(), placeholder="to (YYYY-MM-DD)", id="to")
            yield Button("Show", id="show", variant="primary")
            yield Button("Export CSV", id="export")
        centres = list(self.services.queue.catalogue().centres.values())
        yield SelectionList[str](*((c.name, c.code, True) for c in centres), id="centres")
        yield Static("", id="report-problem")
        yield DataTable(id="report-table")
        yield Footer()

    @on(Button.Pressed, "#show")
    def _show(self) -> None:
        self.run_report()

    @on(Button.Pressed, "#export")
    def _export(self) -> None:
        self.action_export()

    def run_report(self) -> None:
        key = str(self.query_one("#report", Select).value)
        centres = list(self.query_one("#centres", SelectionList).selected)
        try:
            day_from = parse_day(self.query_one("#from", Input).value.strip(), "from")
            day_to = parse_day(self.query_one("#to", Input).value.strip(), "to")
        except FrontdeskError as exc:
            self.query_one("#report-problem", Static).update(str(exc))
            return
        if not centres:
            self.query_one("#report-problem", Static).update("centres: pick at least one centre")
            return
        self.query_one("#report-problem", Static).update("Working…")
        self._run(key, centres, day_from, day_to)

    @work(thread=True, exclusive=True, group="report")
    def _run(self, key: str, centres: list[str], day_from: date, day_to: date) -> None:
        try:
            rows = {
                c: flatten(REPORTS[key][1](self.services, c, day_from, day_to)) for c in centres
            }
        except FrontdeskError as exc:
            self.app.call_from_thread(self.query_one("#report-problem", Static).update, str(exc))
            return
        self.app.call_from_thread(self._table, rows)

    def _table(self, rows: dict[str, dict[str, str]]) -> None:
        self.rows = rows
        self.query_one("#report-problem", Static).update("")
        table = self.query_one("#report-table", DataTable)
        table.clear(columns=True)
        table.add_columns("Figure", *rows)
        figures = list(dict.fromkeys(k for r in rows.values() for k in r))
        for figure in figures:
            table.add_row(figure, *(r.get(figure, "") for r in rows.values()))

    def csv_text(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["figure", *self.rows])
        figures = list(dict.fromkeys(k for r in self.rows.values() for k in r))
        for figure in figures:
            writer.writerow([figure, *(r.get(figure, "") for r in self.rows.values())])
        return out.getvalue()

    def action_export(self) -> None:
        if not self.rows:
            self.notify("Show a report first, then export it.", severity="warning")
            return
        key = str(self.query_one("#report", Select).value)
        name = (
            f"frontdesk-{key}-{self.query_one('#from', Input).value}-"
            f"{self.query_one('#to', Input).value}.csv"
        )
        self.app.deliver_text(io.StringIO(self.csv_text()), save_filename=name)
        self.notify(f"Exported {name}")
