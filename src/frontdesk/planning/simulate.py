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
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from frontdesk.planning.events import (
    COUNTED,
    FIELDS,
    INF,
    SEEN,
    WAITS,
    WALK,
    WITHIN,
    DayState,
    Snapshot,
    Visitors,
    gone,
    minus,
    plus,
    poisson_quantile,
    ratio_error,
    run_events,
    same_course,
)
from frontdesk.planning.model import DayDemand, PlanningCentre


@dataclass(frozen=True, slots=True)
class Visit:
    """One visitor, for simulating given visitors: times in seconds after local midnight."""

    at: float
    service: str
    handling: float  # seconds at the desk, from call to finish
    patience: float = INF  # how long they will wait before leaving unseen


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
    snapshots: list[list[Snapshot]]  # [replication][slot]
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
        visits: Sequence[Sequence[Visit]] | None = None,
    ) -> None:
        """Draw `replications` days of visitors from `demand` — or, given `visits` (one
        list per replication), simulate exactly those visitors."""
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
        self.seed = seed
        if visits is not None:
            self.replications = len(visits)
            self.visitors = [self._given(day, index) for day in visits]
        else:
            expected = sum(demand.total(k) for k in range(len(demand.slots)))
            self.replications = replications or replications_for(expected)
            # Each slot's visitor count is stratified over the replications (Latin
            # hypercube): replication r gets the count at a quantile from its own stratum
            # of [0, 1), so the replications span quiet and busy hours evenly, not by luck.
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

    def _given(self, day: Sequence[Visit], index: dict[str, int]) -> Visitors:
        v = Visitors()
        for visit in sorted(day, key=lambda x: x.at):
            if visit.service not in index:
                raise ValueError(f"no desk serves {visit.service}")
            v.at.append(visit.at)
            v.svc.append(index[visit.service])
            v.hold.append(visit.handling)
            v.dead.append(visit.at + visit.patience)
            v.slot.append(max(0, bisect_right(self.starts, visit.at) - 1))
        return v

    def _draw(self, rng: random.Random, quantiles: list[float]) -> Visitors:
        v = Visitors()
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
            n = poisson_quantile(total, quantiles[k])
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
        snapshots: list[list[Snapshot]] = []
        shifts: list[list[tuple[int, list[float] | None]]] = []
        tallies: list[list[float]] = []
        for r, v in enumerate(self.visitors):
            moves: list[tuple[int, list[float] | None]] = []
            if base is None:
                st = self.fresh()
                snaps: list[Snapshot] = []
            else:
                st = DayState.thaw(base.snapshots[r][k], base.shift(r, k))
                snaps = base.snapshots[r][:k]
                moves = [m for m in base.shifts[r] if m[0] < k]
                if moves:
                    moves.append((k, None))
            final = None
            for j in range(k, count):
                if base is not None and j > k and j >= same_from:
                    theirs = base.snapshots[r][j]
                    if same_course(st, theirs):
                        # From here the day goes as theirs did, with my tallies so far.
                        then = base.shift(r, j)
                        delta = minus(st.tal, plus(theirs[4], then))
                        moves.append((j, plus(delta, then)))
                        moves.extend((m, plus(delta, d)) for m, d in base.shifts[r] if m > j)
                        snaps.extend(base.snapshots[r][j:])
                        final = plus(base.tallies[r], delta)
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

    def fresh(self) -> DayState:
        return DayState(len(self.codes), len(self.centre.desks), len(self.starts))

    def advance(self, st: DayState, v: Visitors, rota: Rota, k: int) -> None:
        """Open slot k's newly opened desks, then run its events; the last slot runs
        until everybody has been seen or has left."""
        start = self.starts[k]
        for d in rota.openings[k]:
            heapq.heappush(st.heap, (start, d, 1))
        end = self.starts[k + 1] if k + 1 < len(self.starts) else INF
        run_events(st, v, rota.rows[k], end, self.threshold, self.skills, self.servers)

    def finish(self, st: DayState, v: Visitors) -> None:
        """Those still waiting when no desk is left for them leave at their patience."""
        for q in st.queues:
            for c in q:
                gone(st, v, c, self.threshold)
            q.clear()

    def results(
        self, tallies: Sequence[list[float]], arrivals: Sequence[int] | None = None
    ) -> list[SlotResult]:
        """Each slot's figures pooled over the replications' tallies."""
        arrivals = arrivals or self.arrivals
        out = []
        for k in range(len(self.starts)):
            b = FIELDS * k
            counted = [t[b + COUNTED] for t in tallies]
            within = [t[b + WITHIN] for t in tallies]
            out.append(
                SlotResult(
                    arrivals=arrivals[k],
                    counted=int(sum(counted)),
                    within=int(sum(within)),
                    seen=int(sum(t[b + SEEN] for t in tallies)),
                    wait_sum=sum(t[b + WAITS] for t in tallies),
                    walkouts=int(sum(t[b + WALK] for t in tallies)),
                    share_error=ratio_error(within, counted),
                )
            )
        return out


def pooled(sims: Sequence[DaySimulator], evaluations: Sequence[Evaluation]) -> list[SlotResult]:
    """One rota's figures over several simulators' replications (of the same day)."""
    tallies = [t for ev in evaluations for t in ev.tallies]
    arrivals = [sum(s.arrivals[k] for s in sims) for k in range(len(sims[0].starts))]
    return sims[0].results(tallies, arrivals)
