"""A simulated day at a centre, driven through the real services with a virtual clock.

Arrivals are Poisson with an hourly profile typical of council receptions (a mid-morning
peak and a smaller one after lunch); handling times are lognormal around each service's
typical length; some visitors give up and leave, a few miss their call, most queries are
settled at the first desk. The day's standard report is computed from the event log,
exactly as for a real day.
"""

from __future__ import annotations

import heapq
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from frontdesk.clock import VirtualClock
from frontdesk.config import parse_hours
from frontdesk.errors import InvalidInput
from frontdesk.planning.forecast import HOURLY_PROFILE
from frontdesk.queue.measures import AVOIDABLE_CATEGORIES
from frontdesk.services.queue import QueueService
from frontdesk.services.results import Query, StandardReport
from frontdesk.services.wiring import Services
from frontdesk.store import migrate, simulation_mark

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True, slots=True)
class Behaviour:
    """How simulated visitors and advisers behave."""

    handling_sigma: float = 0.55  # spread of lognormal handling times
    walk_to_desk_seconds: float = 40
    no_show_share: float = 0.02
    patience_minutes: float = 35  # mean time before an unseen visitor gives up
    resolved_share: float = 0.84
    avoidable_share: float = 0.14
    priority_share: float = 0.04
    transfer_share: float = 0.03
    second_query_share: float = 0.12
    # True handling time ÷ configured, per service (desks rarely take what was planned).
    handling_factor: dict[str, float] = field(default_factory=dict)
    # Relative arrivals by local hour; None: the usual two-peak day (HOURLY_PROFILE).
    hourly_profile: dict[int, float] | None = None


@dataclass
class DayResult:
    centre: str
    day: date
    desks: int
    visitors: int
    report: StandardReport
    counts: dict[str, int] = field(default_factory=dict)


def claim_store(services: Services, where: str) -> bool:
    """Make ready the store given to `simulate --db`, refusing a live one.

    A store holding visits that were neither simulated nor imported is a centre's real
    one: a simulated day would be counted in its reports, so it is refused before
    anything is written. Otherwise the schema is brought up to date (a new file is
    created) and the store marked as a simulation's. True: it has no centres yet.
    """
    if not simulation_mark.is_new(services.engine):
        with services.uow.read() as s:
            real = 0 if simulation_mark.is_simulation(s) else simulation_mark.real_visits(s)
        if real:
            raise InvalidInput(
                f"--db {where}: this store holds {real} real visit{'s' if real != 1 else ''}; "
                "a simulated day would be counted in its reports. Give a new file "
                "(e.g. --db sqlite:///simulation.db) or leave out --db"
            )
    migrate.upgrade(services.engine)
    with services.uow.write() as s:
        simulation_mark.mark(s)
        return not simulation_mark.has_centres(s)


def opening_day(hours: dict[str, str], closures: tuple[str, ...], start: date) -> date:
    """The first day on or after `start` when the centre is open."""
    for offset in range(14):
        day = start + timedelta(days=offset)
        if DAYS[day.weekday()] in hours and day.isoformat() not in closures:
            return day
    raise InvalidInput("the centre has no opening hours in the next two weeks")


