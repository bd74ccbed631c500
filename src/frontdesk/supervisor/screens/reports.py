"""Reports from the dashboard: pick a report, a period and centres, see it, export it
(CSV or a spreadsheet, delivered as a download — a file in the terminal, the browser's
download when served).

`REPORTS` is the one list of what can be picked: every report of `frontdesk report`
(the summary by month, hours, query types, advisers, repeat visits, the waiting standard,
appointments) and the estimates' accuracy, each through its service and shown as the
same table the command prints; the exports are the command's `--csv` and `--xlsx`.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, timedelta

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Header, Input, Select, SelectionList, Static

from frontdesk.errors import FrontdeskError
from frontdesk.services.reports import parse_day
from frontdesk.services.reports.common import Report, check_period, select_centres
from frontdesk.services.reports.export import cell, csv_text, xlsx_bytes
from frontdesk.services.wiring import Services

Run = Callable[[Services, str, date, date], Report]


def _appointments(services: Services, centres: str, day_from: date, day_to: date) -> Report:
    from frontdesk.services.appointments.reports import appointments_report
    from frontdesk.services.reports.appointments import as_table

    data = appointments_report(services.appointments, day_from, day_to, centres)
    return as_table(data, select_centres(services.queue, centres))


def _estimates(services: Services, centres: str, day_from: date, day_to: date) -> Report:
    from frontdesk.services.estimate_report import estimate_accuracy
    from frontdesk.services.reports.estimates import as_table

    chosen = select_centres(services.queue, centres)
    check_period(day_from, day_to)
    found = [estimate_accuracy(services.queue, c.code, day_from, day_to) for c in chosen]
    return as_table(found, chosen)


REPORTS: dict[str, tuple[str, Run]] = {
    "summary": (
        "Summary by month",
        lambda s, c, a, b: s.reports.summary(c, a, b, "month"),
    ),
    "hours": (
        "Hours: arrivals and waits by weekday and hour",
        lambda s, c, a, b: s.reports.hours(c, a, b),
    ),
    "queries": ("Query types", lambda s, c, a, b: s.reports.queries(c, a, b)),
    "advisers": ("Advisers", lambda s, c, a, b: s.reports.advisers(c, a, b)),
    "repeats": ("Repeat visits", lambda s, c, a, b: s.reports.repeats(c, a, b)),
    "standard": (
        "Waiting standard and first-contact resolution",
        lambda s, c, a, b: s.reports.standards(c, a, b)[1],
    ),
    "appointments": ("Appointments: punctuality, no-shows, utilisation", _appointments),
    "estimates": ("Estimated waits against waits had", _estimates),
}


class ReportsScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("ctrl+e", "export", "Export CSV"),
        Binding("ctrl+x", "export_xlsx", "Export spreadsheet"),
        Binding("ctrl+s", "app.staffing", "Staffing plan"),
    ]

    def __init__(self, services: Services, today: date) -> None:
        super().__init__()
        self.services = services
        self.today = today
        self.report: Report | None = None

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
            yield Button("Export spreadsheet", id="export-xlsx")
            yield Button("Staffing plan", id="staffing")
        centres = list(self.services.queue.catalogue().centres.values())
        yield SelectionList[str](*((c.name, c.code, True) for c in centres), id="centres")
        yield Static("", id="report-problem")
        yield DataTable(id="report-table")
        yield Static("", id="report-caption")
        yield Footer()

    @on(Button.Pressed, "#show")
    def _show(self) -> None:
        self.run_report()

    @on(Button.Pressed, "#export")
    def _export(self) -> None:
        self.action_export()

    @on(Button.Pressed, "#export-xlsx")
    def _export_xlsx(self) -> None:
        self.action_export_xlsx()

    @on(Button.Pressed, "#staffing")
    async def _staffing(self) -> None:
        await self.run_action("app.staffing")

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
        self._run(key, ",".join(centres), day_from, day_to)

    @work(thread=True, exclusive=True, group="report")
    def _run(self, key: str, centres: str, day_from: date, day_to: date) -> None:
        try:
            report = REPORTS[key][1](self.services, centres, day_from, day_to)
        except FrontdeskError as exc:
            self.app.call_from_thread(self.query_one("#report-problem", Static).update, str(exc))
            return
        self.app.call_from_thread(self._table, report)

    def _table(self, report: Report) -> None:
        self.report = report
        self.query_one("#report-problem", Static).update("")
        table = self.query_one("#report-table", DataTable)
        table.clear(columns=True)
        table.add_columns(*(c.label for c in report.columns))
        for row in report.rows:
            table.add_row(*(cell(row.get(c.key), c.kind) for c in report.columns))
        if not report.rows:
            table.add_row("nothing in this period", *[""] * (len(report.columns) - 1))
        self.query_one("#report-caption", Static).update(f"{report.title}\n{report.caption()}")

    def _export_name(self, ext: str) -> str | None:
        if self.report is None:
            self.notify("Show a report first, then export it.", severity="warning")
            return None
        r = self.report
        return f"frontdesk-{r.name}-{r.date_from}-{r.date_to}.{ext}"

    def action_export(self) -> None:
        name = self._export_name("csv")
        if name is None or self.report is None:
            return
        self.app.deliver_text(io.StringIO(csv_text(self.report)), save_filename=name)
        self.notify(f"Exported {name}")

    def action_export_xlsx(self) -> None:
        name = self._export_name("xlsx")
        if name is None or self.report is None:
            return
        self.app.deliver_binary(
            io.BytesIO(xlsx_bytes(self.report)),
            save_filename=name,
            mime_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        self.notify(f"Exported {name}")
