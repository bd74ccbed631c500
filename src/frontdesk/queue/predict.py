"""The wait a newcomer for a service will have: a point estimate and an 80% interval.

The centre's live state (`CentreState`: each desk with its services in order and what it
is doing, who waits for what, appointments due, and what history says about handling
times, walk-outs and arrivals) is run forward a few hundred times with handling times
drawn from history. Each run gives the moment the newcomer would be called; the median
of the runs is the estimate and the 10th and 90th percentiles the interval.

One run, seen from the newcomer (for a service S):

* Until they are called, somebody is always waiting for S — at least the newcomer. So a
  desk that reaches S in its order always takes an S ticket; which one does not matter to
  *when* desks take them. Each open desk serving S therefore offers a stream of "S turns":
  it first finishes its current customer (the time still to go is drawn from calls that
  lasted at least as long), then whatever comes before S for it — tickets sent to it by
  name, booked appointments falling due at it, and its share of the queues of services
  it serves before S — then takes an S ticket, and so on.
* Services a desk serves before S are shared among the open desks that would take them:
  their waiting tickets as a backlog, and their arrivals (the recent rate) as a steady
  fraction of the desk's time.
* The S turns of all desks, in time order, go to the people ahead: each may have left by
  then (walk-outs, at the rate history shows), and priority tickets arriving meanwhile go
  ahead of a normal newcomer. The newcomer is called at the first turn with nobody
  ahead.

Random numbers are tied to what they describe (this desk's current customer, the k-th
person ahead…), never to the order in which they are used. So one more person ahead can
only use more turns, and one more open desk serving S can only add turns and take a share
of other queues: the estimate is monotone by construction, not just on average.
"""

from __future__ import annotations

import math
import random
from array import array
from dataclasses import dataclass

from frontdesk.queue.centre import (
    OPEN,
    Activity,
    AppointmentDue,
    CentreState,
    DeskState,
    WaitingTicket,
)
from frontdesk.queue.draws import Draws
from frontdesk.queue.handling import HandlingModel

# The state's classes are part of this module's face: predict_wait(CentreState(...), …).
__all__ = [
    "OPEN",
    "Activity",
    "AppointmentDue",
    "CentreState",
    "DeskState",
    "Draws",
    "WaitPrediction",
    "WaitingTicket",
    "predict_wait",
    "said_range",
    "simulate_waits",
]

RUNS = 120
# A desk whose time is nearly all taken by services before S still gives S some turns.
MAX_LOAD = 0.95
# Draws kept per desk and run for its S turns; beyond that the mean is used.
TURNS_DRAWN = 40
# Priority arrivals drawn per run (a few an hour at most while one visitor waits).
PRIORITY_ARRIVALS_DRAWN = 6


@dataclass(frozen=True, slots=True)
class WaitPrediction:
    """Seconds until a newcomer is called: median, and the 80% interval around it."""

    service: str
    seconds: int
    low_seconds: int
    high_seconds: int
    mean_seconds: int
    ahead: int
    desks: int  # open desks serving the service now
    runs: int


@dataclass(slots=True)
class _Desk:
    """One desk serving S, prepared for the runs."""

    name: str
    starts_in: float
    busy: Activity | None
    stretch: float  # 1 / (1 - share of its time taken by arrivals it serves before S)
    backlog: dict[str, float]  # service before S → this desk's share of its queue
    now: array[float]  # per run: uniform for the time its current customer still takes
    # (arrival, booked seconds, uniforms, model for a drawn time or None, no-show share)
    directed: list[tuple[float, float, array[float], HandlingModel | None, float]]


def predict_wait(
    state: CentreState,
    service: str,
    rng: random.Random,
    *,
    priority: bool = False,
    runs: int = RUNS,
) -> WaitPrediction | None:
    """The wait a newcomer for `service` would have now, or None when no open desk
    serves it (then nobody can promise a time).

    `rng` seeds the runs: the same seed gives the same answer for the same state."""
    serving = state.serving(service)
    if not serving:
        return None
    if runs < 10:
        raise ValueError("runs must be 10 or more")
    draws = Draws(rng.getrandbits(31), runs)
    waits = simulate_waits(state, service, draws, priority=priority)
    waits.sort()
    return WaitPrediction(
        service=service,
        seconds=round(_quantile(waits, 0.5)),
        low_seconds=round(_quantile(waits, 0.1)),
        high_seconds=round(_quantile(waits, 0.9)),
        mean_seconds=round(sum(waits) / len(waits)),
        ahead=state.ahead_of_newcomer(service, priority),
        desks=len(serving),
        runs=runs,
    )


