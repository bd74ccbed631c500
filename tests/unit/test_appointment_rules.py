"""Booking references, the check-in window, and the routing rule for checked-in customers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frontdesk.appointments import rules
from frontdesk.appointments.rules import (
    REFERENCE_ALPHABET,
    REFERENCE_LENGTH,
    Arrival,
    arrival,
    due_appointments_first,
    format_reference,
    new_reference,
    normalise_reference,
)
from frontdesk.queue.routing import Candidate, DeskView, Fairness, base_choice, choose_next

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
AMBIGUOUS = "0O1I"

# -- references -----------------------------------------------------------------------


def test_alphabet_has_no_ambiguous_characters() -> None:
    assert not set(AMBIGUOUS) & set(REFERENCE_ALPHABET)
    assert len(set(REFERENCE_ALPHABET)) == len(REFERENCE_ALPHABET)
    assert not any(ch.islower() for ch in REFERENCE_ALPHABET)


def test_new_references_use_the_alphabet() -> None:
    refs = {new_reference() for _ in range(500)}
    for ref in refs:
        assert len(ref) == REFERENCE_LENGTH
        assert set(ref) <= set(REFERENCE_ALPHABET)
        assert normalise_reference(ref) == ref
    assert len(refs) > 490, "references are random, not sequential"


@pytest.mark.parametrize(
    "typed",
    ["K7MQ4X", "K7M-Q4X", "k7m-q4x", " k7m q4x ", "K 7 M - Q 4 X", "k7mq4x", "K7M--Q4X"],
)
def test_normalise_accepts_dashes_spaces_and_lowercase(typed: str) -> None:
    assert normalise_reference(typed) == "K7MQ4X"


@pytest.mark.parametrize(
    "typed",
    [
        "K7MQ40",  # zero
        "K7MQ4O",  # letter O
        "K7MQ41",  # one
        "K7MQ4I",  # letter I
        "k7mq4o",
        "K7MQ4",  # too short
        "K7MQ4XY",  # too long
        "",
        "---",
        "K7M_Q4X",
        "K7M.Q4X",
        "K7MQ4É",
    ],
)
def test_normalise_rejects_what_cannot_be_a_reference(typed: str) -> None:
    assert normalise_reference(typed) is None


@settings(deadline=None)
@given(st.text(alphabet=REFERENCE_ALPHABET, min_size=6, max_size=6), st.data())
def test_format_then_normalise_round_trips(ref: str, data: st.DataObject) -> None:
    shown = format_reference(ref)
    assert shown == f"{ref[:3]}-{ref[3:]}"
    mangled = data.draw(st.sampled_from([shown, shown.lower(), shown.replace("-", " "), ref]))
    assert normalise_reference(mangled) == ref


@settings(deadline=None)
@given(st.text(min_size=0, max_size=12))
def test_normalise_never_returns_an_ambiguous_reference(text: str) -> None:
    ref = normalise_reference(text)
    if ref is not None:
        assert len(ref) == REFERENCE_LENGTH
        assert not set(ref) & set(AMBIGUOUS)


# -- the check-in window --------------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes_from_booked", "expected"),
    [
        (-31, Arrival.TOO_EARLY),
        (-30, Arrival.ON_TIME),  # the window's edges belong to it
        (-5, Arrival.ON_TIME),
        (0, Arrival.ON_TIME),
        (10, Arrival.ON_TIME),
        (10.5, Arrival.LATE),
        (60, Arrival.LATE),
    ],
)
def test_arrival_window(minutes_from_booked: float, expected: Arrival) -> None:
    now = NOW + timedelta(minutes=minutes_from_booked)
    assert arrival(NOW, now, early_minutes=30, late_minutes=10) is expected


def test_arrival_with_a_zero_window() -> None:
    assert arrival(NOW, NOW, 0, 0) is Arrival.ON_TIME
    assert arrival(NOW, NOW - timedelta(seconds=1), 0, 0) is Arrival.TOO_EARLY
    assert arrival(NOW, NOW + timedelta(seconds=1), 0, 0) is Arrival.LATE


# -- routing: due appointments first --------------------------------------------------

DESK = DeskView(name="Interview 1", services=("HOPT", "HBEN"))


def walk_in(id_: int, minutes_ago: float, service: str = "HBEN", **kw: object) -> Candidate:
    return Candidate(id=id_, service=service, queued_at=NOW - timedelta(minutes=minutes_ago), **kw)


def appointment(
    id_: int, due_in: float, desk: str | None = "Interview 1", **kw: object
) -> Candidate:
    return Candidate(
        id=id_,
        service="HBEN",
        queued_at=NOW - timedelta(minutes=2),
        target_desk=desk,
        due_at=NOW + timedelta(minutes=due_in),
        **kw,
    )


def pick(cands: list[Candidate], now: datetime = NOW) -> Candidate | None:
    return choose_next(cands, DESK, now, {}, Fairness(), rules=[due_appointments_first])


def test_a_due_appointment_goes_ahead_of_walk_ins() -> None:
    cands = [walk_in(1, 40), walk_in(2, 30, priority=True), appointment(3, 0)]
    assert due_appointments_first(cands, DESK, NOW) == cands[2]
    assert pick(cands).id == 3


def test_an_overdue_appointment_also_goes_first_earliest_booked_first() -> None:
    cands = [walk_in(1, 40), appointment(2, -5), appointment(3, -15), appointment(4, 0)]
    assert pick(cands).id == 3


def test_an_appointment_not_yet_due_waits_while_walk_ins_are_served() -> None:
    cands = [walk_in(1, 3), appointment(2, 10)]
    assert due_appointments_first(cands, DESK, NOW) is None
    assert pick(cands).id == 1
    assert base_choice(cands, DESK, {}, Fairness(), NOW).id == 1


def test_an_idle_desk_may_take_an_early_appointment() -> None:
    assert pick([appointment(2, 10)]).id == 2


def test_the_appointment_is_served_once_its_time_comes() -> None:
    cands = [walk_in(1, 3), appointment(2, 10)]
    assert pick(cands, NOW + timedelta(minutes=10)).id == 2


def test_another_specialists_appointment_is_not_called_here() -> None:
    cands = [walk_in(1, 3), appointment(2, -1, desk="Interview 2")]
    assert due_appointments_first(cands, DESK, NOW) is None
    # It is not eligible at this desk at all (it is directed to another desk).
    assert pick(cands).id == 1


def test_an_undirected_due_appointment_is_taken_by_any_desk_serving_it() -> None:
    cands = [walk_in(1, 30), appointment(2, 0, desk=None)]
    assert pick(cands).id == 2


def test_walk_ins_alone_follow_the_base_policy() -> None:
    cands = [walk_in(1, 5), walk_in(2, 9), walk_in(3, 20, service="HOPT")]
    assert due_appointments_first(cands, DESK, NOW) is None
    assert pick(cands).id == 3  # first service in the desk's order


def test_rule_is_wired_into_the_services() -> None:
    from frontdesk.services import wiring

    assert wiring.due_appointments_first is rules.due_appointments_first


@pytest.mark.parametrize(
    ("status", "ticket", "shown"),
    [
        ("checked_in", "done", "attended"),
        ("checked_in", "no_show", "no_show"),
        ("checked_in", "left", "left"),
        ("checked_in", "waiting", "checked_in"),
        ("checked_in", "serving", "checked_in"),
        ("checked_in", None, "checked_in"),
        ("booked", None, "booked"),
        ("cancelled", "done", "cancelled"),
    ],
)
def test_an_appointment_status_follows_its_ticket(
    status: str, ticket: str | None, shown: str
) -> None:
    assert rules.status_after_ticket(status, ticket) == shown
