"""The supervisor's view read from real history: four weeks of Civic Centre visits
imported into the store (the event log, folded into the rollups), then the arrivals
forecast by weekday and hour (`HistoryForecast`) and the week's past days' share within
standard (`RollupPastDays`) read back — on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta

from frontdesk.clock import VirtualClock
from frontdesk.services.interchange import import_events
from frontdesk.services.oversight.forecast import ProfileForecast
from frontdesk.services.oversight.history import HistoryForecast, RollupPastDays
from frontdesk.services.wiring import Services
from tests.conftest import LONDON, START

WEEKS = 4
# Walk-ins per local hour and service on a Monday, and on the other weekdays.
MONDAY_VISITS = {10: {"CTAX": 6, "GENQ": 4}, 14: {"CTAX": 2}}
OTHER_VISITS = {9: {"CTAX": 3}, 11: {"GENQ": 2}}
LATE_EVERY = 4  # every fourth visitor waits 15 minutes (over the 10-minute threshold)


def _history(weeks: int = WEEKS) -> tuple[str, dict[date, tuple[int, int]]]:
    """The CSV of `weeks` weeks before START (Monday to Friday), and per day (seen within
    the threshold, seen)."""
    buf = io.StringIO()
    out = csv.writer(buf)
    out.writerow(["visit", "centre", "service", "event", "at", "desk", "resolved", "avoidable"])
    per_day: dict[date, tuple[int, int]] = {}
    n = 0
    for offset in range(1, weeks * 7 + 1):
        day = (START - timedelta(days=offset)).date()
        if day.weekday() >= 5:
            continue
        within = seen = 0
        plan = MONDAY_VISITS if day.weekday() == 0 else OTHER_VISITS
        for hour, services in plan.items():
            k = 0
            for service, count in services.items():
                for _ in range(count):
                    n += 1
                    k += 1
                    issued = datetime(day.year, day.month, day.day, hour, 2 * k, tzinfo=LONDON)
                    wait = 15 if n % LATE_EVERY == 0 else 3
                    called = issued + timedelta(minutes=wait)
                    for step, at, desk in (
                        ("issued", issued, ""),
                        ("called", called, "1"),
                        ("started", called + timedelta(seconds=30), "1"),
                        ("completed", called + timedelta(minutes=5), "1"),
                    ):
                        done = "true" if step == "completed" else ""
                        out.writerow(
                            [f"h{n}", "CIVIC", service, step, at.isoformat(), desk, done, ""]
                        )
                    seen += 1
                    within += wait <= 10
        per_day[day] = (within, seen)
    return buf.getvalue(), per_day


def _load(services: Services, weeks: int = WEEKS) -> dict[date, tuple[int, int]]:
    text, per_day = _history(weeks)
    summary = import_events(services.queue, text)
    assert summary.visits == sum(seen for _, seen in per_day.values())
    return per_day


def test_the_forecast_is_the_same_weekday_by_hour_over_the_weeks_of_history(
    services: Services, clock: VirtualClock
) -> None:
    _load(services)
    cat = services.queue.catalogue()
    where = services.queue.centre("CIVIC")
    forecast = HistoryForecast(services.reports.source())
    monday = START.date()
    # Four Mondays of history, averaged over those four (not the eight weeks looked at).
    assert forecast.per_hour(cat, where, monday) == {
        "CTAX": {10: 6.0, 14: 2.0},
        "GENQ": {10: 4.0},
    }
    assert forecast.per_hour(cat, where, monday + timedelta(days=1)) == {
        "CTAX": {9: 3.0},
        "GENQ": {11: 2.0},
    }
    # At 09:30 on the Monday: nobody forecast until ten, then six Council Tax an hour.
    clock.set(START.replace(hour=9, minute=30))
    steps = forecast.steps(cat, where, clock.now())["CTAX"]
    assert steps[:3] == ((0.0, 0.0), (1800.0, 6.0), (5400.0, 0.0))
    assert (5 * 3600 - 1800.0, 2.0) in steps  # 14:00
    # The live view uses it: its forecast is this one.
    assert services.oversight.forecast.steps(cat, where, clock.now())["CTAX"] == steps


def test_with_one_week_of_history_the_configured_profile_is_used(services: Services) -> None:
    _load(services, weeks=1)
    cat = services.queue.catalogue()
    where = services.queue.centre("CIVIC")
    forecast = HistoryForecast(services.reports.source())
    now = START.replace(hour=9, minute=30)
    assert forecast.per_hour(cat, where, now.date()) is None
    assert forecast.steps(cat, where, now) == ProfileForecast().steps(cat, where, now)


def test_the_weeks_past_days_count_from_the_rollups(
    services: Services, clock: VirtualClock
) -> None:
    per_day = _load(services)
    past = RollupPastDays(services.reports.source(), services.queue)
    week_before = [START.date() - timedelta(days=d) for d in range(7, 2, -1)]  # Mon–Fri
    within = sum(per_day[d][0] for d in week_before)
    seen = sum(per_day[d][1] for d in week_before)
    assert 0 < within < seen
    assert past.counts("CIVIC", week_before[0], week_before[-1]) == (within, seen)
    # The council view's "this week" on the Wednesday after: Monday and Tuesday of the
    # same week from the rollups (history runs up to the Friday before START, so move
    # the week: the Wednesday of the last imported week).
    wednesday = week_before[2]
    clock.set(datetime.combine(wednesday, START.timetz()).replace(hour=16))
    row = next(r for r in services.oversight.council().centres if r.code == "CIVIC")
    days = week_before[:3]  # Monday and Tuesday from the rollups, Wednesday live
    assert row.share_week is not None
    assert row.share_week == sum(per_day[d][0] for d in days) / sum(per_day[d][1] for d in days)
