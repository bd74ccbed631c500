"""The estimated wait shown to a visitor before they take a ticket (queue/estimate.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.queue.estimate import (
    MIN_RECENT_SAMPLES,
    estimate_wait_seconds,
    typical_handling_seconds,
)

H = 360.0  # six minutes a customer


@pytest.mark.parametrize(("ahead", "desks", "busy"), [(0, 1, 0), (0, 3, 2), (1, 3, 1), (2, 3, 0)])
def test_zero_when_a_desk_is_free_for_the_newcomer(ahead: int, desks: int, busy: int) -> None:
    assert estimate_wait_seconds(ahead, desks, busy, H) == 0


def test_all_desks_busy_nobody_ahead_waits_half_a_handling_time() -> None:
    assert estimate_wait_seconds(0, 1, 1, H) == 180
    assert estimate_wait_seconds(0, 2, 2, H) == 90


def test_worked_example() -> None:
    # 5 ahead, 3 desks, 1 free: 4 queue before me, (4 + 0.5) * 360 / 3 = 540 s.
    assert estimate_wait_seconds(5, 3, 2, H) == 540


def test_grows_with_people_ahead() -> None:
    waits = [estimate_wait_seconds(ahead, 2, 2, H) for ahead in range(10)]
    assert waits == sorted(waits)
    assert waits[-1] > waits[0]


def test_falls_with_more_desks() -> None:
    waits = [estimate_wait_seconds(12, desks, desks, H) for desks in range(1, 8)]
    assert waits == sorted(waits, reverse=True)
    assert waits[-1] < waits[0]


def test_more_busy_desks_never_shorten_the_wait() -> None:
    waits = [estimate_wait_seconds(3, 4, busy, H) for busy in range(5)]
    assert waits == sorted(waits)


def test_busy_desks_beyond_the_desks_count_as_all_busy() -> None:
    assert estimate_wait_seconds(3, 2, 5, H) == estimate_wait_seconds(3, 2, 2, H)


def test_scales_with_handling_time_and_rounds_up() -> None:
    assert estimate_wait_seconds(1, 1, 1, 100.0) == 150
    assert estimate_wait_seconds(0, 3, 3, 100.0) == 17  # 16.67 rounded up
    assert estimate_wait_seconds(4, 2, 2, 0.0) == 0


@pytest.mark.parametrize(
    "args",
    [(-1, 1, 0, H), (0, -1, 0, H), (0, 1, -1, H), (0, 1, 0, -1.0)],
)
def test_negative_inputs_are_refused(args: tuple[int, int, int, float]) -> None:
    with pytest.raises(ValueError, match="must not be negative"):
        estimate_wait_seconds(*args)


@given(
    ahead=st.integers(0, 200),
    desks=st.integers(1, 30),
    busy=st.integers(0, 30),
    handling=st.floats(0, 3600, allow_nan=False),
)
def test_monotone_properties(ahead: int, desks: int, busy: int, handling: float) -> None:
    wait = estimate_wait_seconds(ahead, desks, busy, handling)
    assert isinstance(wait, int)
    assert wait >= 0
    assert estimate_wait_seconds(ahead + 1, desks, busy, handling) >= wait
    assert estimate_wait_seconds(ahead, desks + 1, busy, handling) <= wait
    if ahead < desks - min(busy, desks):
        assert wait == 0


# --- typical handling time: recent samples vs the configured fallback ------------------


def test_too_few_recent_samples_use_the_configured_time() -> None:
    recent = [100.0] * (MIN_RECENT_SAMPLES - 1)
    assert typical_handling_seconds(recent, 420.0) == 420.0
    assert typical_handling_seconds([], 420.0) == 420.0


def test_enough_recent_samples_use_their_mean() -> None:
    recent = [100.0, 200.0, 300.0, 400.0, 500.0]
    assert len(recent) == MIN_RECENT_SAMPLES
    assert typical_handling_seconds(recent, 420.0) == 300.0


def test_non_positive_samples_are_ignored_and_do_not_count() -> None:
    recent = [0.0, -5.0, 100.0, 100.0, 100.0, 100.0]
    assert typical_handling_seconds(recent, 420.0) == 420.0
    assert typical_handling_seconds([*recent, 400.0], 420.0) == 160.0
