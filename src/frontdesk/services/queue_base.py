"""The queue services' shared ground: reference data, the event rows, and finding and
checking the ticket an action is about. The actions themselves are in `calling`,
`serving`, `queue_views` and `queue`."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from datetime import timedelta
from functools import cache
from typing import Any

from sqlalchemy import Row

from frontdesk.clock import Clock
from frontdesk.errors import DeskBusy, IllegalStep, InvalidInput, NotFound
from frontdesk.queue.numbering import business_day
from frontdesk.queue.routing import Fairness, Rule
from frontdesk.queue.states import AT_DESK_STATES, Status, Step, next_status
from frontdesk.services import lookup
from frontdesk.services.after import Afterwards
from frontdesk.services.results import (
    TicketAtDesk,
)
from frontdesk.store import desk_steps
from frontdesk.store import queue_store as qs
from frontdesk.store.catalogue import Catalogue, CentreRef, DeskRef, load_catalogue
from frontdesk.store.engine import UnitOfWork
from frontdesk.store.queue_store import Executor

log = logging.getLogger(__name__)
# Rounds of read-rank-claim before giving up when other desks keep taking every choice.
MAX_CLAIM_ROUNDS = 20
HANDLING_CACHE_SECONDS = 30.0
CHANNELS = ("kiosk", "greeter", "desk", "appointment", "cli", "import", "api")
_LABEL = re.compile(r"^[A-Z]{1,2}\d{3,}$")


class QueueBase:
    """State and helpers every queue action uses. Thread-safe as long as each thread
    calls its own methods: every call opens and closes its own unit of work."""

    def __init__(self, uow: UnitOfWork, clock: Clock, rules: Sequence[Rule] = ()) -> None:
        self.uow = uow
        self.clock = clock
        # Extra routing rules (booked appointments) tried before the base policy.
        self.rules: list[Rule] = list(rules)
        self._catalogue: Catalogue | None = None
        self._handling: dict[tuple[int, int], tuple[float, float]] = {}
        # Listeners told of each call after it committed (notifications), in the
        # background: they never slow or undo a call.
        self.after_call = Afterwards("after-call")

    def catalogue(self, refresh: bool = False) -> Catalogue:
        if self._catalogue is None or refresh:
            with self.uow.read() as s:
                self._catalogue = load_catalogue(s)
        return self._catalogue

    def centre(self, code: str) -> CentreRef:
        try:
            return lookup.centre(self.catalogue(), code)
        except NotFound:
            return lookup.centre(self.catalogue(refresh=True), code)

    def fairness(self) -> Fairness:
        limit = self.catalogue().settings.get("queue.priority_run_limit", "2")
        return Fairness(priority_run_limit=int(limit))

    def _grace(self) -> timedelta:
        minutes = float(self.catalogue().settings.get("queue.no_show_grace_minutes", "15"))
        return timedelta(minutes=minutes)

    @staticmethod
    def _event(
        ticket_id: int,
        centre_id: int,
        step: Step,
        at: Any,
        service_id: int,
        desk_id: int | None = None,
        staff: str | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        return {
            "ticket_id": ticket_id,
            "centre_id": centre_id,
            "step": step.value,
            "at": at,
            "service_id": service_id,
            "desk_id": desk_id,
            "staff": staff,
            "topic_id": extra.get("topic_id"),
            "resolved": extra.get("resolved"),
            "handoff": extra.get("handoff"),
            "avoidable": extra.get("avoidable"),
            "feedback": extra.get("feedback"),
            "text": extra.get("text"),
        }

    @staticmethod
    def _at_desk(row: Row[Any], code: str, desk: str, status: Status, now: Any) -> TicketAtDesk:
        return TicketAtDesk(
            id=row.id,
            ticket=row.label,
            service=code,
            desk=desk,
            status=status.value,
            waited_seconds=max(0, int((now - row.queued_at).total_seconds())),
            priority=row.priority,
            needs=_split(row.needs),
            note=row.note,
            transfers=row.transfers,
        )

    def _find(self, s: Executor, where: CentreRef, ticket: str, now: Any) -> Row[Any]:
        """A ticket by id or by today's number at this centre (C042)."""
        text = ticket.strip().upper()
        row = None
        if text.isdigit():
            row = qs.ticket(s, int(text), lock=True)
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

    def _within_grace(self, s: Executor, row: Row[Any], now: Any) -> None:
        at = qs.last_event_at(s, row.id, Step.NO_SHOW.value)
        if at is not None and now - at > self._grace():
            minutes = self._grace().total_seconds() / 60
            raise IllegalStep(
                f"ticket {row.label} was marked a no-show more than {minutes:g} minutes ago: "
                "issue a new ticket"
            )

    def _desk_free(self, s: Executor, counter: DeskRef) -> None:
        state = qs.desk_state(s, counter.id, lock=True)
        if state.current_ticket_id is None:
            return
        held = qs.ticket(s, state.current_ticket_id)
        if held is not None and Status(held.status) in AT_DESK_STATES:
            raise DeskBusy(
                f"desk {counter.name} still holds ticket {held.label} ({held.status}): "
                "complete it, mark a no-show or transfer it first"
            )

    def _held(self, s: Executor, where: CentreRef, counter: DeskRef) -> Row[Any]:
        """The ticket a desk holds. Read before the write transaction: the writes that
        follow are guarded by the ticket's status, so they refuse if it moved on."""
        return _at_desk_or_refuse(qs.held_ticket(s, counter.id), counter)

    def _step_at_desk(
        self, centre: str, desk: str, step: Step, staff: str | None
    ) -> tuple[Any, str, DeskRef, Any]:
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
            row = _at_desk_or_refuse(steps.held(counter.id), counter)
            status = Status(row.status)
            values, leaves = _step_values(step, next_status(row.label, status, step), now)
            event = self._event(row.id, where.id, step, now, row.service_id, counter.id, staff)
            if not steps.apply(
                row.id, status.value, values, [event], counter.id if leaves else None
            ):
                raise _changed(row.label)
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
        values, leaves = _step_values(step, next(iter(moves.values())), now)
        event = self._event(0, where.id, step, now, 0, counter.id, staff)
        return steps.step_held(counter.id, [s.value for s in moves], values, [event], leaves)


