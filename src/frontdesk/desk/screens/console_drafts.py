"""What keeps an adviser's typing safe at the desk console.

The outcome form is saved as a draft a moment after each change (so a crash, a restart
or another console loses nothing), and when someone else moves this desk's customer on
(the CLI completes them, a supervisor transfers them) the typing is kept as a draft and
the adviser is told where the customer went. `ConsoleBase` builds on this.
"""

from __future__ import annotations

import contextlib
from typing import Any

from textual import on, work
from textual.screen import Screen
from textual.timer import Timer

from frontdesk.desk.messages import DeskContext, DraftSaved, Moved
from frontdesk.desk.moved import moved_text
from frontdesk.desk.widgets.outcome_form import OutcomeForm
from frontdesk.errors import FrontdeskError
from frontdesk.services.results import TicketAtDesk
from frontdesk.services.wiring import Services

DRAFT_DELAY = 0.3


class DraftKeeping(Screen[None]):
    """Drafts of the outcome form, and the customer moved elsewhere by someone else."""

    # Given by the console (ConsoleBase) that builds on this.
    services: Services
    ctx: DeskContext
    current: TicketAtDesk | None = None
    retry_seconds: float = 3.0
    # The ticket whose outcome form is on screen (None: no form).
    _form_for: int | None = None
    _draft_timer: Timer | None = None
    _pending_draft: dict[str, Any] | None = None

    def say(self, text: str, problem: bool = False) -> None:
        raise NotImplementedError

    def set_current(self, ticket: TicketAtDesk | None, draft: dict[str, Any] | None = None) -> None:
        raise NotImplementedError

    def moved_away(self, ticket: TicketAtDesk) -> None:
        """The customer is no longer at this desk: keep the typing as a draft, say so."""
        form = self.query_one(OutcomeForm)
        kept = self._form_for == ticket.id
        if kept:
            if self._draft_timer is not None:
                self._draft_timer.stop()
            self._pending_draft = None
            self._save_draft(ticket.id, form.draft())
        self.set_current(None)
        self.say(f"{ticket.ticket} is no longer at this desk…", problem=True)
        self._ask_whereabouts(ticket, kept)

    @work(thread=True, group="whereabouts")
    def _ask_whereabouts(self, ticket: TicketAtDesk, kept: bool) -> None:
        try:
            now = self.services.queue.whereabouts(self.ctx.centre, ticket.id)
        except FrontdeskError:
            now = None
        self.post_message(Moved(moved_text(ticket.ticket, self.ctx.desk, now, kept)))

    @on(Moved)
    def _moved_elsewhere(self, event: Moved) -> None:
        self.say(event.text, problem=True)
        self.notify(event.text, severity="warning", timeout=10)

    @on(OutcomeForm.Changed)
    def _form_changed(self, event: OutcomeForm.Changed) -> None:
        self._pending_draft = event.draft
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(DRAFT_DELAY, self.flush_draft)

    def flush_draft(self) -> None:
        if self.current is None or self._pending_draft is None:
            return
        self._save_draft(self.current.id, self._pending_draft)

    @work(thread=True, exclusive=True, group="draft")
    def _save_draft(self, ticket_id: int, draft: dict[str, Any]) -> None:
        try:
            self.services.desks.save_draft(self.ctx.centre, self.ctx.desk, ticket_id, draft)
        except FrontdeskError as exc:
            self.post_message(DraftSaved(draft, False, str(exc)))
            return
        self.post_message(DraftSaved(draft, True))

    @work(thread=True, group="drop-draft")
    def _drop_draft(self, ticket_id: int) -> None:
        # A stale draft is harmless: it is only read for a ticket this desk holds again.
        with contextlib.suppress(FrontdeskError):
            self.services.desks.drop_draft(self.ctx.centre, self.ctx.desk, ticket_id)

    @on(DraftSaved)
    def _draft_saved(self, event: DraftSaved) -> None:
        if event.ok:
            if self._pending_draft is event.draft:
                self._pending_draft = None
        else:
            self.say(f"Form kept here; saving again shortly ({event.reason})", problem=True)
            self._draft_timer = self.set_timer(self.retry_seconds, self.flush_draft)
