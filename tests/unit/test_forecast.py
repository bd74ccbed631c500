"""The demand forecast (planning/forecast.py): from history, from the centres file, and
its back-test."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from frontdesk.planning.forecast import (
    DECAY,
    MIN_HANDLING_SAMPLES,
    DemandHistory,
    Fallback,
    HandlingSample,
    OpeningHours,
    backtest,
    forecast_day,
    handling_times,
    patience_seconds,
    usable_days,
)
from frontdesk.planning.model import DEFAULT_PATIENCE_MINUTES, opening_slots

MON = date(2026, 12, 7)
HOURS = OpeningHours(
    {d: ((time(9), time(12, 30)),) for d in range(5)},
    closures=frozenset({MON - timedelta(weeks=3)}),
)
FALLBACK = Fallback(
    daily_visitors=100,
    demand_share={"A": 0.75, "B": 0.25},
    mean_handling_seconds={"A": 300, "B": 600},
)


def _history(days: dict[date, dict[int, dict[str, int]]], weeks: int = 8) -> DemandHistory:
    arrivals = {
        (d, hour, svc): n
        for d, hours in days.items()
        for hour, mix in hours.items()
        for svc, n in mix.items()
    }
    return DemandHistory("T", MON - timedelta(weeks=weeks), MON - timedelta(days=1), arrivals)


def test_slots_follow_opening_hours_cut_at_each_clock_hour() -> None:
    slots = opening_slots([(time(8, 30), time(10)), (time(13, 15), time(14))])
    assert [(s.label, s.hours) for s in slots] == [
        ("08:30", 0.5),
        ("09:00", 1.0),
        ("13:15", 0.75),
    ]


def test_with_no_history_the_centres_file_is_spread_by_the_profile() -> None:
    demand = forecast_day(MON, None, HOURS, FALLBACK, ["A", "B"])
    assert demand.source == "configuration"
    assert [s.label for s in demand.slots] == ["09:00", "10:00", "11:00", "12:00"]
    total = sum(demand.total(k) for k in range(len(demand.slots)))
    assert total == pytest.approx(100)
    for mix in demand.arrivals:
        assert mix["A"] == pytest.approx(3 * mix["B"])
    # The profile's mid-morning peak; the half-hour 12:00 slot gets half its hour.
    totals = [demand.total(k) for k in range(4)]
    assert totals[1] > totals[0] and totals[3] < totals[2]
    assert forecast_day(MON + timedelta(days=5), None, HOURS, FALLBACK, ["A"]).slots == ()


def test_history_same_weekday_recent_weeks_weighted_more() -> None:
    # Four Mondays: 20, 10, 10, 10 visitors at 09:00 (newest first); the third week back
    # is a closure, so it is left out.
    days = {MON - timedelta(weeks=w): {9: {"A": 20 if w == 1 else 10}} for w in range(1, 5)}
    days |= {MON - timedelta(weeks=w) + timedelta(days=1): {9: {"B": 7}} for w in range(1, 5)}
    history = _history(days)
    demand = forecast_day(MON, history, HOURS, FALLBACK, ["A", "B"])
    assert demand.source == "history"
    # A week further back counts DECAY times less.
    expected = (20 + 10 * DECAY + 10 * DECAY**3) / (1 + DECAY + DECAY**3)
    assert demand.arrivals[0]["A"] == pytest.approx(expected)
    assert demand.arrivals[0]["B"] == 0  # B came on Tuesdays
    assert demand.total(1) == 0  # nobody at 10:00 in history


def test_closures_and_abnormal_days_are_left_out() -> None:
    usual = {9: {"A": 30}, 10: {"A": 30}}
    days = {MON - timedelta(weeks=w): usual for w in range(1, 7)}
    days[MON - timedelta(weeks=2)] = {9: {"A": 4}}  # a fire alarm
    days[MON - timedelta(weeks=3)] = {9: {"A": 60}}  # a closure: recorded, still left out
    days[MON - timedelta(weeks=5)] = {9: {"A": 200}, 10: {"A": 200}}  # a system fault
    used = usable_days(_history(days), HOURS, MON)
    assert used.used[0] == tuple(MON - timedelta(weeks=w) for w in (1, 4, 6))
    reasons = dict(used.left_out)
    assert reasons[MON - timedelta(weeks=3)] == "closure"
    assert reasons[MON - timedelta(weeks=2)].startswith("abnormal: 4 visitors")
    assert reasons[MON - timedelta(weeks=5)].startswith("abnormal: 400 visitors")
    # Tuesday to Friday had nobody recorded: left out, and forecast from the file.
    assert reasons[MON - timedelta(weeks=1) + timedelta(days=1)] == "no visitors recorded"
    demand = forecast_day(MON + timedelta(days=1), _history(days), HOURS, FALLBACK, ["A", "B"])
    assert demand.source == "configuration"
    monday = forecast_day(MON, _history(days), HOURS, FALLBACK, ["A", "B"])
    assert monday.source == "history" and monday.arrivals[0]["A"] == pytest.approx(30)


def test_days_before_the_first_visitor_on_record_are_not_left_out() -> None:
    days = {MON - timedelta(weeks=w): {9: {"A": 5}} for w in (1, 2)}
    used = usable_days(_history(days), HOURS, MON)
    assert all(d >= MON - timedelta(weeks=2) for d, _ in used.left_out)


def test_handling_and_patience_from_history_or_configured() -> None:
    history = DemandHistory(
        "T",
        MON - timedelta(weeks=8),
        MON,
        {},
        handling={
            "A": HandlingSample(MIN_HANDLING_SAMPLES, 420.0, 210.0),
            "B": HandlingSample(3, 100.0, 10.0),  # too few: the configured figure
        },
        walkouts=10,
        waiting_seconds=10 * 1800.0,
    )
    times = handling_times(history, FALLBACK, ["A", "B"])
    assert times["A"].mean_seconds == 420 and times["A"].samples == MIN_HANDLING_SAMPLES
    assert times["A"].sigma == pytest.approx((__import__("math").log(1 + 0.25)) ** 0.5)
    assert times["B"].mean_seconds == 600 and times["B"].samples == 0
    assert patience_seconds(history) == 1800
    assert patience_seconds(None) == DEFAULT_PATIENCE_MINUTES * 60


def test_backtest_of_a_steady_centre_is_exact_and_of_a_growing_one_is_not() -> None:
    steady = {MON - timedelta(days=d): {9: {"A": 10}, 10: {"A": 20}} for d in range(1, 12 * 7)}
    result = backtest(_history(steady, 12), HOURS, FALLBACK, ["A"], [MON - timedelta(weeks=1)])
    assert result.mape == pytest.approx(0.0)
    assert result.hours_compared == 5 * 2
    assert result.hours_without_visitors == 5 * 2  # 11:00 and 12:00 had nobody
    # Growing by 10% a week: last week's hours were under-forecast.
    growing = {
        d: {9: {"A": round(10 * 1.1 ** ((d - (MON - timedelta(weeks=12))).days // 7))}}
        for d in (MON - timedelta(days=i) for i in range(1, 12 * 7))
    }
    mondays = [MON - timedelta(weeks=w) for w in (4, 3, 2, 1)]
    result = backtest(_history(growing, 12), HOURS, FALLBACK, ["A"], mondays)
    assert [w.source for w in result.weeks] == ["history"] * 4
    assert result.mape is not None and 0.05 < result.mape < 0.5
    assert set(result.by_hour) == {"09:00"}
