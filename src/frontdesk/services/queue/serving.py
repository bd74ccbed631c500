"""Serving the customer a desk holds: start, no-show, complete with the queries'
outcomes, transfer with a note; and closing tickets unseen (cancelled, left)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from frontdesk.errors import IllegalStep, InvalidInput
from frontdesk.queue.states import AT_DESK_STATES, Status, Step, next_status
from frontdesk.services import lookup
from frontdesk.services.queue.context import QueueArea
from frontdesk.services.queue.tickets import (
    at_desk,
    changed,
    event,
    held_or_refuse,
    join_notes,
    legal_moves,
)
from frontdesk.services.results import (
    Closed,
    Completed,
    Query,
    TicketAtDesk,
    Transferred,
)
from frontdesk.store import audit as audit_log
from frontdesk.store import queue_store as qs
from frontdesk.store.catalogue import Catalogue
from frontdesk.store.sql import desk_steps


class Serving(QueueArea):
    def current(self, centre: str, desk: str) -> TicketAtDesk | None:
        """The customer this desk holds (so a restarted console resumes them)."""
        where = self.ctx.centre(centre)
        counter = lookup.desk(where, desk)
        with self.ctx.uow.peek() as s:
            row = qs.held_ticket(s, counter.id)
        if row is None or Status(row.status) not in AT_DESK_STATES:
            return None
        code = self.ctx.catalogue().service_by_id[row.service_id].code
        return at_desk(row, code, counter.name, Status(row.status), self.ctx.clock.now())

    def start(self, centre: str, desk: str, *, staff: str | None = None) -> TicketAtDesk:
        """The called customer has arrived at the desk."""
        row, code, counter, now = self.ctx.step_at_desk(centre, desk, Step.STARTED, staff)
        return at_desk(row, code, counter.name, Status.SERVING, now)

    def no_show(self, centre: str, desk: str, *, staff: str | None = None) -> Closed:
        """The called customer did not come; they may return within the grace period.

        Refused until `queue.no_show_after_seconds` after the call: the customer may
        still be on their way to the desk."""
        where = self.ctx.centre(centre)
        counter = lookup.desk(where, desk)
        with self.ctx.uow.peek() as s:
            held = qs.held_ticket(s, counter.id)
        if held is not None and held.status == Status.CALLED.value and held.called_at:
            since = self.ctx.clock.now() - held.called_at
            wait = self.ctx.no_show_after()
            if since < wait:
                left = math.ceil((wait - since).total_seconds())
                raise IllegalStep(
                    f"{held.label} was called {int(since.total_seconds())} s ago: a no-show "
                    f"can be marked {wait.total_seconds():g} s after the call "
                    f"(in {left} s); recall them meanwhile"
                )
        row, _, _, _ = self.ctx.step_at_desk(centre, desk, Step.NO_SHOW, staff)
        return Closed(id=row.id, ticket=row.label, status=Status.NO_SHOW.value)

    def return_to_queue(self, centre: str, ticket: str, *, staff: str | None = None) -> Closed:
        """A no-show who came back within the grace period keeps their place."""
        where = self.ctx.centre(centre)
        with self.ctx.uow.write_core() as s:
            now = self.ctx.clock.now()
            row = self.ctx.find(s, where, ticket, now)
            new = next_status(row.label, Status(row.status), Step.RETURNED)
            self.ctx.within_grace(s, row, now)
            if not qs.update_ticket(s, row.id, row.status, status=new.value, desk_id=None):
                raise changed(row.label)
            qs.append_events(
                s, [event(row.id, where.id, Step.RETURNED, now, row.service_id, staff=staff)]
            )
        return Closed(id=row.id, ticket=row.label, status=new.value)

    def complete(
        self,
        centre: str,
        desk: str,
        queries: Sequence[Query],
        *,
        staff: str | None = None,
    ) -> Completed:
        """Record the outcome of every query in the visit and finish with the customer."""
        if not queries:
            raise InvalidInput(
                "record at least one query's outcome: resolved or not (and the hand-off)"
            )
        cat = self.ctx.catalogue()
        checked = [self._checked_query(cat, q) for q in queries]
        where = self.ctx.centre(centre)
        counter = lookup.desk(where, desk)
        with desk_steps.at_desk(self.ctx.uow) as steps:
            now = self.ctx.clock.now()
            row = None
            if steps.in_one_statement:
                # One statement: moved only from a status both steps are legal from.
                moves = legal_moves(Step.COMPLETED, Step.FINISHED)
                row = steps.step_held(
                    counter.id,
                    [st.value for st in moves],
                    {"status": Status.DONE.value},
                    self._outcome_events(0, where.id, 0, counter.id, checked, now, staff),
                    free=True,
                )
            if row is None:
                row = held_or_refuse(steps.held(counter.id), counter)
                status = Status(row.status)
                next_status(row.label, status, Step.COMPLETED)
                next_status(row.label, status, Step.FINISHED)
                events = self._outcome_events(
                    row.id, where.id, row.service_id, counter.id, checked, now, staff
                )
                if not steps.apply(
                    row.id, status.value, {"status": Status.DONE.value}, events, counter.id
                ):
                    raise changed(row.label)
        return Completed(
            id=row.id, ticket=row.label, desk=counter.name, queries_completed=len(checked)
        )

    def transfer(
        self,
        centre: str,
        desk: str,
        *,
        service: str | None = None,
        to_desk: str | None = None,
        note: str | None = None,
        queries: Sequence[Query] = (),
        staff: str | None = None,
    ) -> Transferred:
        """Send the customer to another service or a named desk, with a note, keeping the
        visit and its history; queries already settled here are recorded first."""
        if service is None and to_desk is None:
            raise InvalidInput("a transfer needs a service or a desk to go to")
        if to_desk is not None and not to_desk.strip():
            raise InvalidInput("the desk to transfer to is empty: name a desk")
        cat = self.ctx.catalogue()
        where = self.ctx.centre(centre)
        counter = lookup.desk(where, desk)
        target = lookup.desk(where, to_desk) if to_desk else None
        checked = [self._checked_query(cat, q) for q in queries]
        # Read before the write transaction: the writes that follow are guarded by the
        # ticket's status, so they refuse if it moved on.
        with self.ctx.uow.peek() as s:
            row = held_or_refuse(qs.held_ticket(s, counter.id), counter)
        with self.ctx.uow.write_core() as s:
            now = self.ctx.clock.now()
            status = Status(row.status)
            next_status(row.label, status, Step.TRANSFERRED)
            if service is not None:
                svc = lookup.service(cat, where, service)
            elif target is not None and target.services:
                current = cat.service_by_id[row.service_id]
                # The named desk serves the visit under its current service if it can.
                code = current.code if current.code in target.services else target.services[0]
                svc = cat.services[code]
            else:
                svc = cat.service_by_id[row.service_id]
            events = [
                event(row.id, where.id, Step.COMPLETED, now, row.service_id, counter.id, staff, **q)
                for q in checked
            ]
            events.append(
                event(row.id, where.id, Step.TRANSFERRED, now, svc.id, counter.id, staff, text=note)
            )
            if not qs.update_ticket(
                s,
                row.id,
                status.value,
                status=Status.WAITING.value,
                service_id=svc.id,
                queued_at=now,
                desk_id=None,
                target_desk_id=target.id if target else None,
                transfers=row.transfers + 1,
                note=join_notes(row.note, note),
            ):
                raise changed(row.label)
            qs.set_desk(s, counter.id, current_ticket_id=None)
            qs.append_events(s, events)
        return Transferred(
            id=row.id,
            ticket=row.label,
            from_desk=counter.name,
            to_service=svc.code,
            to_desk=target.name if target else None,
            note=note,
        )

    def cancel(
        self, centre: str, ticket: str, *, reason: str | None = None, staff: str | None = None
    ) -> Closed:
        """The visitor (or staff for them) cancels the ticket."""
        return self._end(centre, ticket, Step.CANCELLED, reason, staff)

    def left(self, centre: str, ticket: str, *, staff: str | None = None) -> Closed:
        """The visitor left without being seen (or mid-service)."""
        return self._end(centre, ticket, Step.LEFT, None, staff)

    def _outcome_events(
        self,
        ticket_id: int,
        centre_id: int,
        service_id: int,
        desk_id: int,
        checked: Sequence[dict[str, Any]],
        now: Any,
        staff: str | None,
    ) -> list[dict[str, Any]]:
        """One `completed` event per query, then `finished`."""
        events = [
            event(ticket_id, centre_id, Step.COMPLETED, now, service_id, desk_id, staff, **q)
            for q in checked
        ]
        events.append(event(ticket_id, centre_id, Step.FINISHED, now, service_id, desk_id, staff))
        return events

    @staticmethod
    def _checked_query(cat: Catalogue, q: Query) -> dict[str, Any]:
        if q.feedback_text and not q.feedback:
            raise InvalidInput("feedback text needs a kind: complaint, compliment or comment")
        if q.resolved and q.handoff:
            raise InvalidInput("a hand-off is for a query that is not resolved")
        return {
            "resolved": bool(q.resolved),
            "topic_id": lookup.topic_id(cat, q.topic),
            "handoff": (q.handoff or None) if not q.resolved else None,
            "avoidable": lookup.avoidable(q.avoidable),
            "feedback": lookup.feedback(q.feedback),
            "text": q.feedback_text or None,
            "seen_before": True if q.seen_before else None,
        }

    def _end(
        self, centre: str, ticket: str, step: Step, reason: str | None, staff: str | None
    ) -> Closed:
        where = self.ctx.centre(centre)
        with self.ctx.uow.write_core() as s:
            now = self.ctx.clock.now()
            row = self.ctx.find(s, where, ticket, now)
            status = Status(row.status)
            new = next_status(row.label, status, step)
            if not qs.update_ticket(s, row.id, status.value, status=new.value, desk_id=None):
                raise changed(row.label)
            if row.desk_id is not None and status in AT_DESK_STATES:
                qs.set_desk(s, row.desk_id, current_ticket_id=None)
            qs.append_events(
                s,
                [
                    event(
                        row.id, where.id, step, now, row.service_id, row.desk_id, staff, text=reason
                    )
                ],
            )
        return Closed(id=row.id, ticket=row.label, status=new.value)

    def mark_quick(self, centre: str, ticket: str, *, staff: str | None = None) -> Closed:
        """A greeter marks a waiting ticket as a quick query, so desks can comb it out of
        the queue at busy times (the desk console's "call ticket" filter)."""
        where = self.ctx.centre(centre)
        with self.ctx.uow.write_core() as s:
            now = self.ctx.clock.now()
            row = self.ctx.find(s, where, ticket, now)
            if row.status != Status.WAITING.value:
                raise IllegalStep(
                    f"ticket {row.label} is {row.status}: only a waiting ticket "
                    "can be marked a quick query"
                )
            if not qs.update_ticket(s, row.id, Status.WAITING.value, quick=True):
                raise changed(row.label)
            audit_log.audit(s, now, staff, "ticket.quick", f"{where.code} {row.label}")
        return Closed(id=row.id, ticket=row.label, status=Status.WAITING.value)