def _quantile(ordered: list[float], q: float) -> float:
    pos = q * (len(ordered) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def _prepare(state: CentreState, service: str, draws: Draws) -> list[_Desk]:
    """The desks that will give S turns, with their share of the work before S."""
    taking = [d for d in state.desks if d.takes_part]
    # For each other service: the desks that would take its tickets while S waits.
    before: dict[str, list[str]] = {}
    for d in taking:
        cut = d.services.index(service) if service in d.services else len(d.services)
        for other in d.services[:cut]:
            before.setdefault(other, []).append(d.name)
    desks = []
    for d in taking:
        if service not in d.services:
            continue
        load = 0.0
        backlog: dict[str, float] = {}
        for other in d.services[: d.services.index(service)]:
            share = 1.0 / len(before[other])
            backlog[other] = share
            rate = state.arrivals_per_hour.get(other, 0.0) / 3600.0
            load += rate * state.model(other).mean * share
        directed: list[tuple[float, float, array[float], HandlingModel | None, float]] = [
            (
                max(0.0, t.due_in_seconds or 0.0),
                0.0,
                draws.uniform("ticket", t.id),
                state.model(t.service),
                0.0,
            )
            for t in state.waiting
            if t.desk == d.name
        ]
        for a in state.appointments:
            if a.desk == d.name and a.due_in_seconds >= 0:
                key = f"{a.desk}@{a.due_in_seconds:.0f}"
                missed = min(max(state.appointment_no_show_share, 0.0), 1.0)
                drawn = draws.uniform("booked", key)
                directed.append((a.due_in_seconds, a.duration_seconds, drawn, None, missed))
        directed.sort(key=lambda w: w[0])
        desks.append(
            _Desk(
                name=d.name,
                starts_in=d.starts_in,
                busy=d.busy,
                stretch=1.0 / (1.0 - min(load, MAX_LOAD)),
                backlog=backlog,
                now=draws.uniform("desk-now", d.name),
                directed=directed,
            )
        )
    return desks


def _backlogs(state: CentreState, service: str, draws: Draws) -> dict[str, list[float]]:
    """Per other service and run: the work its waiting tickets will take (seconds).

    A sum of many handling times, drawn as a normal with their mean and spread; tickets
    that will walk out are taken off on average."""
    counts: dict[str, int] = {}
    for t in state.waiting:
        if t.desk is None and t.service != service:
            counts[t.service] = counts.get(t.service, 0) + 1
    out: dict[str, list[float]] = {}
    stay = 1.0 - min(max(state.walkout_share, 0.0), 1.0)
    for other, n in counts.items():
        model = state.model(other)
        q = model.quantiles
        var = sum((x - model.mean) ** 2 for x in q) / len(q)
        mean = n * stay * model.mean
        sd = math.sqrt(n * stay * var)
        out[other] = [max(0.0, mean + sd * z) for z in draws.normal("backlog", other)]
    return out


def simulate_waits(
    state: CentreState, service: str, draws: Draws, *, priority: bool = False
) -> list[float]:
    """One wait (seconds until called) per run, for a newcomer for `service`."""
    runs = draws.runs
    desks = _prepare(state, service, draws)
    if not desks:
        return [math.inf] * runs
    starts, pointers = _first_turns(state, desks, _backlogs(state, service, draws), runs)
    model = state.model(service)
    table, mean = model.quantiles, model.mean
    n_ahead = state.ahead_of_newcomer(service, priority)
    rate_out = max(state.walkout_per_second, 0.0)
    # Patience of the k-th person ahead, in units of 1 / rate_out (memoryless).
    blocks = [draws.exponential("ahead", b, _BLOCK) for b in range(-(-n_ahead // _BLOCK))]
    # Priority walk-ins for S arriving meanwhile go ahead of a normal newcomer: arrival
    # times as sums of exponential gaps, and their patience, both in units of 1 / rate.
    rate_prio = 0.0 if priority else state.arrivals_per_hour.get(service, 0.0) / 3600.0
    rate_prio *= min(max(state.priority_share, 0.0), 1.0)
    n_prio = PRIORITY_ARRIVALS_DRAWN if rate_prio > 0 else 0
    gaps = draws.exponential("priority", 0, PRIORITY_ARRIVALS_DRAWN)
    stays = draws.exponential("priority-leave", 0, PRIORITY_ARRIVALS_DRAWN)
    width = TURNS_DRAWN
    # Each desk's turns: indices into the quantile table, and the table stretched by the
    # share of its time that arrivals before S take.
    turns = [draws.indices("desk-turns", d.name, width, len(table)) for d in desks]
    tables = [[x * d.stretch for x in table] for d in desks]
    past = [mean * d.stretch for d in desks]
    directed = [i for i, d in enumerate(desks) if d.directed]
    n_desks = len(desks)
    waits: list[float] = []
    for r in range(runs):
        times = [starts[i][r] for i in range(n_desks)]
        ptrs = pointers[r]
        gone: list[float] = []
        for block in blocks:
            gone += block[r * _BLOCK : (r + 1) * _BLOCK]
        first = r * width
        used = [first] * n_desks
        last = first + width
        p = 0
        while True:
            t = min(times)
            i = times.index(t)
            if rate_out:
                x = t * rate_out
                while p < n_ahead and gone[p] < x:
                    p += 1  # left before this turn
            if p < n_ahead:
                p += 1
            elif not n_prio or not _priority_served(
                gaps, stays, r, n_prio, rate_prio, rate_out, t, ptrs
            ):
                waits.append(t)
                break
            j = used[i]
            used[i] = j + 1
            t += tables[i][turns[i][j]] if j < last else past[i]
            if directed and i in directed:
                t, ptrs[i] = _drain(desks[i], t, ptrs[i], r)
            times[i] = t
    return waits


_BLOCK = 16


def _first_turns(
    state: CentreState, desks: list[_Desk], backlogs: dict[str, list[float]], runs: int
) -> tuple[list[list[float]], list[list[int]]]:
    """Per desk and run, the time of its first S turn; per run, each desk's place in its
    directed work."""
    starts: list[list[float]] = []
    # One more place per run: how many priority arrivals have been served or left.
    pointers = [[0] * (len(desks) + 1) for _ in range(runs)]
    for i, d in enumerate(desks):
        t0 = [d.starts_in] * runs
        if d.busy is not None:
            busy = state.model(d.busy.service)
            left = busy.remaining_many(d.busy.elapsed_seconds, d.now)
            t0 = [t + x for t, x in zip(t0, left, strict=True)]
        for other, share in d.backlog.items():
            work = backlogs.get(other)
            if work is not None:
                t0 = [t + w * share * d.stretch for t, w in zip(t0, work, strict=True)]
        if d.directed:
            for r in range(runs):
                t0[r], pointers[r][i] = _drain(d, t0[r], 0, r)
        starts.append(t0)
    return starts, pointers


def _priority_served(
    gaps: array[float],
    stays: array[float],
    r: int,
    n: int,
    rate: float,
    rate_out: float,
    t: float,
    ptrs: list[int],
) -> bool:
    """Whether a priority walk-in takes the turn at `t` (run r): the first to have come
    by then and not left. Arrivals are sums of exponential gaps; the place reached is
    kept in the last of `ptrs`."""
    base = r * n
    q = ptrs[-1]
    while q < n:
        at = sum(gaps[base : base + q + 1]) / rate
        if at > t:
            return False
        ptrs[-1] = q = q + 1
        if rate_out <= 0 or at + stays[base + q - 1] / rate_out >= t:
            return True
    return False


def _drain(d: _Desk, t: float, k: int, r: int) -> tuple[float, int]:
    """Serve the desk's directed work that has come due by `t` (in order of arrival)."""
    work = d.directed
    while k < len(work) and work[k][0] <= t:
        _arrival, booked, us, model, missed = work[k]
        u = us[r]
        if model is None:
            # A booked appointment: it takes its length unless the customer does not come.
            t += booked if u >= missed else 0.0
        else:
            t += model.draw(u)
        k += 1
    return t, k


def said_range(low_seconds: float, high_seconds: float) -> tuple[int, int]:
    """The interval in whole minutes as a visitor is told it: rounded to 5 minutes (10
    past an hour, 15 past two) and never a range of nothing. (0, m) reads "less than m
    minutes"."""
    high_min = max(high_seconds, low_seconds, 0) / 60
    step = 5 if high_min <= 60 else 10 if high_min <= 120 else 15
    low = int(max(low_seconds, 0) / 60 / step + 0.5) * step
    high = max(int(high_min / step + 0.5) * step, step)
    if high <= low:
        high = low + step
    return low, high
