"""A fast discrete-event simulation of one whole opening day, for planning.

Unlike `services/simulate.py` (which drives the real services and store), this one is
pure arithmetic, so the planner can try thousands of rotas. It keeps what hour-by-hour
formulas leave out:

* the centre opens empty, and a queue built in one hour is carried into the next;
* each desk serves its own services in its order: when it frees, it calls the
  longest-waiting visitor of the first service in its list that has anyone waiting
  (the routing policy of `queue/routing.py`, without priorities);
* a newcomer goes to a free open desk that serves their service, if there is one;
* visitors whose patience runs out leave unseen;
* desks open and close at slot boundaries; a desk that closes finishes its customer
  first, and after closing time the last slot's desks see everybody still inside.

Common random numbers: every replication's visitors (arrival, service, handling time,
patience) are drawn once, when the simulator is made, so every rota tried is compared on
the same visitors. Figures are pooled over the replications as the reports pool tickets:
per slot of issue, seen within the threshold ÷ (seen + left unseen after the threshold).
"""

from __future__ import annotations

import heapq
import math
import random
import statistics
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from frontdesk.planning.model import DayDemand, PlanningCentre

INF = math.inf


@dataclass(frozen=True, slots=True)
class SlotResult:
    """One slot's visitors over all replications."""

    arrivals: int
    counted: int  # seen, or left unseen after the threshold
    within: int  # seen within the threshold
    seen: int
    wait_sum: float  # seconds, over the seen
    walkouts: int  # left unseen within the threshold (not counted)
    share_error: float  # standard error of `share` between replications

    @property
    def share(self) -> float | None:
        return self.within / self.counted if self.counted else None

    @property
    def average_wait(self) -> float | None:
        return self.wait_sum / self.seen if self.seen else None


class _Visitors:
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
_Snap = tuple[int, tuple[tuple[int, ...], ...], tuple[bool, ...], tuple[Any, ...], list[float]]


class _State:
    """Where one replication stands: next arrival, queues, desks, and the tallies."""

    __slots__ = ("busy", "heap", "i", "queues", "tal")

    def __init__(self, services: int, desks: int, slots: int) -> None:
        self.i = 0
        self.queues: list[deque[int]] = [deque() for _ in range(services)]
        self.busy = [False] * desks
        self.heap: list[tuple[float, int, int]] = []  # (time, desk, 0 finish | 1 open)
        self.tal: list[float] = [0] * (FIELDS * slots)

    def copy(self) -> _State:
        new = _State.__new__(_State)
        new.i = self.i
        new.queues = [deque(q) for q in self.queues]
        new.busy = list(self.busy)
        new.heap = list(self.heap)
        new.tal = list(self.tal)
        return new

    def freeze(self) -> _Snap:
        return (
            self.i,
            tuple(map(tuple, self.queues)),
            tuple(self.busy),
            tuple(self.heap),
            self.tal[:],
        )

    @classmethod
    def thaw(cls, snap: _Snap, shift: list[float] | None) -> _State:
        new = cls.__new__(cls)
        new.i = snap[0]
        new.queues = [deque(q) for q in snap[1]]
        new.busy = list(snap[2])
        new.heap = list(snap[3])
        new.tal = _plus(snap[4], shift)
        return new


def _plus(a: list[float], b: list[float] | None) -> list[float]:
    return list(a) if b is None else [x + y for x, y in zip(a, b, strict=True)]


def _minus(a: list[float], b: list[float]) -> list[float]:
    return [x - y for x, y in zip(a, b, strict=True)]


def _same(st: _State, snap: _Snap) -> bool:
    """The same visitors waiting in the same order, the same desks busy until the same
    times: from here on the day goes the same way."""
    if st.i != snap[0] or tuple(st.busy) != snap[2] or tuple(map(tuple, st.queues)) != snap[1]:
        return False
    return sorted(e for e in st.heap if not e[2]) == sorted(e for e in snap[3] if not e[2])


POOLED_VISITORS = 12_000


def replications_for(expected_visitors: float) -> int:
    """Enough replications that each day pools about `POOLED_VISITORS` simulated visitors
    (at least 60, at most 400)."""
    return max(60, min(400, math.ceil(POOLED_VISITORS / max(expected_visitors, 1.0))))


@dataclass(frozen=True, slots=True)
class Rota:
    """Desks per slot, and per slot which desks are open and which open at its start."""

    plan: tuple[int, ...]
    rows: tuple[tuple[bool, ...], ...]
    openings: tuple[tuple[int, ...], ...]


