"""Predicted breach (DESIGN §3): the centre's current state run forward to the close with
the day's forecast arrivals.

For each service: the projected share within standard by close (today's tickets so far
plus those the runs see), and the probability that a walk-in arriving in the next 30 or
60 minutes waits longer than the threshold. The supervisor's alert is raised when the
projection falls below target, before any ticket has breached; the staffing plan asks
the same question of other desk plans.

Unlike `predict_wait`, which follows one newcomer, these runs follow everybody: desks
free up (their current customer first), take directed work and booked appointments when
due, then the first service in their order with anyone waiting (priority first, then the
longest wait); waiting visitors walk out at the rate history shows; new visitors arrive
as a Poisson process at the forecast rates. Handling times are drawn from the same
learned distributions as the predictor's.
"""

from __future__ import annotations

import heapq
import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from frontdesk.queue.predict import CentreState

HALF_HOUR, HOUR = 1800.0, 3600.0


@dataclass(frozen=True, slots=True)
class ArrivalRate:
    """Walk-ins expected per hour per service from `start_seconds` (after the state's
    time) until the next rate starts."""

    start_seconds: float
    per_hour: Mapping[str, float]


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
    queued: float
    priority: bool
    desk: str | None
    due: float | None
    leaves: float
    new: bool
    done: bool = False


