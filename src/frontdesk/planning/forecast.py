"""Forecast a day's visitors per slot and service from history, or from the centres file.

From history: the same weekday in the weeks before, recent weeks weighted more
(each week back counts `DECAY` times the one after it), closures and abnormal days left
out. A day is abnormal when its visitors are fewer than half or more than twice the
median of its weekday in the window (a fire alarm, a system outage, an unrecorded
closure); a day with nobody recorded is left out too. With fewer than `MIN_DAYS` usable
days for a weekday, the forecast falls back to the centre's `daily_visitors` spread over
the day by a typical council-reception profile and split by the services'
`demand_share`.

Handling times: each service's history mean and spread when it has at least
`MIN_HANDLING_SAMPLES` finished tickets, else its configured `mean_handling_minutes`.
Patience: walk-outs ÷ the total time visitors spent waiting (the exponential
distribution's estimate, counting those who were seen as waiting at least that long).
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from frontdesk.planning.model import (
    DEFAULT_HANDLING_SIGMA,
    DEFAULT_PATIENCE_MINUTES,
    DayDemand,
    HandlingTime,
    Slot,
    opening_slots,
)

DECAY = 0.8
HISTORY_WEEKS = 8
MIN_DAYS = 2
MIN_HANDLING_SAMPLES = 20
MIN_WALKOUTS = 5
ABNORMAL_BELOW, ABNORMAL_ABOVE = 0.5, 2.0
# Relative arrivals by local hour: receptions fill up mid-morning and after lunch. The
# day simulator (services/simulate.py) draws its visitors from the same profile.
HOURLY_PROFILE = {
    8: 0.6, 9: 1.1, 10: 1.4, 11: 1.3, 12: 1.0, 13: 1.1, 14: 1.2, 15: 0.9, 16: 0.6,
    17: 0.5, 18: 0.4, 19: 0.3,
}  # fmt: skip
OTHER_HOURS = 0.3


@dataclass(frozen=True, slots=True)
class HandlingSample:
    """Finished tickets of one service: how many, their mean and standard deviation."""

    count: int
    mean_seconds: float
    sd_seconds: float


@dataclass(frozen=True, slots=True)
class DemandHistory:
    """What the store knows of a centre's past demand (walk-ins only)."""

    centre: str
    first_day: date
    last_day: date  # inclusive
    arrivals: Mapping[tuple[date, int, str], int]  # (local date, local hour, service)
    handling: Mapping[str, HandlingSample] = field(default_factory=dict)
    walkouts: int = 0
    waiting_seconds: float = 0.0  # all the time visitors spent waiting, seen or not

    def day_totals(self) -> dict[date, int]:
        totals: dict[date, int] = defaultdict(int)
        for (day, _, _), n in self.arrivals.items():
            totals[day] += n
        return totals


@dataclass(frozen=True, slots=True)
class OpeningHours:
    """A centre's weekly opening ranges (Monday = 0) and its closure dates."""

    weekly: Mapping[int, tuple[tuple[time, time], ...]]
    closures: frozenset[date] = frozenset()

    def is_open(self, day: date) -> bool:
        return day not in self.closures and bool(self.weekly.get(day.weekday()))

    def slots(self, day: date) -> tuple[Slot, ...]:
        return opening_slots(self.weekly.get(day.weekday(), ())) if self.is_open(day) else ()


@dataclass(frozen=True, slots=True)
class Fallback:
    """The centres file's figures, used when history is too thin."""

    daily_visitors: float
    demand_share: Mapping[str, float]  # per service offered (need not add up to 1)
    mean_handling_seconds: Mapping[str, float]
    profile: Mapping[int, float] = field(default_factory=lambda: HOURLY_PROFILE)


@dataclass(frozen=True, slots=True)
class DaysUsed:
    used: Mapping[int, tuple[date, ...]]  # weekday → usable days, newest first
    left_out: tuple[tuple[date, str], ...]


