"""The estimated wait, before anything is committed; the alternatives; taking the ticket."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static

from frontdesk.errors import FrontdeskError, StoreUnavailable
from frontdesk.kiosk.screens.base import KioskScreen
from frontdesk.services.kiosk import Alternatives
from frontdesk.services.results import IssuedTicket, WaitEstimate
from frontdesk.ui.i18n import _
from frontdesk.ui.qr_widget import QRCode

TAKE = "take"
BOOK = "book"
CALLBACK = "callback"
ELSEWHERE = "elsewhere"
ONLINE = "online"


class EstimateScreen(KioskScreen):
    """Shows the wait honestly; over the standard, offers what else would help first."""

    class Estimated(Message):
        def __init__(self, estimate: WaitEstimate, alternatives: Alternatives | None) -> None:
            super().__init__()
            self.estimate = estimate
            self.alternatives = alternatives

    class Issued(Message):
        def __init__(self, ticket: IssuedTicket, qr_lines: list[str]) -> None:
            super().__init__()
            self.ticket = ticket
            self.qr_lines = qr_lines

    class Failed(Message):
        def __init__(self, action: str, unavailable: bool, detail: str = "") -> None:
            super().__init__()
            self.action = action
            self.unavailable = unavailable
            self.detail = detail

    # An answer within this time goes straight to the ticket; only a slower store is
    # worth a "Taking your ticket…" notice, whose layout would delay the ticket's frame.
    SLOW_ISSUE_SECONDS = 0.3

    def __init__(self) -> None:
        super().__init__()
        self.estimate: WaitEstimate | None = None
        self.alternatives: Alternatives | None = None
        self.issuing = False
        self._slow_issue: Timer | None = None

    def heading(self) -> str:
        return _("Your estimated wait")

    def subheading(self) -> str:
        return self.kiosk.service_name(self.kiosk.visit.service or "")

    def body(self) -> ComposeResult:
        est = self.estimate
        if est is None:
            yield Static(_("Working out your wait…"), classes="lead")
            return
        yield Static(self.kiosk.wait_words(est.estimated_wait_seconds), id="wait", classes="big")
        yield Static(
            _("People waiting before you: {count}").format(count=est.ahead), classes="lead"
        )
        if est.over_standard:
            yield Static(
                _(
                    "That is longer than our standard of {minutes} minutes. We are sorry. "
                    "You may prefer one of these:"
                ).format(minutes=f"{est.threshold_minutes:g}"),
                id="over",
                classes="warning",
            )
        yield self.choice_grid(self._choices(est))

    def _choices(self, est: WaitEstimate) -> list[tuple[str, Any]]:
        if not est.over_standard or self.alternatives is None:
            return [(_("Take a ticket"), TAKE)]
        alt = self.alternatives
        k = self.kiosk
        out: list[tuple[str, Any]] = []
        if alt.appointment is not None and alt.slots:
            out.append(
                (
                    _("Book an appointment: next free {when}").format(
                        when=k.format_slot(alt.slots[0].starts_at)
                    ),
                    BOOK,
                )
            )
        if alt.callback is not None and alt.callback_slots:
            out.append((_("We phone you back at a time you choose"), CALLBACK))
        if alt.other_centre is not None:
            other = alt.other_centre
            out.append(
                (
                    _("{centre}: {wait}").format(
                        centre=_(other.name),
                        wait=k.wait_words(other.estimate.estimated_wait_seconds),
                    ),
                    ELSEWHERE,
                )
            )
        if alt.self_service_url:
            out.append((_("Do it online now, on your phone"), ONLINE))
        out.append((_("Wait anyway: take a ticket"), TAKE))
        return out

    def on_mount(self) -> None:
        super().on_mount()
        self.load_estimate()

    @work(thread=True, exclusive=True, group="kiosk-estimate")
    def load_estimate(self) -> None:
        k = self.kiosk
        visit = k.visit
        try:
            est = k.services.queue.estimate(k.settings.centre, visit.service or "")
            alts = None
            if est.over_standard:
                alts = k.kiosk_service.alternatives(
                    k.settings.centre, est.service, visit.topic, est
                )
        except StoreUnavailable:
            self.post_message(self.Failed("estimate", True))
            return
        except FrontdeskError as exc:
            self.post_message(self.Failed("estimate", False, str(exc)))
            return
        self.post_message(self.Estimated(est, alts))

    def on_estimate_screen_estimated(self, message: Estimated) -> None:
        self.estimate = message.estimate
        self.alternatives = message.alternatives
        self.kiosk.visit.estimate = message.estimate
        self.retranslate()

    def on_estimate_screen_failed(self, message: Failed) -> None:
        self._answered()
        self.issuing = False
        self._enable(True)
        if message.unavailable:
            self.notice(
                _(
                    "We cannot reach our system just now. We will try again in a moment. "
                    "No ticket has been taken yet."
                )
            )
            retry = self.load_estimate if message.action == "estimate" else self._retry_issue
            self.set_timer(self.kiosk.settings.retry_seconds, retry)
        else:
            self.app.log.error(message.detail)
            self.notice(_("Sorry, something went wrong. Please ask at reception."))

    def _retry_issue(self) -> None:
        if self.is_current:
            self.take_ticket()

    def chosen(self, value: Any) -> None:
        alt = self.alternatives
        if value == TAKE:
            self.take_ticket()
        elif value == BOOK and alt is not None and alt.appointment is not None:
            from frontdesk.kiosk.screens.booking import SlotScreen

            self.app.push_screen(SlotScreen(alt.appointment, alt.slots))
        elif value == CALLBACK and alt is not None and alt.callback is not None:
            from frontdesk.kiosk.screens.booking import SlotScreen

            self.app.push_screen(SlotScreen(alt.callback, alt.callback_slots))
        elif value == ELSEWHERE and alt is not None and alt.other_centre is not None:
            from frontdesk.kiosk.screens.ticket import OtherCentreScreen

            self.app.push_screen(OtherCentreScreen(alt.other_centre))
        elif value == ONLINE and alt is not None and alt.self_service_url:
            from frontdesk.kiosk.screens.ticket import OnlineScreen

            self.app.push_screen(OnlineScreen(alt.self_service_url))

    def take_ticket(self) -> None:
        """Issue once: the button is disabled and the worker is exclusive."""
        if self.issuing:
            return
        self.issuing = True
        self._enable(False)
        self._slow_issue = self.set_timer(self.SLOW_ISSUE_SECONDS, self._taking)
        self.issue()

    def _taking(self) -> None:
        self._slow_issue = None
        self.notice(_("Taking your ticket…"), warning=False)

    def _answered(self) -> bool:
        """The store answered: stop a notice still pending; True if it was already shown."""
        if self._slow_issue is None:
            return True
        self._slow_issue.stop()
        self._slow_issue = None
        return False

    def _enable(self, enabled: bool) -> None:
        for button in self.body_choices():
            button.disabled = not enabled
        if not enabled:
            self.set_focus(None)

    @work(thread=True, exclusive=True, group="kiosk-issue")
    def issue(self) -> None:
        k = self.kiosk
        visit = k.visit
        try:
            ticket = k.services.queue.issue(
                k.settings.centre,
                visit.service or "",
                priority=visit.priority,
                needs=visit.needs_list(),
                topic=visit.topic,
                note=k.ticket_note(),
                channel="greeter" if k.settings.greeter else "kiosk",
                staff=k.staff.code if k.staff else None,
            )
        except StoreUnavailable:
            self.post_message(self.Failed("issue", True))
            return
        except FrontdeskError as exc:
            self.post_message(self.Failed("issue", False, str(exc)))
            return
        # Encoding the QR code takes a few milliseconds: here, not in the ticket's first frame.
        self.post_message(self.Issued(ticket, QRCode.lines_for(k.ticket_qr(ticket.token))))

    def on_estimate_screen_issued(self, message: Issued) -> None:
        if self._answered():
            self.notice(None)
        self.kiosk.show_ticket(self.kiosk.ticket_slip(message.ticket), message.qr_lines)
