"""Predicted breach for a centre now (DESIGN §3): its live state run forward to the close
(`frontdesk.queue.projection.project`), with today's tickets so far counted in.

Arrivals are the recent rate per service until the close unless the caller passes a
forecast (the staffing plan's demand forecast, when it has one). The supervisor's view
raises its alert from `ServiceProjection.share_within_by_close` against the target.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from frontdesk.config import DAYS, parse_hours
from frontdesk.queue.projection import ArrivalRate, Projection, project
from frontdesk.services.queue import QueueService
from frontdesk.services.reports import WALK_IN_EXCLUDED, ReportService
from frontdesk.services.waits import SEED
from frontdesk.store.catalogue import CentreRef


def project_breach(
    queue: QueueService,
    reports: ReportService,
    centre: str,
    *,
    arrivals: Sequence[ArrivalRate] | None = None,
    runs: int = 40,
) -> Projection:
    """Each service's projected share within standard by the close, and the chance that
    a walk-in arriving in the next 30 / 60 minutes waits longer than the threshold."""
    where = queue.centre(centre)
    now = queue.clock.now()
    with queue.uow.read_core() as s:
        state = queue.centre_reader.state(s, queue.catalogue(), where, now)
    thresholds = {code: threshold_minutes(where, code) * 60 for code in where.services}
    if arrivals is None:
        arrivals = [ArrivalRate(0.0, dict(state.arrivals_per_hour))]
    today = now.astimezone(ZoneInfo(where.timezone)).date()
    so_far: dict[str, tuple[int, int]] = {}
    for code, channel, outcome in reports.outcomes(where.code, today, today):
        if channel in WALK_IN_EXCLUDED or code not in thresholds:
            continue
        counted, within = so_far.get(code, (0, 0))
        if outcome.seen_wait is not None:
            ok = outcome.seen_wait <= thresholds[code]
            so_far[code] = (counted + 1, within + (1 if ok else 0))
        elif outcome.unseen_wait is not None and outcome.unseen_wait > thresholds[code]:
            so_far[code] = (counted + 1, within)
    return project(
        state,
        arrivals,
        seconds_to_close(where, now),
        thresholds,
        random.Random(SEED),
        so_far=so_far,
        runs=runs,
    )


def threshold_minutes(where: CentreRef, service: str) -> float:
    """The waiting standard's threshold in force for a service at a centre."""
    return where.service_standards.get(service, (where.threshold_minutes, 0.0))[0]


def seconds_to_close(where: CentreRef, now: datetime) -> float:
    """Seconds from `now` to the end of the centre's current opening today (0 if closed)."""
    zone = ZoneInfo(where.timezone)
    local = now.astimezone(zone)
    if local.date().isoformat() in where.closures:
        return 0.0
    text = where.hours.get(DAYS[local.weekday()], "")
    for r in parse_hours(text) if text else ():
        if r.opens <= local.time() < r.closes:
            closes = datetime.combine(local.date(), r.closes, tzinfo=zone)
            return max(0.0, (closes - local) / timedelta(seconds=1))
    return 0.0
