"""The outlook of a centre's queues: the day run forward from now, with what the desks
are doing, who waits, and the arrivals forecast until closing time.

A run is an event simulation of the centre: each open desk takes, whenever it is free,
the longest-waiting ticket of the first of its services (in its order) that has anyone
waiting — marked quick queries first when the desks comb them; handling times are drawn
around each service's typical time. A few dozen runs give, per service:

* the projected share within standard by close (today's figures so far, plus every
  ticket now waiting and every forecast arrival until close);
* the chance that a visitor arriving in the next 30 or 60 minutes waits longer than the
  threshold;
* when the first visitor would pass the threshold.

Random numbers are tied to what they describe (this service's k-th arrival, this desk's
current customer), never to the order of use, so the same seed run with an action
applied (a desk opened or moved, quick queries combed, walk-ins offered appointments)
differs only by the action: its projected effect is not noise.

Pure: plain values in, plain values out; no store, no clock.
"""

from __future__ import annotations

import heapq
import math
import random
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

RUNS = 24
# Handling times spread as a lognormal around the typical time (as reception data do).
HANDLING_SIGMA = 0.55
# A combed quick query takes this share of the service's typical time.
QUICK_SHARE = 0.35
# Queues still waiting this long after close are cut off (they count as breaches).
AFTER_CLOSE_SECONDS = 2 * 3600.0
WINDOWS = (30, 60)
# The kiosk offers alternatives first until the outlook recovers: about an hour.
DIVERT_SECONDS = 3600.0


@dataclass(frozen=True, slots=True)
class Desk:
    """A desk as the outlook sees it: its services today in order, and what it holds."""

    name: str
    services: tuple[str, ...]
    open: bool
    busy_service: str | None = None
    busy_seconds: float = 0.0  # since the call


@dataclass(frozen=True, slots=True)
class Waiting:
    service: str
    waited_seconds: float
    quick: bool = False


@dataclass(frozen=True, slots=True)
class ServiceTerms:
    """A service's standard and typical time, with today's figures so far."""

    threshold_seconds: float
    target_share: float
    handling_seconds: float
    seen_so_far: int = 0  # seen, plus ended unseen after the threshold
    within_so_far: int = 0


@dataclass(frozen=True, slots=True)
class Situation:
    """A centre now. `arrivals`: per service, (seconds from now, walk-ins per hour) steps
    until `close_in_seconds`; `divert`: per service, the share of walk-ins taking an
    appointment or callback instead; `comb`: services whose quick queries desks comb."""

    desks: tuple[Desk, ...]
    waiting: tuple[Waiting, ...]
    terms: Mapping[str, ServiceTerms]
    close_in_seconds: float
    arrivals: Mapping[str, tuple[tuple[float, float], ...]] = field(default_factory=dict)
    divert: Mapping[str, float] = field(default_factory=dict)
    comb: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class ServiceOutlook:
    service: str
    projected_share: float | None  # by close; None when nobody is expected at all
    wait_risk: Mapping[int, float]  # minutes ahead → P(wait > threshold)
    first_breach_seconds: float | None  # median, from now; None: nobody would pass it
    expected: float  # tickets counted in the projection (today so far + to come)


