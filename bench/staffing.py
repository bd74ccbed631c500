"""Staffing advice (issue 14): the planner against per-hour Erlang C and an exhaustive
search, on three kinds of office.

    .venv/bin/python bench/staffing.py [--json] [--only NAME] [--seed N]

Not part of the test run. Each scenario is a week of forecast demand (the centres-file
way: visitors a day spread over the hours by a profile, split by service shares, with
weekday factors). For each it reports:

- plan: the planner's desk-hours for the week (`frontdesk.planning.plan_week`);
- fresh: the lowest hourly share within standard when the plan is simulated with a seed
  the planner never saw (twice as many replications as the planner's two sets together,
  so the check's own noise is small), over the hours with ≥ 10 expected visitors, and
  over all hours;
- Erlang C: the desk-hours of the per-hour Erlang C rota and its lowest hourly share
  under the same fresh seed (and the same for Erlang A, with the simulator's patience);
- minimum: the fewest desk-hours of any rota that keeps the standard in every hour on
  the planner's own simulator (the same two sets of replications, the same test), by
  branch and bound (`frontdesk.planning.search.minimum_plan`), day by day; and, for
  reference, the same on the first set alone with no safety margin;
- time: wall-clock (and CPU) time for the week's plan, beside a baseline measured in
  the same run: drawing the same replications and simulating each day's Erlang C rota
  once on them.

Targets: every hour with ≥ 10 expected visitors meets the target under the fresh seed;
plan desk-hours ≤ 1.05 × the searched minimum; a week's plan in ≤ 5 s.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from datetime import time as clock_time
from typing import Any

from frontdesk.planning.erlang import erlang_a_desks
from frontdesk.planning.forecast import Fallback, OpeningHours, forecast_day
from frontdesk.planning.model import DayDemand, DeskSkills, HandlingTime, PlanningCentre
from frontdesk.planning.rota import opening_order
from frontdesk.planning.search import MARGIN, minimum_plan
from frontdesk.planning.simulate import DaySimulator
from frontdesk.planning.week import erlang_plan, least_desks, plan_week, week_workload
from frontdesk.queue.measures import Standard

MONDAY = date(2026, 12, 7)  # ISO week 2026-W50
WEEK = "2026-W50"
BUSY_HOUR = 10.0
TARGET_RATIO = 1.05
TARGET_SECONDS = 5.0
FRESH_FACTOR = 2  # the fresh-seed check: this many times the planner's replications


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    centre: PlanningCentre
    hours: OpeningHours
    daily_visitors: float
    shares: dict[str, float]
    weekday_factor: dict[int, float]
    profile: dict[int, float] | None = None  # None: the usual council-reception profile


def _hours(days: dict[int, str]) -> OpeningHours:
    weekly = {}
    for weekday, text in days.items():
        ranges = []
        for part in text.split(","):
            a, b = part.split("-")
            ranges.append((clock_time.fromisoformat(a), clock_time.fromisoformat(b)))
        weekly[weekday] = tuple(ranges)
    return OpeningHours(weekly)


def scenarios() -> list[Scenario]:
    small = PlanningCentre(
        code="INFO",
        desks=(
            DeskSkills("1", ("CTAX", "PARK", "WAST", "GENQ")),
            DeskSkills("2", ("GENQ", "CTAX", "PARK", "WAST")),
        ),
        standard=Standard(10, 0.95),
        handling={
            "CTAX": HandlingTime(7 * 60),
            "PARK": HandlingTime(6 * 60),
            "WAST": HandlingTime(4 * 60),
            "GENQ": HandlingTime(3 * 60),
        },
    )
    civic = PlanningCentre(
        code="CIVIC",
        desks=(
            DeskSkills("1", ("CTAX", "HBEN", "GENQ")),
            DeskSkills("2", ("CTAX", "PARK", "WAST", "GENQ")),
            DeskSkills("3", ("HBEN", "CTAX", "GENQ")),
            DeskSkills("4", ("PARK", "WAST", "CTAX", "GENQ")),
            DeskSkills("5", ("TENR", "HBEN", "CTAX", "GENQ")),
            DeskSkills("6", ("PLAN", "WAST", "GENQ")),
            DeskSkills("Interview 1", ("HOPT", "TENR", "HBEN")),
            DeskSkills("Interview 2", ("HOPT", "HBEN", "TENR")),
        ),
        standard=Standard(10, 0.95, 10),
        handling={
            code: HandlingTime(minutes * 60)
            for code, minutes in {
                "CTAX": 6,
                "HBEN": 9,
                "HOPT": 15,
                "TENR": 7,
                "PLAN": 8,
                "WAST": 4,
                "PARK": 5,
                "GENQ": 3,
            }.items()
        },
    )
    benefits = PlanningCentre(
        code="BENEFITS",
        desks=tuple(
            DeskSkills(str(i + 1), ("HBEN", "CTRS") if i % 2 == 0 else ("CTRS", "HBEN"))
            for i in range(12)
        ),
        standard=Standard(10, 0.95),
        handling={"HBEN": HandlingTime(25 * 60), "CTRS": HandlingTime(25 * 60)},
    )
    weekdays = {0: 1.1, 1: 1.0, 2: 0.9, 3: 1.0, 4: 0.95, 5: 0.7}
    return [
        Scenario(
            "small",
            "small information office: 2 desks, 60 visitors a day",
            small,
            _hours({d: "09:00-17:00" for d in range(5)} | {5: "09:00-12:00"}),
            60,
            {"CTAX": 0.35, "PARK": 0.2, "WAST": 0.15, "GENQ": 0.3},
            weekdays,
        ),
        Scenario(
            "civic",
            "civic centre, morning rush: 8 desks, 320 visitors a day, 8 services",
            civic,
            _hours({d: "08:30-17:00" for d in range(5)} | {5: "09:00-12:00"}),
            320,
            {
                "CTAX": 0.22,
                "HBEN": 0.16,
                "HOPT": 0.05,
                "TENR": 0.10,
                "PLAN": 0.05,
                "WAST": 0.09,
                "PARK": 0.13,
                "GENQ": 0.20,
            },
            # A Saturday morning is quieter than a weekday's.
            {**weekdays, 5: 0.35},
            profile={8: 1.2, 9: 1.6, 10: 1.5, 11: 1.2, 12: 0.9, 13: 1.0, 14: 0.9, 15: 0.7, 16: 0.5},
        ),
        Scenario(
            "benefits",
            "benefits office: 12 desks, 25-minute handling, 110 visitors a day",
            benefits,
            _hours({d: "09:00-16:30" for d in range(5)}),
            110,
            {"HBEN": 0.6, "CTRS": 0.4},
            weekdays,
        ),
    ]


def week_demand(sc: Scenario) -> list[DayDemand]:
    out = []
    for i in range(7):
        day = MONDAY + timedelta(days=i)
        fallback = Fallback(
            sc.daily_visitors * sc.weekday_factor.get(day.weekday(), 1.0),
            sc.shares,
            {c: h.mean_seconds for c, h in sc.centre.handling.items()},
            **({"profile": sc.profile} if sc.profile is not None else {}),
        )
        out.append(forecast_day(day, None, sc.hours, fallback, list(sc.shares)))
    return out


def erlang_a_plan(centre: PlanningCentre, demand: DayDemand) -> list[int]:
    """Per-slot Erlang A desks (patience as the simulator's), at most the centre's desks."""
    out = []
    for k, slot in enumerate(demand.slots):
        rate = demand.total(k) / (slot.hours * 3600)
        handling = demand.mean_handling(k, centre.handling)
        patience = centre.patience_seconds or 1e12
        desks = erlang_a_desks(rate, handling, patience, centre.standard, len(centre.desks))
        out.append(min(len(centre.desks), desks))
    return out


def _lowest(results: list[Any], demand: DayDemand, busy_only: bool) -> float | None:
    shares = [
        r.share
        for k, r in enumerate(results)
        if r.share is not None and (not busy_only or demand.total(k) >= BUSY_HOUR)
    ]
    return min(shares) if shares else None


def _min(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return min(present) if present else None


def run(sc: Scenario, seed: int) -> dict[str, Any]:
    demands = week_demand(sc)
    open_days = [d for d in demands if d.slots]
    order = opening_order(sc.centre.desks, week_workload(sc.centre, demands))
    most = len(sc.centre.desks)

    def both(demand: DayDemand) -> list[DaySimulator]:
        """The planner's two sets of replications of a day (search, check)."""
        named = f"{seed}:{demand.day}"
        first = DaySimulator(sc.centre, demand, order, seed=named)
        return [
            first,
            DaySimulator(sc.centre, demand, order, first.replications, seed=f"{named}:check"),
        ]

    # Baseline: draw both sets of replications and simulate the Erlang C rota once on each.
    wall, cpu = time.perf_counter(), time.process_time()
    for demand in open_days:
        for sim in both(demand):
            sim.evaluate(erlang_plan(sc.centre, demand))
    baseline = (time.perf_counter() - wall, time.process_time() - cpu)

    wall, cpu = time.perf_counter(), time.process_time()
    plan = plan_week(sc.centre, WEEK, demands, seed=seed)
    took = (time.perf_counter() - wall, time.process_time() - cpu)

    fresh_busy, fresh_all, erlang_busy, erlang_all, erlang_a_busy = [], [], [], [], []
    erlang_a_hours = 0.0
    minimum = minimum_plain = 0.0
    nodes = 0
    for demand, day in zip(open_days, plan.days, strict=True):
        desks = [h.desks for h in day.hours]
        erlang = erlang_plan(sc.centre, demand)
        fresh = DaySimulator(
            sc.centre,
            demand,
            order,
            FRESH_FACTOR * day.replications,
            seed=f"fresh-{seed}:{demand.day}",
        )
        mine = fresh.evaluate(desks).results
        theirs = fresh.evaluate(erlang).results
        patient = erlang_a_plan(sc.centre, demand)
        erlang_a_hours += sum(n * s.hours for n, s in zip(patient, demand.slots, strict=True))
        erlang_a_busy.append(_lowest(fresh.evaluate(patient).results, demand, True))
        fresh_busy.append(_lowest(mine, demand, True))
        fresh_all.append(_lowest(mine, demand, False))
        erlang_busy.append(_lowest(theirs, demand, True))
        erlang_all.append(_lowest(theirs, demand, False))
        sims = both(demand)
        least = least_desks(sc.centre, demand, order)
        best = minimum_plan(sims, least, most, MARGIN, upper=day.desk_hours + 1e-6)
        minimum += best.desk_hours if best.desks is not None else day.desk_hours
        nodes += best.nodes
        plain = minimum_plan(sims[:1], least, most, 0.0, upper=day.desk_hours + 1e-6)
        minimum_plain += plain.desk_hours if plain.desks is not None else day.desk_hours
    busy = _min(fresh_busy)
    target = sc.centre.standard.target_share
    return {
        "scenario": sc.name,
        "title": sc.title,
        "days": len(plan.days),
        "replications": plan.replications,
        "plan_desk_hours": round(plan.desk_hours, 2),
        "fresh_lowest_share_busy_hours": busy,
        "fresh_lowest_share_all_hours": _min(fresh_all),
        "erlang_desk_hours": round(plan.erlang_desk_hours, 2),
        "erlang_lowest_share_busy_hours": _min(erlang_busy),
        "erlang_lowest_share_all_hours": _min(erlang_all),
        "erlang_a_desk_hours": round(erlang_a_hours, 2),
        "erlang_a_lowest_share_busy_hours": _min(erlang_a_busy),
        "minimum_desk_hours": round(minimum, 2),
        "minimum_desk_hours_one_set_no_margin": round(minimum_plain, 2),
        "branch_and_bound_nodes": nodes,
        "plan_seconds": round(took[0], 3),
        "plan_cpu_seconds": round(took[1], 3),
        "baseline_seconds": round(baseline[0], 3),
        "baseline_cpu_seconds": round(baseline[1], 3),
        "targets": {
            "busy_hours_meet_target": busy is None or busy >= target,
            "within_5_percent_of_minimum": plan.desk_hours <= TARGET_RATIO * minimum + 1e-9,
            "week_in_5_seconds": took[0] <= TARGET_SECONDS,
        },
    }


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--only", choices=[s.name for s in scenarios()])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    rows = [run(sc, args.seed) for sc in scenarios() if args.only in (None, sc.name)]
    if args.json:
        print(json.dumps({"staffing": rows}, indent=2))
        return 0
    for r in rows:
        print(f"\n{r['title']} ({r['days']} days, {r['replications']} replications a day)")
        print(
            f"  plan           {r['plan_desk_hours']:7.1f} desk-hours; fresh seed lowest hourly "
            f"share {_pct(r['fresh_lowest_share_busy_hours'])} (hours ≥ 10 visitors), "
            f"{_pct(r['fresh_lowest_share_all_hours'])} (all hours)"
        )
        print(
            f"  Erlang C       {r['erlang_desk_hours']:7.1f} desk-hours; lowest hourly share "
            f"{_pct(r['erlang_lowest_share_busy_hours'])} (hours ≥ 10 visitors), "
            f"{_pct(r['erlang_lowest_share_all_hours'])} (all hours)"
        )
        print(
            f"  Erlang A       {r['erlang_a_desk_hours']:7.1f} desk-hours (35-minute patience); "
            f"lowest hourly share {_pct(r['erlang_a_lowest_share_busy_hours'])} "
            f"(hours ≥ 10 visitors)"
        )
        print(
            f"  minimum        {r['minimum_desk_hours']:7.1f} desk-hours (branch and bound on "
            f"the planner's replications and test, {r['branch_and_bound_nodes']} nodes); "
            f"{r['minimum_desk_hours_one_set_no_margin']:.1f} on one set with no safety margin"
        )
        print(
            f"  time           {r['plan_seconds']:.2f} s ({r['plan_cpu_seconds']:.2f} s CPU) for "
            f"the week's plan; baseline, drawing the replications and simulating each day's "
            f"Erlang rota once: {r['baseline_seconds']:.2f} s "
            f"({r['baseline_cpu_seconds']:.2f} s CPU)"
        )
        for name, ok in r["targets"].items():
            print(f"  {'met ' if ok else 'MISSED'} {name.replace('_', ' ')}")
    return 0 if all(all(r["targets"].values()) for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
