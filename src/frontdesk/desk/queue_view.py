"""The queue as a desk console shows it: plain values computed from a snapshot."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from frontdesk.services.queue import WaitingDetail
from frontdesk.services.results import QueueSnapshot, ServingEntry, WaitingEntry


@dataclass(frozen=True, slots=True)
class ServiceLine:
    service: str
    waiting: int
    longest_seconds: int
    threshold_minutes: float


@dataclass(frozen=True, slots=True)
class DueAppointment:
    ticket: str
    service: str
    due_at: datetime


@dataclass(frozen=True, slots=True)
class DeskQueueView:
    lines: tuple[ServiceLine, ...]
    next_up: tuple[WaitingEntry, ...]
    due: tuple[DueAppointment, ...]
    alerts: tuple[str, ...]
    others_waiting: int = 0
    details: dict[int, WaitingDetail] = field(default_factory=dict)
    # The ticket this desk holds according to the store (another console or the CLI
    # may have completed, transferred or marked it since the console last acted).
    held: ServingEntry | None = None


def build_view(
    snapshot: QueueSnapshot,
    services: tuple[str, ...],
    thresholds: dict[str, float],
    details: dict[int, WaitingDetail],
    alerts: tuple[str, ...] = (),
    desk: str | None = None,
    call_order: list[int] | None = None,
) -> DeskQueueView:
    """Waiting per service of this desk (in its order), the tickets it could call next,
    checked-in appointments and the device alerts."""
    mine = [w for w in snapshot.waiting if w.service in services]
    if call_order:
        # In the order F2 calls them (appointments due, transfers to this desk, priority
        # within the fairness limit); the rest after, longest waiting first.
        rank = {ticket_id: n for n, ticket_id in enumerate(call_order)}
        mine.sort(key=lambda w: rank.get(w.id, len(rank)))
    lines = []
    for code in services:
        waits = [w.waiting_seconds for w in mine if w.service == code]
        lines.append(ServiceLine(code, len(waits), max(waits, default=0), thresholds[code]))
    due = tuple(
        DueAppointment(w.ticket, w.service, d.due_at)
        for w in snapshot.waiting
        if (d := details.get(w.id)) is not None and d.due_at is not None
    )
    return DeskQueueView(
        lines=tuple(lines),
        next_up=tuple(mine),
        due=due,
        alerts=alerts,
        others_waiting=len(snapshot.waiting) - len(mine),
        details=details,
        held=next((e for e in snapshot.serving if e.desk == desk), None),
    )
