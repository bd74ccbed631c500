"""The supervisor's view read from the rollups (`frontdesk.services.rollups`): the share
within standard over the week's past days, and the day's arrivals forecast from history
by weekday and local hour. Both read a few rollup rows, never the event log, and keep
what they read for the day (past days are done)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from frontdesk.config import DAYS
from frontdesk.queue.tally import VisitTally
from frontdesk.services.oversight.forecast import ProfileForecast, Steps, spans_today
from frontdesk.services.queue import QueueService
from frontdesk.services.reports.common import APPOINTMENT, Source
from frontdesk.store.catalogue import Catalogue, CentreRef

# How far back the forecast looks for days like today (the same weekday, open).
HISTORY_WEEKS = 8
# Fewer such days than this with any walk-in, and the configured profile is used.
MIN_DAYS = 2


class RollupPastDays:
    """(seen within the centre's threshold, seen + ended unseen over it) for walk-ins
    issued over past days, from the rollups' all-services rows."""

    def __init__(self, source: Source, queue: QueueService) -> None:
        self.source = source
        self.queue = queue
        self._cache: dict[tuple[str, date, date], tuple[int, int]] = {}

    def counts(self, centre: str, day_from: date, day_to: date) -> tuple[int, int]:
        key = (centre, day_from, day_to)
        if key not in self._cache:
            where = self.queue.centre(centre)
            within = counted = 0
            for _c, _d, _h, channel, t in self.source.tallies(
                VisitTally, [where.id], day_from, day_to, "auto", services=False
            ):
                if channel != APPOINTMENT:
                    within += t.seen_within
                    counted += t.seen + t.breached
            self._cache[key] = (within, counted)
        return self._cache[key]


class HistoryForecast:
    """Per service, the walk-ins that arrived in each local hour on the same weekday over
    the last `weeks` weeks, averaged over the days the centre was open since its history
    begins; the configured
    profile (`ProfileForecast`) until there are `MIN_DAYS` such days with arrivals."""

    def __init__(self, source: Source, weeks: int = HISTORY_WEEKS) -> None:
        self.source = source
        self.weeks = weeks
        self.fallback = ProfileForecast()
        # (centre id, local date) → service code → hour → walk-ins per hour
        self._days: dict[tuple[int, date], dict[str, dict[int, float]] | None] = {}

    def per_hour(
        self, cat: Catalogue, where: CentreRef, day: date
    ) -> dict[str, dict[int, float]] | None:
        """Service → local hour → expected walk-ins, or None when history is too thin."""
        key = (where.id, day)
        if key not in self._days:
            self._days[key] = self._read(cat, where, day)
        return self._days[key]

    def _read(
        self, cat: Catalogue, where: CentreRef, day: date
    ) -> dict[str, dict[int, float]] | None:
        like = [day - timedelta(weeks=w) for w in range(1, self.weeks + 1)]
        weekday = DAYS[day.weekday()]
        open_days = {
            d for d in like if where.hours.get(weekday) and d.isoformat() not in where.closures
        }
        if not open_days:
            return None
        summed: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
        busy: set[date] = set()
        for _c, d, hour, (service_id, channel), t in self.source.tallies(
            VisitTally, [where.id], min(like), max(like), "h"
        ):
            if d in open_days and channel != APPOINTMENT and t.issued:
                ref = cat.service_by_id.get(service_id)
                code = ref.code if ref else None
                if code in where.services:
                    summed[code][hour] += t.issued
                    busy.add(d)
        if len(busy) < MIN_DAYS:
            return None
        # Averaged over the open days since history begins: weeks before the store held
        # any visits are not days nobody came (four weeks of history are not halved by
        # the eight looked at).
        n = sum(1 for d in open_days if d >= min(busy))
        return {code: {h: v / n for h, v in hours.items()} for code, hours in summed.items()}

    def steps(self, cat: Catalogue, where: CentreRef, now: datetime) -> Steps:
        local = now.astimezone(ZoneInfo(where.timezone))
        history = self.per_hour(cat, where, local.date())
        if history is None:
            return self.fallback.steps(cat, where, now)
        out: dict[str, list[tuple[float, float]]] = {c: [] for c in where.services}
        for a, b in spans_today(where, now):
            t = max(a, now)
            while t < b:
                nxt = min(b, (t + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0))
                start = (t - now).total_seconds()
                for code in out:
                    out[code].append((start, history.get(code, {}).get(t.hour, 0.0)))
                t = nxt
            # Closed between ranges (lunch): nobody arrives until the next range.
            if b > now:
                for code in out:
                    out[code].append(((b - now).total_seconds(), 0.0))
        return {code: tuple(steps) for code, steps in out.items() if steps}
