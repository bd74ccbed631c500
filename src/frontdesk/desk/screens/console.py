"""The desk console's main screen: every action on a visible key, and what the console
shows when the store has answered."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual import on
from textual.binding import Binding

from frontdesk.desk.messages import ActionDone, Resumed
from frontdesk.desk.reference import Called, call_particular
from frontdesk.desk.screens.confirm import ConfirmScreen
from frontdesk.desk.screens.console_base import ConsoleBase
from frontdesk.desk.screens.follow_up import FollowUpScreen
from frontdesk.desk.screens.pause import PauseScreen
from frontdesk.desk.screens.pick_ticket import PickTicketScreen
from frontdesk.desk.screens.transfer import TransferChoice, TransferScreen
from frontdesk.desk.widgets.customer_card import CustomerCard
from frontdesk.desk.widgets.outcome_form import OutcomeForm
from frontdesk.services.appointments import Booking
from frontdesk.services.results import Closed, Completed, Query, TicketAtDesk, Transferred
from frontdesk.ui.i18n import n_
from frontdesk.ui.words import ticket_status


@dataclass(frozen=True, slots=True)
class TransferCheck:
    choice: TransferChoice
    queries: list[Query]
    serving: tuple[str, ...]  # open desks that can take the customer now


class ConsoleScreen(ConsoleBase):
    BINDINGS = [
        Binding("f2", "call_next", "Call next"),
        Binding("f3", "call_ticket", "Call ticket"),
        Binding("f4", "recall", "Recall"),
        Binding("f5", "start", "Start"),
        Binding("f6", "no_show", "No-show"),
        Binding("f7", "transfer", "Transfer"),
        Binding("f8", "complete", "Complete"),
        Binding("f9", "add_query", "+Query"),
        Binding("shift+f9", "remove_query", "-Query"),
        Binding("f10", "book", "Book"),
        Binding("f1", "appointments", "Appts"),
        Binding("f12", "pause", "Pause"),
        Binding("f12", "resume", "Resume"),
        Binding("ctrl+q", "close_desk", "Close desk", priority=True),
    ]

    # -- which keys apply now -----------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        status = self.current.status if self.current else None
        if action in ("call_next", "call_ticket"):
            return status is None and not self.paused
        if action in ("recall", "start", "no_show"):
            return status == "called"
        if action in ("transfer", "complete", "add_query", "remove_query", "book"):
            return status == "serving"
        if action == "pause":
            return status is None and not self.paused
        if action == "resume":
            return bool(self.paused)
        if action == "appointments":
            return self.ctx.specialist is not None and status is None
        return True

    # -- calling ----------------------------------------------------------------------

    def action_call_next(self) -> None:
        c = self.ctx
        self.perform(
            "call",
            lambda: Called(
                self.services.queue.call_next(c.centre, c.desk, staff=c.staff, services=c.services)
            ),
        )

    def action_call_ticket(self) -> None:
        self.app.push_screen(PickTicketScreen(self.view, self.ref.topic_names), self._picked)

    def _picked(self, ticket: str | None) -> None:
        if not ticket:
            return
        c = self.ctx
        self.perform(
            "call",
            lambda: call_particular(self.services, c.centre, c.desk, ticket, c.staff, c.services),
        )

    def action_recall(self) -> None:
        c = self.ctx
        self.perform("recall", lambda: self.services.queue.recall(c.centre, c.desk, staff=c.staff))

    def action_start(self) -> None:
        c = self.ctx
        self.perform("start", lambda: self.services.queue.start(c.centre, c.desk, staff=c.staff))

    def action_no_show(self) -> None:
        c = self.ctx
        self.perform(
            "no_show", lambda: self.services.queue.no_show(c.centre, c.desk, staff=c.staff)
        )

    # -- the outcome ------------------------------------------------------------------

    def action_add_query(self) -> None:
        self.query_one(OutcomeForm).add_query()

    def action_remove_query(self) -> None:
        self.query_one(OutcomeForm).remove_last()

    def action_complete(self) -> None:
        queries, missing = self.query_one(OutcomeForm).check()
        if missing:
            text = "Cannot complete yet — " + "; ".join(missing)
            self.say(text, problem=True)
            return
        c = self.ctx
        self.perform(
            "complete",
            lambda: self.services.queue.complete(c.centre, c.desk, queries, staff=c.staff),
        )

    def action_book(self) -> None:
        types = list(self.ref.appointment_types)
        screen = FollowUpScreen(self.services, self.ctx.centre, types, self.ref.timezone)
        self.app.push_screen(screen, self._booked)

    def _booked(self, booking: Booking | None) -> None:
        if booking is None:
            return
        form = self.query_one(OutcomeForm)
        target = next((f for f in reversed(form.forms) if f.values()["resolved"] != "yes"), None)
        if target is None:
            target = form.add_query()
        from zoneinfo import ZoneInfo

        when = booking.starts_at.astimezone(ZoneInfo(self.ref.timezone)).strftime("%a %d %b %H:%M")
        kind = "callback" if "call" in booking.type_name.lower() else "appointment"
        self.call_after_refresh(
            target.set_values,
            resolved="no",
            handoff=kind,
            detail=f"{booking.type_name} {booking.reference} {when}",
        )
        self.say(f"Booked {booking.type_name} {booking.reference} for {when}.")

    # -- transfer -----------------------------------------------------------------------

    def action_transfer(self) -> None:
        if self.current is None:
            return
        screen = TransferScreen(self.current.ticket, list(self.ref.services), list(self.ref.desks))
        self.app.push_screen(screen, self._transfer_chosen)

    def _transfer_chosen(self, choice: TransferChoice | None) -> None:
        if choice is None:
            return
        queries, missing = self.query_one(OutcomeForm).check()
        missing = [m for m in missing if not m.startswith("record at least")]
        if missing:
            self.say("Finish or clear these before transferring: " + "; ".join(missing), True)
            return
        self._check_target(choice, queries)

    def _check_target(self, choice: TransferChoice, queries: list[Any]) -> None:
        c = self.ctx

        def check() -> TransferCheck:
            serving = (
                self.services.desks.desks_serving(c.centre, choice.service)
                if choice.service
                else [str(choice.desk)]
            )
            return TransferCheck(choice, queries, tuple(serving))

        self.perform("transfer_check", check)

    def _transfer(self, choice: TransferChoice, queries: list[Any]) -> None:
        c = self.ctx
        self.perform(
            "transfer",
            lambda: self.services.queue.transfer(
                c.centre,
                c.desk,
                service=choice.service,
                to_desk=choice.desk,
                note=choice.note or None,
                queries=queries,
                staff=c.staff,
            ),
        )

    # -- the desk -------------------------------------------------------------------------

    def action_pause(self) -> None:
        self.app.push_screen(PauseScreen(), self._pause_reason)

    def _pause_reason(self, reason: str | None) -> None:
        if not reason:
            return
        c = self.ctx

        def pause() -> str:
            self.services.desks.set_status(c.centre, c.desk, "paused", c.staff, reason)
            return reason

        self.perform("pause", pause)

    def action_resume(self) -> None:
        c = self.ctx
        self.perform(
            "resume_desk",
            lambda: self.services.desks.set_status(c.centre, c.desk, "open", c.staff),
        )

    def action_appointments(self) -> None:
        from frontdesk.desk.screens.appointments import AppointmentsScreen

        if self.ctx.specialist is None:
            return
        screen = AppointmentsScreen(
            self.services, self.ctx.centre, self.ctx.specialist, self.ref.timezone
        )
        self.app.push_screen(screen, self._picked)

    def action_close_desk(self) -> None:
        if self.current is not None:
            self.say(
                f"Finish with {self.current.ticket} first: complete, transfer or mark a no-show.",
                problem=True,
            )
            return
        c = self.ctx
        self.perform(
            "close",
            lambda: self.services.desks.set_status(
                c.centre, c.desk, "closed", c.staff, console=c.console
            ),
        )

    def retry_for(self, action: str) -> Callable[[], object] | None:
        """Completing (the form keeps its text) and resuming are tried again; a call is
        not, so one key press never calls two customers."""
        retries: dict[str, Callable[[], object]] = {
            "complete": self.action_complete,
            "resume": self._resume,
        }
        return retries.get(action)

    # -- the store has answered -----------------------------------------------------------

    @on(ActionDone)
    def _done(self, event: ActionDone) -> None:
        self._action_over()
        result = event.result
        if event.action == "call":
            assert isinstance(result, Called)
            self.set_current(result.ticket)
            if result.ticket is not None:
                self.say(result.note or f"Called {result.ticket.ticket}.", bool(result.note))
                if result.note:
                    self.notify(result.note, severity="warning", timeout=8)
            else:
                self.say(result.note or "Nobody is waiting for this desk.")
        elif event.action in ("recall", "start"):
            assert isinstance(result, TicketAtDesk)
            self.set_current(result)
            verb = "Recalled" if event.action == "recall" else "Serving"
            self.say(f"{verb} {result.ticket}.")
        elif event.action == "no_show":
            assert isinstance(result, Closed)
            self.set_current(None)
            self.say(f"{result.ticket} marked as a no-show (they can come back within the grace).")
        elif event.action == "complete":
            assert isinstance(result, Completed)
            n = result.queries_completed
            counted = n_("{n} query", "{n} queries", n).format(n=n)
            self._finished(f"{result.ticket} completed with {counted}.")
        elif event.action == "transfer_check":
            assert isinstance(result, TransferCheck)
            choice, queries = result.choice, result.queries
            if result.serving:
                self._transfer(choice, queries)
            else:
                question = (
                    f"No open desk serves {choice.service} right now. The customer will wait "
                    "until one opens. Transfer anyway?"
                )
                self.app.push_screen(
                    ConfirmScreen(question, yes="Transfer anyway", no="Go back"),
                    lambda yes: self._transfer(choice, queries) if yes else None,
                )
        elif event.action == "transfer":
            assert isinstance(result, Transferred)
            where = f"desk {result.to_desk}" if result.to_desk else result.to_service
            self._finished(f"{result.ticket} transferred to {where}.")
        elif event.action == "resume":
            assert isinstance(result, Resumed)
            current = result.ticket
            gone = self.current
            if gone is not None and (current is None or current.id != gone.id):
                self.moved_away(gone)
            self.set_current(current, result.draft)
            # Only news when the console did not know of them (a restart, or a call
            # made elsewhere): after a refused step the refusal stays on screen.
            if current is not None and (gone is None or gone.id != current.id):
                self.say(f"Resumed {current.ticket} ({ticket_status(current.status)}).")
        elif event.action in ("pause", "resume_desk"):
            self.paused = str(result) if event.action == "pause" else None
            self.query_one(CustomerCard).paused = self.paused
            self._show_status()
            self.refresh_bindings()
            self.say("Desk paused." if self.paused else "Desk open.")
        elif event.action == "close":
            self.app.exit(0)
        elif event.action == "taken_over":
            self.say("Another console has taken this desk over. Log in again here.", True)
            self.app.exit(3, message="desk taken over by another console")

    def _finished(self, text: str) -> None:
        ticket = self.current
        self.set_current(None)
        self.say(text)
        self._pending_draft = None
        if ticket is not None:
            self._drop_draft(ticket.id)
