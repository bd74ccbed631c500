"""The centre's live state and recent history, read from the store for the wait predictor.

`CentreReader.state` reads what changes by the second (desks, who waits) on every call
and what history says (time per call per service, walk-outs, arrivals, priority share,
appointments falling due) at most once a minute of the service clock: the kiosk asks
for every visitor, and history moves slowly. The predictor itself
(`frontdesk.queue.predict`) is pure; the supervisor's view and the staffing plan build
their states here too.
"""

from __future__ import annotations

import random
from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import datetime, timedelta
from threading import Lock
from typing import Any

from frontdesk.queue.handling import DeskTime, HandlingModel, learn_handling, walkout_rate
from frontdesk.queue.predict import (
    Activity,
    AppointmentDue,
    CentreState,
    DeskState,
    WaitingTicket,
    WaitPrediction,
    predict_wait,
)
from frontdesk.store import estimate_store as es
from frontdesk.store.catalogue import Catalogue, CentreRef
from frontdesk.store.queue_store import Executor

HISTORY_SECONDS = 60.0
# Learned times per call are learned again at least this often (their weights age).
RELEARN = timedelta(minutes=10)
# How far back the time per call is learned from (recent samples weigh more anyway), and
# how many of the newest calls per service are kept.
HANDLING_DAYS = 14
SAMPLES_PER_SERVICE = 400
# Walk-outs, priority share and arrivals: the last hours of the day.
RECENT_HOURS = 8
ARRIVAL_WINDOW = timedelta(minutes=60)
MIN_ARRIVAL_WINDOW = timedelta(minutes=15)
APPOINTMENTS_AHEAD = timedelta(hours=4)
# A fixed seed: the same state gives the same estimate, and the draws stay cached.
SEED = 20261
# Walk-ins only: appointments have their own punctuality measure.
WALK_IN_CHANNELS = ("kiosk", "greeter", "desk", "cli", "import")


@dataclass(frozen=True, slots=True)
class History:
    """What the recent past says about a centre (the slow-moving part of its state)."""

    read_at: datetime
    handling: dict[str, HandlingModel]
    arrivals_per_hour: dict[str, float]
    walkout_per_second: float
    walkout_share: float
    priority_share: float
    appointment_no_show_share: float
    appointments: tuple[tuple[str, str, datetime, float], ...]  # desk, service, at, seconds


class DeskTimes:
    """A centre's recent times per call, kept up to date from the event log: each read
    takes only the events logged since the last one (a call is paired with the step that
    freed the desk, however far apart the two reads were)."""

    def __init__(self) -> None:
        self.last_event_id = 0
        self.open_calls: dict[int, tuple[datetime, int]] = {}  # ticket → (called at, service)
        self.samples: dict[int, deque[tuple[float, datetime]]] = defaultdict(
            lambda: deque(maxlen=SAMPLES_PER_SERVICE)
        )
        self.added: dict[int, int] = defaultdict(int)  # calls paired so far, per service
        # service → (learned at, calls added then, configured time, model)
        self.models: dict[int, tuple[datetime, int, float, HandlingModel]] = {}
        self.no_shows: tuple[datetime, float] | None = None

    def update(self, s: Executor, centre_id: int, now: datetime) -> None:
        since = now - timedelta(days=HANDLING_DAYS)
        for e in es.desk_events(s, centre_id, since, self.last_event_id):
            self.last_event_id = max(self.last_event_id, e.id)
            if e.step in es.CALL_STEPS:
                self.open_calls.setdefault(e.ticket_id, (e.at, e.service_id))
            elif e.ticket_id in self.open_calls:
                at, service_id = self.open_calls.pop(e.ticket_id)
                self.samples[service_id].append(((e.at - at).total_seconds(), e.at))
                self.added[service_id] += 1
        # A call never closed (a desk's customer from days ago) is forgotten.
        stale = [t for t, (at, _) in self.open_calls.items() if at < since]
        for t in stale:
            del self.open_calls[t]

    def history(self, service_id: int, now: datetime) -> list[DeskTime]:
        return [
            DeskTime(seconds, (now - ended).total_seconds() / 3600)
            for seconds, ended in self.samples.get(service_id, ())
        ]

    def no_show_share(self, s: Executor, centre_id: int, now: datetime) -> float:
        """Booked appointments nobody came for, over 60 days (read again hourly)."""
        if self.no_shows is None or not timedelta(0) <= now - self.no_shows[0] < RELEARN * 6:
            missed, came = es.appointment_turnout(s, centre_id, now - timedelta(days=60))
            # Too few to say: one in ten, a common rate for council appointments.
            share = missed / (missed + came) if missed + came >= 5 else 0.1
            self.no_shows = (now, share)
        return self.no_shows[1]

    def model(self, code: str, service_id: int, configured: float, now: datetime) -> HandlingModel:
        """The service's learned time per call: learned again when calls were added, the
        configuration changed, or the recency weights have moved (RELEARN)."""
        count = self.added.get(service_id, 0)
        found = self.models.get(service_id)
        if (
            found is not None
            and found[1:3] == (count, configured)
            and timedelta(0) <= now - found[0] < RELEARN
        ):
            return found[3]
        model = learn_handling(code, self.history(service_id, now), configured)
        self.models[service_id] = (now, count, configured, model)
        return model


