"""I have an appointment: check in by reference, or by scanning the code on the letter."""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import Input, Static

from frontdesk.errors import FrontdeskError, NotFound, StoreUnavailable
from frontdesk.kiosk import slips
from frontdesk.kiosk.checkin_words import refused_text
from frontdesk.kiosk.screens.base import KioskScreen
from frontdesk.services.appointments import CheckedIn, SlotOffer
from frontdesk.ui.i18n import _

CHECK_IN = "check-in"
REBOOK = "rebook"
QUEUE = "queue"


class CheckinScreen(KioskScreen):
    """A scanner types the booking's token and Enter, just like a person typing."""

    class Result(Message):
        def __init__(
            self,
            checked_in: CheckedIn | None = None,
            problem: str = "",
            late: tuple[tuple[SlotOffer, ...], str] | None = None,
            refused: str = "",
        ) -> None:
            super().__init__()
            self.checked_in = checked_in
            self.problem = problem
            self.late = late
            self.refused = refused  # why check-in was refused, in the visitor's words

    def __init__(self) -> None:
        super().__init__()
        self.busy = False

    def heading(self) -> str:
        return _("I have an appointment")

    def subheading(self) -> str:
        return _("Type your booking reference (like ABC-DEF) or scan the code on your letter.")

    def body(self) -> ComposeResult:
        yield Input(placeholder=_("Booking reference"), id="reference", max_length=64)
        yield self.choice_grid([(_("Check in"), CHECK_IN)])

    @on(Input.Submitted, "#reference")
    def _submitted(self) -> None:
        self.check_in()

    def chosen(self, value: Any) -> None:
        self.check_in()

    def check_in(self) -> None:
        text = self.query_one("#reference", Input).value.strip()
        if not text:
            self.notice(_("Please type your booking reference first."))
            return
        if self.busy:
            return
        self.busy = True
        self.notice(_("Checking you in…"), warning=False)
        self.run_checkin(text)

    @work(thread=True, exclusive=True, group="kiosk-checkin")
    def run_checkin(self, text: str) -> None:
        from frontdesk.services.appointments import CheckInRefused, LateForAppointment

        k = self.kiosk
        try:
            done = k.services.appointments.checkin(k.settings.centre, text)
        except LateForAppointment as late:
            self.post_message(self.Result(late=(late.alternatives, late.walk_in_service)))
            return
        except StoreUnavailable:
            self.post_message(self.Result(problem="unavailable"))
            return
        except NotFound:
            self.post_message(self.Result(problem="not-found"))
            return
        except CheckInRefused as refused:
            self.post_message(self.Result(refused=refused_text(refused)))
            return
        except FrontdeskError as exc:
            self.post_message(self.Result(problem=str(exc)))
            return
        self.post_message(self.Result(checked_in=done))

    def on_checkin_screen_result(self, message: Result) -> None:
        self.busy = False
        if message.checked_in is not None:
            self.notice(None)
            self.kiosk.show(
                "ticket",
                slips.checkin_slip(
                    self.kiosk.ref, message.checked_in, self.kiosk.settings.public_base_url
                ),
            )
        elif message.late is not None:
            self.notice(None)
            slots, service = message.late
            self.app.push_screen(LateScreen(slots, service))
        elif message.problem == "unavailable":
            self.notice(_("We cannot reach our system just now. Please try again in a moment."))
        elif message.problem == "not-found":
            self.notice(_("We could not find that booking. Please check it, or ask at reception."))
        elif message.refused:
            self.notice(message.refused)
        else:
            self.app.log.warning(message.problem)
            self.notice(_("We could not check you in here. Please ask at reception."))


class LateScreen(KioskScreen):
    def __init__(self, slots: tuple[SlotOffer, ...], service: str) -> None:
        super().__init__()
        self.slots = slots
        self.service = service

    def heading(self) -> str:
        return _("Sorry, it is too late to check in")

    def subheading(self) -> str:
        return _("You can book the next free time, or join the queue.")

    def body(self) -> ComposeResult:
        choices: list[tuple[str, Any]] = []
        if self.slots:
            choices.append(
                (
                    _("Book the next free time: {when}").format(
                        when=self.kiosk.ref.format_slot(self.slots[0].starts_at)
                    ),
                    REBOOK,
                )
            )
        choices.append((_("Join the queue"), QUEUE))
        yield Static("")
        yield self.choice_grid(choices)

    def chosen(self, value: Any) -> None:
        if value == REBOOK:
            kind = self.kiosk.ref.appointment_type(self.slots[0].type)
            self.kiosk.show("slots", kind, self.slots)
        else:
            self.kiosk.visit.service = self.service
            self.kiosk.show("needs")