@dataclass
class _Tally:
    seen: int = 0
    within: int = 0
    breached: int = 0
    soon: dict[float, list[int]] = field(default_factory=lambda: {HALF_HOUR: [0, 0], HOUR: [0, 0]})


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

    `thresholds`: seconds per service (the standard's threshold); `so_far`: per service,
    (tickets counted today, of them within the threshold) — seen plus breached unseen,
    as in the standard report."""
    if until_seconds < 0:
        raise ValueError("the close must not be before the state's time")
    if runs < 1:
        raise ValueError("runs must be 1 or more")
    counted = dict(so_far or {})
    totals: dict[str, _Tally] = {code: _Tally() for code in thresholds}
    for _ in range(runs):
        _one_run(
            state, arrivals, until_seconds, thresholds, random.Random(rng.getrandbits(64)), totals
        )
    out: dict[str, ServiceProjection] = {}
    for code, threshold in thresholds.items():
        t = totals[code]
        before, before_within = counted.get(code, (0, 0))
        denominator = before + (t.seen + t.breached) / runs
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
        )
    return Projection(at=state.at, until_seconds=until_seconds, runs=runs, services=out)


def _share(pair: list[int]) -> float | None:
    over, n = pair
    return over / n if n else None


def _one_run(
    state: CentreState,
    arrivals: Sequence[ArrivalRate],
    until: float,
    thresholds: Mapping[str, float],
    gen: random.Random,
    totals: dict[str, _Tally],
) -> None:
    rate_out = max(state.walkout_per_second, 0.0)

    def patience() -> float:
        return gen.expovariate(rate_out) if rate_out > 0 else math.inf

    tickets = [
        _Ticket(
            t.service,
            -t.waited_seconds,
            -t.waited_seconds,
            t.priority,
            t.desk,
            t.due_in_seconds,
            patience(),
            False,
        )
        for t in state.waiting
    ]
    prio = min(max(state.priority_share, 0.0), 1.0)
    for service, at in _arrival_times(arrivals, until, gen):
        tickets.append(
            _Ticket(service, at, at, gen.random() < prio, None, None, at + patience(), True)
        )
    booked = [
        (a.due_in_seconds, a.desk, a.duration_seconds)
        for a in state.appointments
        if a.due_in_seconds >= 0 and gen.random() >= state.appointment_no_show_share
    ]
    # Events: (time, order, kind, index) — a desk free, a visitor arriving.
    events: list[tuple[float, int, str, int]] = []
    desks = [d for d in state.desks if d.takes_part]
    for i, d in enumerate(desks):
        t = d.starts_in
        if d.busy is not None:
            t += state.model(d.busy.service).remaining(d.busy.elapsed_seconds, gen.random())
        heapq.heappush(events, (t, i, "free", i))
    for k, ticket in enumerate(tickets):
        if ticket.new:
            heapq.heappush(events, (ticket.queued, len(desks) + k, "arrive", k))
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
            chosen = _choose(tickets, waiting, desk.services, desk.name, now, thresholds, totals)
            if chosen is None:
                idle.add(i)
                continue
            ticket = tickets[chosen]
            _count(ticket, now, thresholds, totals)
            took = state.model(ticket.service).draw(gen.random())
        seq += 1
        heapq.heappush(events, (now + took, seq, "free", i))
    # Whoever is still waiting when every desk has stopped leaves unseen.
    for k in waiting:
        ticket = tickets[k]
        if not ticket.done:
            _left(
                ticket, ticket.leaves if math.isfinite(ticket.leaves) else until, thresholds, totals
            )


def _arrival_times(
    arrivals: Sequence[ArrivalRate], until: float, gen: random.Random
) -> list[tuple[str, float]]:
    """Poisson arrivals per service under piecewise-constant rates, until the close."""
    spans = sorted(arrivals, key=lambda a: a.start_seconds)
    out: list[tuple[str, float]] = []
    for n, span in enumerate(spans):
        start = max(span.start_seconds, 0.0)
        end = min(spans[n + 1].start_seconds if n + 1 < len(spans) else until, until)
        for service, per_hour in span.per_hour.items():
            rate = per_hour / 3600.0
            t = start
            while rate > 0:
                t += gen.expovariate(rate)
                if t >= end:
                    break
                out.append((service, t))
    return out


def _appointment_due(booked: list[tuple[float, str, float]], desk: str, now: float) -> float | None:
    for n, (due, name, seconds) in enumerate(booked):
        if name == desk and due <= now:
            del booked[n]
            return seconds
    return None


def _choose(
    tickets: list[_Ticket],
    waiting: list[int],
    services: tuple[str, ...],
    desk: str,
    now: float,
    thresholds: Mapping[str, float],
    totals: dict[str, _Tally],
) -> int | None:
    """The routing policy's choice for a free desk; walk-outs are settled on the way."""
    present = []
    for k in waiting:
        t = tickets[k]
        if t.leaves < now:
            _left(t, t.leaves, thresholds, totals)
        elif not t.done:
            present.append(k)
    waiting[:] = present
    directed = [k for k in present if tickets[k].desk == desk and (tickets[k].due or 0) <= now]
    if directed:
        chosen = min(directed, key=lambda k: (tickets[k].due or 0, tickets[k].queued))
    else:
        chosen = None
        for service in services:
            mine = [k for k in present if tickets[k].service == service and tickets[k].desk is None]
            if mine:
                chosen = min(mine, key=lambda k: (not tickets[k].priority, tickets[k].queued))
                break
    if chosen is not None:
        waiting.remove(chosen)
    return chosen


def _count(
    ticket: _Ticket, now: float, thresholds: Mapping[str, float], totals: dict[str, _Tally]
) -> None:
    ticket.done = True
    tally = totals.get(ticket.service)
    if tally is None:
        return
    waited = now - ticket.issued
    over = waited > thresholds[ticket.service]
    tally.seen += 1
    tally.within += 0 if over else 1
    _soon(ticket, over, tally)


def _left(
    ticket: _Ticket, at: float, thresholds: Mapping[str, float], totals: dict[str, _Tally]
) -> None:
    """A visitor leaving unseen: a breach if after the threshold, else a walk-out."""
    ticket.done = True
    tally = totals.get(ticket.service)
    if tally is None:
        return
    if at - ticket.issued > thresholds[ticket.service]:
        tally.breached += 1
        _soon(ticket, True, tally)


def _soon(ticket: _Ticket, over: bool, tally: _Tally) -> None:
    if not ticket.new:
        return
    for window, pair in tally.soon.items():
        if ticket.issued <= window:
            pair[0] += 1 if over else 0
            pair[1] += 1
