"""Predicted breach (queue/projection.py): the state run forward to the close."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from frontdesk.queue.handling import HandlingModel
from frontdesk.queue.predict import AppointmentDue, CentreState, DeskState, WaitingTicket
from frontdesk.queue.projection import ArrivalRate, project

AT = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
S = "CTAX"
TEN_MINUTES = {S: 600.0}


def fixed(seconds: float) -> HandlingModel:
    return HandlingModel(S, (seconds,) * 100, seconds, seconds, 0)


def centre(*desks: DeskState, waiting: int = 0, **kw: object) -> CentreState:
    tickets = tuple(WaitingTicket(i, S) for i in range(waiting))
    return CentreState(AT, desks, tickets, {S: fixed(300)}, **kw)  # type: ignore[arg-type]


def run(state: CentreState, per_hour: float, hours: float = 3, **kw: object):  # type: ignore[no-untyped-def]
    arrivals = [ArrivalRate(0, {S: per_hour})]
    return project(state, arrivals, hours * 3600, TEN_MINUTES, random.Random(4), **kw).services[S]  # type: ignore[arg-type]


def test_enough_desks_keep_everyone_within_the_standard() -> None:
    # 6 an hour × 5 minutes at 2 desks: a quarter of their time.
    outlook = run(centre(DeskState("1", (S,)), DeskState("2", (S,))), per_hour=6)
    assert outlook.share_within_by_close == 1.0
    assert outlook.p_over_threshold_next_30 == 0.0
    assert outlook.projected_seen == pytest.approx(18, rel=0.3)


def test_too_few_desks_breach_and_say_so_before_it_happens() -> None:
    # 18 an hour × 5 minutes is one and a half desks of work for one desk.
    outlook = run(centre(DeskState("1", (S,)), waiting=4), per_hour=18)
    assert outlook.share_within_by_close is not None and outlook.share_within_by_close < 0.5
    assert outlook.p_over_threshold_next_30 is not None
    assert outlook.p_over_threshold_next_60 is not None
    assert outlook.p_over_threshold_next_60 >= outlook.p_over_threshold_next_30 > 0.5


def test_with_no_desk_serving_everyone_ends_unseen_over_the_threshold() -> None:
    outlook = run(centre(DeskState("1", (S,), status="closed"), waiting=3), per_hour=4)
    assert outlook.projected_seen == 0
    assert outlook.share_within_by_close == 0.0
    assert outlook.p_over_threshold_next_60 == 1.0


def test_the_day_so_far_counts_in_the_share_by_close() -> None:
    state = centre(DeskState("1", (S,)), DeskState("2", (S,)))
    alone = run(state, per_hour=6)
    with_morning = run(state, per_hour=6, so_far={S: (100, 80)})
    assert alone.share_within_by_close == 1.0
    assert with_morning.share_within_by_close == pytest.approx(
        (80 + alone.projected_within) / (100 + alone.projected_seen)
    )


def test_a_booked_appointment_takes_the_desk_when_it_falls_due() -> None:
    free = centre(DeskState("1", (S,)), waiting=1)
    booked = centre(
        DeskState("1", (S,)),
        waiting=1,
        appointments=(AppointmentDue("1", S, 0, 3600),),
    )
    assert run(free, per_hour=0).share_within_by_close == 1.0
    assert run(booked, per_hour=0).share_within_by_close == 0.0


def test_a_desk_returning_from_a_pause_serves_from_then() -> None:
    back = DeskState("1", (S,), status="paused", returns_in_seconds=1800)
    assert run(centre(back, waiting=2), per_hour=0).share_within_by_close == 0.0
    soon = DeskState("1", (S,), status="paused", returns_in_seconds=60)
    assert run(centre(soon, waiting=1), per_hour=0).share_within_by_close == 1.0


def test_the_close_cannot_be_in_the_past() -> None:
    with pytest.raises(ValueError, match="close"):
        project(centre(DeskState("1", (S,))), [], -1, TEN_MINUTES, random.Random(1))
