"""Time per call learned from history (queue/handling.py), the runs' random numbers
(queue/draws.py) and the accuracy arithmetic (queue/accuracy.py)."""

from __future__ import annotations

import random

import pytest

from frontdesk.queue.accuracy import EstimateOutcome, accuracy
from frontdesk.queue.draws import Draws
from frontdesk.queue.handling import DeskTime, learn_handling, prior_model, walkout_rate


def samples(mean: float, n: int, age_hours: float = 0.0, seed: int = 1) -> list[DeskTime]:
    rng = random.Random(seed)
    return [DeskTime(rng.lognormvariate(0, 0.4) * mean / 1.08, age_hours) for _ in range(n)]


def test_with_no_history_the_configured_time_is_the_mean() -> None:
    model = prior_model("CTAX", 420)
    assert model.mean == pytest.approx(420, rel=0.05)
    assert model.samples == 0
    assert model.quantiles == tuple(sorted(model.quantiles))


def test_history_moves_the_estimate_from_the_configured_time_to_what_desks_take() -> None:
    few = learn_handling("CTAX", samples(600, 3), 420)
    many = learn_handling("CTAX", samples(600, 200), 420)
    assert 420 < few.mean < many.mean
    assert many.mean == pytest.approx(600, rel=0.08)
    assert many.samples == 200


def test_outliers_are_trimmed() -> None:
    history = [*samples(600, 60), DeskTime(5 * 3600), DeskTime(1.0)]
    model = learn_handling("CTAX", history, 600)
    assert model.samples == 60
    assert model.quantiles[-1] < 3600


def test_recent_calls_weigh_more_than_old_ones() -> None:
    history = samples(300, 60, age_hours=24 * 10) + samples(900, 20, age_hours=1)
    model = learn_handling("CTAX", history, 600)
    assert model.mean > 700


def test_the_time_still_to_go_is_drawn_from_calls_that_lasted_longer() -> None:
    model = learn_handling("CTAX", samples(600, 200), 600)
    for elapsed in (0, 300, 600, 900):
        left = model.remaining_many(elapsed, [i / 50 for i in range(50)])
        assert min(left) >= 0
        assert all(elapsed + x in model.quantiles for x in left)


def test_a_configured_time_must_be_positive() -> None:
    with pytest.raises(ValueError, match="more than 0"):
        learn_handling("CTAX", [], 0)


def test_walkout_rate_is_leaves_over_time_waited() -> None:
    assert walkout_rate([], prior_hours=1) == 0
    # 2 left in 2 hours of waiting (plus the hour of prior exposure).
    waits = [(1800.0, True), (1800.0, True), (3600.0, False)]
    assert walkout_rate(waits, prior_hours=1) == pytest.approx(2 / (3 * 3600))


def test_draws_are_tied_to_what_they_describe() -> None:
    a, b = Draws(7, 50), Draws(7, 50)
    first = list(a.uniform("desk-turns", "1", 4))
    b.uniform("desk-turns", "2", 4)  # another desk drawn first changes nothing
    assert list(b.uniform("desk-turns", "1", 4)) == first
    assert list(Draws(8, 50).uniform("desk-turns", "1", 4)) != first
    assert len(first) == 200 and all(0 <= u < 1 for u in first)
    assert all(x >= 0 for x in a.exponential("ahead", 0, 4))
    assert list(a.indices("desk-turns", "1", 4, 100)) == [int(u * 100) for u in first]


def outcome(waited: float, told: float, low: float | None, high: float | None) -> EstimateOutcome:
    return EstimateOutcome(1, "CTAX", 9, waited, told, low, high)


def test_accuracy_figures() -> None:
    figures = accuracy(
        [
            outcome(600, 600, 300, 900),  # right, inside
            outcome(1200, 600, 300, 900),  # 10 min more than told: outside, under by > 5 min
            outcome(300, 600, 300, 900),  # 5 min less: on the edge, inside
            outcome(700, 600, None, None),  # no interval stored: outside
        ]
    )
    assert figures.tickets == 4
    assert figures.mean_absolute_error_seconds == (0 + 600 + 300 + 100) / 4
    assert figures.mean_error_seconds == (0 + 600 - 300 + 100) / 4
    assert figures.share_inside_interval == 0.5
    assert figures.share_under_by_more_than_5_minutes == 0.25


def test_accuracy_of_nothing_is_unknown_not_zero() -> None:
    figures = accuracy([])
    assert figures.tickets == 0
    assert figures.mean_absolute_error_seconds is None
    assert figures.as_json()["share_inside_interval"] is None