def usable_days(
    history: DemandHistory, hours: OpeningHours, before: date, weeks: int = HISTORY_WEEKS
) -> DaysUsed:
    """The history days a forecast may use (the `weeks` before `before`), and those left
    out, with the reason."""
    totals = history.day_totals()
    by_weekday: dict[int, list[date]] = defaultdict(list)
    left_out: list[tuple[date, str]] = []
    # Days before the first visitor on record are before the history, not empty days.
    recorded = [d for d, n in totals.items() if n > 0]
    if not recorded:
        return DaysUsed(used={}, left_out=())
    day = max(history.first_day, before - timedelta(weeks=weeks), min(recorded))
    last = min(history.last_day, before - timedelta(days=1))
    while day <= last:
        if day in hours.closures:
            left_out.append((day, "closure"))
        elif hours.is_open(day):
            if totals.get(day, 0) == 0:
                left_out.append((day, "no visitors recorded"))
            else:
                by_weekday[day.weekday()].append(day)
        day += timedelta(days=1)
    used: dict[int, tuple[date, ...]] = {}
    for weekday, days in by_weekday.items():
        keep = days
        if len(days) >= 3:
            usual = statistics.median(totals[d] for d in days)
            keep = []
            for d in days:
                if ABNORMAL_BELOW * usual <= totals[d] <= ABNORMAL_ABOVE * usual:
                    keep.append(d)
                else:
                    left_out.append((d, f"abnormal: {totals[d]} visitors, usually {usual:g}"))
        used[weekday] = tuple(sorted(keep, reverse=True))
    return DaysUsed(used=used, left_out=tuple(sorted(left_out)))