class CentreReader:
    """Builds `CentreState`s for the predictor; one per queue service (thread-safe)."""

    def __init__(self) -> None:
        self._history: dict[int, History] = {}
        self._desk_times: dict[int, DeskTimes] = {}
        self._lock = Lock()

    def desks(
        self, s: Executor, cat: Catalogue, where: CentreRef, now: datetime
    ) -> tuple[DeskState, ...]:
        """Each desk now: status, today's services in order, the customer it holds."""
        by_id = cat.service_by_id
        desks = []
        for row in es.live_desks(s, where.id):
            text = row.today or row.configured or ""
            services = tuple(c for c in text.split(",") if c in where.services)
            busy = None
            if row.held_status in ("called", "serving") and row.held_called_at is not None:
                code = by_id[row.held_service_id].code if row.held_service_id in by_id else ""
                busy = Activity(code, max(0.0, (now - row.held_called_at).total_seconds()))
            status = row.status if row.status in ("open", "paused", "closed") else "closed"
            desks.append(DeskState(row.name, services, status, busy))
        return tuple(desks)

    def state(
        self,
        s: Executor,
        cat: Catalogue,
        where: CentreRef,
        now: datetime,
        desks: tuple[DeskState, ...] | None = None,
    ) -> CentreState:
        """The centre's live state and recent history (desks as read, if given)."""
        history = self._cached(s, cat, where, now)
        by_id = cat.service_by_id
        if desks is None:
            desks = self.desks(s, cat, where, now)
        names = where.desk_names
        waiting = tuple(
            WaitingTicket(
                id=r.id,
                service=by_id[r.service_id].code,
                waited_seconds=max(0.0, (now - r.queued_at).total_seconds()),
                priority=r.priority is not None,
                desk=names.get(r.target_desk_id) if r.target_desk_id else None,
                due_in_seconds=(r.due_at - now).total_seconds() if r.due_at else None,
            )
            for r in es.waiting(s, where.id)
            if r.service_id in by_id
        )
        appointments = tuple(
            AppointmentDue(desk, service, (at - now).total_seconds(), seconds)
            for desk, service, at, seconds in history.appointments
            if at >= now
        )
        return CentreState(
            at=now,
            desks=desks,
            waiting=waiting,
            handling=history.handling,
            appointments=appointments,
            arrivals_per_hour=history.arrivals_per_hour,
            walkout_per_second=history.walkout_per_second,
            walkout_share=history.walkout_share,
            priority_share=history.priority_share,
            appointment_no_show_share=history.appointment_no_show_share,
        )

    def predict(
        self,
        s: Executor,
        cat: Catalogue,
        where: CentreRef,
        service: str,
        now: datetime,
        priority: bool = False,
    ) -> tuple[WaitPrediction | None, int]:
        """The wait a newcomer for `service` would have now (None: no open desk serves
        it), and the people they would have ahead. With no desk serving, nothing more
        than the desks and a count is read."""
        desks = self.desks(s, cat, where, now)
        if not any(d.status == "open" and service in d.services for d in desks):
            ahead = es.count_ahead(s, where.id, cat.services[service].id, priority)
            return None, ahead
        state = self.state(s, cat, where, now, desks)
        guess = predict_wait(state, service, random.Random(SEED), priority=priority)
        return guess, state.ahead_of_newcomer(service, priority)

    def _cached(self, s: Executor, cat: Catalogue, where: CentreRef, now: datetime) -> History:
        with self._lock:
            found = self._history.get(where.id)
        age = (now - found.read_at).total_seconds() if found is not None else None
        if found is not None and age is not None and 0 <= age < HISTORY_SECONDS:
            return found
        with self._lock:
            times = self._desk_times.setdefault(where.id, DeskTimes())
            times.update(s, where.id, now)
            fresh = read_history(s, cat, where, now, times)
            self._history[where.id] = fresh
        return fresh


