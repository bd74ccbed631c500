"""The measures of DESIGN §3, computed from each ticket's event history.

Everything here is pure: the store hands over the events of the tickets issued in a
period, and the report is arithmetic over them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from statistics import fmean

from frontdesk.queue.states import Step

AVOIDABLE_CATEGORIES = ("chasing", "council-error", "could-self-serve", "wrong-place")


@dataclass(frozen=True, slots=True)
class LoggedEvent:
    """One row of a ticket's event log, as the measures need it."""

    step: Step
    at: datetime
    desk: str | None = None
    resolved: bool | None = None
    avoidable: str | None = None


@dataclass(frozen=True, slots=True)
class QueryOutcome:
    resolved: bool
    first_contact: bool  # resolved by the first adviser: no transfer before it
    avoidable: str | None


@dataclass(frozen=True, slots=True)
class TicketOutcome:
    """What one ticket contributes to the reports."""

    seen_wait: float | None = None  # seconds from issue to the answered call
    unseen_wait: float | None = None  # seconds waited by a ticket that ended unseen
    transfer_waits: tuple[float, ...] = ()
    handling: tuple[float, ...] = ()  # seconds from answered call to completion/transfer
    queries: tuple[QueryOutcome, ...] = field(default=())


def ticket_outcome(issued_at: datetime, events: Sequence[LoggedEvent]) -> TicketOutcome:
    """Fold one ticket's events (in log order) into its waits and queries.

    * The wait to be seen runs from issue to the call the customer answered: the last
      call (or recall) before `started`. A no-show called again and then answered
      counts from that later call.
    * A no-show's wait runs to the first call of the attempt they did not answer.
    * Calls after a transfer are transfer waits, not the wait to be seen.
    """
    seen_wait: float | None = None
    unseen_wait: float | None = None
    transfer_waits: list[float] = []
    handling: list[float] = []
    queries: list[QueryOutcome] = []

    attempt_first: datetime | None = None  # first call of the current attempt
    last_call: datetime | None = None
    transferred_at: datetime | None = None
    serving_since: datetime | None = None
    unanswered_at: datetime | None = None
    ended_at: datetime | None = None

    for ev in events:
        if ev.step in (Step.CALLED, Step.RECALLED):
            if attempt_first is None:
                attempt_first = ev.at
            last_call = ev.at
        elif ev.step is Step.STARTED and last_call is not None:
            if transferred_at is None:
                if seen_wait is None:
                    seen_wait = (last_call - issued_at).total_seconds()
            else:
                transfer_waits.append((last_call - transferred_at).total_seconds())
            serving_since = last_call
            attempt_first = last_call = None
            unanswered_at = None
        elif ev.step is Step.NO_SHOW:
            unanswered_at = attempt_first
            attempt_first = last_call = None
        elif ev.step is Step.RETURNED:
            unanswered_at = None
        elif ev.step is Step.TRANSFERRED:
            if serving_since is not None:
                handling.append((ev.at - serving_since).total_seconds())
                serving_since = None
            transferred_at = ev.at
        elif ev.step is Step.COMPLETED:
            resolved = bool(ev.resolved)
            queries.append(
                QueryOutcome(
                    resolved=resolved,
                    first_contact=resolved and transferred_at is None,
                    avoidable=ev.avoidable,
                )
            )
        elif ev.step is Step.FINISHED:
            if serving_since is not None:
                handling.append((ev.at - serving_since).total_seconds())
                serving_since = None
        elif ev.step in (Step.CANCELLED, Step.LEFT):
            ended_at = ev.at

    if seen_wait is None:
        if ended_at is not None:
            unseen_wait = (ended_at - issued_at).total_seconds()
        elif unanswered_at is not None:
            unseen_wait = (unanswered_at - issued_at).total_seconds()
    # A visit exported from a system without explicit ends finishes at its last query.
    if serving_since is not None:
        since = serving_since
        done = [e.at for e in events if e.step is Step.COMPLETED and e.at >= since]
        if done:
            handling.append((max(done) - since).total_seconds())
    return TicketOutcome(
        seen_wait=seen_wait,
        unseen_wait=unseen_wait,
        transfer_waits=tuple(transfer_waits),
        handling=tuple(handling),
        queries=tuple(queries),
    )


@dataclass(frozen=True, slots=True)
class Standard:
    """A centre's (or service's) waiting standard."""

    threshold_minutes: float = 10
    target_share: float = 0.95
    average_wait_minutes: float | None = None

    def __post_init__(self) -> None:
        if self.threshold_minutes <= 0:
            raise ValueError("threshold_minutes must be more than 0")
        if not 0 < self.target_share <= 1:
            raise ValueError("target_share must be a fraction in (0, 1]")
        if self.average_wait_minutes is not None and self.average_wait_minutes <= 0:
            raise ValueError("average_wait_minutes must be more than 0")

    @property
    def threshold_seconds(self) -> float:
        return self.threshold_minutes * 60


@dataclass(frozen=True, slots=True)
class StandardFigures:
    seen: int
    seen_within_threshold: int
    ended_unseen: int
    breached_unseen: int
    walkouts: int
    share_within_standard: float | None
    average_wait_seconds: float | None
    queries_completed: int
    first_contact_resolution: float | None
    resolved_in_one_visit: float | None
    avoidable_contact_share: float | None
    met: bool | None


def share_of(part: int, whole: int) -> float | None:
    """A share in [0, 1], or None when its denominator is 0 (the reports' rule)."""
    return part / whole if whole else None


def standard_figures(outcomes: Iterable[TicketOutcome], standard: Standard) -> StandardFigures:
    """Seen within standard, walk-outs, averages, FCR and avoidable contact."""
    limit = standard.threshold_seconds
    seen_waits: list[float] = []
    unseen: list[float] = []
    queries: list[QueryOutcome] = []
    for o in outcomes:
        if o.seen_wait is not None:
            seen_waits.append(o.seen_wait)
        elif o.unseen_wait is not None:
            unseen.append(o.unseen_wait)
        queries.extend(o.queries)
    seen_within = sum(1 for w in seen_waits if w <= limit)
    breached_unseen = sum(1 for w in unseen if w > limit)
    share = share_of(seen_within, len(seen_waits) + breached_unseen)
    average = fmean(seen_waits) if seen_waits else None
    asked = len(queries)
    met: bool | None = None
    if share is not None:
        met = share >= standard.target_share
        if standard.average_wait_minutes is not None and average is not None:
            met = met and average <= standard.average_wait_minutes * 60
    return StandardFigures(
        seen=len(seen_waits),
        seen_within_threshold=seen_within,
        ended_unseen=len(unseen),
        breached_unseen=breached_unseen,
        walkouts=len(unseen) - breached_unseen,
        share_within_standard=share,
        average_wait_seconds=average,
        queries_completed=asked,
        first_contact_resolution=share_of(sum(q.first_contact for q in queries), len(queries)),
        resolved_in_one_visit=share_of(sum(q.resolved for q in queries), len(queries)),
        avoidable_contact_share=share_of(
            sum(q.avoidable is not None for q in queries), len(queries)
        ),
        met=met,
    )
