"""Predicted breach (DESIGN §3): the centre's current state run forward to the close with
the day's forecast arrivals — the one projection behind the supervisor's outlook, its
advice and `services.breach`.

For each service: the projected share within standard by close (today's tickets so far
plus those the runs see), the probability that a walk-in arriving in the next 30 or 60
minutes waits longer than the threshold, and when the first visitor would pass it.

Unlike `predict_wait`, which follows one newcomer, these runs follow everybody: desks
free up (their current customer first), take directed work and booked appointments when
due, then the first service in their order with anyone waiting (priority first, then
marked quick queries when the desks comb them, then the longest wait); waiting visitors
walk out at the rate history shows; new visitors arrive as a Poisson process at the
forecast rates. Handling times are drawn from the same learned distributions as the
predictor's.

Random numbers are tied to what they describe (this service's k-th arrival or call,
this desk's current customer), never to the order of use, so the same seed run with an
action applied (a desk opened or moved, quick queries combed, walk-ins offered
appointments — a `Scenario` changed) differs only by the action: its projected effect
is not noise.
"""

from __future__ import annotations

import heapq
import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from frontdesk.queue.predict import CentreState, DeskState

HALF_HOUR, HOUR = 1800.0, 3600.0
# A combed quick query takes this share of the service's usual time.
QUICK_SHARE = 0.35
# Walk-ins are offered appointments first for about an hour (until the outlook recovers).
DIVERT_SECONDS = 3600.0


@dataclass(frozen=True, slots=True)
class ArrivalRate:
    """Walk-ins expected per hour per service from `start_seconds` (after the state's
    time) until the next rate starts."""

    start_seconds: float
    per_hour: Mapping[str, float]


@dataclass(frozen=True, slots=True)
class Scenario:
    """A centre now and its day ahead, with any actions tried on it: `quick`, the ids of
    waiting tickets marked as quick queries; `comb`, services whose quick queries desks
    call first; `divert`, per service the share of walk-ins taking an appointment or a
    callback instead (for the next hour). `so_far`: per service (tickets counted today,
    of them within the threshold) — seen plus breached unseen, as the standard counts."""

    state: CentreState
    arrivals: tuple[ArrivalRate, ...]
    until_seconds: float
    thresholds: Mapping[str, float]
    so_far: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    quick: frozenset[int] = frozenset()
    comb: frozenset[str] = frozenset()
    divert: Mapping[str, float] = field(default_factory=dict)

    def with_desk(self, desk: DeskState) -> Scenario:
        """The scenario with one desk replaced (opened, moved or reordered) or added."""
        desks = tuple(d for d in self.state.desks if d.name != desk.name)
        return replace(self, state=replace(self.state, desks=(*desks, desk)))


@dataclass(frozen=True, slots=True)
class ServiceProjection:
    """One service's outlook; shares and probabilities are None when nothing counts."""

    service: str
    threshold_seconds: float
    projected_seen: float  # mean over runs, from now to the close
    projected_within: float
    share_within_by_close: float | None  # today so far and the runs together
    p_over_threshold_next_30: float | None
    p_over_threshold_next_60: float | None
    # The median run's first visitor past the threshold, seconds from now (None: most
    # runs have nobody pass it).
    first_breach_seconds: float | None = None


@dataclass(frozen=True, slots=True)
class Projection:
    at: datetime
    until_seconds: float
    runs: int
    services: dict[str, ServiceProjection] = field(default_factory=dict)


@dataclass(slots=True)
class _Ticket:
    service: str
    issued: float  # seconds from now (negative: issued before)
    priority: bool
    desk: str | None
    due: float | None
    leaves: float
    new: bool
    quick: bool = False
    done: bool = False


@dataclass
class _Tally:
    seen: int = 0
    within: int = 0
    breached: int = 0
    soon: dict[float, list[int]] = field(default_factory=lambda: {HALF_HOUR: [0, 0], HOUR: [0, 0]})
    first: list[float] = field(default_factory=list)  # per run; inf: nobody passed it


def project(
    state: CentreState,
    arrivals: Sequence[ArrivalRate],
    until_seconds: float,
    thresholds: Mapping[str, float],
    rng: random.Random,
    *,
    so_far: Mapping[str, tuple[int, int]] | None = None,
    runs: int = 40,
) -> Projection:
    """Run `state` forward to `until_seconds` (the close) `runs` times.

    `thresholds`: seconds per service (the standard's threshold); `so_far` as in
    `Scenario`. `rng` seeds the runs: the same seed gives the same projection."""
    scenario = Scenario(state, tuple(arrivals), until_seconds, thresholds, dict(so_far or {}))
    return run_forward(scenario, rng.getrandbits(64), runs)


