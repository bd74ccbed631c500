"""The estimated wait, before anything is committed; the alternatives; taking the ticket."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static

from frontdesk.errors import FrontdeskError, StoreUnavailable
from frontdesk.kiosk import slips, words
from frontdesk.kiosk.screens.base import KioskScreen
from frontdesk.kiosk.widgets import QRCode
from frontdesk.services.kiosk import Alternatives
from frontdesk.services.results import IssuedTicket, WaitEstimate
from frontdesk.services.tokens import ticket_qr_payload
from frontdesk.ui.i18n import _

TAKE = "take"
BOOK = "book"
CALLBACK = "callback"
ELSEWHERE = "elsewhere"
ONLINE = "online"


class EstimateScreen(KioskScreen):
    """Shows the wait honestly; over the standard, offers what else would help first."""

    class Estimated(Message):
        def __init__(
            self,
            estimate: WaitEstimate,
            alternatives: Alternatives | None,
            offer_first: bool = False,
        ) -> None:
            super().__init__()
            self.estimate = estimate
            self.alternatives = alternatives
            self.offer_first = offer_first

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
        # The supervisor asked the kiosk to offer appointments and callbacks first.
        self.offer_first = False
        self.issuing = False
        self._slow_issue: Timer | None = None

    def heading(self) -> str:
        return _("Your estimated wait")

    def subheading(self) -> str:
        return self.kiosk.ref.service_name(self.kiosk.visit.service or "")

    def body(self) -> ComposeResult:
        est = self.estimate
        if est is None:
            yield Static(_("Working out your wait…"), classes="lead")
            return
        if est.estimated_wait_seconds is None:
            yield from self._nobody_serving(est)
            return
        yield Static(
            words.wait_words(est.estimated_wait_low_seconds, est.estimated_wait_high_seconds),
            id="wait",
            classes="big",
        )
        yield Static(
            _("People waiting before you: {count}").format(count=est.ahead), classes="lead"
        )
        if self.offer_first and not est.over_standard:
            yield Static(
                _("We are very busy today. You may prefer one of these:"),
                id="over",
                classes="warning",
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

    def _nobody_serving(self, est: WaitEstimate) -> ComposeResult:
        """No open desk serves the service: no time is promised; when one is expected,
        and what else would help."""
        yield Static(_("No desk is serving this just now."), id="wait", classes="big")
        expected = self.alternatives.desk_expected_at if self.alternatives else None
        today = self.kiosk.ref.format_day(self.kiosk.services.clock.now())
        if expected is None:
            when = _("We cannot say when a desk will serve it, so we cannot give you a time.")
        elif self.kiosk.ref.format_day(expected) == today:
            when = _("A desk is expected to serve it from {time}.").format(
                time=self.kiosk.ref.format_time(expected)
            )
        else:
            when = _("The next time a desk is expected to serve it: {when}.").format(
                when=self.kiosk.ref.format_slot(expected)
            )
        yield Static(when, id="expected", classes="lead")
        yield Static(
            _("People waiting before you: {count}").format(count=est.ahead), classes="lead"
        )
        choices = self._choices(est)
        if len(choices) > 1:  # more than "take a ticket anyway"
            yield Static(_("You may prefer one of these:"), id="over", classes="warning")
        yield self.choice_grid(choices)

    def _choices(self, est: WaitEstimate) -> list[tuple[str, Any]]:
        unknown = est.estimated_wait_seconds is None
        if not (est.over_standard or unknown or self.offer_first) or self.alternatives is None:
            return [(_("Take a ticket"), TAKE)]
        alt = self.alternatives
        k = self.kiosk
        out: list[tuple[str, Any]] = []
        if alt.appointment is not None and alt.slots:
            out.append(
                (
                    _("Book an appointment: next free {when}").format(
                        when=k.ref.format_slot(alt.slots[0].starts_at)
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
                        wait=words.wait_words(
                            other.estimate.estimated_wait_low_seconds,
                            other.estimate.estimated_wait_high_seconds,
                        ),
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
            est = k.services.queue.estimate(
                k.settings.centre, visit.service or "", priority=visit.priority is not None
            )
            alts = None
            first = k.services.oversight.offers_alternatives_first(k.settings.centre, est.service)
            if est.over_standard or est.estimated_wait_seconds is None or first:
                alts = k.kiosk_service.alternatives(
                    k.settings.centre, est.service, visit.topic, est
                )
        except StoreUnavailable:
            self.post_message(self.Failed("estimate", True))
            return
        except FrontdeskError as exc:
            self.post_message(self.Failed("estimate", False, str(exc)))
            return
        self.post_message(self.Estimated(est, alts, first))

    def on_estimate_screen_estimated(self, message: Estimated) -> None:
        self.estimate = message.estimate
        self.alternatives = message.alternatives
        self.offer_first = message.offer_first
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
            self.kiosk.show("slots", alt.appointment, alt.slots)
        elif value == CALLBACK and alt is not None and alt.callback is not None:
            self.kiosk.show("slots", alt.callback, alt.callback_slots)
        elif value == ELSEWHERE and alt is not None and alt.other_centre is not None:
            self.kiosk.show("other-centre", alt.other_centre)
        elif value == ONLINE and alt is not None and alt.self_service_url:
            self.kiosk.show("online", alt.self_service_url)

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
        self.post_message(
            self.Issued(
                ticket,
                QRCode.lines_for(ticket_qr_payload(k.settings.public_base_url, ticket.token)),
            )
        )

    def on_estimate_screen_issued(self, message: Issued) -> None:
        if self._answered():
            self.notice(None)
        self.kiosk.show_ticket(
            slips.ticket_slip(self.kiosk.ref, message.ticket, self.kiosk.settings.public_base_url),
            message.qr_lines,
        )
