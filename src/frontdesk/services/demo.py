"""The living council of `frontdesk demo`: visitors and advisers simulated through the real
services, step by step as a shared clock moves, so the apps watch (and join) a day as it
happens instead of reading a day already over.

`DemoWorld.advance_to(t)` plays every arrival, call, start and finish due by `t`; the
`DemoClock` runs simulated time at `speed` × real time and is the clock the apps read.
Simulated desks also look for new tickets on every step, so a ticket the newcomer takes at
the kiosk is called like any other. One desk is left to the newcomer.
"""

from __future__ import annotations

import heapq
import json
import math
import random
import threading
import time as real_time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from frontdesk.clock import VirtualClock
from frontdesk.config import parse_hours
from frontdesk.errors import FrontdeskError, StoreUnavailable
from frontdesk.planning.forecast import HOURLY_PROFILE
from frontdesk.services.simulate import DAYS, Behaviour, finish_visit, opening_day, span_weight
from frontdesk.services.wiring import Services

# The demo's staff, with PINs the README prints (a demo store is thrown away on exit).
DEMO_SUPERVISOR = ("DEMO-SUP", "Sam Supervisor", "supervisor", "2468")
DEMO_ADVISER = ("DEMO-ADV", "Alex Adviser", "adviser", "1357")
# The world is played in steps of at most this much simulated time.
STEP = timedelta(seconds=20)
# Free desks look for a ticket on every step while the world's own visitors wait or after
# anything happened; otherwise (nothing of theirs waiting) at least this often, for the
# tickets others take (the newcomer's kiosk): each look is a write to the store.
LOOK = timedelta(minutes=1)
# An event the store was too busy to take is played again this much later.
RETRY = timedelta(seconds=5)


class DemoClock:
    """Simulated time running at `speed` × real time from `start` (thread-safe: read only)."""

    def __init__(self, start: datetime, speed: float) -> None:
        if start.tzinfo is None:
            raise ValueError("the demo clock needs a timezone-aware start time")
        self.start = start.astimezone(UTC)
        self.speed = speed
        self._origin = real_time.monotonic()

    def restart(self, start: datetime) -> None:
        """Run from `start` as of now (the terminal demo's clock exists, and its apps hold
        it, before the day it shows is known)."""
        self.start = start.astimezone(UTC)
        self._origin = real_time.monotonic()

    def now(self) -> datetime:
        elapsed = (real_time.monotonic() - self._origin) * self.speed
        return self.start + timedelta(seconds=elapsed)

    def shared(self) -> str:
        """This clock as text another process can `join` (the demo served to browsers runs
        each app in a process of its own, all on the same simulated time)."""
        return json.dumps(
            {"at": self.now().isoformat(), "wall": real_time.time(), "speed": self.speed}
        )

    @classmethod
    def join(cls, shared: str) -> DemoClock:
        """The clock `shared` describes, as it reads now (wall time carries it across)."""
        data = json.loads(shared)
        speed = float(data["speed"])
        behind = max(real_time.time() - float(data["wall"]), 0.0)
        at = datetime.fromisoformat(data["at"]) + timedelta(seconds=behind * speed)
        return cls(at, speed)


@dataclass(frozen=True, slots=True)
class DemoCast:
    centre: str
    day: date
    human_desk: str
    simulated_desks: tuple[str, ...]
    opens: datetime
    closes: datetime


def add_demo_staff(services: Services) -> None:
    """The demo supervisor and adviser, with the known PINs above."""
    for code, name, role, pin in (DEMO_SUPERVISOR, DEMO_ADVISER):
        services.staff.add(code, name, role, pin)


def demo_day(services: Services, centre: str, day: date | None) -> date:
    """`day` if the centre opens then (else a clear error), or its next open day from today."""
    where = services.queue.centre(centre)
    if day is None:
        tz = ZoneInfo(where.timezone)
        return opening_day(where.hours, where.closures, datetime.now(tz).date())
    if day.isoformat() in where.closures or DAYS[day.weekday()] not in where.hours:
        raise FrontdeskError(f"--date: {where.code} is closed on {day.isoformat()}")
    return day


