"""Find the fewest desk-hours that keep the standard in every slot of a day.

The planner (`plan_day`) starts from per-slot Erlang C (raised to the desks it takes to
cover the slot's services), then works with the whole-day simulator:

1. *repair*: while a slot misses the standard, add a desk in it — or, when it already
   has every desk, in the latest slot before it that has room (its queue was carried
   in); a slot that misses even with every desk open all morning is marked as beyond
   the centre's desks and left with every desk;
2. *trim*: take desk-hours away wherever every slot still keeps the standard (longest
   slots first, then the earliest), until no single desk-hour can go;
3. *check*: the week's planner then simulates the plan on a second, independent set
   of replications and repairs any slot that misses there. Trimming picks the rota the
   first set flatters most; the second set has no such luck in it.

A slot *keeps the standard* when its projected share within the threshold, less
`margin` standard errors of the simulation, is at least the target, and its projected
average wait is within the average-wait target where one is set. Slots with no visitors
keep it trivially.

`minimum_plan` is the exhaustive check the benchmark compares against: branch and bound
over every rota, slot by slot, on the same simulator and the same test.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from frontdesk.planning.simulate import DaySimulator, Evaluation, SlotResult
from frontdesk.queue.measures import Standard

MARGIN = 2.0  # standard errors of the simulated share kept in hand


def keeps(result: SlotResult, standard: Standard, margin: float = MARGIN) -> bool:
    """Whether one slot's simulated figures keep the standard (see the module)."""
    share = result.share
    if share is None:
        return True
    if share - margin * result.share_error < standard.target_share:
        return False
    average = result.average_wait
    target = standard.average_wait_minutes
    return target is None or average is None or average <= target * 60


@dataclass(frozen=True, slots=True)
class DaySearch:
    desks: tuple[int, ...]
    evaluation: Evaluation
    beyond: frozenset[int]  # slots that miss the standard even with every desk open
    evaluations: int


def plan_day(
    sim: DaySimulator,
    start: Sequence[int],
    least: Sequence[int],
    most: int,
    margin: float = MARGIN,
) -> DaySearch:
    """Repair then trim from `start` (desks per slot), never below `least` per slot."""
    standard = sim.centre.standard
    hours = [(e - s) / 3600 for s, e in zip(sim.starts, sim.ends, strict=True)]
    plan = [min(most, max(a, b)) for a, b in zip(start, least, strict=True)]
    found = repair(sim, plan, most, margin)
    plan, ev, beyond, count = list(found.desks), found.evaluation, found.beyond, found.evaluations
    # Earliest slots first (an hour's desks only matter to it and later hours), longest
    # first. One pass is enough: taking desks away elsewhere never helps a slot, so a
    # desk-hour that could not go then cannot go later either.
    for k in sorted(range(len(plan)), key=lambda k: (-hours[k], k)):
        while k not in beyond and plan[k] > least[k]:
            trial = list(plan)
            trial[k] -= 1
            candidate = sim.evaluate_from(ev, trial, k)
            count += 1
            if not all(
                j in beyond or keeps(r, standard, margin) for j, r in enumerate(candidate.results)
            ):
                break
            plan, ev = trial, candidate
    return DaySearch(tuple(plan), ev, beyond, count)


def repair(
    sim: DaySimulator,
    desks: Sequence[int],
    most: int,
    margin: float = MARGIN,
    beyond: frozenset[int] = frozenset(),
) -> DaySearch:
    """Add desks until every slot keeps the standard on `sim` (or is beyond the centre)."""
    standard = sim.centre.standard
    plan = list(desks)
    ev = sim.evaluate(plan)
    count = 1
    out = set(beyond)
    while True:
        failing = [
            k for k, r in enumerate(ev.results) if k not in out and not keeps(r, standard, margin)
        ]
        if not failing:
            return DaySearch(tuple(plan), ev, frozenset(out), count)
        k = failing[0]
        if plan[k] < most:
            at = k
        else:
            room = [j for j in range(k) if plan[j] < most]
            if room:
                # Would every desk open before it help at all? If not, nothing will.
                fullest = [most] * (k + 1) + plan[k + 1 :]
                count += 1
                if not keeps(sim.evaluate_from(ev, fullest, room[0]).results[k], standard, margin):
                    room = []
            if not room:
                out.add(k)
                continue
            at = room[-1]
        plan[at] += 1
        ev = sim.evaluate_from(ev, plan, at)
        count += 1


