"""Book an appointment: type → time → optional phone and e-mail → confirmation slip."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import Input, Label, Static

from frontdesk.errors import FrontdeskError, StoreUnavailable
from frontdesk.kiosk import slips
from frontdesk.kiosk.screens.base import KioskScreen
from frontdesk.services.appointments import AppointmentTypeInfo, Booking, SlotOffer
from frontdesk.ui.i18n import _

BOOK = "book"


class BookTypeScreen(KioskScreen):
    def heading(self) -> str:
        return _("What would you like to book?")

    def body(self) -> ComposeResult:
        yield self.choice_grid((_(t.name), t.code) for t in self.kiosk.ref.appointment_types())

    def chosen(self, value: Any) -> None:
        self.app.push_screen(SlotScreen(self.kiosk.ref.appointment_type(str(value))))


class SlotScreen(KioskScreen):
    """The next free times; loaded in a worker unless the caller already has them."""

    class Loaded(Message):
        def __init__(self, slots: tuple[SlotOffer, ...] | None) -> None:
            super().__init__()
            self.slots = slots

    def __init__(self, kind: AppointmentTypeInfo, slots: tuple[SlotOffer, ...] = ()) -> None:
        super().__init__()
        self.kind = kind
        self.slots: tuple[SlotOffer, ...] | None = tuple(slots) or None
        self.failed = False

    def heading(self) -> str:
        return _(self.kind.name)

    def subheading(self) -> str:
        return _("Choose a time")

    def body(self) -> ComposeResult:
        if self.slots is None:
            words = (
                _("Sorry, we cannot find free times just now.")
                if self.failed
                else _("Finding free times…")
            )
            yield Static(words, classes="lead")
            return
        if not self.slots:
            yield Static(_("There are no free times to book here at the moment."), classes="lead")
            return
        k = self.kiosk
        times = [s.starts_at for s in self.slots]
        yield self.choice_grid(
            (
                # Two specialists free at the same time: said with whom, not twice alike.
                f"{k.ref.format_slot(s.starts_at)} · {s.specialist_name}"
                if times.count(s.starts_at) > 1
                else k.ref.format_slot(s.starts_at),
                i,
            )
            for i, s in enumerate(self.slots)
        )

    def on_mount(self) -> None:
        super().on_mount()
        if self.slots is None:
            self.load()

    @work(thread=True, exclusive=True, group="kiosk-slots")
    def load(self) -> None:
        k = self.kiosk
        try:
            # A callback is one time to the visitor, whoever rings: one button per time.
            found = k.services.appointments.slots(
                self.kind.code, centre=k.settings.centre, limit=6, one_per_time=self.kind.by_phone
            )
        except FrontdeskError:
            self.post_message(self.Loaded(None))
            return
        self.post_message(self.Loaded(tuple(found)))

    def on_slot_screen_loaded(self, message: Loaded) -> None:
        self.slots = message.slots
        self.failed = message.slots is None
        self.retranslate()

    def chosen(self, value: Any) -> None:
        assert self.slots is not None
        self.app.push_screen(ContactScreen(self.kind, self.slots[int(value)]))


class ContactScreen(KioskScreen):
    """Contact details are optional (a callback needs a phone number)."""

    class Done(Message):
        def __init__(
            self,
            booking: Booking | None,
            problem: str = "",
            taken: bool = False,
            field: str | None = None,
        ):
            super().__init__()
            self.booking = booking
            self.problem = problem
            self.taken = taken
            self.field = field  # "phone" or "email": the one to correct

    def __init__(self, kind: AppointmentTypeInfo, slot: SlotOffer) -> None:
        super().__init__()
        self.kind = kind
        self.slot = slot
        self.busy = False

    def heading(self) -> str:
        return _(self.kind.name)

    def subheading(self) -> str:
        return self.kiosk.ref.format_slot(self.slot.starts_at)

    def body(self) -> ComposeResult:
        if self.kind.by_phone:
            yield Label(_("Your phone number (we will ring you)"))
        else:
            yield Label(_("Phone number for a reminder (optional)"))
        yield Input(id="phone", max_length=20, type="text")
        if not self.kind.by_phone:
            yield Label(_("E-mail for a reminder (optional)"))
            yield Input(id="email", max_length=80)
        yield self.choice_grid([(_("Book this time"), BOOK)])

    def chosen(self, value: Any) -> None:
        phone = self.query_one("#phone", Input).value.strip()
        email = self.query_one("#email", Input).value.strip() if not self.kind.by_phone else ""
        if self.kind.by_phone and not phone:
            self.notice(_("Please type the phone number we should ring."))
            return
        if self.busy:
            return
        self.busy = True
        for button in self.body_choices():
            button.disabled = True
        self.notice(_("Booking…"), warning=False)
        self.book(phone or None, email or None)

    @work(thread=True, exclusive=True, group="kiosk-book")
    def book(self, phone: str | None, email: str | None) -> None:
        from frontdesk.services.appointments import ContactRefused, SlotTaken

        k = self.kiosk
        try:
            booking = k.services.appointments.book(
                self.kind.code,
                k.settings.centre,
                self.slot.starts_at,
                # A callback merged from several specialists' times: whoever is free then.
                specialist=None if self.kind.by_phone else self.slot.specialist,
                phone=phone,
                email=email,
                channel="greeter" if k.settings.greeter else "kiosk",
            )
        except SlotTaken:
            self.post_message(self.Done(None, taken=True))
            return
        except StoreUnavailable:
            self.post_message(self.Done(None, "unavailable"))
            return
        except ContactRefused as exc:
            self.post_message(self.Done(None, str(exc), field=exc.field))
            return
        except FrontdeskError as exc:
            self.post_message(self.Done(None, str(exc)))
            return
        self.post_message(self.Done(booking))

    def on_contact_screen_done(self, message: Done) -> None:
        self.busy = False
        for button in self.body_choices():
            button.disabled = False
        if message.booking is not None:
            self.notice(None)
            self.kiosk.show("ticket", slips.booking_slip(self.kiosk.ref, message.booking))
        elif message.taken:
            self.app.pop_screen()
            below = self.app.screen_stack[-1]
            if isinstance(below, SlotScreen):
                below.slots = None
                below.retranslate()
                below.load()
                below.call_after_refresh(
                    below.notice,
                    _("Sorry, someone has just taken that time. Please choose another."),
                )
        elif message.problem == "unavailable":
            self.notice(_("We cannot reach our system just now. Please try again in a moment."))
        elif message.field == "phone":
            self.notice(_("Please check the phone number: it should have 10 to 15 digits."))
            self.query_one("#phone", Input).focus()
        elif message.field == "email":
            self.notice(_("Please check the e-mail address, e.g. name@example.org."))
            self.query_one("#email", Input).focus()
        else:
            self.app.log.warning(message.problem)
            self.notice(_("Please check the phone number and e-mail address."))
