"""Book a follow-up appointment or callback for the customer, from the desk."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Input, Label, Select

from frontdesk.errors import FrontdeskError
from frontdesk.services.appointments import AppointmentTypeInfo, Booking, SlotOffer, SlotTaken
from frontdesk.services.wiring import Services


class _Slots(Message):
    def __init__(self, slots: list[SlotOffer], problem: str = "") -> None:
        super().__init__()
        self.slots = slots
        self.problem = problem


class _Booked(Message):
    def __init__(self, booking: Booking | None, problem: str = "") -> None:
        super().__init__()
        self.booking = booking
        self.problem = problem


class FollowUpScreen(ModalScreen[Booking | None]):
    """Choose a type, then a slot; a callback needs a phone number."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(
        self, services: Services, centre: str, types: list[AppointmentTypeInfo], zone: str
    ) -> None:
        super().__init__()
        self.services = services
        self.centre = centre
        self.types = {t.code: t for t in types}
        self.zone = zone
        self.slots: list[SlotOffer] = []

    def compose(self) -> ComposeResult:
        options = [
            (f"{t.name}{' (callback)' if t.by_phone else ''}", t.code) for t in self.types.values()
        ]
        with Vertical(classes="dialog wide"):
            yield Label("Book a follow-up appointment or callback", classes="question")
            yield Select(options, prompt="Appointment type", id="type")
            # In the order they are filled in (and Tab goes): the phone number comes
            # before the slot, because Enter on a slot books it.
            yield Input(placeholder="Phone number (for a callback or a reminder)", id="phone")
            yield DataTable(cursor_type="row", id="slots")
            yield Label("Choose a slot and press Enter to book.", id="problem", classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#slots", DataTable).add_columns("When", "With", "Where")

    @on(Select.Changed, "#type")
    def _type(self, event: Select.Changed) -> None:
        if event.select.value is not Select.NULL:
            self._load_slots(str(event.select.value))

    @work(thread=True, exclusive=True, group="slots")
    def _load_slots(self, code: str) -> None:
        try:
            slots = self.services.appointments.slots(code, centre=self.centre, limit=8)
        except FrontdeskError as exc:
            self.post_message(_Slots([], str(exc)))
            return
        self.post_message(_Slots(slots))

    @on(_Slots)
    def _show(self, event: _Slots) -> None:
        from zoneinfo import ZoneInfo

        zone = ZoneInfo(self.zone)
        self.slots = event.slots
        table = self.query_one("#slots", DataTable)
        table.clear()
        for n, slot in enumerate(event.slots):
            when = slot.starts_at.astimezone(zone).strftime("%a %d %b %H:%M")
            table.add_row(when, slot.specialist_name, slot.room or slot.desk, key=str(n))
        problem = event.problem or ("" if event.slots else "No free slots: try another type.")
        self.query_one("#problem", Label).update(problem or "Choose a slot, Enter to book.")
        if event.slots:
            table.focus()

    @on(DataTable.RowSelected, "#slots")
    def _chosen(self, event: DataTable.RowSelected) -> None:
        slot = self.slots[int(str(event.row_key.value))]
        phone = self.query_one("#phone", Input).value.strip() or None
        if self.types[slot.type].by_phone and not phone:
            self.query_one("#problem", Label).update("A callback needs a phone number.")
            self.query_one("#phone", Input).focus()
            return
        self._book(slot, phone)

    @work(thread=True, exclusive=True, group="book")
    def _book(self, slot: SlotOffer, phone: str | None) -> None:
        try:
            booking = self.services.appointments.book(
                slot.type,
                self.centre,
                slot.starts_at,
                specialist=slot.specialist,
                phone=phone,
                channel="desk",
            )
        except SlotTaken as exc:
            # Someone else was quicker: say so and offer the next free slots instead.
            self.post_message(_Slots(list(exc.alternatives), str(exc)))
            return
        except FrontdeskError as exc:
            self.post_message(_Booked(None, str(exc)))
            return
        self.post_message(_Booked(booking))

    @on(_Booked)
    def _booked(self, event: _Booked) -> None:
        if event.booking is None:
            self.query_one("#problem", Label).update(event.problem)
            return
        self.dismiss(event.booking)
