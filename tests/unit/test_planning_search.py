"""The staffing search (planning/search.py, planning/week.py) against brute force, and the
opening order and hand-written rotas (planning/rota.py)."""

from __future__ import annotations

import itertools
from datetime import date, time

import pytest

from frontdesk.errors import InvalidInput
from frontdesk.planning.model import (
    DayDemand,
    DeskSkills,
    HandlingTime,
    PlanningCentre,
    opening_slots,
)
from frontdesk.planning.rota import (
    covering,
    opening_order,
    parse_rota,
    rota_desks,
    unused_parts,
)
from frontdesk.planning.search import keeps, minimum_plan, plan_day
from frontdesk.planning.simulate import DaySimulator
from frontdesk.planning.week import erlang_plan, least_desks, plan_week
from frontdesk.queue.measures import Standard

DAY = date(2026, 12, 7)


def _centre(desks: tuple[DeskSkills, ...], minutes: dict[str, float]) -> PlanningCentre:
    return PlanningCentre(
        code="T",
        desks=desks,
        standard=Standard(threshold_minutes=10, target_share=0.9),
        handling={s: HandlingTime(m * 60) for s, m in minutes.items()},
        patience_seconds=30 * 60,
    )


def _demand(ranges: list[tuple[time, time]], per_hour: list[dict[str, float]]) -> DayDemand:
    slots = opening_slots(ranges)
    return DayDemand(DAY, slots, tuple({s: n * slot.hours for s, n in per_hour[k].items()}
                                       for k, slot in enumerate(slots)))  # fmt: skip


def _brute_force(sim: DaySimulator, least: list[int], most: int, margin: float) -> float:
    hours = [s.hours for s in sim.demand.slots]
    best = float("inf")
    for rota in itertools.product(*(range(lo, most + 1) for lo in least)):
        cost = sum(n * h for n, h in zip(rota, hours, strict=True))
        if cost >= best:
            continue
        results = sim.evaluate(rota).results
        if all(keeps(r, sim.centre.standard, margin) for r in results):
            best = cost
    return best