def run_outlook(situation: Situation, seed: int = 1, runs: int = RUNS) -> dict[str, ServiceOutlook]:
    """The outlook of every service in `situation.terms`."""
    totals = {s: [0.0, 0.0] for s in situation.terms}  # within, counted (summed over runs)
    risk = {s: {w: [0, 0] for w in WINDOWS} for s in situation.terms}
    breaches: dict[str, list[float]] = {s: [] for s in situation.terms}
    for r in range(runs):
        records, first = _one_run(situation, seed, r)
        for service, arrival, wait in records:
            terms = situation.terms[service]
            late = wait > terms.threshold_seconds
            totals[service][1] += 1
            totals[service][0] += 0 if late else 1
            if arrival >= 0:
                for w in WINDOWS:
                    if arrival < w * 60:
                        risk[service][w][0] += late
                        risk[service][w][1] += 1
        for service in situation.terms:
            breaches[service].append(first.get(service, math.inf))
    out = {}
    for service, terms in situation.terms.items():
        within = terms.within_so_far + totals[service][0] / runs
        counted = terms.seen_so_far + totals[service][1] / runs
        # The median run's first breach (none when most runs have none).
        median = sorted(breaches[service])[runs // 2]
        first_at = median if math.isfinite(median) else None
        out[service] = ServiceOutlook(
            service=service,
            projected_share=within / counted if counted > 0 else None,
            wait_risk={w: (late / n if n else 0.0) for w, (late, n) in risk[service].items()},
            first_breach_seconds=first_at,
            expected=counted,
        )
    return out


# -- one run ---------------------------------------------------------------------------


def _stream(seed: int, r: int, *what: object) -> random.Random:
    return random.Random(f"{seed}:{r}:" + ":".join(str(w) for w in what))


def _arrivals(situation: Situation, service: str, seed: int, r: int) -> list[float]:
    """This run's walk-ins for a service (seconds from now), thinned by any diversion."""
    steps = situation.arrivals.get(service, ())
    rng = _stream(seed, r, "arrive", service)
    keep = _stream(seed, r, "divert", service)
    diverted = situation.divert.get(service, 0.0)
    out: list[float] = []
    for i, (start, per_hour) in enumerate(steps):
        end = steps[i + 1][0] if i + 1 < len(steps) else situation.close_in_seconds
        if per_hour <= 0 or end <= start:
            continue
        t = start
        while True:
            t += rng.expovariate(per_hour / 3600)
            if t >= end:
                break
            # Drawn for every arrival, kept or not, so a diversion removes arrivals
            # without moving the others.
            if keep.random() >= diverted or t >= DIVERT_SECONDS:
                out.append(t)
    return out


def _one_run(
    situation: Situation, seed: int, r: int
) -> tuple[list[tuple[str, float, float]], dict[str, float]]:
    """(service, arrival, wait) for every ticket of the run (arrival < 0: waiting now),
    and per service the moment (from now) the first visitor passes the threshold."""
    queues: dict[str, deque[tuple[float, bool]]] = {s: deque() for s in situation.terms}
    quick: dict[str, deque[float]] = {s: deque() for s in situation.terms}
    for w in sorted(situation.waiting, key=lambda w: -w.waited_seconds):
        if w.service not in queues:
            continue
        if w.quick and w.service in situation.comb:
            quick[w.service].append(-w.waited_seconds)
        else:
            queues[w.service].append((-w.waited_seconds, w.quick))
    draws = {s: _stream(seed, r, "handle", s) for s in situation.terms}

    def handling(service: str, is_quick: bool) -> float:
        terms = situation.terms[service]
        mu = math.log(max(terms.handling_seconds, 1.0)) - HANDLING_SIGMA**2 / 2
        x = draws[service].lognormvariate(mu, HANDLING_SIGMA)
        return x * QUICK_SHARE if is_quick else x

    events: list[tuple[float, int, str, str]] = []  # (time, order, kind, what)
    order = 0

    def push(t: float, kind: str, what: str) -> None:
        nonlocal order
        order += 1
        heapq.heappush(events, (t, order, kind, what))

    for service in situation.terms:
        for t in _arrivals(situation, service, seed, r):
            push(t, "arrive", service)
    desks = {d.name: d for d in situation.desks if d.open and d.services}
    for d in desks.values():
        start = 0.0
        if d.busy_service is not None and d.busy_service in situation.terms:
            rng = _stream(seed, r, "busy", d.name)
            typical = situation.terms[d.busy_service].handling_seconds
            # Time still to go: a fresh draw beyond what has passed (a long call so far
            # is likely a long call), at least half a minute.
            total = rng.lognormvariate(math.log(typical) - HANDLING_SIGMA**2 / 2, HANDLING_SIGMA)
            start = max(30.0, total - d.busy_seconds) if total > d.busy_seconds else 30.0
        push(start, "free", d.name)
    idle: set[str] = set()
    records: list[tuple[str, float, float]] = []
    first: dict[str, float] = {}
    cutoff = situation.close_in_seconds + AFTER_CLOSE_SECONDS

    def take(name: str, now: float) -> bool:
        for service in desks[name].services:
            if service not in queues:
                continue
            if quick[service]:
                arrival, is_quick = quick[service].popleft(), True
            elif queues[service]:
                arrival, is_quick = queues[service].popleft()
                is_quick = False
            else:
                continue
            wait = now - arrival
            records.append((service, arrival, wait))
            limit = situation.terms[service].threshold_seconds
            if wait > limit:
                first[service] = min(first.get(service, math.inf), arrival + limit)
            push(now + handling(service, is_quick), "free", name)
            return True
        return False

    while events:
        now, _, kind, what = heapq.heappop(events)
        if now > cutoff:
            break
        if kind == "arrive":
            queues[what].append((now, False))
            for name in sorted(idle):
                if what in desks[name].services and take(name, now):
                    idle.discard(name)
                    break
        elif not take(what, now):
            idle.add(what)
    for service in situation.terms:
        limit = situation.terms[service].threshold_seconds
        for arrival in [*quick[service], *(a for a, _ in queues[service])]:
            records.append((service, arrival, cutoff - arrival))
            if cutoff - arrival > limit:
                first[service] = min(first.get(service, math.inf), arrival + limit)
    return records, {s: max(0.0, t) for s, t in first.items()}


def with_desk(situation: Situation, desk: Desk) -> Situation:
    """The situation with one desk replaced (opened, moved or reordered) or added."""
    desks = [d for d in situation.desks if d.name != desk.name]
    return replace(situation, desks=(*desks, desk))
