"""What every queue action shares: the unit of work, the clock, the routing rules, the
cached reference data, the listeners told of each call, and finding and checking the
ticket an action is about. The actions themselves are in `issuing`, `calling`,
`serving` and `views`, each a `QueueArea` over one `QueueContext`."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import Row

from frontdesk.clock import Clock
from frontdesk.errors import IllegalStep, InvalidInput, NotFound, StoreUnavailable
from frontdesk.queue.numbering import business_day
from frontdesk.queue.routing import Fairness, Rule
from frontdesk.queue.states import Status, Step, next_status
from frontdesk.services import lookup
from frontdesk.services.after import Afterwards
from frontdesk.services.queue.tickets import (
    changed,
    event,
    held_or_refuse,
    legal_moves,
    refuse_if_holding,
    step_values,
)
from frontdesk.services.waits import CentreReader
from frontdesk.store import queue_store as qs
from frontdesk.store.catalogue import (
    VERSION_KEY,
    Catalogue,
    CentreRef,
    DeskRef,
    load_catalogue,
    stored_version,
)
from frontdesk.store.dialect import Executor
from frontdesk.store.engine import UnitOfWork
from frontdesk.store.sql import desk_steps
from frontdesk.store.types import MAX_ID

_LABEL = re.compile(r"^[A-Z]{1,2}\d{3,}$")


class QueueContext:
    """State and helpers every queue action uses. Thread-safe as long as each thread
    calls its own methods: every call opens and closes its own unit of work."""

    def __init__(self, uow: UnitOfWork, clock: Clock, rules: Sequence[Rule] = ()) -> None:
        self.uow = uow
        self.clock = clock
        # Extra routing rules (booked appointments) tried before the base policy.
        self.rules: list[Rule] = list(rules)
        self._catalogue: Catalogue | None = None
        # Listeners told of each call after it committed (notifications), in the
        # background: they never slow or undo a call.
        self.after_call = Afterwards("after-call")
        # The live state and recent history of centres, for the wait predictor.
        self.centre_reader = CentreReader()

    def catalogue(self, refresh: bool = False) -> Catalogue:
        if self._catalogue is None or refresh:
            with self.uow.read() as s:
                self._catalogue = load_catalogue(s)
        return self._catalogue

    def reload_if_changed(self) -> bool:
        """Read the catalogue again if another process's `init` loaded the centres file
        since (one small read of its version); True if it did. Live apps call this when
        the change feed says the store moved, so the hot paths never pay for it."""
        held = self._catalogue
        if held is None:
            return False
        try:
            with self.uow.read_core() as conn:
                version = stored_version(conn)
        except StoreUnavailable:
            return False  # the store is away: what was read last still holds
        if version == held.settings.get(VERSION_KEY):
            return False
        self.catalogue(refresh=True)
        return True

    def centre(self, code: str) -> CentreRef:
        try:
            return lookup.centre(self.catalogue(), code)
        except NotFound:
            return lookup.centre(self.catalogue(refresh=True), code)

    def fairness(self) -> Fairness:
        limit = self.catalogue().settings.get("queue.priority_run_limit", "2")
        return Fairness(priority_run_limit=int(limit))

    def grace(self) -> timedelta:
        """How long a no-show may come back and keep their place."""
        minutes = float(self.catalogue().settings.get("queue.no_show_grace_minutes", "15"))
        return timedelta(minutes=minutes)

    def no_show_after(self) -> timedelta:
        """How long after the call a no-show may be marked."""
        seconds = float(self.catalogue().settings.get("queue.no_show_after_seconds", "60"))
        return timedelta(seconds=seconds)

    def find(self, s: Executor, where: CentreRef, ticket: str, now: Any) -> Row[Any]:
        """A ticket by id or by today's number at this centre (C042), locked."""
        text = ticket.strip().upper()
        row = None
        if text.isascii() and text.isdigit():
            # Ids are 32-bit on PostgreSQL and 64-bit on SQLite: a larger number names
            # no ticket (rather than overflowing the driver).
            ticket_id = int(text)
            row = qs.ticket(s, ticket_id, lock=True) if ticket_id <= MAX_ID else None
            if row is not None and row.centre_id != where.id:
                row = None
        elif _LABEL.match(text):
            row = qs.ticket_by_label(
                s, where.id, business_day(now, where.timezone), text, lock=True
            )
        else:
            raise InvalidInput(f"'{ticket}' is not a ticket number like C042 or a ticket id")
        if row is None:
            raise NotFound(f"no ticket {ticket} at {where.code} today")
        return row

    def within_grace(self, s: Executor, row: Row[Any], now: Any) -> None:
        """Refuse a no-show who comes back after the grace period."""
        at = qs.last_event_at(s, row.id, Step.NO_SHOW.value)
        if at is not None and now - at > self.grace():
            minutes = self.grace().total_seconds() / 60
            raise IllegalStep(
                f"ticket {row.label} was marked a no-show more than {minutes:g} minutes ago: "
                "issue a new ticket"
            )

    def check_desk_free(self, s: Executor, counter: DeskRef) -> None:
        """Refuse if the desk still holds a customer (inside the caller's write)."""
        state = qs.desk_state(s, counter.id, lock=True)
        if state.current_ticket_id is None:
            return
        held = qs.ticket(s, state.current_ticket_id)
        if held is not None:
            refuse_if_holding(counter, held.label, held.status)

    def step_at_desk(
        self, centre: str, desk: str, step: Step, staff: str | None
    ) -> tuple[Any, str, DeskRef, Any]:
        """Take `step` with the customer a desk holds (start, no-show, recall): returns
        the ticket's row, its service code, the desk and the time."""
        where = self.centre(centre)
        counter = lookup.desk(where, desk)
        with desk_steps.at_desk(self.uow) as steps:
            now = self.clock.now()
            if steps.in_one_statement:
                moved = self._step_in_one(steps, where, counter, step, now, staff)
                if moved is not None:
                    code = self.catalogue().service_by_id[moved.service_id].code
                    return moved, code, counter, now
            # SQLite, or the desk holds nothing that can take this step: read what it
            # holds (refusing with the reason), then move it if it is still there.
            row = held_or_refuse(steps.held(counter.id), counter)
            status = Status(row.status)
            values, leaves = step_values(step, next_status(row.label, status, step), now)
            row_event = event(row.id, where.id, step, now, row.service_id, counter.id, staff)
            if not steps.apply(
                row.id, status.value, values, [row_event], counter.id if leaves else None
            ):
                raise changed(row.label)
        code = self.catalogue().service_by_id[row.service_id].code
        return row, code, counter, now

    def _step_in_one(
        self,
        steps: desk_steps.DeskSteps,
        where: CentreRef,
        counter: DeskRef,
        step: Step,
        now: Any,
        staff: str | None,
    ) -> Any:
        """The step in one statement, when every status it is legal from leads to the
        same place (so the state machine is still the judge); else None."""
        moves = legal_moves(step)
        if len(set(moves.values())) != 1:
            return None
        values, leaves = step_values(step, next(iter(moves.values())), now)
        row_event = event(0, where.id, step, now, 0, counter.id, staff)
        return steps.step_held(counter.id, [s.value for s in moves], values, [row_event], leaves)


class QueueArea:
    """One area of the queue's actions over the shared context; `QueueService` is all of
    them together."""

    def __init__(self, ctx: QueueContext) -> None:
        self.ctx = ctx
