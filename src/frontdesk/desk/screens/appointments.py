"""A specialist's day: today's appointments, in or out of office, call one who has
checked in."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Input, Label

from frontdesk.errors import FrontdeskError
from frontdesk.queue.numbering import business_day
from frontdesk.services.appointments import Booking
from frontdesk.services.wiring import Services
from frontdesk.ui.i18n import n_
from frontdesk.ui.words import appointment_status


class _Day(Message):
    def __init__(self, bookings: list[Booking], note: str = "") -> None:
        super().__init__()
        self.bookings = bookings
        self.note = note


class AppointmentsScreen(ModalScreen[str | None]):
    """Dismisses with the ticket of a checked-in appointment to call, or None."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Back"),
        Binding("f5", "office(True)", "In office"),
        Binding("f6", "office(False)", "Out of office"),
    ]

    def __init__(self, services: Services, centre: str, specialist: str, zone: str) -> None:
        super().__init__()
        self.services = services
        self.centre = centre
        self.specialist = specialist
        self.zone = ZoneInfo(zone)
        self.bookings: list[Booking] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(f"Today's appointments — {self.specialist}", classes="question")
            yield DataTable(cursor_type="row", id="day")
            yield Input(placeholder="Reason when going out of office (then F6)", id="reason")
            yield Label("Enter on a checked-in appointment calls it.", id="note", classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#day", DataTable).add_columns("Time", "Type", "Status", "Ticket", "Ref")
        self._load()

    @work(thread=True, exclusive=True, group="day")
    def _load(self, note: str = "") -> None:
        try:
            today = business_day(self.services.clock.now(), str(self.zone))
            day = self.services.appointments.day(self.centre, today, self.specialist)
        except FrontdeskError as exc:
            self.post_message(_Day([], str(exc)))
            return
        self.post_message(_Day(day, note))

    @on(_Day)
    def _show(self, event: _Day) -> None:
        self.bookings = event.bookings
        table = self.query_one("#day", DataTable)
        table.clear()
        for b in event.bookings:
            at = b.starts_at.astimezone(self.zone).strftime("%H:%M")
            status = appointment_status(b.status)
            table.add_row(at, b.type_name, status, b.ticket or "–", b.reference, key=b.reference)
        if not event.bookings:
            table.add_row("", "no appointments today", "", "", "")
        if event.note:
            self.query_one("#note", Label).update(event.note)
        table.focus()

    @on(DataTable.RowSelected, "#day")
    def _chosen(self, event: DataTable.RowSelected) -> None:
        found = [b for b in self.bookings if b.reference == event.row_key.value]
        if found and found[0].ticket and found[0].status == "checked_in":
            self.dismiss(found[0].ticket)
        elif found and found[0].status == "booked":
            self.query_one("#note", Label).update(
                f"{found[0].reference} has not checked in: nothing to call yet."
            )
        elif found:
            self.query_one("#note", Label).update(
                f"{found[0].reference}: {appointment_status(found[0].status)}, nothing to call."
            )

    def action_office(self, in_office: bool) -> None:
        reason = self.query_one("#reason", Input).value.strip() or None
        self._set_office(in_office, reason)

    @work(thread=True, exclusive=True, group="office")
    def _set_office(self, in_office: bool, reason: str | None) -> None:
        try:
            change = self.services.appointments.set_status(self.specialist, in_office, reason)
        except FrontdeskError as exc:
            self.post_message(_Day(self.bookings, str(exc)))
            return
        note = "You are in the office." if in_office else "You are out of the office."
        if change.affected:
            n = len(change.affected)
            flagged = n_(
                "{n} waiting customer flagged for the supervisor.",
                "{n} waiting customers flagged for the supervisor.",
                n,
            )
            note += " " + flagged.format(n=n)
        self.app.call_from_thread(self._load, note)
