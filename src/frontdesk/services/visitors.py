"""The visitor's phone and the council's website: tickets followed by their QR token, the
live waits of every centre, leaving the queue from the phone, and the one question asked
when the visit ends ("how was your visit?", 1-5) with its figures for a period.

`live()` reads every open ticket of the council, and the tickets phones follow whatever
their state, in one statement (plus the desks every 5 seconds and the recent handling
times every 30), so a web process can serve any number of phones from one snapshot.
`centre_waits()` gives every centre's waits as the kiosk predicts them (its own read).
Nothing here returns personal data.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Collection, Generator
from datetime import date, datetime, timedelta
from typing import Any

import frontdesk.queue.estimate as estimator
from frontdesk.errors import IllegalStep, InvalidInput, NotFound
from frontdesk.queue.places import Waiting, people_ahead
from frontdesk.services.centre_waits import centre_waits
from frontdesk.services.queue import QueueService
from frontdesk.services.visitor_results import (
    RATED,
    CentreWaits,
    FollowedTicket,
    LiveState,
    Satisfaction,
    WaitFigure,
)
from frontdesk.store import web_store as ws
from frontdesk.store.web_store import OPEN

HANDLING_CACHE_SECONDS = 30.0
DESKS_CACHE_SECONDS = 5.0
# Tickets followed by token in one read of the live state (the most recently asked).
MAX_FOLLOWED = 5000
# Tickets built per step of `live_in_steps` (a millisecond or two of work).
LIVE_STEP = 50
# Handling times older than this say little about today's queue.
HANDLING_WINDOW = timedelta(hours=12)
HANDLING_SAMPLES = 20
# The question stays open this long after the ticket was issued.
SURVEY_WINDOW = timedelta(hours=24)
COMMENT_LIMIT = 500
TOKEN = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class VisitorService:
    """Thread-safe: each call opens its own unit of work."""

    def __init__(self, queue: QueueService) -> None:
        self.queue = queue
        self._handling: tuple[float, dict[tuple[int, int], list[float]]] = (0.0, {})
        self._desks_read: tuple[float, list[Any]] = (0.0, [])
        self._lock = threading.Lock()

    # -- reading ------------------------------------------------------------------------

    def live(self, followed: Collection[str] = ()) -> LiveState:
        """Every open ticket by token and the `followed` tickets whatever their state,
        now: one statement (the desks' open or closed and the handling times are re-read
        every few seconds)."""
        steps = self.live_in_steps(followed)
        while True:
            try:
                next(steps)
            except StopIteration as done:
                state: LiveState = done.value
                return state

    def live_in_steps(
        self, followed: Collection[str] = (), step: int = LIVE_STEP
    ) -> Generator[None, None, LiveState]:
        """`live()` as a generator: the first step reads the store (in a worker thread,
        say); each next builds `step` tickets; the LiveState is its return value. A web
        process builds the tickets on its event loop between answers, so no second thread
        holds the GIL while phones wait (on a busy machine that held them for 100s of ms)."""
        cat = self.queue.catalogue()
        tokens = [t for t in followed if TOKEN.match(t)][:MAX_FOLLOWED]
        centres = {c.id: c for c in cat.centres.values()}
        with self.queue.uow.read_core() as s:
            now = self.queue.clock.now()
            rows = ws.live_tickets(s, list(centres), tokens)
            desks = self._desks(s)
            handling = self._handling_times(s, now)
        yield  # the store has been read
        by_id = cat.service_by_id
        opened = {r.id: r for r in rows if r.status in OPEN}.values()
        ended = {r.token: r for r in rows if r.status not in OPEN}.values()
        waiting: list[Waiting] = []
        for r in opened:
            if r.status == "waiting" and r.service_id in by_id:
                code = by_id[r.service_id].code
                waiting.append(Waiting(r.id, code, r.queued_at, r.priority is not None))
        ahead = people_ahead(waiting)
        # A desk is busy while it has a customer called or being served.
        busy_desks = {r.desk_id for r in opened if r.status != "waiting" and r.desk_id}
        desks_of: dict[int, list[Any]] = {}
        for d in desks:
            desks_of.setdefault(d.centre_id, []).append(d)
        # What the estimate needs for each queue, worked out once per read: the desks able
        # to serve it (those open, or all of them if none is), how many are busy, and the
        # typical handling time.
        inputs: dict[tuple[int, str], tuple[int, int, int, float]] = {}
        for where in cat.centres.values():
            for code in where.services:
                svc = cat.services[code]
                able = {d.id for d in where.desks.values() if code in d.services}
                open_desks = [
                    d for d in desks_of.get(where.id, []) if d.id in able and d.status == "open"
                ]
                typical = estimator.typical_handling_seconds(
                    handling.get((where.id, svc.id), ()), svc.mean_handling_seconds
                )
                inputs[(where.id, code)] = (
                    len(open_desks),
                    len(open_desks) or len(able),
                    sum(1 for d in open_desks if d.id in busy_desks),
                    typical,
                )

        def estimate(centre_id: int, service: str, people: int) -> int:
            _open, serving, busy, typical = inputs[(centre_id, service)]
            return estimator.estimate_wait_seconds(people, serving, busy, typical)

        names = {where.id: where.desk_names for where in cat.centres.values()}
        tickets: dict[str, FollowedTicket] = {}
        for r in ended:
            if (done := self._as_followed(r, now)) is not None:
                tickets[r.token] = done
        for n, r in enumerate(opened, 1):
            if n % step == 0:
                yield
            at = centres.get(r.centre_id)
            service = by_id.get(r.service_id)
            if at is None or service is None or (r.centre_id, service.code) not in inputs:
                continue
            place = ahead.get(r.id) if r.status == "waiting" else None
            tickets[r.token] = FollowedTicket(
                id=r.id,
                token=r.token,
                ticket=r.label,
                centre=at.code,
                service=service.code,
                status=r.status,
                issued_at=r.issued_at,
                ahead=place,
                wait=None
                if place is None
                else wait_figure(estimate(at.id, service.code, place), r, now),
                desk=names[at.id].get(r.desk_id) if r.desk_id is not None else None,
            )
        return LiveState(at=now, tickets=tickets)

    def followed(self, tokens: Collection[str]) -> dict[str, FollowedTicket]:
        """Tickets by token in whatever state (one read). An open ticket's place and wait
        come from `live()`; here they are left empty."""
        wanted = [t for t in tokens if TOKEN.match(t)]
        if not wanted:
            return {}
        with self.queue.uow.read_core() as s:
            now = self.queue.clock.now()
            rows = ws.tickets_by_token(s, wanted)
        return {r.token: t for r in rows if (t := self._as_followed(r, now)) is not None}

    def _as_followed(self, row: Any, now: datetime) -> FollowedTicket | None:
        cat = self.queue.catalogue()
        where = next((c for c in cat.centres.values() if c.id == row.centre_id), None)
        if where is None or row.service_id not in cat.service_by_id:
            return None
        if row.rating is not None:
            survey = "given"
        elif row.status in RATED and now - row.issued_at <= SURVEY_WINDOW:
            survey = "open"
        elif row.status in RATED or row.status == "no_show":
            survey = "closed"
        else:
            survey = "not_yet"
        return FollowedTicket(
            id=row.id,
            token=row.token,
            ticket=row.label,
            centre=where.code,
            service=cat.service_by_id[row.service_id].code,
            status=row.status,
            issued_at=row.issued_at,
            desk=where.desk_names.get(row.desk_id) if row.desk_id is not None else None,
            survey=survey,
        )

    def _desks(self, s: Any) -> list[Any]:
        """The desks and whether each is open, re-read at most every few seconds: a desk
        opens or closes a few times a day, and who it serves comes with the tickets."""
        with self._lock:
            expires, cached = self._desks_read
            if expires > time.monotonic():
                return cached
        desks = ws.all_desks(s)
        with self._lock:
            self._desks_read = (time.monotonic() + DESKS_CACHE_SECONDS, desks)
        return desks

    def _handling_times(self, s: Any, now: datetime) -> dict[tuple[int, int], list[float]]:
        """Recent handling times per (centre, service), newest first, re-read at most every
        30 seconds in one statement for every queue."""
        with self._lock:
            expires, cached = self._handling
            if expires > time.monotonic():
                return cached
        recent: dict[tuple[int, int], list[float]] = {}
        for r in ws.recent_handling(s, now - HANDLING_WINDOW):
            samples = recent.setdefault((r.centre_id, r.service_id), [])
            if r.called_at is not None and len(samples) < HANDLING_SAMPLES:
                samples.append((r.at - r.called_at).total_seconds())
        with self._lock:
            self._handling = (time.monotonic() + HANDLING_CACHE_SECONDS, recent)
        return recent

    def centre_waits(self) -> tuple[datetime, dict[str, CentreWaits]]:
        """Every centre's waits for the council's website, with the kiosk's prediction
        and interval per service (`frontdesk.services.centre_waits`), and when read."""
        return centre_waits(self.queue)

    # -- the visitor's actions ----------------------------------------------------------

    def _one(self, token: str) -> FollowedTicket:
        found = self.followed([token]).get(token)
        if found is None:
            raise NotFound("no ticket has that code")
        return found

    def leave(self, token: str) -> FollowedTicket:
        """The visitor has had to leave: their ticket ends as `left` (an event like any)."""
        ticket = self._one(token)
        if ticket.status not in ("waiting", "called"):
            raise IllegalStep(f"ticket {ticket.ticket} is {ticket.status}: it cannot be left now")
        self.queue.left(ticket.centre, str(ticket.id))
        return self._one(token)

    def give_feedback(self, token: str, rating: Any, comment: str | None) -> FollowedTicket:
        """Record the visitor's answer to "how was your visit?" once, after the visit."""
        if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
            raise InvalidInput("rating: a whole number from 1 to 5")
        text = _CONTROL.sub("", comment or "").strip() or None
        if text is not None and len(text) > COMMENT_LIMIT:
            raise InvalidInput(f"comment: at most {COMMENT_LIMIT} characters")
        with self.queue.uow.write_core() as s:
            now = self.queue.clock.now()
            rows = ws.tickets_by_token(s, [token]) if TOKEN.match(token) else []
            if not rows:
                raise NotFound("no ticket has that code")
            row = rows[0]
            if row.rating is not None:
                raise IllegalStep("this visit has been rated already: thank you")
            if row.status not in RATED:
                raise IllegalStep(f"ticket {row.label} is {row.status}: the visit has not ended")
            if now - row.issued_at > SURVEY_WINDOW:
                raise IllegalStep("the question about this visit has closed")
            ws.add_feedback(
                s,
                ticket_id=row.id,
                centre_id=row.centre_id,
                business_day=row.business_day,
                rating=rating,
                comment=text,
                at=now,
            )
        return self._one(token)

    # -- reporting ----------------------------------------------------------------------

    def satisfaction(self, centre: str, day_from: date, day_to: date) -> Satisfaction:
        """How visitors rated their visits to a centre (tickets issued in the period)."""
        if day_to < day_from:
            raise InvalidInput(f"--to {day_to} is before --from {day_from}")
        where = self.queue.centre(centre)
        with self.queue.uow.read_core() as s:
            answers = ws.feedback_in_period(s, where.id, day_from, day_to)
            visits = ws.count_visits(s, where.id, day_from, day_to)
        ratings = {score: 0 for score in range(1, 6)}
        for a in answers:
            ratings[int(a.rating)] = ratings.get(int(a.rating), 0) + 1
        n = len(answers)
        return Satisfaction(
            centre=where.code,
            date_from=day_from,
            date_to=day_to,
            visits=visits,
            responses=n,
            response_rate=n / visits if visits else None,
            average_rating=sum(int(a.rating) for a in answers) / n if n else None,
            satisfied_share=(ratings[4] + ratings[5]) / n if n else None,
            ratings=ratings,
            comments=tuple(a.comment for a in answers if a.comment),
        )


def wait_figure(seconds: int, ticket: Any, now: datetime) -> WaitFigure:
    """The live estimate for a waiting ticket, with the interval stored on the ticket at
    issue counted down to now when it has one and the live estimate lies inside it.

    The store's read brings every `estimated_wait*` column, so the interval is read as
    attributes (asking a Row for its `_fields` builds them anew each time: it was most
    of a snapshot read's time with a few hundred tickets)."""
    low = getattr(ticket, "estimated_wait_low_seconds", None)
    high = getattr(ticket, "estimated_wait_high_seconds", None)
    if low is None or high is None:
        return WaitFigure(seconds)
    waited = int((now - ticket.issued_at).total_seconds())
    low, high = max(0, int(low) - waited), int(high) - waited
    if high <= 0 or not low <= seconds <= high:
        return WaitFigure(seconds)
    return WaitFigure(seconds, low, high)
