"""Today's figures of every centre, kept up to date from the tail of the event log.

The first read folds the events of the tickets each centre issued today (its local
business day); after that only events newer than the last one seen are read (by id), and
only the tickets they touch are folded again. So a dashboard refreshing all day reads a
handful of rows per change, never the whole log, and its figures equal the event log's
(the same `ticket_outcome` and `standard_figures` as the reports).
"""

from __future__ import annotations

import math
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from frontdesk.queue.measures import (
    LoggedEvent,
    Standard,
    StandardFigures,
    TicketOutcome,
    standard_figures,
    ticket_outcome,
)
from frontdesk.queue.numbering import business_day
from frontdesk.queue.states import Step
from frontdesk.services.oversight.views import HourFigures
from frontdesk.store import oversight_store as os_
from frontdesk.store.catalogue import Catalogue, CentreRef
from frontdesk.store.engine import UnitOfWork

# Appointments have their own punctuality measure (DESIGN §3).
NOT_WALK_IN = frozenset({"appointment"})


@dataclass(slots=True)
class _Ticket:
    centre_id: int
    service_id: int
    issued_at: datetime
    walk_in: bool
    estimate: int | None
    last_event: int = 0
    events: list[LoggedEvent] = field(default_factory=list)
    outcome: TicketOutcome | None = None


@dataclass(frozen=True, slots=True)
class CentreToday:
    """A centre's figures for today so far."""

    day: date
    overall: StandardFigures
    by_service: dict[str, StandardFigures]
    hours: tuple[HourFigures, ...]


class TodayLedger:
    """Thread-safe: one refresh at a time; figures are computed from a consistent copy."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self._lock = threading.Lock()
        self._last_id: int | None = None
        self._days: dict[int, date] = {}
        self._tickets: dict[int, _Ticket] = {}
        self._figures: dict[int, CentreToday] = {}

    def refresh(self, cat: Catalogue, now: datetime) -> set[int]:
        """Read what happened since the last refresh; the ids of centres it touched."""
        with self._lock:
            centres = list(cat.centres.values())
            stale = [c for c in centres if self._days.get(c.id) != business_day(now, c.timezone)]
            touched: set[int] = set()
            with self.uow.read_core() as s:
                if self._last_id is None:
                    self._last_id = os_.last_event_id(s)
                if stale:
                    self._reload(s, stale, now)
                    touched.update(c.id for c in stale)
                rows = os_.events_after(s, self._last_id)
            for row in rows:
                self._last_id = max(self._last_id, row.id)
                if self._fold(row):
                    touched.add(row.centre_id)
            for cid in touched:
                self._figures.pop(cid, None)
            return touched

    def _reload(self, s: Any, stale: list[CentreRef], now: datetime) -> None:
        ids = {c.id for c in stale}
        self._tickets = {k: t for k, t in self._tickets.items() if t.centre_id not in ids}
        by_day: dict[date, list[int]] = defaultdict(list)
        for c in stale:
            day = business_day(now, c.timezone)
            self._days[c.id] = day
            by_day[day].append(c.id)
        for day, centre_ids in by_day.items():
            for row in os_.events_of_days(s, centre_ids, day, day):
                self._fold(row)

    def _fold(self, row: Any) -> bool:
        if self._days.get(row.centre_id) != row.business_day:
            return False  # a ticket of another day (yesterday's, late events)
        t = self._tickets.get(row.ticket_id)
        if t is None:
            t = _Ticket(
                centre_id=row.centre_id,
                service_id=row.service_id,
                issued_at=row.issued_at,
                walk_in=row.channel not in NOT_WALK_IN,
                estimate=row.estimated_wait_seconds,
            )
            self._tickets[row.ticket_id] = t
        if row.id <= t.last_event:
            return False
        t.last_event = row.id
        if row.step == Step.ISSUED.value:
            t.service_id = row.service_id
        t.events.append(
            LoggedEvent(
                step=Step(row.step), at=row.at, resolved=row.resolved, avoidable=row.avoidable
            )
        )
        t.outcome = None
        return True

    def recent_arrivals(
        self, cat: Catalogue, where: CentreRef, now: datetime, window: timedelta
    ) -> dict[str, int]:
        """Walk-ins per service over the last `window` (today's tickets only)."""
        since = now - window
        counts: dict[str, int] = defaultdict(int)
        with self._lock:
            for t in self._tickets.values():
                if t.centre_id == where.id and t.walk_in and since <= t.issued_at <= now:
                    svc = cat.service_by_id.get(t.service_id)
                    if svc is not None:
                        counts[svc.code] += 1
        return dict(counts)

    def figures(self, cat: Catalogue, where: CentreRef) -> CentreToday:
        with self._lock:
            found = self._figures.get(where.id)
            if found is None:
                found = self._compute(cat, where)
                self._figures[where.id] = found
            return found

    def _compute(self, cat: Catalogue, where: CentreRef) -> CentreToday:
        standard = Standard(where.threshold_minutes, where.target_share, where.average_wait_minutes)
        tz = ZoneInfo(where.timezone)
        by_id = cat.service_by_id
        mine: list[tuple[str, _Ticket, TicketOutcome]] = []
        for t in self._tickets.values():
            if t.centre_id != where.id or not t.walk_in:
                continue
            if t.outcome is None:
                t.outcome = ticket_outcome(t.issued_at, t.events)
            code = by_id[t.service_id].code if t.service_id in by_id else "?"
            mine.append((code, t, t.outcome))
        by_service = {}
        for code in where.services:
            own = where.service_standards.get(code)
            svc_standard = Standard(own[0], own[1]) if own else standard
            outcomes = [o for c, _, o in mine if c == code]
            by_service[code] = standard_figures(outcomes, svc_standard)
        return CentreToday(
            day=self._days.get(where.id, date.min),
            overall=standard_figures((o for _, _, o in mine), standard),
            by_service=by_service,
            hours=_hours(mine, tz, standard.threshold_seconds),
        )


def _hours(
    mine: list[tuple[str, _Ticket, TicketOutcome]], tz: ZoneInfo, limit: float
) -> tuple[HourFigures, ...]:
    arrivals: dict[int, int] = defaultdict(int)
    seen: dict[int, int] = defaultdict(int)
    waits: dict[int, list[float]] = defaultdict(list)
    counted: dict[int, list[bool]] = defaultdict(list)
    for _, t, o in mine:
        hour = t.issued_at.astimezone(tz).hour
        arrivals[hour] += 1
        if o.seen_wait is not None:
            called = t.issued_at.timestamp() + o.seen_wait
            seen[datetime.fromtimestamp(called, tz).hour] += 1
            waits[hour].append(o.seen_wait)
            counted[hour].append(o.seen_wait <= limit)
        elif o.unseen_wait is not None and o.unseen_wait > limit:
            counted[hour].append(False)
    hours = sorted(set(arrivals) | set(seen))
    if not hours:
        return ()
    return tuple(
        HourFigures(
            hour=h,
            arrivals=arrivals.get(h, 0),
            seen=seen.get(h, 0),
            share_within=(sum(counted[h]) / len(counted[h])) if counted.get(h) else None,
            p90_wait_seconds=_p90(waits.get(h, [])),
        )
        for h in range(hours[0], hours[-1] + 1)
    )


def _p90(values: list[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(0.9 * len(ordered)) - 1)]