def forecast_day(
    day: date,
    history: DemandHistory | None,
    hours: OpeningHours,
    fallback: Fallback,
    services: Iterable[str],
    days: DaysUsed | None = None,
) -> DayDemand:
    """Expected arrivals per slot and service on `day` (empty when closed)."""
    slots = hours.slots(day)
    offered = list(services)
    if history is not None:
        used = days or usable_days(history, hours, _monday(day))
        same = used.used.get(day.weekday(), ())
        if len(same) >= MIN_DAYS:
            return DayDemand(
                day, slots, _from_history(day, slots, history, same, offered), "history"
            )
    return DayDemand(day, slots, _from_configuration(slots, fallback, offered), "configuration")


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _from_history(
    day: date,
    slots: tuple[Slot, ...],
    history: DemandHistory,
    same: tuple[date, ...],
    offered: list[str],
) -> tuple[dict[str, float], ...]:
    weights = {d: DECAY ** max(0, (day - d).days // 7 - 1) for d in same}
    total_weight = sum(weights.values())
    per_hour: dict[int, dict[str, float]] = defaultdict(lambda: dict.fromkeys(offered, 0.0))
    wanted = {s.hour for s in slots}
    for (d, hour, service), n in history.arrivals.items():
        if d in weights and hour in wanted and service in offered:
            per_hour[hour][service] += n * weights[d] / total_weight
    return _spread(slots, lambda hour: per_hour[hour], offered)


def _spread(
    slots: tuple[Slot, ...], per_hour: Callable[[int], Mapping[str, float]], offered: list[str]
) -> tuple[dict[str, float], ...]:
    """An hour's arrivals shared between its slots by their minutes (usually one slot)."""
    minutes: dict[int, int] = defaultdict(int)
    for s in slots:
        minutes[s.hour] += s.end - s.start
    out = []
    for s in slots:
        mix = per_hour(s.hour)
        part = (s.end - s.start) / minutes[s.hour]
        out.append({code: mix.get(code, 0.0) * part for code in offered})
    return tuple(out)


def _from_configuration(
    slots: tuple[Slot, ...], fallback: Fallback, offered: list[str]
) -> tuple[dict[str, float], ...]:
    # As the day simulator does: every service offered draws at least 1% of visitors.
    shares = {code: max(fallback.demand_share.get(code, 0.0), 0.01) for code in offered}
    share_total = sum(shares.values())
    weight = {s: fallback.profile.get(s.hour, OTHER_HOURS) * s.hours for s in slots}
    weight_total = sum(weight.values()) or 1.0
    out = []
    for s in slots:
        visitors = fallback.daily_visitors * weight[s] / weight_total
        out.append({code: visitors * shares[code] / share_total for code in offered})
    return tuple(out)


def handling_times(
    history: DemandHistory | None, fallback: Fallback, services: Iterable[str]
) -> dict[str, HandlingTime]:
    """Each service's handling time: measured where history has enough, else configured."""
    out: dict[str, HandlingTime] = {}
    for code in services:
        sample = history.handling.get(code) if history is not None else None
        if sample is not None and sample.count >= MIN_HANDLING_SAMPLES and sample.mean_seconds > 0:
            cv2 = (sample.sd_seconds / sample.mean_seconds) ** 2
            sigma = math.sqrt(math.log1p(cv2)) if cv2 > 0 else DEFAULT_HANDLING_SIGMA
            out[code] = HandlingTime(sample.mean_seconds, sigma, sample.count)
        else:
            out[code] = HandlingTime(fallback.mean_handling_seconds.get(code, 360.0))
    return out


def patience_seconds(history: DemandHistory | None) -> float:
    """Mean patience: walk-outs per second of waiting, turned round; configured default
    when too few visitors walked out to tell."""
    if history is None or history.walkouts < MIN_WALKOUTS or history.waiting_seconds <= 0:
        return DEFAULT_PATIENCE_MINUTES * 60
    return history.waiting_seconds / history.walkouts


@dataclass(frozen=True, slots=True)
class BacktestWeek:
    monday: date
    source: str  # "history", "configuration" or "mixed"
    hours_compared: int
    mape: float | None


@dataclass(frozen=True, slots=True)
class Backtest:
    weeks: tuple[BacktestWeek, ...]
    by_hour: Mapping[str, float | None]  # "09:00" → MAPE over the weeks
    mape: float | None
    hours_compared: int
    hours_without_visitors: int  # actual 0: no percentage error defined


def backtest(
    history: DemandHistory,
    hours: OpeningHours,
    fallback: Fallback,
    services: Iterable[str],
    mondays: Iterable[date],
    window_weeks: int = HISTORY_WEEKS,
) -> Backtest:
    """Forecast each week (from the history before it) and compare hour by hour with what
    happened: the mean absolute percentage error over open hours with visitors."""
    offered = list(services)
    actual: dict[tuple[date, int], int] = defaultdict(int)
    for (d, hour, _), n in history.arrivals.items():
        actual[(d, hour)] += n
    weeks: list[BacktestWeek] = []
    errors_by_hour: dict[str, list[float]] = defaultdict(list)
    all_errors: list[float] = []
    zero = 0
    for monday in sorted(mondays):
        past = usable_days(history, hours, monday, window_weeks)
        this_week = usable_days(history, hours, monday + timedelta(days=7), window_weeks)
        usable = {d for days in this_week.used.values() for d in days}
        errors: list[float] = []
        sources: set[str] = set()
        for offset in range(7):
            day = monday + timedelta(days=offset)
            if day not in usable:
                continue
            demand = forecast_day(day, history, hours, fallback, offered, past)
            sources.add(demand.source)
            by_hour: dict[int, float] = defaultdict(float)
            for k, s in enumerate(demand.slots):
                by_hour[s.hour] += demand.total(k)
            for hour, predicted in sorted(by_hour.items()):
                seen = actual.get((day, hour), 0)
                if seen == 0:
                    zero += 1
                    continue
                err = abs(seen - predicted) / seen
                errors.append(err)
                errors_by_hour[f"{hour:02d}:00"].append(err)
        all_errors.extend(errors)
        source = sources.pop() if len(sources) == 1 else ("mixed" if sources else "none")
        weeks.append(BacktestWeek(monday, source, len(errors), _mean(errors) if errors else None))
    return Backtest(
        weeks=tuple(weeks),
        by_hour={h: _mean(v) for h, v in sorted(errors_by_hour.items())},
        mape=_mean(all_errors) if all_errors else None,
        hours_compared=len(all_errors),
        hours_without_visitors=zero,
    )


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None
