"""One centre in detail: the outlook, per service, per desk, today by hour, the breach
advice (apply the actions the dashboard can apply), the alert feed and the estimate
accuracy line."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Header, Static

from frontdesk.services.oversight import Action, CentreView
from frontdesk.services.wiring import Services
from frontdesk.supervisor.screens.base import LiveScreen
from frontdesk.supervisor.screens.move_desk import MoveDeskScreen
from frontdesk.supervisor.widgets.advice import AdviceList, AlertFeed, alert_feed
from frontdesk.supervisor.widgets.centre_tables import DeskTable, ServiceTable, outlook_line
from frontdesk.supervisor.widgets.charts import HourCharts


class CentreScreen(LiveScreen):
    BINDINGS = [
        Binding("escape", "back", "All centres"),
        Binding("m", "move_desk", "Move desk / order"),
        Binding("q", "mark_quick", "Mark quick queries"),
        Binding("k", "kiosk_offer", "Kiosk: alternatives first"),
        Binding("r", "app.reports", "Reports"),
        Binding("s", "app.staffing", "Staffing"),
        Binding("c", "app.contrast", "High contrast"),
        Binding("ctrl+q", "app.quit", "Quit"),
    ]

    def __init__(self, services: Services, centre: str, staff: str) -> None:
        super().__init__(services)
        self.centre = centre
        self.staff = staff

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="outlook-line")
        with VerticalScroll(id="centre-body"):
            yield Static("[b]Per service[/b] (q: mark quick queries · k: kiosk offer)")
            yield ServiceTable(id="services")
            with Horizontal(id="middle"):
                with Vertical(id="desks-side"):
                    yield Static("[b]Per desk[/b] (m: move desk / change order)")
                    yield DeskTable(id="desks")
                with Vertical(id="advice-side"):
                    yield Static("[b]Breaches foreseen: what to do[/b]")
                    yield AdviceList(id="advice")
            yield HourCharts(id="charts")
            yield Static("[b]Alerts today[/b]")
            yield AlertFeed("", id="alerts")
            yield Static("", id="accuracy")
        yield Footer()

    def read(self) -> CentreView:
        return self.services.oversight.centre(self.centre)

    def show(self, view: CentreView) -> None:
        contrast = getattr(self.app, "high_contrast", False)
        self.app.sub_title = f"{view.name} · {self.staff}"
        self.query_one("#outlook-line", Static).update(outlook_line(view, contrast))
        services = self.query_one(ServiceTable)
        services.contrast = contrast
        services.show(view)
        self.query_one(DeskTable).show(view)
        self.query_one(AdviceList).show(view)
        self.query_one(HourCharts).show(view)
        timezone = self.services.queue.centre(view.code).timezone
        self.query_one(AlertFeed).update(alert_feed(view, timezone))
        self.query_one("#accuracy", Static).update(view.accuracy)

    def action_back(self) -> None:
        self.app.show_council()  # type: ignore[attr-defined]

    # -- the supervisor's actions ----------------------------------------------------

    @on(AdviceList.Chosen)
    def _chosen(self, event: AdviceList.Chosen) -> None:
        self.apply(event.action)

    def apply(self, action: Action) -> None:
        """Apply an advised action the dashboard can apply; the others stay advice."""
        o = self.services.oversight
        if not action.applicable:
            self.notify(f"Advice only: {action.title}. {action.detail}", timeout=8)
            return
        if action.kind in ("move-desk", "reorder-desk") and action.desk:
            desk, order = action.desk, action.desk_services
            self.act(
                lambda: "Desk {} now serves {}".format(
                    desk, " › ".join(o.move_desk(self.centre, desk, order, staff=self.staff))
                )
            )
        elif action.kind == "comb-quick":
            self.mark_quick(action.service)
        elif action.kind == "kiosk-offer":
            self.kiosk_offer(action.service, True)

    def action_move_desk(self) -> None:
        desk = self.query_one(DeskTable).chosen
        if self.view is None or desk is None:
            return
        row = next(d for d in self.view.desks if d.name == desk)
        offered = tuple(s.code for s in self.view.services)

        def done(services: tuple[str, ...] | None) -> None:
            if services:
                o = self.services.oversight
                self.act(
                    lambda: "Desk {} now serves {}".format(
                        desk, " › ".join(o.move_desk(self.centre, desk, services, staff=self.staff))
                    )
                )

        self.app.push_screen(MoveDeskScreen(desk, row.services, offered), done)

    def action_mark_quick(self) -> None:
        service = self.query_one(ServiceTable).chosen
        if service:
            self.mark_quick(service)

    def mark_quick(self, service: str) -> None:
        o = self.services.oversight
        self.act(
            lambda: (
                f"{o.mark_quick(self.centre, service, staff=self.staff)} quick {service} "
                "queries marked; the desks are asked to comb them"
            )
        )

    def action_kiosk_offer(self) -> None:
        service = self.query_one(ServiceTable).chosen
        if service and self.view is not None:
            row = next(s for s in self.view.services if s.code == service)
            self.kiosk_offer(service, not row.kiosk_offers_alternatives)

    def kiosk_offer(self, service: str, on: bool) -> None:
        o = self.services.oversight

        def call() -> str:
            o.offer_alternatives(self.centre, service, on, staff=self.staff)
            if on:
                return f"The kiosk offers appointments and callbacks first for {service}"
            return f"The kiosk issues {service} tickets first again"

        self.act(call)