CASES = [
    # One queue, a morning rush that carries into the next hour.
    (
        (DeskSkills("1", ("X",)), DeskSkills("2", ("X",)), DeskSkills("3", ("X",))),
        {"X": 8},
        [(time(9), time(12, 30))],
        [{"X": 16}, {"X": 10}, {"X": 8}, {"X": 6}],
    ),
    # Two services, a specialist desk and generalists with different orders.
    (
        (
            DeskSkills("A", ("X", "Y")),
            DeskSkills("B", ("Y", "X")),
            DeskSkills("C", ("Z",)),
            DeskSkills("D", ("X",)),
        ),
        {"X": 6, "Y": 10, "Z": 5},
        [(time(10), time(12)), (time(13), time(14))],
        [{"X": 9, "Y": 5, "Z": 3}, {"X": 5, "Y": 4, "Z": 2}, {"X": 8, "Y": 6, "Z": 3}],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=["one-queue", "skills"])
@pytest.mark.parametrize("margin", [0.0, 2.0])
def test_the_search_finds_the_brute_force_minimum(case: tuple, margin: float) -> None:
    desks, minutes, ranges, per_hour = case
    centre = _centre(desks, minutes)
    demand = _demand(ranges, per_hour)
    order = opening_order(desks, {s: 1.0 for s in minutes})
    sim = DaySimulator(centre, demand, order, 30, seed=11)
    least = least_desks(centre, demand, order)
    brute = _brute_force(sim, least, len(desks), margin)
    found = plan_day(sim, erlang_plan(centre, demand), least, len(desks), margin)
    assert not found.beyond
    hours = [s.hours for s in demand.slots]
    assert sum(n * h for n, h in zip(found.desks, hours, strict=True)) == brute
    assert minimum_plan([sim], least, len(desks), margin).desk_hours == brute
    # Removing any one desk-hour breaks it.
    for k in range(len(hours)):
        if found.desks[k] > least[k]:
            fewer = list(found.desks)
            fewer[k] -= 1
            results = sim.evaluate(fewer).results
            assert not all(keeps(r, centre.standard, margin) for r in results)


def test_a_week_keeps_skills_and_opening_hours() -> None:
    desks = (
        DeskSkills("1", ("X", "Y")),
        DeskSkills("2", ("Y",)),
        DeskSkills("Interview", ("Z",)),
    )
    centre = _centre(desks, {"X": 5, "Y": 7, "Z": 20})
    monday = _demand([(time(9), time(12))], [{"X": 6, "Y": 5, "Z": 1}] * 3)
    saturday = DayDemand(date(2026, 12, 12), (), ())  # closed
    tuesday = DayDemand(
        date(2026, 12, 8),
        opening_slots([(time(13, 30), time(15))]),
        ({"X": 2.0, "Y": 1.0, "Z": 0.0}, {"X": 4.0, "Y": 3.0, "Z": 0.0}),
    )
    plan = plan_week(centre, "2026-W50", [monday, tuesday, saturday], seed=2, replications=20)
    assert [d.day for d in plan.days] == [monday.day, tuesday.day]  # closed days left out
    assert [h.slot.label for h in plan.days[1].hours] == ["13:30", "14:00"]
    assert plan.days[1].hours[0].slot.hours == 0.5
    for day in plan.days:
        for h in day.hours:
            assert 1 <= h.desks <= 3 and len(h.open_desks) == h.desks
    # Z (only the interview desk) has visitors on Monday, so that desk is open every hour;
    # on Tuesday nobody comes for Z.
    assert all("Interview" in h.open_desks for h in plan.days[0].hours)
    assert plan.desk_hours == sum(h.desks * h.slot.hours for d in plan.days for h in d.hours)


def test_the_what_if_equals_a_simulation_of_the_same_rota() -> None:
    desks = (DeskSkills("1", ("X",)), DeskSkills("2", ("X",)), DeskSkills("3", ("X",)))
    centre = _centre(desks, {"X": 9})
    demand = _demand([(time(9), time(12))], [{"X": 15}, {"X": 12}, {"X": 6}])
    plan = plan_week(centre, "2026-W50", [demand], seed=5, replications=40)
    rota = parse_rota("09-10=3,10-12=2", 3)
    what_if = plan_week(centre, "2026-W50", [demand], seed=5, replications=40, rota=rota)
    assert what_if.what_if and [h.desks for h in what_if.days[0].hours] == [3, 2, 2]
    # The same rota on the same visitors: both sets of replications, pooled.
    order = opening_order(desks, {"X": 1.0})
    sims = [
        DaySimulator(centre, demand, order, 40, seed="5:2026-12-07"),
        DaySimulator(centre, demand, order, 40, seed="5:2026-12-07:check"),
    ]
    results = [s.evaluate([3, 2, 2]).results for s in sims]
    for k, h in enumerate(what_if.days[0].hours):
        within = sum(r[k].within for r in results)
        counted = sum(r[k].counted for r in results)
        assert h.projected_share == within / counted
    # And the plan's own rota, projected, gives the plan's figures.
    mine = ",".join(
        f"{h.slot.start // 60:02d}-{h.slot.end // 60:02d}={h.desks}" for h in plan.days[0].hours
    )
    again = plan_week(
        centre, "2026-W50", [demand], seed=5, replications=40, rota=parse_rota(mine, 3)
    )
    assert [h.projected_share for h in again.days[0].hours] == [
        h.projected_share for h in plan.days[0].hours
    ]


def test_opening_order_covers_every_service_with_the_fewest_desks_first() -> None:
    desks = (
        DeskSkills("1", ("CTAX", "HBEN", "GENQ")),
        DeskSkills("2", ("CTAX", "PARK", "WAST", "GENQ")),
        DeskSkills("5", ("TENR", "HBEN", "CTAX", "GENQ")),
        DeskSkills("6", ("PLAN", "WAST", "GENQ")),
        DeskSkills("Interview 1", ("HOPT", "TENR", "HBEN")),
    )
    work = {"CTAX": 1.5, "HBEN": 1.9, "HOPT": 1.6, "TENR": 0.8, "PLAN": 0.5, "WAST": 0.4,
            "PARK": 0.7, "GENQ": 0.5}  # fmt: skip
    order = opening_order(desks, work)
    # Three desks (2, 6, Interview 1) cover all eight services; none of two do.
    assert set(order[:3]) == {1, 3, 4}
    assert covering(desks, order, work) == 3
    assert covering(desks, order, ["CTAX"]) == 1
    assert sorted(order) == [0, 1, 2, 3, 4]


def test_rotas_by_hand() -> None:
    parts = parse_rota("09-11=4, 11:00-13=6,13-17=5", 8)
    assert [(p.start, p.end, p.desks) for p in parts] == [
        (540, 660, 4),
        (660, 780, 6),
        (780, 1020, 5),
    ]
    slots = opening_slots([(time(9), time(17))])
    assert rota_desks(parts, slots, "Mon") == [4, 4, 6, 6, 5, 5, 5, 5]
    assert unused_parts(parse_rota("07-08=1,09-17=2", 2), [slots]) == ["07:00-08:00"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("09-11", "is not HH-HH=N"),
        ("9to11=4", "is not HH-HH=N"),
        ("11-09=4", "ends before it starts"),
        ("09-11=0", "asks for 0 desks; 1 to 8"),
        ("09-11=9", "asks for 9 desks; 1 to 8"),
        ("09-12=4,11-13=5", "overlap"),
        ("09:75-11=4", "not a range"),
    ],
)
def test_malformed_rotas_are_refused_naming_the_part(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message) as caught:
        parse_rota(text, 8)
    assert str(caught.value).startswith("--desks")


def test_a_rota_must_cover_each_opening_hour_on_the_hour() -> None:
    slots = opening_slots([(time(8, 30), time(12))])
    with pytest.raises(InvalidInput, match="08:30 on Mon is open but not in the rota"):
        rota_desks(parse_rota("09-12=3", 8), slots, "Mon")
    with pytest.raises(InvalidInput, match="ends inside the 10:00 hour"):
        rota_desks(parse_rota("08:30-10:30=2,10:30-12=3", 8), slots, "Mon")
    assert rota_desks(parse_rota("08:30-10=2,10-12=3", 8), slots, "Mon") == [2, 2, 3, 3]