def run_forward(scenario: Scenario, seed: int, runs: int = 40) -> Projection:
    """The scenario run forward `runs` times; the same seed gives the same projection."""
    if scenario.until_seconds < 0:
        raise ValueError("the close must not be before the state's time")
    if runs < 1:
        raise ValueError("runs must be 1 or more")
    totals: dict[str, _Tally] = {code: _Tally() for code in scenario.thresholds}
    for r in range(runs):
        _one_run(scenario, seed, r, totals)
    out: dict[str, ServiceProjection] = {}
    for code, threshold in scenario.thresholds.items():
        t = totals[code]
        before, before_within = scenario.so_far.get(code, (0, 0))
        denominator = before + (t.seen + t.breached) / runs
        median = sorted(t.first)[runs // 2]
        out[code] = ServiceProjection(
            service=code,
            threshold_seconds=threshold,
            projected_seen=t.seen / runs,
            projected_within=t.within / runs,
            share_within_by_close=(
                (before_within + t.within / runs) / denominator if denominator > 0 else None
            ),
            p_over_threshold_next_30=_share(t.soon[HALF_HOUR]),
            p_over_threshold_next_60=_share(t.soon[HOUR]),
            first_breach_seconds=max(0.0, median) if math.isfinite(median) else None,
        )
    return Projection(
        at=scenario.state.at, until_seconds=scenario.until_seconds, runs=runs, services=out
    )


def _share(pair: list[int]) -> float | None:
    over, n = pair
    return over / n if n else None


def _stream(seed: int, r: int, *what: object) -> random.Random:
    """The random numbers of one thing in one run (see the module's docstring)."""
    return random.Random(f"{seed}:{r}:" + ":".join(str(w) for w in what))


def _one_run(sc: Scenario, seed: int, r: int, totals: dict[str, _Tally]) -> None:
    state = sc.state
    rate_out = max(state.walkout_per_second, 0.0)

    def patience(g: random.Random) -> float:
        return g.expovariate(rate_out) if rate_out > 0 else math.inf

    staying = _stream(seed, r, "patience")
    tickets = [
        _Ticket(
            t.service,
            -t.waited_seconds,
            t.priority,
            t.desk,
            t.due_in_seconds,
            patience(staying),
            False,
            quick=t.id in sc.quick,
        )
        for t in state.waiting
    ]
    prio = min(max(state.priority_share, 0.0), 1.0)
    for service, at, u_prio, u_stay in _arrival_times(sc, seed, r):
        leaves = at + (-math.log(1.0 - u_stay) / rate_out if rate_out > 0 else math.inf)
        tickets.append(_Ticket(service, at, u_prio < prio, None, None, leaves, True))
    turnout = _stream(seed, r, "booked")
    booked = [
        (a.due_in_seconds, a.desk, a.duration_seconds)
        for a in state.appointments
        if turnout.random() >= state.appointment_no_show_share and a.due_in_seconds >= 0
    ]
    draws = {code: _stream(seed, r, "handle", code) for code in sc.thresholds}
    first: dict[str, float] = {}
    # Events: (time, order, kind, index) — a desk free, a visitor arriving.
    events: list[tuple[float, int, str, int]] = []
    desks = [d for d in state.desks if d.takes_part]
    for i, d in enumerate(desks):
        t = d.starts_in
        if d.busy is not None:
            u = _stream(seed, r, "busy", d.name).random()
            t += state.model(d.busy.service).remaining(d.busy.elapsed_seconds, u)
        heapq.heappush(events, (t, i, "free", i))
    for k, ticket in enumerate(tickets):
        if ticket.new:
            heapq.heappush(events, (ticket.issued, len(desks) + k, "arrive", k))
    seq = len(desks) + len(tickets)
    # Appointments falling due wake idle desks, as arrivals do.
    for due in [t.due for t in tickets if t.due and t.due > 0] + [b[0] for b in booked]:
        seq += 1
        heapq.heappush(events, (due, seq, "arrive", -1))
    waiting: list[int] = [k for k, t in enumerate(tickets) if not t.new]
    idle: set[int] = set()
    while events:
        now, _, kind, i = heapq.heappop(events)
        if kind == "arrive":
            if i >= 0:
                waiting.append(i)
            for j in sorted(idle):
                seq += 1
                heapq.heappush(events, (now, seq, "free", j))
            idle.clear()
            continue
        desk = desks[i]
        took = _appointment_due(booked, desk.name, now)
        if took is None:
            chosen = _choose(sc, tickets, waiting, desk.services, desk.name, now, totals, first)
            if chosen is None:
                idle.add(i)
                continue
            ticket = tickets[chosen]
            _count(sc, ticket, now, totals, first)
            code = ticket.service
            if code not in draws:
                draws[code] = _stream(seed, r, "handle", code)
            took = state.model(code).draw(draws[code].random())
            if ticket.quick and ticket.service in sc.comb:
                took *= QUICK_SHARE
        seq += 1
        heapq.heappush(events, (now + took, seq, "free", i))
    # Whoever is still waiting when every desk has stopped leaves unseen.
    for k in waiting:
        ticket = tickets[k]
        if not ticket.done:
            left = ticket.leaves if math.isfinite(ticket.leaves) else sc.until_seconds
            _left(sc, ticket, left, totals, first)
    for code, tally in totals.items():
        tally.first.append(first.get(code, math.inf))


def _arrival_times(sc: Scenario, seed: int, r: int) -> list[tuple[str, float, float, float]]:
    """Poisson arrivals per service under piecewise-constant rates, until the close:
    (service, time, uniform for priority, uniform for patience). Each service draws from
    streams of its own, and a diversion drops arrivals without moving the others."""
    spans = sorted(sc.arrivals, key=lambda a: a.start_seconds)
    until = sc.until_seconds
    codes = sorted({code for span in spans for code in span.per_hour})
    out: list[tuple[str, float, float, float]] = []
    for service in codes:
        gen = _stream(seed, r, "arrive", service)
        keep = _stream(seed, r, "divert", service)
        diverted = sc.divert.get(service, 0.0)
        for n, span in enumerate(spans):
            start = max(span.start_seconds, 0.0)
            end = min(spans[n + 1].start_seconds if n + 1 < len(spans) else until, until)
            rate = span.per_hour.get(service, 0.0) / 3600.0
            t = start
            while rate > 0:
                t += gen.expovariate(rate)
                if t >= end:
                    break
                u_prio, u_stay, u_keep = gen.random(), gen.random(), keep.random()
                if u_keep >= diverted or t >= DIVERT_SECONDS:
                    out.append((service, t, u_prio, u_stay))
    return out


def _appointment_due(booked: list[tuple[float, str, float]], desk: str, now: float) -> float | None:
    for n, (due, name, seconds) in enumerate(booked):
        if name == desk and due <= now:
            del booked[n]
            return seconds
    return None


def _choose(
    sc: Scenario,
    tickets: list[_Ticket],
    waiting: list[int],
    services: tuple[str, ...],
    desk: str,
    now: float,
    totals: dict[str, _Tally],
    first: dict[str, float],
) -> int | None:
    """The routing policy's choice for a free desk; walk-outs are settled on the way."""
    present = []
    for k in waiting:
        t = tickets[k]
        if t.leaves < now:
            _left(sc, t, t.leaves, totals, first)
        elif not t.done:
            present.append(k)
    waiting[:] = present
    directed = [k for k in present if tickets[k].desk == desk and (tickets[k].due or 0) <= now]
    if directed:
        chosen = min(directed, key=lambda k: (tickets[k].due or 0, tickets[k].issued))
    else:
        chosen = None
        for service in services:
            mine = [k for k in present if tickets[k].service == service and tickets[k].desk is None]
            if mine:
                combed = service in sc.comb
                chosen = min(
                    mine,
                    key=lambda k: (
                        not tickets[k].priority,
                        not (combed and tickets[k].quick),
                        tickets[k].issued,
                    ),
                )
                break
    if chosen is not None:
        waiting.remove(chosen)
    return chosen


def _count(
    sc: Scenario, ticket: _Ticket, now: float, totals: dict[str, _Tally], first: dict[str, float]
) -> None:
    ticket.done = True
    tally = totals.get(ticket.service)
    if tally is None:
        return
    limit = sc.thresholds[ticket.service]
    over = now - ticket.issued > limit
    tally.seen += 1
    tally.within += 0 if over else 1
    if over:
        _passed(ticket, limit, first)
    _soon(ticket, over, tally)


def _left(
    sc: Scenario, ticket: _Ticket, at: float, totals: dict[str, _Tally], first: dict[str, float]
) -> None:
    """A visitor leaving unseen: a breach if after the threshold, else a walk-out."""
    ticket.done = True
    tally = totals.get(ticket.service)
    if tally is None:
        return
    limit = sc.thresholds[ticket.service]
    if at - ticket.issued > limit:
        tally.breached += 1
        _passed(ticket, limit, first)
        _soon(ticket, True, tally)


def _passed(ticket: _Ticket, limit: float, first: dict[str, float]) -> None:
    at = ticket.issued + limit
    if at < first.get(ticket.service, math.inf):
        first[ticket.service] = at


def _soon(ticket: _Ticket, over: bool, tally: _Tally) -> None:
    if not ticket.new:
        return
    for window, pair in tally.soon.items():
        if ticket.issued <= window:
            pair[0] += 1 if over else 0
            pair[1] += 1
