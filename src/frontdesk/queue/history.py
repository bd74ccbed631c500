"""A visit's recorded history, replayed through the state machine (event interchange).

Files from other queue systems often keep times to the second: a ticket issued and
called in the same second whenever a desk was free, and rows in any order. The events
of a visit are taken in time order; events at the same instant are put in an order the
state machine allows (issued, called, no-show, started, completed, transferred, …).
Only when no order is allowed is the visit refused, naming the row where the file's
natural order breaks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from frontdesk.errors import IllegalStep
from frontdesk.queue.states import INTERCHANGE_STEPS, TRANSITIONS, Status, Step, next_status

# Preferred order of events recorded at the same instant: a visit's natural course.
SAME_INSTANT_ORDER: dict[Step, int] = {
    Step.ISSUED: 0,
    Step.CALLED: 1,
    Step.NO_SHOW: 2,
    Step.STARTED: 3,
    Step.COMPLETED: 4,
    Step.TRANSFERRED: 5,
    Step.CANCELLED: 6,
    Step.LEFT: 7,
}
# A visit with more rows than this is refused: real visits have a handful, and the
# bound keeps both memory and the same-instant search small whatever the file holds.
MAX_VISIT_EVENTS = 200
# How many partial orders the same-instant search may try before giving up.
_SEARCH_BUDGET = 20_000
_ENDED = frozenset({Status.NO_SHOW, Status.CANCELLED, Status.LEFT})


class RecordedEvent(Protocol):
    """One row of a visit: when, what, and where it was in the file."""

    @property
    def at(self) -> str: ...  # a sortable UTC instant ("YYYY-MM-DD HH:MM:SS.ffffff")

    @property
    def step(self) -> Step: ...

    @property
    def line(self) -> int: ...


E = TypeVar("E", bound=RecordedEvent)


class VisitRefused(IllegalStep):
    """A visit whose events no order of the same-instant rows makes legal, or unfinished."""


@dataclass(frozen=True, slots=True)
class Replayed(Generic[E]):
    """A visit's events in the order they happened and the state it ended in."""

    events: tuple[E, ...]
    status: Status  # done, no_show, cancelled or left


def replay(visit: str, events: Sequence[E]) -> Replayed[E]:
    """Order a finished visit's events; VisitRefused (naming rows) if it cannot be done."""
    if len(events) > MAX_VISIT_EVENTS:
        raise VisitRefused(
            f"visit {visit} has more than {MAX_VISIT_EVENTS} rows (a visit may have at most "
            f"{MAX_VISIT_EVENTS}; rows {events[0].line} to {events[-1].line})"
        )
    natural = sorted(events, key=_natural_key)
    status = _walk(natural)
    if status is not None and _finished(status, natural[-1].step):
        return Replayed(tuple(natural), _final(status))
    found = _search(natural)
    if found is not None:
        return Replayed(tuple(found), _final(_walk(found) or Status.DONE))
    raise VisitRefused(_why(visit, natural))


def _natural_key(e: RecordedEvent) -> tuple[str, int, int]:
    return (e.at, SAME_INSTANT_ORDER[e.step], e.line)


def _walk(events: Sequence[RecordedEvent]) -> Status | None:
    """The state after the events in this order, or None if a step is not allowed."""
    status: Status | None = None
    for e in events:
        status = TRANSITIONS.get((status, e.step))
        if status is None:
            return None
    return status


def _finished(status: Status, last: Step) -> bool:
    # The CSV has no "finished" row: a visit at a desk ends with its last query.
    return status in _ENDED or (status is Status.SERVING and last is Step.COMPLETED)


def _final(status: Status) -> Status:
    return Status.DONE if status is Status.SERVING else status


def _search(natural: list[E]) -> list[E] | None:
    """A legal, finished order that keeps time order and reorders only same-instant rows.

    Depth-first over the instants; rows of one kind keep their file order among
    themselves (swapping two `completed` rows changes nothing the state machine sees),
    so a partial order is known by its instant, its state and what is left to place.
    """
    groups: list[list[E]] = []
    for e in natural:
        if groups and groups[-1][0].at == e.at:
            groups[-1].append(e)
        else:
            groups.append([e])
    kinds = INTERCHANGE_STEPS
    failed: set[tuple[int, Status | None, tuple[int, ...], Step | None]] = set()
    budget = [_SEARCH_BUDGET]
    out: list[E] = []

    def counts(group: list[E]) -> tuple[int, ...]:
        return tuple(sum(1 for e in group if e.step is k) for k in kinds)

    def place(gi: int, status: Status | None, left: tuple[int, ...], last: Step | None) -> bool:
        if not any(left):
            if gi + 1 == len(groups):
                return status is not None and last is not None and _finished(status, last)
            gi += 1
            left = counts(groups[gi])
        key = (gi, status, left, last)
        if key in failed or budget[0] <= 0:
            return False
        budget[0] -= 1
        for ki in sorted(range(len(kinds)), key=lambda i: SAME_INSTANT_ORDER[kinds[i]]):
            if not left[ki]:
                continue
            step = kinds[ki]
            new = TRANSITIONS.get((status, step))
            if new is None:
                continue
            same_kind = [e for e in groups[gi] if e.step is step]
            out.append(same_kind[len(same_kind) - left[ki]])
            rest = (*left[:ki], left[ki] - 1, *left[ki + 1 :])
            if place(gi, new, rest, step):
                return True
            out.pop()
        failed.add(key)
        return False

    return out if place(0, None, counts(groups[0]), None) else None


def _why(visit: str, natural: Sequence[RecordedEvent]) -> str:
    """The refusal, told along the file's natural order (time, then the usual course)."""
    rows = ", ".join(str(e.line) for e in sorted(natural, key=lambda e: e.line))
    status: Status | None = None
    for e in natural:
        try:
            status = next_status(visit, status, e.step)
        except IllegalStep as exc:
            return f"visit {visit} (rows {rows}): row {e.line}: {exc}"
    assert status is not None  # a visit has at least one row
    return (
        f"visit {visit} (rows {rows}) is not finished ({status.value}); "
        "only finished visits can be imported"
    )
