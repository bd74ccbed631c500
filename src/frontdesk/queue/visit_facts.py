"""Everything one visit contributes to the reports, folded from its event log.

`queue.measures.ticket_outcome` gives the waits and queries of DESIGN §3; this fold adds
who served the visit and for how long (its stints at desks), each query's type and
feedback, how the visit ended and what the visitor was told to expect. Pure: the store
hands over the ticket's events in log order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from frontdesk.queue.states import Step


@dataclass(frozen=True, slots=True)
class VisitEvent:
    """One row of a ticket's event log, with what the reports group by."""

    step: Step
    at: datetime
    service_id: int = 0
    desk_id: int | None = None
    staff: str | None = None
    topic_id: int | None = None
    resolved: bool | None = None
    avoidable: str | None = None
    feedback: str | None = None
    seen_before: bool | None = None


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
    handling_share: float | None


@dataclass(frozen=True, slots=True)
class Stint:
    """A spell at a desk: from the answered call to finish, transfer (or last query)."""

    staff: str | None
    desk_id: int | None
    handling: float | None  # seconds; None when the stint has no end to time it by
    queries: int


@dataclass(frozen=True, slots=True)
class VisitFacts:
    seen_wait: float | None
    unseen_wait: float | None
    ended_by: str | None  # no_show | cancelled | left, for a visit that ended unseen
    transfers: int
    transfer_waits: tuple[float, ...]
    stints: tuple[Stint, ...]
    queries: tuple[QueryFacts, ...]
    last_call: datetime | None  # the last `called` step (appointment punctuality)


def visit_facts(issued_at: datetime, events: Sequence[VisitEvent]) -> VisitFacts:
    """Fold one ticket's events (in log order) into its facts, in one pass.

    The waits, queries and handling times follow `measures.ticket_outcome` exactly (the
    unit tests hold the two to it over random histories); the stints follow the same
    rule for when a spell at a desk starts and ends.
    """
    seen_wait: float | None = None
    transfer_waits: list[float] = []
    stints: list[Stint] = []
    queries: list[QueryFacts] = []
    transfers = 0
    called_at: datetime | None = None
    ended_by: str | None = None
    ended_at: datetime | None = None
    completions: list[datetime] = []

    attempt_first: datetime | None = None  # first call of the current attempt
    last_call: datetime | None = None
    unanswered_at: datetime | None = None
    transferred_at: datetime | None = None
    serving_since: datetime | None = None
    stint_staff: str | None = None
    stint_desk: int | None = None
    # The stint's queries, each with whether it was resolved at first contact.
    stint_queries: list[tuple[VisitEvent, bool]] = []

    def close(handling: float | None) -> None:
        n = len(stint_queries)
        share = handling / n if handling is not None and n else None
        stints.append(Stint(stint_staff, stint_desk, handling, n))
        queries.extend(_query(q, share, fcr) for q, fcr in stint_queries)
        stint_queries.clear()

    for ev in events:
        step = ev.step
        if step is Step.CALLED or step is Step.RECALLED:
            if attempt_first is None:
                attempt_first = ev.at
            last_call = ev.at
            if step is Step.CALLED:
                called_at = ev.at
        elif step is Step.STARTED and last_call is not None:
            if transferred_at is None:
                if seen_wait is None:
                    seen_wait = (last_call - issued_at).total_seconds()
            else:
                transfer_waits.append((last_call - transferred_at).total_seconds())
            if serving_since is not None:
                close(None)  # started again without an end: the first spell is untimed
            serving_since, stint_staff, stint_desk = last_call, ev.staff, ev.desk_id
            attempt_first = last_call = unanswered_at = None
        elif step is Step.NO_SHOW:
            unanswered_at = attempt_first
            attempt_first = last_call = None
        elif step is Step.RETURNED:
            unanswered_at = None
        elif step is Step.TRANSFERRED:
            transfers += 1
            if serving_since is not None:
                close((ev.at - serving_since).total_seconds())
                serving_since = None
            transferred_at = ev.at
        elif step is Step.COMPLETED:
            completions.append(ev.at)
            fcr = ev.resolved is True and transferred_at is None
            if serving_since is not None:
                stint_queries.append((ev, fcr))
            else:  # completed with nobody serving (an odd import): counted, not timed
                queries.append(_query(ev, None, fcr))
        elif step is Step.FINISHED:
            if serving_since is not None:
                close((ev.at - serving_since).total_seconds())
                serving_since = None
        elif step is Step.CANCELLED or step is Step.LEFT:
            ended_at = ev.at
            ended_by = step.value

    if serving_since is not None:
        # A visit exported from a system without explicit ends finishes at its last query.
        since = serving_since
        done = [at for at in completions if at >= since]
        close((max(done) - since).total_seconds() if done else None)

    unseen_wait: float | None = None
    if seen_wait is not None:
        ended_by = None
    elif ended_at is not None:
        unseen_wait = (ended_at - issued_at).total_seconds()
    elif unanswered_at is not None:
        unseen_wait = (unanswered_at - issued_at).total_seconds()
        ended_by = Step.NO_SHOW.value
    else:
        ended_by = None
    return VisitFacts(
        seen_wait=seen_wait,
        unseen_wait=unseen_wait,
        ended_by=ended_by,
        transfers=transfers,
        transfer_waits=tuple(transfer_waits),
        stints=tuple(stints),
        queries=tuple(queries),
        last_call=called_at,
    )


def _query(ev: VisitEvent, share: float | None, first_contact: bool) -> QueryFacts:
    return QueryFacts(
        service_id=ev.service_id,
        topic_id=ev.topic_id,
        staff=ev.staff,
        resolved=ev.resolved is True,
        first_contact=first_contact,
        avoidable=ev.avoidable,
        feedback=ev.feedback,
        seen_before=ev.seen_before is True,
        handling_share=share,
    )
