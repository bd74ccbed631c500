"""Arrivals expected for the rest of the day, per service (the outlook's input).

`ArrivalForecast` is the port. `ProfileForecast` is the first implementation: the
centre's configured daily visitors shared among its services by their demand share and
spread over the opening hours by the usual hourly profile of council receptions (the one
the simulator uses), still used while a centre has too little history.
`services.oversight.history.HistoryForecast` forecasts from the rollups by weekday and
hour.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from frontdesk.config import DAYS, parse_hours
from frontdesk.planning.forecast import HOURLY_PROFILE
from frontdesk.store.catalogue import Catalogue, CentreRef

Steps = dict[str, tuple[tuple[float, float], ...]]


class ArrivalForecast(Protocol):
    def steps(self, cat: Catalogue, where: CentreRef, now: datetime) -> Steps:
        """Per service: (seconds from now, walk-ins per hour) steps until today's close."""
        ...


def spans_today(where: CentreRef, now: datetime) -> list[tuple[datetime, datetime]]:
    """Today's opening ranges at the centre, in its local time (none on a closure)."""
    tz = ZoneInfo(where.timezone)
    local = now.astimezone(tz)
    if local.date().isoformat() in where.closures:
        return []
    text = where.hours.get(DAYS[local.weekday()], "")
    if not text:
        return []
    day = local.date()
    return [
        (datetime.combine(day, r.opens, tzinfo=tz), datetime.combine(day, r.closes, tzinfo=tz))
        for r in parse_hours(text)
    ]


def close_in_seconds(where: CentreRef, now: datetime) -> float:
    """Seconds until today's last closing time (0 when closed for the rest of the day)."""
    spans = spans_today(where, now)
    if not spans:
        return 0.0
    return max(0.0, (spans[-1][1] - now).total_seconds())


def _weight(a: datetime, b: datetime) -> float:
    profile = HOURLY_PROFILE
    total, t = 0.0, a
    while t < b:
        nxt = min(b, (t + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0))
        total += profile.get(t.hour, 0.3) * (nxt - t).total_seconds() / 3600
        t = nxt
    return total


class ProfileForecast:
    """The configured day, shaped by the usual hourly profile."""

    def steps(self, cat: Catalogue, where: CentreRef, now: datetime) -> Steps:
        spans = spans_today(where, now)
        weight = sum(_weight(a, b) for a, b in spans)
        if weight <= 0:
            return {}
        profile = HOURLY_PROFILE
        shares = {c: max(cat.services[c].demand_share, 0.01) for c in where.services}
        total_share = sum(shares.values())
        out: dict[str, list[tuple[float, float]]] = {c: [] for c in where.services}
        for a, b in spans:
            t = max(a, now)
            while t < b:
                nxt = min(b, (t + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0))
                per_hour = where.daily_visitors * profile.get(t.hour, 0.3) / weight
                start = (t - now).total_seconds()
                for code, share in shares.items():
                    out[code].append((start, per_hour * share / total_share))
                t = nxt
            # Closed between ranges (lunch): nobody arrives until the next range.
            if b > now:
                for code in out:
                    out[code].append(((b - now).total_seconds(), 0.0))
        return {code: tuple(steps) for code, steps in out.items() if steps}


# Walk-ins seen in the last minutes count as a rush only beyond what chance brings at the
# forecast rate: the most that arrive by chance more often than RUSH_CHANCE (Poisson) are
# set aside, and the rest — the excess — is added to the forecast. Several windows are
# judged (a rush shows first as a clump within a minute or two, then as a busy ten
# minutes), each strictly, so that a busy few minutes now and then in a calm week stay
# chance and raise no alarm.
RUSH_CHANCE = 1e-5
# The forecast is taken as at least this many walk-ins an hour when judging a burst (a
# service history says nobody comes for is not rushed by its first visitor).
FLOOR_PER_HOUR = 2.0


def chance_count(expected: float) -> int:
    """The most arrivals chance brings at Poisson mean `expected`: the largest n with
    P(N ≥ n) ≥ RUSH_CHANCE."""
    term = total = math.exp(-expected)  # P(N = 0), then the sum of P(N = k) for k < n + 1
    n = 0
    while 1.0 - total >= RUSH_CHANCE:
        n += 1
        term *= expected / n
        total += term
    return n


def with_recent(steps: Steps, observed: Mapping[float, Mapping[str, int]], horizon: float) -> Steps:
    """The forecast, but for the next `horizon` seconds with the walk-ins beyond chance
    added: `observed` holds, per window (seconds back from now), the walk-ins per service
    in it; the window showing the most beyond chance (`chance_count`) at the forecast rate
    gives the extra rate. A rush shows in the arrivals minutes before it shows in
    anyone's wait."""
    out: Steps = {}
    codes = set(steps).union(*(set(counts) for counts in observed.values()))
    for code in codes:
        own = steps.get(code, ())

        def rate_at(t: float, own: tuple[tuple[float, float], ...] = own) -> float:
            current = 0.0
            for start, per_hour in own:
                if start <= t:
                    current = per_hour
            return current

        extra = 0.0
        for window, counts in observed.items():
            expected = max(rate_at(0.0), FLOOR_PER_HOUR) * window / 3600
            excess = max(0, counts.get(code, 0) - chance_count(expected))
            extra = max(extra, excess * 3600 / window)
        seen = rate_at(0.0) + extra if extra else 0.0

        cuts = sorted({0.0, horizon, *(s for s, _ in own)})
        merged = []
        for t in cuts:
            rate = rate_at(t)
            merged.append((t, max(rate, seen) if t < horizon else rate))
        out[code] = tuple(merged)
    return out
