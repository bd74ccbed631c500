"""The wait predictor (queue/predict.py): each rule, and the monotone properties."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frontdesk.queue.handling import HandlingModel, learn_handling, prior_model
from frontdesk.queue.predict import (
    Activity,
    AppointmentDue,
    CentreState,
    DeskState,
    WaitingTicket,
    WaitPrediction,
    predict_wait,
    said_range,
)

AT = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
S, X, Y = "CTAX", "HBEN", "GENQ"


def fixed(service: str, seconds: float) -> HandlingModel:
    """Every call takes exactly `seconds`: the rules can be checked to the second."""
    return HandlingModel(service, (seconds,) * 100, seconds, seconds, 0)


FIXED = {S: fixed(S, 600), X: fixed(X, 300), Y: fixed(Y, 120)}


def state(*desks: DeskState, waiting: tuple[WaitingTicket, ...] = (), **kw: object) -> CentreState:
    return CentreState(at=AT, desks=desks, waiting=waiting, handling=FIXED, **kw)  # type: ignore[arg-type]


def queue(service: str, n: int, start: int = 1, **kw: object) -> tuple[WaitingTicket, ...]:
    return tuple(WaitingTicket(id=start + i, service=service, **kw) for i in range(n))  # type: ignore[arg-type]


def wait(s: CentreState, service: str = S, **kw: object) -> WaitPrediction:
    found = predict_wait(s, service, random.Random(3), **kw)  # type: ignore[arg-type]
    assert found is not None
    return found


# -- no open desk serving the service: no promise ----------------------------------------


@pytest.mark.parametrize(
    "desk",
    [
        DeskState("1", (S,), status="closed"),
        DeskState("1", (S,), status="paused"),
        DeskState("1", (X, Y)),  # open, but not for this service
    ],
)
def test_no_open_desk_serving_the_service_gives_no_estimate(desk: DeskState) -> None:
    s = state(desk, waiting=queue(S, 5))
    assert predict_wait(s, S, random.Random(1)) is None
    assert s.ahead_of_newcomer(S) == 5


def test_one_open_desk_is_enough_for_an_estimate() -> None:
    s = state(DeskState("1", (S,), status="closed"), DeskState("2", (X, S)))
    assert wait(s).desks == 1


# -- the desks: order, current customer --------------------------------------------------


def test_a_free_desk_and_nobody_ahead_is_no_wait() -> None:
    found = wait(state(DeskState("1", (S,))))
    assert (found.seconds, found.low_seconds, found.high_seconds) == (0, 0, 0)


def test_people_ahead_each_take_a_handling_time() -> None:
    assert wait(state(DeskState("1", (S,)), waiting=queue(S, 3))).seconds == 3 * 600


def test_a_desk_serves_its_earlier_services_first() -> None:
    """Desk [X, S] empties the X queue (5 × 300 s) before it takes an S ticket."""
    waiting = queue(X, 5)
    assert wait(state(DeskState("1", (X, S)), waiting=waiting)).seconds == 5 * 300
    assert wait(state(DeskState("1", (S, X)), waiting=waiting)).seconds == 0


def test_earlier_services_are_shared_with_the_desks_that_take_them() -> None:
    """A second desk serving X first takes half of that queue off desk 1."""
    waiting = queue(X, 6)
    alone = wait(state(DeskState("1", (X, S)), waiting=waiting)).seconds
    shared = wait(state(DeskState("1", (X, S)), DeskState("2", (X,)), waiting=waiting)).seconds
    assert (alone, shared) == (6 * 300, 3 * 300)


def test_arrivals_for_earlier_services_slow_a_desk_down() -> None:
    """Half the desk's time goes to X walk-ins (6 an hour × 300 s): S turns take twice."""
    waiting = queue(S, 2)
    calm = wait(state(DeskState("1", (X, S)), waiting=waiting)).seconds
    busy = wait(state(DeskState("1", (X, S)), waiting=waiting, arrivals_per_hour={X: 6})).seconds
    assert (calm, busy) == (1200, 2400)


