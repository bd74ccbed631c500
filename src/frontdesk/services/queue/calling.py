"""Calling customers to a desk: next by the routing policy, or a particular ticket, and
recalls. The claim is the hottest write in a reception: read and rank outside the write
lock, then claim in a short transaction (see `frontdesk.store.sql.claims`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from itertools import chain, islice
from typing import Any

from frontdesk.errors import InvalidInput, StoreUnavailable, TicketTaken
from frontdesk.queue.routing import Candidate, DeskView, next_priority_run, ranked
from frontdesk.queue.states import AT_DESK_STATES, Status, Step, next_status
from frontdesk.services import lookup
from frontdesk.services.queue.context import QueueArea
from frontdesk.services.queue.tickets import at_desk, event, refuse_if_holding
from frontdesk.services.results import TicketAtDesk
from frontdesk.store import queue_store as qs
from frontdesk.store.catalogue import CentreRef, DeskRef
from frontdesk.store.sql import claims

# Rounds of read-rank-claim before giving up when other desks keep taking every choice.
MAX_CLAIM_ROUNDS = 20
# Per read of the queue heads, the policy's choices offered to the store at most, a few
# at a time.
MAX_CHOICES = 8
CLAIM_BATCH = 4


class _DeskHeld(Exception):
    """The claim found the desk holding a customer (rolls the write back)."""


class Calling(QueueArea):
    def call_next(
        self,
        centre: str,
        desk: str,
        *,
        staff: str | None = None,
        services: Sequence[str] | None = None,
    ) -> TicketAtDesk | None:
        """Call the customer the routing policy picks for this desk, or None.

        `services` are the services the desk serves today, in order (the console's
        choice); by default the desk's configured services."""
        where = self.ctx.centre(centre)
        counter = lookup.desk(where, desk)
        cat = self.ctx.catalogue()
        if services:
            counter = replace(counter, services=tuple(c for c in services if c in where.services))
        service_ids = [cat.services[c].id for c in counter.services if c in cat.services]
        view = DeskView(name=counter.name, services=counter.services)
        fairness = self.ctx.fairness()
        # Read the queue heads, let the policy rank them, then claim in a short write
        # transaction. If other desks took every choice in between, read again.
        with claims.claim_session(self.ctx.uow) as session:
            for _ in range(MAX_CLAIM_ROUNDS):
                with session.reading():
                    rows = {r.id: r for r in session.queue_heads(where.id, service_ids, counter.id)}
                    candidates = self._candidates(where, rows.values())
                    runs = self._runs(session, where.id, candidates)
                now = self.ctx.clock.now()
                # Ranked lazily: the first choice is usually free; when another desk
                # has just taken it, the next is worked out only then.
                order = ranked(candidates, view, now, runs, fairness, self.ctx.rules)
                first = next(order, None)
                if first is None:
                    self._check_desk_free(session, counter)
                    break
                try:
                    with session.writing():
                        choices = chain([first], islice(order, MAX_CHOICES - 1))
                        chosen = self._claim_first(
                            session, where.id, counter, choices, rows, runs, now, staff
                        )
                except _DeskHeld:
                    # Nothing was written. Say what the desk holds, or let go of a hold on
                    # a ticket that has left the desk some other way, and read again.
                    self._check_desk_free(session, counter)
                    continue
                if chosen is not None:
                    row = rows[chosen.id]
                    return self._called(
                        where.code,
                        at_desk(row, chosen.service, counter.name, Status.CALLED, now),
                    )
            else:
                raise StoreUnavailable("the queue is changing too fast to call from; try again")
        self._mark_open(counter)
        return None

    def call_order(
        self, centre: str, desk: str, *, services: Sequence[str] | None = None, limit: int = 12
    ) -> list[int]:
        """The ids of the tickets `call_next` would call at this desk, in that order (the
        first `limit`): the console lists "Next for this desk" the way F2 calls."""
        where = self.ctx.centre(centre)
        counter = lookup.desk(where, desk)
        cat = self.ctx.catalogue()
        if services:
            counter = replace(counter, services=tuple(c for c in services if c in where.services))
        service_ids = [cat.services[c].id for c in counter.services if c in cat.services]
        view = DeskView(name=counter.name, services=counter.services)
        with claims.claim_session(self.ctx.uow) as session, session.reading():
            rows = session.queue_heads(where.id, service_ids, counter.id)
            candidates = self._candidates(where, rows)
            runs = self._runs(session, where.id, candidates)
        order = ranked(
            candidates, view, self.ctx.clock.now(), runs, self.ctx.fairness(), self.ctx.rules
        )
        return [c.id for c in islice(order, limit)]

    def _candidates(self, where: CentreRef, rows: Iterable[Any]) -> list[Candidate]:
        by_id = self.ctx.catalogue().service_by_id
        desk_names = where.desk_names
        return [
            Candidate(
                id=r.id,
                service=by_id[r.service_id].code,
                queued_at=r.queued_at,
                priority=r.priority is not None,
                target_desk=desk_names.get(r.target_desk_id) if r.target_desk_id else None,
                due_at=r.due_at,
            )
            for r in rows
            if r.service_id in by_id
        ]

    def _runs(self, session: Any, centre_id: int, candidates: list[Candidate]) -> dict[str, int]:
        """The fairness counters, read only when a priority ticket is in the running."""
        if not any(c.priority for c in candidates):
            return {}
        by_id = self.ctx.catalogue().service_by_id
        return {by_id[k].code: v for k, v in session.priority_runs(centre_id).items() if k in by_id}

    def _check_desk_free(self, session: claims.ClaimSession, counter: DeskRef) -> None:
        """Refuse if the desk still has a customer; a hold on a ticket that has left the
        desk some other way (cancelled, say) is let go."""
        held = session.desk_holding(counter.id)
        if held is None:
            return
        ticket_id, label, status = held
        refuse_if_holding(counter, label, status)
        session.let_go(counter.id, ticket_id)

    def _claim_first(
        self,
        session: claims.ClaimSession,
        centre_id: int,
        counter: DeskRef,
        order: Iterable[Candidate],
        rows: dict[int, Any],
        runs: dict[str, int],
        now: datetime,
        staff: str | None,
    ) -> Candidate | None:
        """Offer the policy's choices a few at a time, in order; the store claims the
        first still free (desks racing for the same head do not retry one by one)."""
        choices = iter(order)
        batch = list(islice(choices, CLAIM_BATCH))
        while batch:
            offered = [self._choice(c, rows, runs) for c in batch]
            got, ticket_id = session.claim_first_of(offered, counter.id, centre_id, now, staff)
            if got is claims.Claim.CLAIMED:
                return next(c for c in batch if c.id == ticket_id)
            if got is claims.Claim.DESK_BUSY:
                raise _DeskHeld
            batch = list(islice(choices, CLAIM_BATCH))
        return None

    @staticmethod
    def _choice(c: Candidate, rows: dict[int, Any], runs: dict[str, int]) -> claims.Choice:
        run = runs.get(c.service, 0)
        new_run = next_priority_run(run, c.priority)
        return claims.Choice(c.id, rows[c.id].service_id, new_run if new_run != run else None)

    def _mark_open(self, counter: DeskRef) -> None:
        """A desk that asked for work is open (the estimate counts open desks)."""
        with self.ctx.uow.read_core() as conn:
            if qs.desk_status(conn, counter.id).status == "open":
                return
        with self.ctx.uow.write_core() as conn:
            qs.set_desk(conn, counter.id, status="open")

    def _called(self, centre: str, called: TicketAtDesk) -> TicketAtDesk:
        self.ctx.after_call.post(centre, called)
        return called

    def call_ticket(
        self, centre: str, desk: str, ticket: str, *, staff: str | None = None
    ) -> TicketAtDesk:
        """Call one particular ticket (queue combing, or a no-show who came back)."""
        where = self.ctx.centre(centre)
        counter = lookup.desk(where, desk)
        by_id = self.ctx.catalogue().service_by_id
        with self.ctx.uow.write_core() as s:
            self.ctx.check_desk_free(s, counter)
            now = self.ctx.clock.now()
            row = self.ctx.find(s, where, ticket, now)
            code = by_id[row.service_id].code
            if code not in counter.services and row.target_desk_id != counter.id:
                raise InvalidInput(
                    f"desk {counter.name} does not serve {code}: ticket {row.label} "
                    "must be called by a desk that does, or transferred"
                )
            if row.target_desk_id not in (None, counter.id):
                raise InvalidInput(f"ticket {row.label} was transferred to another desk by name")
            status = Status(row.status)
            if status in AT_DESK_STATES:
                other = {d.id: d.name for d in where.desks.values()}.get(row.desk_id, "?")
                raise TicketTaken(f"ticket {row.label} is already {status.value} at desk {other}")
            next_status(row.label, status, Step.CALLED)
            if status is Status.NO_SHOW:
                self.ctx.within_grace(s, row, now)
            if not qs.update_ticket(
                s,
                row.id,
                status.value,
                status="called",
                desk_id=counter.id,
                called_at=now,
                target_desk_id=None,
            ):
                raise TicketTaken(f"ticket {row.label} was just taken by another desk")
            qs.set_desk(s, counter.id, status="open", current_ticket_id=row.id)
            qs.append_events(
                s, [event(row.id, where.id, Step.CALLED, now, row.service_id, counter.id, staff)]
            )
        return self._called(where.code, at_desk(row, code, counter.name, Status.CALLED, now))

    def recall(self, centre: str, desk: str, *, staff: str | None = None) -> TicketAtDesk:
        """Announce the desk's called customer again."""
        row, code, counter, now = self.ctx.step_at_desk(centre, desk, Step.RECALLED, staff)
        return at_desk(row, code, counter.name, Status.CALLED, now)
