"""A waiting visitor's place: priority tickets first, then arrival order, per service."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from frontdesk.queue.places import Waiting, people_ahead

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_priority_first_then_arrival_each_service_on_its_own() -> None:
    waiting = [
        Waiting(1, "CTAX", at(0), False),
        Waiting(2, "CTAX", at(1), False),
        Waiting(3, "HBEN", at(2), False),
        Waiting(4, "CTAX", at(3), True),
        Waiting(5, "CTAX", at(4), False),
    ]
    assert people_ahead(waiting) == {4: 0, 1: 1, 2: 2, 5: 3, 3: 0}


@given(st.lists(st.tuples(st.sampled_from("AB"), st.integers(0, 50), st.booleans()), max_size=30))
def test_places_in_a_queue_are_0_to_n_minus_1(rows: list[tuple[str, int, bool]]) -> None:
    waiting = [Waiting(i, s, at(m), p) for i, (s, m, p) in enumerate(rows)]
    ahead = people_ahead(waiting)
    for service in "AB":
        places = sorted(ahead[w.id] for w in waiting if w.service == service)
        assert places == list(range(len(places)))
