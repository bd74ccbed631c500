"""The staffing plan from the dashboard: for a centre and an ISO week, the desks needed
each opening hour (`services.staffing.week`), the Erlang C figure beside it, the
forecast arrivals and the share within standard each is projected to reach."""

from __future__ import annotations

from datetime import date

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Header, Input, Select, Static

from frontdesk.errors import FrontdeskError
from frontdesk.planning.model import WeekPlan
from frontdesk.services.staffing import parse_week, week_label
from frontdesk.services.wiring import Services

COLUMNS = (
    "day",
    "hour",
    "desks",
    "Erlang C",
    "arrivals",
    "projected within standard",
    "Erlang C's projection",
    "meets standard",
)


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


class StaffingScreen(Screen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def __init__(self, services: Services, today: date, centre: str | None = None) -> None:
        super().__init__()
        self.services = services
        self.today = today
        self.centre = centre
        self.plan: WeekPlan | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        centres = list(self.services.queue.catalogue().centres.values())
        with Horizontal(id="period"):
            yield Select(
                [(c.name, c.code) for c in centres],
                value=self.centre or centres[0].code,
                allow_blank=False,
                id="plan-centre",
            )
            yield Input(week_label(self.today), placeholder="week (2026-W50)", id="week")
            yield Button("Show", id="plan-show", variant="primary")
        yield Static("", id="report-problem")
        yield DataTable(id="plan-table")
        yield Static("", id="plan-notes")
        yield Footer()

    @on(Button.Pressed, "#plan-show")
    @on(Input.Submitted, "#week")
    def _show(self) -> None:
        centre = str(self.query_one("#plan-centre", Select).value)
        week = self.query_one("#week", Input).value.strip()
        self.query_one("#report-problem", Static).update("Working… (each hour is simulated)")
        self._run(centre, week)

    @work(thread=True, exclusive=True, group="plan")
    def _run(self, centre: str, week: str) -> None:
        try:
            parse_week(week, "week")  # named as the screen names it, not as the command
            plan = self.services.staffing.week(centre, week)
        except FrontdeskError as exc:
            self.app.call_from_thread(self.query_one("#report-problem", Static).update, str(exc))
            return
        self.app.call_from_thread(self._table, plan)

    def _table(self, plan: WeekPlan) -> None:
        self.plan = plan
        self.query_one("#report-problem", Static).update("")
        table = self.query_one("#plan-table", DataTable)
        table.clear(columns=True)
        table.add_columns(*COLUMNS)
        for day in plan.days:
            for h in day.hours:
                table.add_row(
                    day.day.strftime("%a %d %b"),
                    h.slot.label,
                    str(h.desks),
                    str(h.erlang_desks),
                    f"{h.forecast_arrivals:.1f}",
                    _pct(h.projected_share),
                    _pct(h.erlang_projected_share),
                    "yes" if h.meets_standard else "NO",
                )
        s = plan.standard
        lines = [
            f"{plan.centre} {plan.week}: {plan.desk_hours:.0f} desk-hours "
            f"(Erlang C: {plan.erlang_desk_hours:.0f}); standard "
            f"{s.target_share * 100:g}% within {s.threshold_minutes:g} min",
            *plan.notes,
        ]
        if plan.opening_order:
            lines.append("open desks in this order: " + ", ".join(plan.opening_order))
        self.query_one("#plan-notes", Static).update("\n".join(lines))
