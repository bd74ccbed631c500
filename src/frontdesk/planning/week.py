"""A week's staffing plan (or a proposed rota's projection) from its days' forecasts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from frontdesk.planning.erlang import erlang_c_desks
from frontdesk.planning.model import DayDemand, DayPlan, HourPlan, PlanningCentre, WeekPlan
from frontdesk.planning.rota import RotaPart, covering, opening_order, rota_desks
from frontdesk.planning.search import MARGIN, keeps, plan_day, repair
from frontdesk.planning.simulate import DaySimulator, Evaluation, pooled


def week_workload(centre: PlanningCentre, demands: Sequence[DayDemand]) -> dict[str, float]:
    """Visitor-seconds of handling per service over the week (decides the opening order)."""
    work = dict.fromkeys(centre.services, 0.0)
    for demand in demands:
        for mix in demand.arrivals:
            for code, n in mix.items():
                if code in work:
                    work[code] += n * centre.handling[code].mean_seconds
    return work


def erlang_plan(centre: PlanningCentre, demand: DayDemand) -> list[int]:
    """Per-slot Erlang C desks, each slot on its own, at most the centre's desks."""
    most = len(centre.desks)
    out = []
    for k, slot in enumerate(demand.slots):
        rate = demand.total(k) / (slot.hours * 3600)
        handling = demand.mean_handling(k, centre.handling)
        out.append(min(most, erlang_c_desks(rate, handling, centre.standard)))
    return out


def least_desks(centre: PlanningCentre, demand: DayDemand, order: Sequence[int]) -> list[int]:
    """Per slot, the desks it takes to serve every service with demand then."""
    return [
        covering(centre.desks, order, [s for s, n in mix.items() if n > 0])
        for mix in demand.arrivals
    ]


def plan_week(
    centre: PlanningCentre,
    week: str,
    demands: Sequence[DayDemand],
    *,
    seed: int = 1,
    replications: int | None = None,
    rota: Sequence[RotaPart] | None = None,
    margin: float = MARGIN,
    notes: Sequence[str] = (),
    order_from: Sequence[DayDemand] | None = None,
) -> WeekPlan:
    """Plan each opening day of `demands`, or project `rota` on each (a what-if).

    The opening order comes from the workload of `order_from` (default: `demands`), so
    planning one day of a week opens desks as planning the whole week would."""
    order = opening_order(centre.desks, week_workload(centre, order_from or demands))
    most = len(centre.desks)
    days = []
    for demand in demands:
        if not demand.slots:
            continue
        named = f"{seed}:{demand.day}"
        sim = DaySimulator(centre, demand, order, replications, seed=named)
        # An independent second set of visitors: the plan is checked (and repaired) on
        # it, and projections are reported over both sets.
        check = DaySimulator(centre, demand, order, sim.replications, seed=f"{named}:check")
        erlang = erlang_plan(centre, demand)
        if rota is not None:
            desks = rota_desks(rota, demand.slots, f"{demand.day:%a} {demand.day.isoformat()}")
            mine = (sim.evaluate(desks), check.evaluate(desks))
        else:
            found = plan_day(sim, erlang, least_desks(centre, demand, order), most, margin)
            checked = repair(check, found.desks, most, margin, found.beyond)
            first = found.evaluation
            if checked.desks != found.desks:
                first = sim.evaluate_from(
                    first, checked.desks, _differs(found.desks, checked.desks)
                )
            mine = (first, checked.evaluation)
        theirs = tuple(
            ev
            if ev.plan == tuple(erlang)
            else s.evaluate_from(ev, erlang, _differs(ev.plan, erlang))
            for s, ev in zip((sim, check), mine, strict=True)
        )
        days.append(_day_plan(centre, demand, (sim, check), order, mine, theirs, erlang))
    return WeekPlan(
        centre=centre.code,
        week=week,
        standard=centre.standard,
        days=tuple(days),
        replications=max((d.replications for d in days), default=0),
        what_if=rota is not None,
        notes=tuple(notes),
        opening_order=tuple(centre.desks[d].name for d in order),
    )


def _differs(a: Sequence[int], b: Sequence[int]) -> int:
    """The first slot where two rotas differ."""
    return next((k for k, (x, y) in enumerate(zip(a, b, strict=True)) if x != y), len(a))


def _day_plan(
    centre: PlanningCentre,
    demand: DayDemand,
    sims: tuple[DaySimulator, DaySimulator],
    order: Sequence[int],
    mine: tuple[Evaluation, Evaluation],
    theirs: tuple[Evaluation, ...],
    erlang: list[int],
) -> DayPlan:
    desks = mine[0].plan
    ours, erlangs = pooled(sims, mine), pooled(sims, theirs)
    hours = []
    for k, slot in enumerate(demand.slots):
        hours.append(
            HourPlan(
                slot=slot,
                desks=desks[k],
                open_desks=tuple(centre.desks[d].name for d in order[: desks[k]]),
                erlang_desks=erlang[k],
                forecast_arrivals=demand.total(k),
                forecast_handling_seconds=demand.mean_handling(k, centre.handling),
                projected_share=ours[k].share,
                projected_average_wait_seconds=ours[k].average_wait,
                erlang_projected_share=erlangs[k].share,
                meets_standard=keeps(ours[k], centre.standard, margin=0.0),
            )
        )
    return DayPlan(
        day=demand.day,
        hours=tuple(hours),
        source=demand.source,
        replications=sum(s.replications for s in sims),
    )


def days_of_week(monday: date) -> list[date]:
    return [monday + timedelta(days=i) for i in range(7)]