def simulate_day(
    services: Services,
    clock: VirtualClock,
    centre: str,
    day: date | None = None,
    desks: int | None = None,
    visitors: int | None = None,
    seed: int = 1,
    behaviour: Behaviour | None = None,
    progress: Callable[[float], None] | None = None,
    rota: Sequence[tuple[time, Sequence[str]]] | None = None,
    expected: Sequence[tuple[time, time, float]] | None = None,
) -> DayResult:
    """Run one opening day at `centre`; `progress` gets the fraction of the day done.

    `rota`: (local time, the desks open from then on), from opening; without it every
    desk (or the first `desks`) is open all day. `expected`: (local start, end, expected
    visitors) spans to draw arrivals from instead of the centre's `daily_visitors`.
    """
    be = behaviour or Behaviour()
    q: QueueService = services.queue
    rng = random.Random(seed)
    where = q.centre(centre)
    cat = q.catalogue()
    tz = ZoneInfo(where.timezone)
    day = opening_day(where.hours, where.closures, day or clock.now().astimezone(tz).date())
    if day.isoformat() in where.closures or DAYS[day.weekday()] not in where.hours:
        raise InvalidInput(f"{where.code} is closed on {day.isoformat()}")
    ranges = parse_hours(where.hours[DAYS[day.weekday()]])
    desk_names = list(where.desks)
    if rota is not None:
        named = {n for _, names in rota for n in names}
        for name in sorted(named - set(desk_names)):
            raise InvalidInput(f"the plan opens desk '{name}', which {where.code} does not have")
        desk_names = [d for d in desk_names if d in named]
    elif desks is not None:
        if not 1 <= desks <= len(desk_names):
            raise InvalidInput(f"--desks must be 1 to {len(desk_names)} for {where.code}")
        desk_names = desk_names[:desks]
    served = {code for d in desk_names for code in where.desks[d].services}
    offered = [c for c in where.services if c in served]
    weights = [max(cat.services[c].demand_share, 0.01) for c in offered]
    total_visitors = visitors if visitors is not None else where.daily_visitors
    if total_visitors < 0:
        raise InvalidInput("--visitors must be 0 or more")

    def at(t: time) -> datetime:
        return datetime.combine(day, t, tzinfo=tz)

    # Arrivals: a piecewise-constant Poisson process over the opening ranges.
    spans = [(at(r.opens), at(r.closes)) for r in ranges]
    profile = be.hourly_profile or HOURLY_PROFILE
    weight_total = sum(span_weight(a, b, profile) for a, b in spans)
    arrivals: list[datetime] = []
    if expected is not None:
        for a_time, b_time, n in expected:
            a, b = at(a_time), at(b_time)
            rate_per_s = n / max((b - a).total_seconds(), 1.0)
            t = a
            while rate_per_s > 0:
                t = t + timedelta(seconds=rng.expovariate(rate_per_s))
                if t >= b:
                    break
                arrivals.append(t)
    else:
        for a, b in spans:
            t = a
            while t < b:
                rate_per_s = (
                    total_visitors * profile.get(t.hour, 0.3) / max(weight_total, 1e-9) / 3600
                )
                t = t + timedelta(seconds=rng.expovariate(rate_per_s) if rate_per_s > 0 else 1e9)
                if t < b:
                    arrivals.append(t)

    events: list[tuple[datetime, int, str, str | int]] = []
    seq = 0

    def push(when: datetime, kind: str, what: str | int) -> None:
        nonlocal seq
        seq += 1
        heapq.heappush(events, (when, seq, kind, what))

    for t in arrivals:
        push(t, "arrive", "")
    open_now = set(desk_names)
    if rota is not None:
        open_now = set()
        for i, (from_time, _) in enumerate(rota):
            push(at(from_time), "rota", i)
    else:
        for name in desk_names:
            push(spans[0][0], "try", name)
    start, end = spans[0][0], spans[-1][1]
    waiting: set[int] = set()
    idle: set[str] = set()
    counts = {"issued": 0, "called": 0, "left": 0, "no_show": 0, "transferred": 0}

    def handling_seconds(service: str) -> float:
        mean = cat.services[service].mean_handling_seconds * be.handling_factor.get(service, 1.0)
        mu = math.log(mean) - be.handling_sigma**2 / 2
        return rng.lognormvariate(mu, be.handling_sigma)

    holding: dict[str, str] = {}
    while events:
        when, _, kind, what = heapq.heappop(events)
        clock.set(when)
        if progress is not None:
            progress(min(1.0, (when - start) / max(end - start, timedelta(seconds=1))))
        if kind == "arrive":
            service = rng.choices(offered, weights)[0]
            prio = None
            if cat.priorities and rng.random() < be.priority_share:
                prio = rng.choice(sorted(cat.priorities))
            ticket = q.issue(where.code, service, priority=prio, channel="kiosk")
            counts["issued"] += 1
            waiting.add(ticket.id)
            patience = rng.expovariate(1 / (be.patience_minutes * 60))
            push(when + timedelta(seconds=patience), "give_up", ticket.id)
            for name in sorted(idle):
                push(when, "try", name)
            idle.clear()
        elif kind == "give_up":
            assert isinstance(what, int)
            if what in waiting:
                waiting.discard(what)
                q.left(where.code, str(what))
                counts["left"] += 1
        elif kind == "rota":
            assert isinstance(what, int) and rota is not None
            now_open = set(rota[what][1])
            for name in sorted(now_open - open_now):
                push(when, "try", name)
            idle -= open_now - now_open
            open_now = now_open
        elif kind == "try":
            assert isinstance(what, str)
            if what not in open_now:
                continue  # closed: it finished its customer and calls nobody else
            called = q.call_next(where.code, what)
            if called is None:
                idle.add(what)
                continue
            counts["called"] += 1
            waiting.discard(called.id)
            holding[what] = called.service
            if rng.random() < be.no_show_share:
                push(when + timedelta(seconds=120), "no_show", what)
            else:
                push(when + timedelta(seconds=be.walk_to_desk_seconds), "start", what)
        elif kind == "no_show":
            assert isinstance(what, str)
            q.no_show(where.code, what)
            counts["no_show"] += 1
            push(when, "try", what)
        elif kind == "start":
            assert isinstance(what, str)
            q.start(where.code, what)
            push(when + timedelta(seconds=handling_seconds(holding[what])), "finish", what)
        elif kind == "finish":
            assert isinstance(what, str)
            finish_visit(q, where.code, what, holding[what], offered, rng, be, counts, waiting)
            push(when, "try", what)
    report = services.reports.standard(where.code, day, day)
    return DayResult(where.code, day, len(desk_names), len(arrivals), report, counts)


def span_weight(a: datetime, b: datetime, profile: dict[int, float]) -> float:
    """Expected arrivals weight of an opening span (hours × hourly profile)."""
    total = 0.0
    t = a
    while t < b:
        nxt = min(b, (t + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0))
        total += profile.get(t.hour, 0.3) * (nxt - t).total_seconds() / 3600
        t = nxt
    return total


def finish_visit(
    q: QueueService,
    centre: str,
    desk: str,
    service: str,
    offered: list[str],
    rng: random.Random,
    be: Behaviour,
    counts: dict[str, int],
    waiting: set[int],
) -> None:
    def query() -> Query:
        resolved = rng.random() < be.resolved_share
        avoidable = rng.choice(AVOIDABLE_CATEGORIES) if rng.random() < be.avoidable_share else None
        return Query(
            resolved=resolved,
            handoff=None if resolved else "back office",
            avoidable=avoidable,
        )

    others = [s for s in offered if s != service]
    if others and rng.random() < be.transfer_share:
        moved = q.transfer(centre, desk, service=rng.choice(others), note="simulated transfer")
        counts["transferred"] += 1
        waiting.discard(moved.id)
        return
    queries = [query()]
    if rng.random() < be.second_query_share:
        queries.append(query())
    q.complete(centre, desk, queries)
