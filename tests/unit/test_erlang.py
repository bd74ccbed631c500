"""Erlang C and Erlang A (planning/erlang.py) against published and exact values."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frontdesk.planning.erlang import (
    average_wait,
    erlang_a,
    erlang_a_desks,
    erlang_b,
    erlang_c,
    erlang_c_desks,
    share_within,
)
from frontdesk.queue.measures import Standard


def test_erlang_b_table_value() -> None:
    # Erlang B tables: 5 circuits offered 3 erlangs block 11.0% of calls.
    assert erlang_b(5, 3.0) == pytest.approx(0.1101, abs=5e-5)


def test_erlang_c_exact_textbook_case() -> None:
    # M/M/3 with λ = 6/h, μ = 3/h (Gross & Harris's worked example): offered load 2
    # erlangs; P(wait) = (8/6 · 3) / (1 + 2 + 2 + 4) = 4/9, Wq = C/(cμ − λ) = 4/27 h.
    assert erlang_c(3, 2.0) == pytest.approx(4 / 9, rel=1e-12)
    rate, handling = 6 / 3600, 1200.0
    assert average_wait(3, rate, handling) == pytest.approx(4 / 27 * 3600, rel=1e-9)


@pytest.mark.parametrize(
    ("agents", "waits"),
    [(11, 0.6821), (12, 0.4494), (13, 0.2853), (14, 0.1741), (15, 0.1020)],
)
def test_erlang_c_call_centre_table(agents: int, waits: float) -> None:
    # The standard call-centre example: 100 calls in 30 minutes, 180 s handling, so 10
    # erlangs; the published probability of waiting for 11 to 15 agents.
    assert erlang_c(agents, 10.0) == pytest.approx(waits, abs=5e-5)


def test_service_level_of_the_call_centre_example() -> None:
    # SL(20 s) = 1 − C · exp(−(N − A) · t / AHT): 13 agents answer 79.6% within 20 s.
    rate = 100 / 1800
    assert share_within(13, rate, 180, 20) == pytest.approx(0.7956, abs=5e-4)
    assert share_within(13, rate, 180, 20) == pytest.approx(
        1 - erlang_c(13, 10.0) * math.exp(-3 * 20 / 180), rel=1e-12
    )


def test_overloaded_hours_never_meet_anything() -> None:
    assert erlang_c(4, 4.0) == 1.0
    assert share_within(4, 4 / 600, 600, 600) == 0.0
    assert average_wait(4, 4 / 600, 600) == math.inf


def test_fewest_desks_for_a_standard() -> None:
    std = Standard(threshold_minutes=10, target_share=0.95)
    rate, handling = 40 / 3600, 420.0  # 40 an hour, 7 minutes each: 4.67 erlangs
    n = erlang_c_desks(rate, handling, std)
    assert share_within(n, rate, handling, 600) >= 0.95 > share_within(n - 1, rate, handling, 600)
    assert erlang_c_desks(0.0, handling, std) == 1
    # An average-wait target can only ask for more desks.
    strict = Standard(threshold_minutes=10, target_share=0.5, average_wait_minutes=0.5)
    m = erlang_c_desks(rate, handling, strict)
    assert average_wait(m, rate, handling) <= 30 < average_wait(m - 1, rate, handling)


def test_erlang_a_tends_to_erlang_c_when_nobody_gives_up() -> None:
    rate, handling = 1 / 60, 120.0
    a = erlang_a(3, rate, handling, patience=1e12, threshold=600)
    assert a.share_within == pytest.approx(share_within(3, rate, handling, 600), abs=1e-6)
    assert a.abandoned == pytest.approx(0.0, abs=1e-6)


def test_erlang_a_with_patience_as_long_as_handling_is_poisson() -> None:
    # With θ = μ the number in the building is Poisson(λ/μ) (as M/M/∞), so the arrivals
    # served at once (within 0 seconds) are P(N < n).
    rate, handling, n = 5 / 3600, 1800.0, 3
    load = rate * handling
    poisson_below_n = sum(math.exp(-load) * load**k / math.factorial(k) for k in range(n))
    a = erlang_a(n, rate, handling, patience=handling, threshold=0.0)
    assert a.served_within == pytest.approx(poisson_below_n, rel=1e-9)


@settings(max_examples=25, deadline=None)
@given(
    n=st.integers(1, 8),
    per_hour=st.floats(1, 60),
    minutes=st.floats(2, 25),
    patience=st.floats(5, 60),
)
def test_erlang_a_figures_are_fractions_and_improve_with_desks(
    n: int, per_hour: float, minutes: float, patience: float
) -> None:
    rate, handling = per_hour / 3600, minutes * 60
    one = erlang_a(n, rate, handling, patience * 60, 600)
    more = erlang_a(n + 1, rate, handling, patience * 60, 600)
    for x in (one.share_within, one.served_within, one.walked_out, one.abandoned):
        assert -1e-9 <= x <= 1 + 1e-9
    assert more.served_within >= one.served_within - 1e-9
    assert more.abandoned <= one.abandoned + 1e-9


def test_erlang_a_needs_no_more_desks_than_erlang_c_here() -> None:
    std = Standard(10, 0.95)
    rate, handling = 14 / 3600, 1500.0  # the benefits office: 25-minute interviews
    c = erlang_c_desks(rate, handling, std)
    a = erlang_a_desks(rate, handling, 35 * 60, std)
    assert a <= c
    assert erlang_a(a, rate, handling, 35 * 60, 600).share_within >= 0.95