def test_a_busy_desk_frees_up_when_its_customer_is_done() -> None:
    for elapsed, expected in ((100, 500), (500, 100)):
        busy = DeskState("1", (S,), busy=Activity(S, elapsed))
        assert wait(state(busy)).seconds == expected


def test_a_customer_past_every_observed_length_still_takes_some_time() -> None:
    busy = DeskState("1", (S,), busy=Activity(S, 5000))
    found = wait(state(busy))
    assert 0 < found.low_seconds <= found.seconds <= found.high_seconds


def test_a_paused_desk_coming_back_serves_from_then() -> None:
    back = DeskState("2", (S,), status="paused", returns_in_seconds=900)
    s = state(DeskState("1", (S,), busy=Activity(S, 0)), back, waiting=queue(S, 1))
    # Desk 1 takes the one ahead at 600 s; the newcomer is next at desk 2 (900 s)
    # or desk 1 (1200 s), whichever is first.
    assert wait(s).seconds == 900


# -- who is ahead: priority, appointments, walk-outs -------------------------------------


def test_priority_tickets_go_ahead_of_a_normal_newcomer_not_a_priority_one() -> None:
    waiting = queue(S, 3) + queue(S, 1, start=10, priority=True)
    s = state(DeskState("1", (S,)), waiting=waiting)
    assert wait(s).seconds == 4 * 600
    assert wait(s, priority=True).seconds == 600
    assert s.ahead_of_newcomer(S, priority=True) == 1


def test_priority_walk_ins_arriving_meanwhile_go_ahead() -> None:
    waiting = queue(S, 6)
    plain = wait(state(DeskState("1", (S,)), waiting=waiting, arrivals_per_hour={S: 12}))
    with_priority = wait(
        state(DeskState("1", (S,)), waiting=waiting, arrivals_per_hour={S: 12}, priority_share=0.5)
    )
    assert with_priority.seconds > plain.seconds
    assert with_priority.high_seconds > plain.high_seconds


def test_a_checked_in_appointment_at_the_desk_comes_first_when_due() -> None:
    due = WaitingTicket(50, S, desk="1", due_in_seconds=0)
    later = WaitingTicket(50, S, desk="1", due_in_seconds=3600)
    assert wait(state(DeskState("1", (S,)), waiting=(due,))).seconds == 600
    assert wait(state(DeskState("1", (S,)), waiting=(later,))).seconds == 0


def test_a_booked_appointment_falling_due_takes_its_length() -> None:
    booked = AppointmentDue(desk="1", service=X, due_in_seconds=300, duration_seconds=1800)
    s = state(DeskState("1", (S,)), waiting=queue(S, 1), appointments=(booked,))
    # The one ahead until 600 s; the appointment (due at 300 s) until 2400 s.
    assert wait(s).seconds == 2400
    nobody_comes = replace(s, appointment_no_show_share=1.0)
    assert wait(nobody_comes).seconds == 600


def test_people_ahead_who_walk_out_shorten_the_wait() -> None:
    s = state(DeskState("1", (S,)), waiting=queue(S, 10))
    staying = wait(s)
    leaving = wait(replace(s, walkout_per_second=1 / 1800))
    assert staying.seconds == 10 * 600
    assert leaving.seconds < staying.seconds
    assert leaving.low_seconds < leaving.high_seconds


def test_the_interval_holds_the_estimate_and_widens_with_uncertain_handling() -> None:
    spread = {S: learn_handling(S, [], 600), X: prior_model(X, 300)}
    s = replace(state(DeskState("1", (S,)), waiting=queue(S, 4)), handling=spread)
    found = wait(s)
    assert found.low_seconds < found.seconds < found.high_seconds
    assert found.ahead == 4 and found.runs > 0


def test_the_same_seed_gives_the_same_answer() -> None:
    spread = {S: learn_handling(S, [], 600)}
    s = replace(state(DeskState("1", (S,)), waiting=queue(S, 4)), handling=spread)
    assert predict_wait(s, S, random.Random(9)) == predict_wait(s, S, random.Random(9))


