"""The planner's whole-day simulator (planning/simulate.py) on visitors set by hand, and
its incremental evaluation against plain evaluation."""

from __future__ import annotations

import math
from datetime import date, time

from hypothesis import given, settings
from hypothesis import strategies as st

from frontdesk.planning.model import (
    DayDemand,
    DeskSkills,
    HandlingTime,
    PlanningCentre,
    opening_slots,
)
from frontdesk.planning.simulate import DaySimulator, Visit
from frontdesk.queue.measures import Standard

NINE = 9 * 3600.0
DAY = date(2026, 12, 7)
SLOTS = opening_slots([(time(9), time(11))])  # 09:00 and 10:00
CENTRE = PlanningCentre(
    code="T",
    desks=(DeskSkills("A", ("X", "Y")), DeskSkills("B", ("Y",))),
    standard=Standard(threshold_minutes=10, target_share=0.95),
    handling={"X": HandlingTime(300), "Y": HandlingTime(300)},
    patience_seconds=None,
)
QUIET = DayDemand(DAY, SLOTS, ({"X": 0.0, "Y": 0.0}, {"X": 0.0, "Y": 0.0}))


def simulate(visits: list[Visit], rota: list[int], order: tuple[int, ...] = (0, 1)) -> list:
    sim = DaySimulator(CENTRE, QUIET, order, visits=[visits])
    return sim.evaluate(rota).results


def test_a_desk_serves_its_first_service_first_not_the_longest_wait() -> None:
    visits = [
        Visit(NINE, "Y", 100),
        Visit(NINE + 1, "Y", 100),  # waits longer than the X visitor behind it...
        Visit(NINE + 2, "X", 300),  # ...but desk A serves X first
    ]
    (first, _) = simulate(visits, [1, 1])  # only desk A open
    assert first.seen == 3
    # Y at once; X when A frees at +100 (waited 98 s); the second Y after X, at +400.
    assert first.wait_sum == 0 + 98 + 399


def test_a_newcomer_goes_straight_to_a_free_desk_that_serves_them() -> None:
    visits = [Visit(NINE, "X", 1000), Visit(NINE + 10, "Y", 100)]
    (first, _) = simulate(visits, [2, 2])
    assert first.wait_sum == 0 and first.within == 2


def test_the_centre_opens_empty_and_carries_its_queue_into_the_next_hour() -> None:
    # Twenty visitors in the last ten minutes of 09:00, then a quiet 10:00.
    rush = [Visit(NINE + 3000 + 30 * i, "Y", 240) for i in range(20)]
    late = [Visit(NINE + 3600 + 60, "Y", 60)]
    one_then_two = simulate(rush + late, [1, 2], order=(1, 0))
    two_then_two = simulate(rush + late, [2, 2], order=(1, 0))
    # The 10:00 visitor is behind the 09:00 queue: kept waiting by the 09:00 rota.
    assert one_then_two[1].wait_sum > two_then_two[1].wait_sum > 0
    assert one_then_two[0].share is not None and one_then_two[0].share < 0.5


def test_patience_walk_outs_and_breaches_as_the_reports_count_them() -> None:
    visits = [
        Visit(NINE, "Y", 1500),
        Visit(NINE + 1, "Y", 60, patience=120),  # leaves after 2 minutes: a walk-out
        Visit(NINE + 2, "Y", 60, patience=900),  # leaves after 15 minutes: a breach
    ]
    (first, _) = simulate(visits, [1, 1], order=(1, 0))  # only desk B
    assert first.seen == 1
    assert first.walkouts == 1
    assert first.counted == 2 and first.within == 1


def test_visitors_nobody_open_can_serve_wait_out_their_patience() -> None:
    visits = [Visit(NINE, "X", 60), Visit(NINE + 5, "Y", 60)]
    (first, _) = simulate(visits, [1, 1], order=(1, 0))  # only B: it cannot serve X
    assert first.seen == 1 and first.counted == 2  # the X visitor never seen: a breach
    (both, _) = simulate(visits, [2, 2], order=(1, 0))
    assert both.seen == 2 and both.within == 2