@dataclass(frozen=True, slots=True)
class Minimum:
    desks: tuple[int, ...] | None  # None: no rota keeps the standard in every slot
    desk_hours: float
    nodes: int


def minimum_plan(
    sims: Sequence[DaySimulator],
    least: Sequence[int],
    most: int,
    margin: float = MARGIN,
    upper: float = math.inf,
) -> Minimum:
    """The fewest desk-hours over every rota with `least[k]..most` desks in slot k that
    keeps the standard in every slot on each of `sims` (sets of replications of the same
    day): branch and bound, slot by slot.

    A partial rota is dropped when a slot already decided misses the standard even with
    every desk open afterwards, or when its desk-hours plus the least each remaining
    slot can need reach the best found. Both rely on more desks later never making an
    earlier visitor wait longer.
    """
    first = sims[0]
    standard = first.centre.standard
    count = len(first.starts)
    hours = [(e - s) / 3600 for s, e in zip(first.starts, first.ends, strict=True)]

    def passes(trial: list[int], k: int) -> bool:
        return all(keeps(sim.evaluate(trial).results[k], standard, margin) for sim in sims)

    # The least each slot needs when every other slot has every desk.
    floor = []
    for k in range(count):
        n = least[k]
        while n < most and not passes([*([most] * k), n, *([most] * (count - k - 1))], k):
            n += 1
        floor.append(n)
    rest = [0.0] * (count + 1)
    for k in range(count - 1, -1, -1):
        rest[k] = rest[k + 1] + floor[k] * hours[k]
    best: list[Any] = [upper, None]
    nodes = 0
    all_open = [most] * count

    def search(k: int, states: list[list[Any]], plan: list[int], cost: float) -> None:
        nonlocal nodes
        for n in range(floor[k], most + 1):
            if cost + n * hours[k] + rest[k + 1] >= best[0] - 1e-9:
                return
            nodes += 1
            trial = [*plan, n, *all_open[k + 1 :]]
            after = []
            ok = True
            for sim, mine in zip(sims, states, strict=True):
                moved, results = _slot_and_after(sim, mine, trial, k)
                after.append(moved)
                ok = ok and all(keeps(results[j], standard, margin) for j in range(k + 1))
            if not ok:
                continue
            if k == count - 1:
                best[0], best[1] = cost + n * hours[k], tuple(trial)
                return
            search(k + 1, after, [*plan, n], cost + n * hours[k])

    search(0, [[sim.fresh() for _ in sim.visitors] for sim in sims], [], 0.0)
    found = best[1]
    return Minimum(found, float(best[0]) if found is not None else math.inf, nodes)


def _slot_and_after(
    sim: DaySimulator, states: list[Any], trial: list[int], k: int
) -> tuple[list[Any], list[SlotResult]]:
    """Each replication moved through slot k of `trial`; and the figures of slots ≤ k
    with every desk open afterwards (the most favourable case for them)."""
    rota = sim.rota(trial)
    count = len(trial)
    after = []
    for st, v in zip(states, sim.visitors, strict=True):
        nxt = st.copy()
        sim.advance(nxt, v, rota, k)
        after.append(nxt)
    finals = []
    for st, v in zip(after, sim.visitors, strict=True):
        end = st.copy()
        for j in range(k + 1, count):
            if all(not q or v.slot[q[0]] > k for q in end.queues):
                break  # everybody from slots ≤ k has been seen or has left
            sim.advance(end, v, rota, j)
        else:
            sim.finish(end, v)
        finals.append(end.tal)
    return after, sim.results(finals)