def test_too_few_runs_are_refused() -> None:
    with pytest.raises(ValueError, match="runs"):
        predict_wait(state(DeskState("1", (S,))), S, random.Random(1), runs=3)


def test_a_desk_status_must_be_known() -> None:
    with pytest.raises(ValueError, match="open, paused or closed"):
        DeskState("1", (S,), status="lunch")


# -- the range as said ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("low", "high", "said"),
    [
        (0, 0, (0, 5)),
        (30, 240, (0, 5)),
        (120, 560, (0, 10)),
        (500, 860, (10, 15)),
        (610, 650, (10, 15)),  # never a range of nothing
        (1500, 2400, (25, 40)),
        (3300, 4500, (60, 80)),  # past an hour: tens
        (7000, 9500, (120, 165)),  # past two: quarters
    ],
)
def test_said_range(low: int, high: int, said: tuple[int, int]) -> None:
    assert said_range(low, high) == said


# -- properties: monotone by construction ----------------------------------------------------

SERVICES = (S, X, Y)
REAL = {code: learn_handling(code, [], mean) for code, mean in ((S, 420), (X, 720), (Y, 300))}


@st.composite
def desks(draw: st.DrawFn, name: str) -> DeskState:
    services = draw(st.permutations(SERVICES))[: draw(st.integers(1, 3))]
    busy = None
    if draw(st.booleans()):
        busy = Activity(draw(st.sampled_from(SERVICES)), draw(st.floats(0, 1500)))
    return DeskState(name, tuple(services), busy=busy)


@st.composite
def centres(draw: st.DrawFn) -> CentreState:
    n = draw(st.integers(1, 5))
    ds = tuple(draw(desks(str(i))) for i in range(n))
    tickets = tuple(
        WaitingTicket(
            id=i,
            service=draw(st.sampled_from(SERVICES)),
            priority=draw(st.booleans()),
            desk=draw(st.sampled_from([None, None, None, "0"])),
        )
        for i in range(draw(st.integers(0, 25)))
    )
    return CentreState(
        at=AT,
        desks=ds,
        waiting=tickets,
        handling=REAL,
        arrivals_per_hour={c: draw(st.floats(0, 20)) for c in SERVICES},
        walkout_per_second=draw(st.sampled_from([0.0, 1 / 2400])),
        walkout_share=draw(st.floats(0, 0.3)),
        priority_share=draw(st.floats(0, 0.2)),
    )


def _figures(p: WaitPrediction | None) -> tuple[int, int, int, int]:
    assert p is not None
    return (p.low_seconds, p.seconds, p.high_seconds, p.mean_seconds)


@settings(max_examples=60, deadline=None)
@given(centre=centres(), priority=st.booleans(), newcomer_priority=st.booleans())
def test_one_more_person_ahead_never_shortens_the_wait(
    centre: CentreState, priority: bool, newcomer_priority: bool
) -> None:
    if not centre.serving(S):
        centre = replace(centre, desks=(*centre.desks, DeskState("S", (S,))))
    more = replace(centre, waiting=(WaitingTicket(999, S, priority=priority), *centre.waiting))
    before = _figures(predict_wait(centre, S, random.Random(5), priority=newcomer_priority))
    after = _figures(predict_wait(more, S, random.Random(5), priority=newcomer_priority))
    assert all(a >= b for a, b in zip(after, before, strict=True)), (before, after)


@settings(max_examples=60, deadline=None)
@given(centre=centres(), extra=desks("new"), position=st.integers(0, 2))
def test_one_more_open_desk_serving_the_service_never_lengthens_the_wait(
    centre: CentreState, extra: DeskState, position: int
) -> None:
    if not centre.serving(S):
        centre = replace(centre, desks=(*centre.desks, DeskState("S", (S,))))
    others = [c for c in extra.services if c != S]
    services = (*others[:position], S, *others[position:])
    more = replace(centre, desks=(*centre.desks, replace(extra, services=services)))
    before = _figures(predict_wait(centre, S, random.Random(5)))
    after = _figures(predict_wait(more, S, random.Random(5)))
    assert all(a <= b for a, b in zip(after, before, strict=True)), (before, after)
