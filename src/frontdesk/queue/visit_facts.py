"""Everything one visit contributes to the reports, folded from its event log.

The waits and queries are those of DESIGN §3 as `queue.measures.ticket_outcome` gives
them; this fold adds who served the visit and for how long (its stints at desks), each
query's type and feedback, and how the visit ended. Pure: the store hands over the
ticket's events in log order.

Instants are whole microseconds since the epoch and durations whole microseconds: the
store computes them in SQL, so a rebuild of millions of events parses no timestamps,
and sums are exact whatever order they are added in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NamedTuple

from frontdesk.queue.states import Step

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# Steps as the log spells them: rows come straight from the store.
ISSUED, CALLED, RECALLED, STARTED = "issued", "called", "recalled", "started"
NO_SHOW, RETURNED, TRANSFERRED = "no_show", "returned", "transferred"
COMPLETED, FINISHED, CANCELLED, LEFT = "completed", "finished", "cancelled", "left"
assert {ISSUED, CALLED, RECALLED, STARTED, NO_SHOW, RETURNED, TRANSFERRED} <= set(Step)
assert {COMPLETED, FINISHED, CANCELLED, LEFT} <= set(Step)


def micros_of(at: datetime) -> int:
    """An aware datetime as microseconds since the epoch."""
    delta = at - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


class VisitEvent(NamedTuple):
    """One row of a ticket's event log, with what the reports group by. Booleans may
    come as 0/1 (SQLite): they are read for truth."""

    step: str  # a `Step` value
    at: int  # microseconds since the epoch
    service_id: int = 0
    desk_id: int | None = None
    staff: str | None = None
    topic_id: int | None = None
    resolved: bool | int | None = None
    avoidable: str | None = None
    feedback: str | None = None
    seen_before: bool | int | None = None


@dataclass(frozen=True, slots=True)
class QueryFacts:
    service_id: int  # the service the visit was in when the query was completed
    topic_id: int | None  # the query type, if the adviser chose one
    staff: str | None
    resolved: bool
    first_contact: bool
    avoidable: str | None
    feedback: str | None
    seen_before: bool
    # The stint's handling time shared equally among its queries (None: not timed).
    handling_share_us: int | None


@dataclass(frozen=True, slots=True)
class Stint:
    """A spell at a desk: from the answered call to finish, transfer (or last query)."""

    staff: str | None
    desk_id: int | None
    handling_us: int | None  # None when the stint has no end to time it by
    queries: int


@dataclass(frozen=True, slots=True)
class VisitFacts:
    seen_wait_us: int | None
    unseen_wait_us: int | None
    ended_by: str | None  # no_show | cancelled | left, for a visit that ended unseen
    transfers: int
    transfer_waits_us: tuple[int, ...]
    stints: tuple[Stint, ...]
    queries: tuple[QueryFacts, ...]
    last_call: int | None  # the last `called` step (appointment punctuality)


def visit_facts(issued: int, events: Sequence[VisitEvent]) -> VisitFacts:
    """Fold one ticket's events (in log order) into its facts, in one pass.

    The rules are `measures.ticket_outcome`'s (the unit tests hold the two together over
    random histories): the wait runs from issue to the call the customer answered; a
    no-show's to the first call they did not answer; a cancelled or left ticket's to
    that moment; calls after a transfer are transfer waits. A stint runs from the
    answered call to finish or transfer (or, with neither, to its last query).
    """
    seen_wait: int | None = None
    transfer_waits: list[int] = []
    stints: list[Stint] = []
    queries: list[QueryFacts] = []
    transfers = 0
    called_at: int | None = None
    ended_by: str | None = None
    ended_at: int | None = None
    completions: list[int] = []

    attempt_first: int | None = None  # first call of the current attempt
    last_call: int | None = None
    unanswered_at: int | None = None
    transferred_at: int | None = None
    serving_since: int | None = None
    stint_staff: str | None = None
    stint_desk: int | None = None
    # The stint's queries, each with whether it was resolved at first contact.
    stint_queries: list[tuple[VisitEvent, bool]] = []

    def close(handling: int | None) -> None:
        n = len(stint_queries)
        share = round(handling / n) if handling is not None and n else None
        stints.append(Stint(stint_staff, stint_desk, handling, n))
        queries.extend(_query(q, share, fcr) for q, fcr in stint_queries)
        stint_queries.clear()

    for ev in events:
        step, at = ev.step, ev.at
        if step in (CALLED, RECALLED):
            if attempt_first is None:
                attempt_first = at
            last_call = at
            if step == CALLED:
                called_at = at
        elif step == STARTED:
            if last_call is None:
                continue
            if transferred_at is None:
                if seen_wait is None:
                    seen_wait = last_call - issued
            else:
                transfer_waits.append(last_call - transferred_at)
            if serving_since is not None:
                close(None)  # started again without an end: the first spell is untimed
            serving_since, stint_staff, stint_desk = last_call, ev.staff, ev.desk_id
            attempt_first = last_call = unanswered_at = None
        elif step == COMPLETED:
            completions.append(at)
            fcr = bool(ev.resolved) and transferred_at is None
            if serving_since is not None:
                stint_queries.append((ev, fcr))
            else:  # completed with nobody serving (an odd import): counted, not timed
                queries.append(_query(ev, None, fcr))
        elif step == FINISHED:
            if serving_since is not None:
                close(at - serving_since)
                serving_since = None
        elif step == NO_SHOW:
            unanswered_at = attempt_first
            attempt_first = last_call = None
        elif step == TRANSFERRED:
            transfers += 1
            if serving_since is not None:
                close(at - serving_since)
                serving_since = None
            transferred_at = at
        elif step == RETURNED:
            unanswered_at = None
        elif step in (CANCELLED, LEFT):
            ended_at = at
            ended_by = step

    if serving_since is not None:
        # A visit exported from a system without explicit ends finishes at its last query.
        since = serving_since
        done = [at for at in completions if at >= since]
        close(max(done) - since if done else None)

    unseen_wait: int | None = None
    if seen_wait is not None:
        ended_by = None
    elif ended_at is not None:
        unseen_wait = ended_at - issued
    elif unanswered_at is not None:
        unseen_wait = unanswered_at - issued
        ended_by = NO_SHOW
    else:
        ended_by = None
    return VisitFacts(
        seen_wait_us=seen_wait,
        unseen_wait_us=unseen_wait,
        ended_by=ended_by,
        transfers=transfers,
        transfer_waits_us=tuple(transfer_waits),
        stints=tuple(stints),
        queries=tuple(queries),
        last_call=called_at,
    )


def _query(ev: VisitEvent, share: int | None, first_contact: bool) -> QueryFacts:
    return QueryFacts(
        service_id=ev.service_id,
        topic_id=ev.topic_id,
        staff=ev.staff,
        resolved=bool(ev.resolved),
        first_contact=first_contact,
        avoidable=ev.avoidable,
        feedback=ev.feedback,
        seen_before=bool(ev.seen_before),
        handling_share_us=share,
    )