def _changed(label: str) -> IllegalStep:
    """A conditional update found the ticket no longer in the state just read: another
    desk or kiosk acted on it at the same moment. Raising rolls the action back."""
    return IllegalStep(f"ticket {label} was changed by someone else just now: look again")


def _split(text: str | None) -> tuple[str, ...]:
    return tuple(x for x in (text or "").split(",") if x)


def _join_notes(old: str | None, new: str | None) -> str | None:
    if not new:
        return old
    return f"{old}\n{new}" if old else new


def _step_values(step: Step, new: Status, now: Any) -> tuple[dict[str, Any], bool]:
    """What a step at a desk sets on the ticket, and whether it leaves the desk."""
    values: dict[str, Any] = {"status": new.value}
    if step is Step.RECALLED:
        values["called_at"] = now
    leaves = new not in AT_DESK_STATES
    if leaves:
        values["desk_id"] = None
    return values, leaves


@cache
def legal_moves(*steps: Step) -> dict[Status, Status]:
    """From which statuses at a desk all of `steps` may be taken, and where the last
    leaves the ticket."""
    moves: dict[Status, Status] = {}
    for status in AT_DESK_STATES:
        try:
            for step in steps:
                new = next_status("", status, step)
        except IllegalStep:
            continue
        moves[status] = new
    return moves


def _at_desk_or_refuse(row: Any, counter: DeskRef) -> Any:
    if row is None or Status(row.status) not in AT_DESK_STATES:
        raise InvalidInput(f"desk {counter.name} has no customer: call one first")
    return row
