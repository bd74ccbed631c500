"""The day simulator's machinery: one replication's visitors and state, and the event
loop that moves it on (see `planning/simulate.py` for what is modelled).

Kept apart so the loop stays small and fast: plain lists, local names, no calls per
visitor beyond the heap.
"""

from __future__ import annotations

import heapq
import math
import statistics
from collections import deque
from collections.abc import Sequence
from typing import Any

INF = math.inf


class Visitors:
    """One replication's visitors, in arrival order (parallel lists for speed)."""

    __slots__ = ("at", "dead", "hold", "slot", "svc")

    def __init__(self) -> None:
        self.at: list[float] = []
        self.svc: list[int] = []
        self.hold: list[float] = []
        self.dead: list[float] = []  # when they give up waiting
        self.slot: list[int] = []


# A replication's tallies, per slot of issue, in one flat list: slot k's are at 5k + …
COUNTED, WITHIN, SEEN, WAITS, WALK = range(5)
FIELDS = 5

# A frozen state: (next arrival, queues, busy desks, desk events, tallies).
Snapshot = tuple[int, tuple[tuple[int, ...], ...], tuple[bool, ...], tuple[Any, ...], list[float]]


class DayState:
    """Where one replication stands: next arrival, queues, desks, and the tallies."""

    __slots__ = ("busy", "heap", "i", "queues", "tal")

    def __init__(self, services: int, desks: int, slots: int) -> None:
        self.i = 0
        self.queues: list[deque[int]] = [deque() for _ in range(services)]
        self.busy = [False] * desks
        self.heap: list[tuple[float, int, int]] = []  # (time, desk, 0 finish | 1 open)
        self.tal: list[float] = [0] * (FIELDS * slots)

    def copy(self) -> DayState:
        new = DayState.__new__(DayState)
        new.i = self.i
        new.queues = [deque(q) for q in self.queues]
        new.busy = list(self.busy)
        new.heap = list(self.heap)
        new.tal = list(self.tal)
        return new

    def freeze(self) -> Snapshot:
        return (
            self.i,
            tuple(map(tuple, self.queues)),
            tuple(self.busy),
            tuple(self.heap),
            self.tal[:],
        )

    @classmethod
    def thaw(cls, snap: Snapshot, shift: list[float] | None) -> DayState:
        new = cls.__new__(cls)
        new.i = snap[0]
        new.queues = [deque(q) for q in snap[1]]
        new.busy = list(snap[2])
        new.heap = list(snap[3])
        new.tal = plus(snap[4], shift)
        return new


def plus(a: list[float], b: list[float] | None) -> list[float]:
    return list(a) if b is None else [x + y for x, y in zip(a, b, strict=True)]


def minus(a: list[float], b: list[float]) -> list[float]:
    return [x - y for x, y in zip(a, b, strict=True)]


def same_course(st: DayState, snap: Snapshot) -> bool:
    """The same visitors waiting in the same order, the same desks busy until the same
    times: from here on the day goes the same way."""
    if st.i != snap[0] or tuple(st.busy) != snap[2] or tuple(map(tuple, st.queues)) != snap[1]:
        return False
    return sorted(e for e in st.heap if not e[2]) == sorted(e for e in snap[3] if not e[2])


def poisson_quantile(mean: float, u: float) -> int:
    """The smallest n with P(N ≤ n) ≥ u for N ~ Poisson(mean)."""
    if mean > 500:  # normal approximation, far beyond any reception's hour
        z = statistics.NormalDist().inv_cdf(min(max(u, 1e-12), 1 - 1e-12))
        return max(0, round(mean + z * math.sqrt(mean)))
    p = math.exp(-mean)
    cdf = p
    n = 0
    while cdf < u and p > 0:
        n += 1
        p *= mean / n
        cdf += p
    return n


def gone(st: DayState, v: Visitors, c: int, threshold: float) -> None:
    b = FIELDS * v.slot[c]
    if v.dead[c] - v.at[c] > threshold:
        st.tal[b + COUNTED] += 1
    else:
        st.tal[b + WALK] += 1


def run_events(
    st: DayState,
    v: Visitors,
    is_open: tuple[bool, ...],
    end: float,
    threshold: float,
    skills: list[tuple[int, ...]],
    servers: list[tuple[int, ...]],
) -> None:
    """The event loop: arrivals and desks freeing (or opening) in time order, to `end`."""
    at, svc, hold, dead, slot = v.at, v.svc, v.hold, v.dead, v.slot
    n = len(at)
    i = st.i
    queues, busy, heap = st.queues, st.busy, st.heap
    tal = st.tal
    push, pop = heapq.heappush, heapq.heappop
    while True:
        ta = at[i] if i < n else INF
        if heap and heap[0][0] <= ta:
            td, d, opening = heap[0]
            if td >= end:
                break
            pop(heap)
            if opening:
                if busy[d]:
                    continue  # still finishing a customer from before it closed
            else:
                busy[d] = False
            if not is_open[d]:
                continue
            for s in skills[d]:
                q = queues[s]
                while q:
                    c = q.popleft()
                    b = 5 * slot[c]
                    if dead[c] < td:  # gave up before this call
                        if dead[c] - at[c] > threshold:
                            tal[b] += 1  # COUNTED
                        else:
                            tal[b + 4] += 1  # WALK
                        continue
                    w = td - at[c]
                    tal[b] += 1
                    tal[b + 2] += 1  # SEEN
                    tal[b + 3] += w  # WAITS
                    if w <= threshold:
                        tal[b + 1] += 1  # WITHIN
                    busy[d] = True
                    push(heap, (td + hold[c], d, 0))
                    break
                if busy[d]:
                    break
        else:
            if ta >= end:
                break
            s = svc[i]
            for d in servers[s]:
                if is_open[d] and not busy[d]:
                    b = 5 * slot[i]
                    tal[b] += 1
                    tal[b + 1] += 1
                    tal[b + 2] += 1
                    busy[d] = True
                    push(heap, (ta + hold[i], d, 0))
                    break
            else:
                queues[s].append(i)
            i += 1
    st.i = i


def ratio_error(within: Sequence[float], counted: Sequence[float]) -> float:
    """Standard error of Σwithin ÷ Σcounted, from the spread between replications."""
    r = len(counted)
    total = sum(counted)
    if r < 2 or total == 0:
        return 0.0
    share = sum(within) / total
    mean_counted = total / r
    resid = [w - share * c for w, c in zip(within, counted, strict=True)]
    var = sum(x * x for x in resid) / (r - 1)
    return math.sqrt(var / r) / mean_counted