def test_a_closing_desk_finishes_its_customer_and_the_last_desks_stay_for_the_queue() -> None:
    visits = [
        Visit(NINE + 3500, "Y", 900),  # at B (first in the opening order) until 10:13:20
        Visit(NINE + 3550, "X", 700),  # at A (the only desk for X) until 10:10:50
        Visit(NINE + 3590, "Y", 60),  # waits for a desk
        Visit(NINE + 7190, "Y", 60),  # a minute before closing
    ]
    first, second = simulate(visits, [2, 1], order=(1, 0))
    # From 10:00 only B is open: A finishes its customer at 10:10:50 but calls nobody
    # else, so the third visitor waits for B at 10:13:20.
    assert first.seen == 3
    assert first.wait_sum == 0 + 0 + (NINE + 3500 + 900 - (NINE + 3590))
    stayed_open, _ = simulate(visits, [2, 2], order=(1, 0))
    assert stayed_open.wait_sum == 0 + 0 + (NINE + 3550 + 700 - (NINE + 3590))
    # The visitor who came at 10:59 is seen (the last slot's desks stay for them).
    assert second.seen == 1 and second.within == 1


def test_common_random_numbers_repeat_and_seeds_differ() -> None:
    busy = DayDemand(DAY, SLOTS, ({"X": 8.0, "Y": 12.0}, {"X": 6.0, "Y": 10.0}))
    patient = PlanningCentre(
        code="T",
        desks=CENTRE.desks,
        standard=CENTRE.standard,
        handling=CENTRE.handling,
        patience_seconds=1800,
    )
    a = DaySimulator(patient, busy, (0, 1), 50, seed=3).evaluate([2, 2]).results
    b = DaySimulator(patient, busy, (0, 1), 50, seed=3).evaluate([2, 2]).results
    c = DaySimulator(patient, busy, (0, 1), 50, seed=4).evaluate([2, 2]).results
    assert a == b
    assert a != c
    # Fifty replications of about 20 and 16 visitors (stratified Poisson counts).
    assert 800 <= a[0].arrivals <= 1200 and 600 <= a[1].arrivals <= 1000


FIVE = PlanningCentre(
    code="F",
    desks=(
        DeskSkills("1", ("X", "Y")),
        DeskSkills("2", ("Y", "X")),
        DeskSkills("3", ("Z",)),
        DeskSkills("4", ("X",)),
        DeskSkills("5", ("Z", "Y")),
    ),
    standard=Standard(10, 0.95),
    handling={"X": HandlingTime(360), "Y": HandlingTime(500), "Z": HandlingTime(200)},
    patience_seconds=1500,
)
FOUR_SLOTS = opening_slots([(time(9, 30), time(12)), (time(13), time(14))])
FOUR = DayDemand(
    DAY,
    FOUR_SLOTS,
    tuple({"X": 10.0 * s.hours, "Y": 9.0 * s.hours, "Z": 6.0 * s.hours} for s in FOUR_SLOTS),
)
SIM = DaySimulator(FIVE, FOUR, (2, 0, 1, 4, 3), 12, seed=7)
rotas = st.lists(st.integers(1, 5), min_size=len(FOUR_SLOTS), max_size=len(FOUR_SLOTS))


@settings(max_examples=40, deadline=None)
@given(first=rotas, second=rotas, third=rotas)
def test_resuming_from_an_earlier_rota_gives_exactly_the_plain_figures(
    first: list[int], second: list[int], third: list[int]
) -> None:
    base = SIM.evaluate(first)
    k = next((i for i, (a, b) in enumerate(zip(first, second, strict=True)) if a != b), 0)
    resumed = SIM.evaluate_from(base, second, k)
    assert _close(resumed.results, SIM.evaluate(second).results)
    # And from a resumed evaluation again (its shared states carry their own tallies).
    j = next((i for i, (a, b) in enumerate(zip(second, third, strict=True)) if a != b), 0)
    again = SIM.evaluate_from(resumed, third, j)
    assert _close(again.results, SIM.evaluate(third).results)


def _close(a: list, b: list) -> bool:
    return all(
        (x.arrivals, x.counted, x.within, x.seen, x.walkouts)
        == (y.arrivals, y.counted, y.within, y.seen, y.walkouts)
        and math.isclose(x.wait_sum, y.wait_sum, rel_tol=1e-9, abs_tol=1e-6)
        for x, y in zip(a, b, strict=True)
    )
