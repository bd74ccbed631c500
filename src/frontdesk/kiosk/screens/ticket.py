"""The ticket (or booking) on screen with its QR code, printed after it was committed."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Static

from frontdesk.devices.slip import TicketSlip, wait_line
from frontdesk.kiosk import slips, words
from frontdesk.kiosk.screens.base import KioskScreen
from frontdesk.kiosk.widgets import QRCode
from frontdesk.services.kiosk import OtherCentre, PrintOutcome
from frontdesk.ui.bigtext import BigText
from frontdesk.ui.i18n import _, language

FINISH = "finish"
REPRINT = "reprint"


class TicketScreen(KioskScreen):
    """Shown at once; the slip prints in a worker with a time limit and never blocks."""

    can_go_back = False

    class Printed(Message):
        def __init__(self, slip: TicketSlip, outcome: PrintOutcome) -> None:
            super().__init__()
            self.slip = slip
            self.outcome = outcome

    def __init__(
        self, slip: TicketSlip, *, print_slip: bool = True, qr_lines: list[str] | None = None
    ) -> None:
        """`qr_lines`: the slip's code as `QRCode.lines_for(slip.qr_payload)`, if made already."""
        super().__init__()
        self.slip = slip
        self.qr_lines = qr_lines
        self.outcome: PrintOutcome | None = None
        self.print_slip = print_slip
        self._built_for: tuple[str, bool] | None = None  # (language, large text) when composed

    def refill(self, slip: TicketSlip, qr_lines: list[str] | None = None) -> bool:
        """Show another slip of the same shape in this (mounted, not shown) screen, and print
        it; False when the screen cannot be reused and a new one is needed.

        Building a screen (compose, styles, layout, every line drawn) is most of the time from
        the tap to the number on screen; refilled, only the lines that changed are drawn again.
        """
        old = self.slip
        same_shape = (
            slip.kind == old.kind
            and (slip.wait_range is None) == (old.wait_range is None)
            and slip.extra_lines == old.extra_lines
        )
        if (
            not same_shape
            or not self.is_attached
            or self in self.app.screen_stack
            or self._built_for != (language(), self.kiosk.large_text)
        ):
            return False
        self.slip, self.qr_lines, self.outcome = slip, qr_lines, None
        self.query_one("#number", BigText).text = slip.ticket
        self.query_one("#ticket-service", Static).update(slip.service_name)
        self.query_one("#ticket-issued", Static).update(self._issued_words())
        if slip.wait_range is not None:
            self.query_one("#ticket-wait", Static).update(self._wait_words())
        status = self.query_one("#print-status", Static)
        status.update(self._print_words())
        status.set_class(False, "warning")
        self.query_one("#ticket-qr", QRCode).show(slip.qr_payload, qr_lines)
        self.show_countdown(None)
        self.notice(None)
        self.set_focus(None)  # the next visitor starts on the first choice again
        if self.print_slip:
            self.print_it()
        return True

    def heading(self) -> str:
        if self.slip.kind == "appointment":
            return _("Your appointment is booked")
        if self.slip.kind == "checkin":
            return _("You are checked in")
        return _("Here is your ticket")

    def body(self) -> ComposeResult:
        slip = self.slip
        self._built_for = (language(), self.kiosk.large_text)
        with Horizontal(classes="ticket"):
            with Vertical(classes="ticket-text"):
                label = _("Your reference") if slip.kind == "appointment" else _("Your number")
                yield Static(label, classes="lead")
                # Big enough to read from a step back and to copy without the slip.
                yield BigText(slip.ticket, max_scale=2, id="number")
                yield Static(slip.service_name, id="ticket-service", classes="lead")
                yield Static(self._issued_words(), id="ticket-issued")
                if slip.wait_range is not None:
                    yield Static(self._wait_words(), id="ticket-wait")
                for line in slip.extra_lines:
                    yield Static(line)
                yield Static(self._print_words(), id="print-status", classes=self._print_class())
                choices = [(_("Finish"), FINISH)]
                if self.print_slip:
                    # Paper jammed or torn: the visitor can ask for the slip again.
                    choices.append((_("Print again"), REPRINT))
                yield self.choice_grid(choices)
            with Vertical(classes="qr-box"):
                yield QRCode(slip.qr_payload, id="ticket-qr", lines=self.qr_lines)
                yield Static(_("Scan with your phone"), classes="caption")

    def _issued_words(self) -> str:
        return f"{slips.slip_labels(self.slip.kind).issued} {self.slip.issued_at_text}"

    def _wait_words(self) -> str:
        """The wait as printed on the slip (the interval stored on the ticket)."""
        return wait_line(self.slip, slips.slip_labels(self.slip.kind)) or ""

    def _print_words(self) -> str:
        if not self.print_slip:
            return ""
        if self.outcome is None:
            return _("Printing your ticket…")
        if self.outcome.printed:
            return _("Please take your printed ticket.")
        return _("The printer is not working. Please note your number: {number}").format(
            number=self.slip.ticket
        )

    def _print_class(self) -> str:
        return "warning" if self.outcome is not None and not self.outcome.printed else ""

    def on_mount(self) -> None:
        super().on_mount()
        if self.print_slip:
            self.print_it()

    @work(thread=True, exclusive=True, group="kiosk-print")
    def print_it(self) -> None:
        k = self.kiosk
        slip = self.slip
        printer = k.printer_factory(slips.slip_labels(slip.kind))
        outcome = k.kiosk_service.print_slip(
            printer, slip, k.settings.printer_id, timeout=k.settings.printer_timeout
        )
        self.post_message(self.Printed(slip, outcome))

    def on_ticket_screen_printed(self, message: Printed) -> None:
        if message.slip is not self.slip:
            return  # a late answer for the last visitor's slip, after the screen was refilled
        self.outcome = message.outcome
        status = self.query_one("#print-status", Static)
        status.update(self._print_words())
        status.set_class(not message.outcome.printed, "warning")

    def chosen(self, value: Any) -> None:
        if value == REPRINT:
            self.outcome = None
            self.query_one("#print-status", Static).update(self._print_words())
            self.print_it()
            return
        self.kiosk.reset()

    def action_back(self) -> None:
        self.kiosk.reset()


class OtherCentreScreen(KioskScreen):
    def __init__(self, other: OtherCentre) -> None:
        super().__init__()
        self.other = other

    def heading(self) -> str:
        return _(self.other.name)

    def subheading(self) -> str:
        return words.wait_words(
            self.other.estimate.estimated_wait_low_seconds,
            self.other.estimate.estimated_wait_high_seconds,
        )

    def body(self) -> ComposeResult:
        yield Static(self.other.address, classes="lead")
        yield Static(_("Open today: {hours}").format(hours=self.other.hours_today))
        yield self.choice_grid([(_("Finish"), FINISH)])

    def chosen(self, value: Any) -> None:
        self.kiosk.reset()


class OnlineScreen(KioskScreen):
    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url

    def heading(self) -> str:
        return _("Do it online")

    def body(self) -> ComposeResult:
        with Horizontal(classes="ticket"):
            with Vertical(classes="ticket-text"):
                yield Static(_("Scan the code or visit:"), classes="lead")
                yield Static(self.url, classes="url")
                yield self.choice_grid([(_("Finish"), FINISH)])
            yield QRCode(self.url, id="self-service-qr", quiet_zone=1)

    def chosen(self, value: Any) -> None:
        self.kiosk.reset()
