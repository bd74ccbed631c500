"""The estimates' accuracy report (`frontdesk report estimates`): the walk-in tickets
issued at a centre in a period that were seen and carried an estimate, the wait they
were told against the wait they had (DESIGN §3), overall, by service and by local hour
of issue.

`estimate_accuracy` is the one entry point (the reports and the supervisor's view call it
too); it returns a frozen `EstimateAccuracy`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from frontdesk.errors import InvalidInput
from frontdesk.queue.accuracy import UNDER_BY_SECONDS, AccuracyFigures, EstimateOutcome, accuracy
from frontdesk.queue.measures import LoggedEvent, ticket_outcome
from frontdesk.queue.states import Step
from frontdesk.services.queue import QueueService
from frontdesk.store import estimate_store as es
from frontdesk.store import queue_store as qs

# Appointments are called at their booked time, not given a wait estimate.
NOT_WALK_INS = frozenset({"appointment"})
# The share of waits the stored interval is meant to hold.
INTERVAL = 0.8


@dataclass(frozen=True, slots=True)
class EstimateAccuracy:
    """How the estimates given in a period turned out. `estimated`: walk-in tickets issued
    with an estimate; `seen` of them were seen (the denominator of every figure)."""

    centre: str
    date_from: date
    date_to: date
    estimated: int
    seen: int
    overall: AccuracyFigures
    by_service: dict[str, AccuracyFigures]
    by_hour: dict[str, AccuracyFigures]  # local hour of issue, "HH:00"

    def as_json(self) -> dict[str, object]:
        return {
            "centre": self.centre,
            "from": self.date_from.isoformat(),
            "to": self.date_to.isoformat(),
            "estimated": self.estimated,
            "seen": self.seen,
            "interval": INTERVAL,
            "under_by_minutes": UNDER_BY_SECONDS / 60,
            **self.overall.as_json(),
            "by_service": {k: v.as_json() for k, v in self.by_service.items()},
            "by_hour": {k: v.as_json() for k, v in self.by_hour.items()},
        }


def estimate_outcomes(
    queue: QueueService, centre: str, day_from: date, day_to: date
) -> tuple[int, list[EstimateOutcome]]:
    """(walk-in tickets issued with an estimate, those of them seen with their waits)."""
    if day_to < day_from:
        raise InvalidInput(f"--to {day_to} is before --from {day_from}")
    where = queue.centre(centre)
    by_id = queue.catalogue().service_by_id
    zone = ZoneInfo(where.timezone)
    with queue.uow.read() as s:
        tickets = [
            t
            for t in es.estimated_tickets(s, where.id, day_from, day_to)
            if t.channel not in NOT_WALK_INS
        ]
        events = qs.events_of_tickets_issued(s, [where.id], day_from, day_to)
    logged: dict[int, list[LoggedEvent]] = defaultdict(list)
    first_service: dict[int, int] = {}
    for e in events:
        logged[e.ticket_id].append(LoggedEvent(step=Step(e.step), at=e.at))
        if e.step == Step.ISSUED.value:
            first_service.setdefault(e.ticket_id, e.service_id)
    out = []
    for t in tickets:
        waited = ticket_outcome(t.issued_at, logged.get(t.id, [])).seen_wait
        if waited is None:
            continue
        sid = first_service.get(t.id, t.service_id)
        out.append(
            EstimateOutcome(
                ticket_id=t.id,
                service=by_id[sid].code if sid in by_id else "?",
                hour=t.issued_at.astimezone(zone).hour,
                waited_seconds=waited,
                estimate_seconds=t.estimated_wait_seconds,
                low_seconds=t.estimated_wait_low_seconds,
                high_seconds=t.estimated_wait_high_seconds,
            )
        )
    return len(tickets), out


def estimate_accuracy(
    queue: QueueService, centre: str, day_from: date, day_to: date
) -> EstimateAccuracy:
    """The accuracy of the estimates given at `centre` to walk-ins issued in the period
    (local dates, inclusive), over the tickets seen."""
    where = queue.centre(centre)
    estimated, rows = estimate_outcomes(queue, where.code, day_from, day_to)
    by_service = {
        code: accuracy(r for r in rows if r.service == code)
        for code in sorted({r.service for r in rows})
    }
    by_hour = {
        f"{hour:02d}:00": accuracy(r for r in rows if r.hour == hour)
        for hour in sorted({r.hour for r in rows})
    }
    return EstimateAccuracy(
        centre=where.code,
        date_from=day_from,
        date_to=day_to,
        estimated=estimated,
        seen=len(rows),
        overall=accuracy(rows),
        by_service=by_service,
        by_hour=by_hour,
    )


def naive_wait(queue: QueueService, centre: str, service: str) -> float | None:
    """The naive estimate the product's accuracy is compared with (bench/estimates.py):
    (people ahead in the service + 1) × its configured mean ÷ open desks serving it; None
    when no open desk serves it."""
    where = queue.centre(centre)
    svc = queue.catalogue().services[service]
    with queue.uow.read_core() as s:
        ahead = sum(1 for r in qs.waiting(s, where.id, [svc.id]) if r.target_desk_id is None)
        status = {r.id: r.status for r in qs.desks_live(s, where.id)}
    desks = sum(
        1 for d in where.desks.values() if service in d.services and status.get(d.id) == "open"
    )
    return (ahead + 1) * svc.mean_handling_seconds / desks if desks else None