def read_history(
    s: Executor, cat: Catalogue, where: CentreRef, now: datetime, times: DeskTimes
) -> History:
    """Learn a centre's recent history from its times per call, tickets and bookings."""
    by_id = cat.service_by_id
    handling = {
        code: times.model(code, svc.id, svc.mean_handling_seconds, now)
        for code, svc in ((c, cat.services[c]) for c in where.services if c in cat.services)
    }
    recent = [
        r
        for r in es.recent_tickets(s, where.id, now - timedelta(hours=RECENT_HOURS))
        if r.channel in WALK_IN_CHANNELS
    ]
    return History(
        read_at=now,
        handling=handling,
        arrivals_per_hour=_arrivals(recent, by_id, now),
        walkout_per_second=walkout_rate(_waits(recent, now)),
        walkout_share=_share(sum(map(_left, recent)), sum(map(_ended, recent))),
        priority_share=_share(sum(1 for r in recent if r.priority), len(recent)),
        appointment_no_show_share=times.no_show_share(s, where.id, now),
        appointments=tuple(
            (
                b.desk_name,
                by_id[b.service_id].code,
                b.starts_at,
                (b.ends_at - b.starts_at).total_seconds(),
            )
            for b in es.bookings_due(s, where.id, now, now + APPOINTMENTS_AHEAD)
            if b.service_id in by_id
        ),
    )


def _left(r: Any) -> bool:
    return r.called_at is None and r.ended_at is not None


def _ended(r: Any) -> bool:
    return r.called_at is not None or r.ended_at is not None


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _waits(recent: list[Any], now: datetime) -> list[tuple[float, bool]]:
    """(seconds waited, left unseen?) per ticket; those still waiting count so far."""
    out = []
    for r in recent:
        end = r.called_at or r.ended_at or now
        out.append(((end - r.issued_at).total_seconds(), _left(r)))
    return out


def _arrivals(recent: list[Any], by_id: dict[int, Any], now: datetime) -> dict[str, float]:
    """Walk-ins per hour per service over the last hour (or since the day's first ticket,
    at least a quarter of an hour, early in the day)."""
    if not recent:
        return {}
    first = min(r.issued_at for r in recent)
    since = max(now - ARRIVAL_WINDOW, first)
    hours = max(now - since, MIN_ARRIVAL_WINDOW).total_seconds() / 3600
    counts: dict[str, int] = defaultdict(int)
    for r in recent:
        if r.issued_at >= since and r.service_id in by_id:
            counts[by_id[r.service_id].code] += 1
    return {code: n / hours for code, n in counts.items()}