class DemoWorld:
    """The centre's simulated visitors and desks, played up to any instant on demand."""

    def __init__(
        self,
        services: Services,
        centre: str,
        day: date,
        *,
        seed: int = 1,
        behaviour: Behaviour | None = None,
    ) -> None:
        self.services = services
        self.be = behaviour or Behaviour()
        self.rng = random.Random(seed)
        q = services.queue
        where = q.centre(centre)
        cat = q.catalogue()
        tz = ZoneInfo(where.timezone)
        ranges = parse_hours(where.hours[DAYS[day.weekday()]])
        spans = [
            (datetime.combine(day, r.opens, tzinfo=tz), datetime.combine(day, r.closes, tzinfo=tz))
            for r in ranges
        ]
        desks = list(where.desks)
        human = desks[-1]
        simulated = tuple(desks[:-1]) if len(desks) > 1 else ()
        self.cast = DemoCast(where.code, day, human, simulated, spans[0][0], spans[-1][1])
        served = {code for d in simulated or (human,) for code in where.desks[d].services}
        self.offered = [c for c in where.services if c in served]
        self.weights = [max(cat.services[c].demand_share, 0.01) for c in self.offered]
        self.handling = {c: cat.services[c].mean_handling_seconds for c in self.offered}
        self.priorities = sorted(cat.priorities)
        self.events: list[tuple[datetime, int, str, str | int]] = []
        self._seq = 0
        self.waiting: set[int] = set()
        self.busy: set[str] = set()
        self.holding: dict[str, str] = {}
        self.called: list[str] = []  # tickets called by the simulated desks, in order
        self.counts = {"issued": 0, "called": 0, "left": 0, "no_show": 0, "transferred": 0}
        self.lock = threading.Lock()
        self.played_to = self.cast.opens - STEP
        self.looked = self.played_to
        total = where.daily_visitors
        weight_total = sum(span_weight(a, b, HOURLY_PROFILE) for a, b in spans)
        for a, b in spans:
            t = a
            while t < b:
                rate = total * HOURLY_PROFILE.get(t.hour, 0.3) / max(weight_total, 1e-9) / 3600
                t = t + timedelta(seconds=self.rng.expovariate(rate) if rate > 0 else 1e9)
                if t < b:
                    self._push(t, "arrive", "")

    def _push(self, when: datetime, kind: str, what: str | int) -> None:
        self._seq += 1
        heapq.heappush(self.events, (when, self._seq, kind, what))

    def advance_to(self, until: datetime) -> int:
        """Play everything due by `until`, in steps of at most STEP; the steps played."""
        with self.lock:
            played = 0
            while True:
                step = min(until, self.played_to + STEP)
                played += self._step(step)
                self.played_to = step
                if step >= until:
                    return played

    def _step(self, until: datetime) -> int:
        steps = 0
        settable = self.services.clock if isinstance(self.services.clock, VirtualClock) else None
        while self.events and self.events[0][0] <= until:
            when, _, kind, what = heapq.heappop(self.events)
            if settable is not None:
                settable.set(max(when, settable.now()))
            self._play(when, kind, what)
            steps += 1
        if settable is not None and until > settable.now():
            settable.set(until)
        due = steps or self.waiting or until - self.looked >= LOOK
        if self.cast.opens <= until < self.cast.closes and due:
            # Free desks look again: tickets also come from the newcomer's kiosk.
            self.looked = until
            for desk in self.cast.simulated_desks:
                if desk not in self.busy:
                    self._try(until, desk)
        return steps

    def _play(self, when: datetime, kind: str, what: str | int) -> None:
        q, centre = self.services.queue, self.cast.centre
        try:
            if kind == "arrive":
                service = self.rng.choices(self.offered, self.weights)[0]
                prio = None
                if self.priorities and self.rng.random() < self.be.priority_share:
                    prio = self.rng.choice(self.priorities)
                ticket = q.issue(centre, service, priority=prio, channel="kiosk")
                self.counts["issued"] += 1
                self.waiting.add(ticket.id)
                patience = self.rng.expovariate(1 / (self.be.patience_minutes * 60))
                self._push(when + timedelta(seconds=patience), "give_up", ticket.id)
            elif kind == "give_up" and isinstance(what, int) and what in self.waiting:
                self.waiting.discard(what)
                q.left(centre, str(what))
                self.counts["left"] += 1
            elif kind == "no_show" and isinstance(what, str):
                self.busy.discard(what)
                q.no_show(centre, what)
                self.counts["no_show"] += 1
            elif kind == "start" and isinstance(what, str):
                q.start(centre, what)
                mean = self.handling[self.holding[what]]
                sigma = self.be.handling_sigma
                seconds = self.rng.lognormvariate(math.log(mean) - sigma**2 / 2, sigma)
                self._push(when + timedelta(seconds=seconds), "finish", what)
            elif kind == "finish" and isinstance(what, str):
                self.busy.discard(what)
                finish_visit(
                    q,
                    centre,
                    what,
                    self.holding[what],
                    self.offered,
                    self.rng,
                    self.be,
                    self.counts,
                    self.waiting,
                )
        except StoreUnavailable:
            # A busy store saved nothing: play the same event again shortly (dropped, a
            # desk's start or finish would leave that desk stuck for the rest of the day).
            self._push(when + RETRY, kind, what)
        except FrontdeskError:
            # The newcomer's desk may have called (or closed) that visitor first.
            if isinstance(what, int):
                self.waiting.discard(what)
            else:
                self.busy.discard(what)

    def _try(self, when: datetime, desk: str) -> None:
        try:
            called = self.services.queue.call_next(self.cast.centre, desk)
        except FrontdeskError:
            return
        if called is None:
            return
        self.counts["called"] += 1
        self.called.append(called.ticket)
        self.waiting.discard(called.id)
        self.busy.add(desk)
        self.holding[desk] = called.service
        if self.rng.random() < self.be.no_show_share:
            self._push(when + timedelta(seconds=120), "no_show", desk)
        else:
            self._push(when + timedelta(seconds=self.be.walk_to_desk_seconds), "start", desk)


class DemoRunner:
    """A daemon thread moving the world along with the demo clock until stopped."""

    def __init__(self, world: DemoWorld, step_seconds: float = 0.25) -> None:
        self.world = world
        self.step_seconds = step_seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="demo-world", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.wait(self.step_seconds):
            try:
                self.world.advance_to(self.world.services.clock.now())
            except FrontdeskError:
                continue  # a busy store: the next step catches up