@dataclass(frozen=True, slots=True)
class Evaluation:
    """A rota's simulated figures, with each replication's state at every slot's start
    (so a rota changed from some slot on can be evaluated from there).

    Where a replication joined an earlier run's states, those are shared, not copied:
    `shifts[r]` lists (from slot, tallies to add) for its shared snapshots."""

    plan: tuple[int, ...]
    results: list[SlotResult]
    snapshots: list[list[_Snap]]  # [replication][slot]
    shifts: list[list[tuple[int, list[float] | None]]]
    tallies: list[list[float]]  # [replication]: the whole day's

    def shift(self, r: int, k: int) -> list[float] | None:
        found = None
        for start, delta in self.shifts[r]:
            if start > k:
                break
            found = delta
        return found


class DaySimulator:
    """Simulate one day's rotas on the same replicated visitors.

    `order` is the opening order: with n desks open, the first n of it are open.
    """

    def __init__(
        self,
        centre: PlanningCentre,
        demand: DayDemand,
        order: Sequence[int],
        replications: int | None = None,
        seed: int | str = 1,
    ) -> None:
        self.centre = centre
        self.demand = demand
        self.order = tuple(order)
        self.codes = centre.services
        index = {code: i for i, code in enumerate(self.codes)}
        self.skills = [tuple(index[s] for s in d.services) for d in centre.desks]
        self.servers = [
            tuple(d for d in self.order if i in self.skills[d]) for i in range(len(self.codes))
        ]
        self.starts = [s.start * 60.0 for s in demand.slots]
        self.ends = [s.end * 60.0 for s in demand.slots]
        self.threshold = centre.standard.threshold_seconds
        expected = sum(demand.total(k) for k in range(len(demand.slots)))
        self.replications = replications or replications_for(expected)
        self.seed = seed
        # Each slot's visitor count is stratified over the replications (Latin hypercube):
        # replication r gets the count at a quantile from its own stratum of [0, 1), so
        # the replications span quiet and busy hours evenly instead of by luck.
        strata = random.Random(f"{seed}:strata")
        quantiles = []
        for _ in self.starts:
            cells = list(range(self.replications))
            strata.shuffle(cells)
            quantiles.append([(c + strata.random()) / self.replications for c in cells])
        self.visitors = [
            self._draw(random.Random(f"{seed}:{r}"), [q[r] for q in quantiles])
            for r in range(self.replications)
        ]
        self.arrivals = [0] * len(self.starts)
        for v in self.visitors:
            for k in v.slot:
                self.arrivals[k] += 1

    def _draw(self, rng: random.Random, quantiles: list[float]) -> _Visitors:
        v = _Visitors()
        codes = range(len(self.codes))
        params = [
            (math.log(h.mean_seconds) - h.sigma**2 / 2, h.sigma)
            for h in (self.centre.handling[c] for c in self.codes)
        ]
        patience = self.centre.patience_seconds
        uniform, gauss, exp, log = rng.random, rng.gauss, math.exp, math.log
        for k in range(len(self.demand.slots)):
            mix = self.demand.arrivals[k]
            weights = [max(mix.get(code, 0.0), 0.0) for code in self.codes]
            total = sum(weights)
            if total <= 0:
                continue
            start, end = self.starts[k], self.ends[k]
            n = _poisson_quantile(total, quantiles[k])
            times = sorted(start + (end - start) * uniform() for _ in range(n))
            services = rng.choices(codes, weights, k=len(times))
            v.at.extend(times)
            v.svc.extend(services)
            v.slot.extend([k] * len(times))
            for s in services:
                mu, sigma = params[s]
                v.hold.append(exp(mu + sigma * gauss()))
            if patience:
                v.dead.extend([x - patience * log(1.0 - uniform()) for x in times])
            else:
                v.dead.extend([INF] * len(times))
        return v

    # -- rotas ----------------------------------------------------------------------

    def rota(self, desks: Sequence[int]) -> Rota:
        """A rota of `desks[k]` desks in slot k: the first that many of the opening order."""
        plan = tuple(desks)
        if len(plan) != len(self.starts):
            raise ValueError(f"a rota needs {len(self.starts)} slots, got {len(plan)}")
        rows = []
        openings = []
        before = [False] * len(self.centre.desks)
        for n in plan:
            row = [False] * len(self.centre.desks)
            for d in self.order[:n]:
                row[d] = True
            openings.append(tuple(d for d in self.order[:n] if not before[d]))
            rows.append(tuple(row))
            before = row
        return Rota(plan, tuple(rows), tuple(openings))

    def evaluate(self, desks: Sequence[int]) -> Evaluation:
        """Simulate the day with `desks[k]` desks open in slot k, every replication."""
        return self.evaluate_from(None, desks, 0)

    def evaluate_from(self, base: Evaluation | None, desks: Sequence[int], k: int) -> Evaluation:
        """As `evaluate`, for a rota that differs from `base`'s only from slot k on: each
        replication resumes from `base` at slot k, and where it comes back to exactly the
        state `base` had at a later slot with the same rota onwards, the rest is `base`'s.
        """
        rota = self.rota(desks)
        plan = rota.plan
        count = len(self.starts)
        if base is None:
            k = 0
        same_from = count
        if base is not None:
            while same_from > 0 and plan[same_from - 1] == base.plan[same_from - 1]:
                same_from -= 1
        snapshots: list[list[_Snap]] = []
        shifts: list[list[tuple[int, list[float] | None]]] = []
        tallies: list[list[float]] = []
        for r, v in enumerate(self.visitors):
            moves: list[tuple[int, list[float] | None]] = []
            if base is None:
                st = self.fresh()
                snaps: list[_Snap] = []
            else:
                st = _State.thaw(base.snapshots[r][k], base.shift(r, k))
                snaps = base.snapshots[r][:k]
                moves = [m for m in base.shifts[r] if m[0] < k]
                if moves:
                    moves.append((k, None))
            final = None
            for j in range(k, count):
                if base is not None and j > k and j >= same_from:
                    theirs = base.snapshots[r][j]
                    if _same(st, theirs):
                        # From here the day goes as theirs did, with my tallies so far.
                        then = base.shift(r, j)
                        delta = _minus(st.tal, _plus(theirs[4], then))
                        moves.append((j, _plus(delta, then)))
                        moves.extend((m, _plus(delta, d)) for m, d in base.shifts[r] if m > j)
                        snaps.extend(base.snapshots[r][j:])
                        final = _plus(base.tallies[r], delta)
                        break
                snaps.append(st.freeze())
                self.advance(st, v, rota, j)
            if final is None:
                self.finish(st, v)
                final = st.tal
            snapshots.append(snaps)
            shifts.append(moves)
            tallies.append(final)
        return Evaluation(plan, self.results(tallies), snapshots, shifts, tallies)

    # -- the machinery, also used slot by slot by the exhaustive search ---------------

    def fresh(self) -> _State:
        return _State(len(self.codes), len(self.centre.desks), len(self.starts))

    def advance(self, st: _State, v: _Visitors, rota: Rota, k: int) -> None:
        """Open slot k's newly opened desks, then run its events; the last slot runs
        until everybody has been seen or has left."""
        start = self.starts[k]
        for d in rota.openings[k]:
            heapq.heappush(st.heap, (start, d, 1))
        end = self.starts[k + 1] if k + 1 < len(self.starts) else INF
        _run(st, v, rota.rows[k], end, self.threshold, self.skills, self.servers)

    def finish(self, st: _State, v: _Visitors) -> None:
        """Those still waiting when no desk is left for them leave at their patience."""
        for q in st.queues:
            for c in q:
                _gone(st, v, c, self.threshold)
            q.clear()

    def results(self, tallies: Sequence[list[float]]) -> list[SlotResult]:
        out = []
        for k in range(len(self.starts)):
            b = FIELDS * k
            counted = [t[b + COUNTED] for t in tallies]
            within = [t[b + WITHIN] for t in tallies]
            out.append(
                SlotResult(
                    arrivals=self.arrivals[k],
                    counted=int(sum(counted)),
                    within=int(sum(within)),
                    seen=int(sum(t[b + SEEN] for t in tallies)),
                    wait_sum=sum(t[b + WAITS] for t in tallies),
                    walkouts=int(sum(t[b + WALK] for t in tallies)),
                    share_error=_ratio_error(within, counted),
                )
            )
        return out


def _poisson_quantile(mean: float, u: float) -> int:
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


def _gone(st: _State, v: _Visitors, c: int, threshold: float) -> None:
    b = FIELDS * v.slot[c]
    if v.dead[c] - v.at[c] > threshold:
        st.tal[b + COUNTED] += 1
    else:
        st.tal[b + WALK] += 1


def _run(
    st: _State,
    v: _Visitors,
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


def _ratio_error(within: Sequence[float], counted: Sequence[float]) -> float:
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
