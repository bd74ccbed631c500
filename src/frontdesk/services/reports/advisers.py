"""Per adviser: customers served, handling time, first-contact resolution, and time at a
desk — open, paused (by reason) and idle (open, not paused, with nobody at the desk)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from frontdesk.queue.desk_time import DeskTime, desk_time, parse_change
from frontdesk.queue.figures import mean_seconds, share
from frontdesk.queue.tally import AdviserTally, merge
from frontdesk.services.reports.common import Column, Report, Source, check_period, standards_of
from frontdesk.store import report_reads as rr
from frontdesk.store.catalogue import CentreRef
from frontdesk.store.engine import UnitOfWork

NOBODY = "(not logged in)"

COLUMNS = (
    Column("staff", "adviser", "text"),
    Column("name", "name", "text"),
    Column("customers", "customers"),
    Column("handling_mean_seconds", "handling mean", "seconds"),
    Column("handling_seconds", "handling total", "seconds", brief=False),
    Column("queries", "queries"),
    Column("first_contact_resolution", "FCR", "share"),
    Column("resolved_in_one_visit", "resolved", "share", brief=False),
    Column("open_seconds", "time open", "seconds"),
    Column("paused_seconds", "paused", "seconds"),
    Column("paused_reasons", "paused for", "text", brief=False),
    Column("idle_seconds", "idle", "seconds"),
)


def _local_bounds(c: CentreRef, day_from: date, day_to: date) -> tuple[datetime, datetime]:
    tz = ZoneInfo(c.timezone)
    start = datetime.combine(day_from, time.min, tzinfo=tz)
    return start, datetime.combine(day_to + timedelta(days=1), time.min, tzinfo=tz)


def desk_times(
    uow: UnitOfWork, now: datetime, centres: Sequence[CentreRef], day_from: date, day_to: date
) -> dict[str, DeskTime]:
    """Staff code → time at these centres' desks over the period (local dates)."""
    zones = {c.code: ZoneInfo(c.timezone) for c in centres}
    bounds = [_local_bounds(c, day_from, day_to) for c in centres]
    since, until = min(b[0] for b in bounds), max(b[1] for b in bounds)
    with uow.read() as s:
        rows = rr.desk_changes(s, since, until)
    changes = []
    for r in rows:
        change = parse_change(r.at, r.action, r.staff, r.detail or "")
        if change is not None and change.desk.split("/", 1)[0] in zones:
            changes.append(change)

    def day_end(desk: str, at: datetime) -> datetime:
        tz = zones[desk.split("/", 1)[0]]
        local = at.astimezone(tz).date() + timedelta(days=1)
        return min(datetime.combine(local, time.min, tzinfo=tz), now)

    out: dict[str, DeskTime] = {}
    for c, (start, end) in zip(centres, bounds, strict=True):
        mine = [ch for ch in changes if ch.desk.split("/", 1)[0] == c.code]
        for staff, t in desk_time(mine, start, end, day_end).items():
            have = out.setdefault(staff, DeskTime())
            have.open_seconds += t.open_seconds
            for why, secs in t.paused_seconds.items():
                have.paused_seconds[why] = have.paused_seconds.get(why, 0.0) + secs
    return out


def advisers(
    source: Source,
    uow: UnitOfWork,
    now: datetime,
    centres: Sequence[CentreRef],
    day_from: date,
    day_to: date,
) -> Report:
    check_period(day_from, day_to)
    tallies: dict[str, AdviserTally] = {}
    for _cid, _day, _hour, staff, t in source.tallies(
        AdviserTally, [c.id for c in centres], day_from, day_to, "auto"
    ):
        merge(tallies.setdefault(staff, AdviserTally()), t)
    times = desk_times(uow, now, centres, day_from, day_to)
    with uow.read() as s:
        names = rr.staff_names(s)
    rows = [
        _row(staff, names.get(staff, ""), tallies.get(staff, AdviserTally()), times.get(staff))
        for staff in sorted(set(tallies) | set(times), key=lambda k: (k == "", k))
    ]
    return Report(
        name="advisers",
        title="Advisers",
        date_from=day_from,
        date_to=day_to,
        centres=tuple(c.code for c in centres),
        standards=standards_of(centres),
        denominators={
            "handling mean": "customers timed (answered call to finish or transfer)",
            "FCR, resolved": "queries the adviser completed",
            "idle": "time open, less paused, less handling",
        },
        columns=COLUMNS,
        rows=tuple(rows),
        notes=(
            "all visits, walk-in and appointments; time at desks from desks opened, "
            "paused and closed (a desk left open counts to the end of its day)",
        ),
    )


def _row(staff: str, name: str, t: AdviserTally, time_at: DeskTime | None) -> dict[str, Any]:
    handling = t.handling_us / 1_000_000
    open_s = time_at.open_seconds if time_at else 0.0
    paused = time_at.paused_total if time_at else 0.0
    reasons = dict(sorted((time_at.paused_seconds if time_at else {}).items()))
    return {
        "staff": staff or NOBODY,
        "name": name,
        "customers": t.customers,
        "handling_mean_seconds": mean_seconds(t.handling_us, t.handled),
        "handling_seconds": handling,
        "queries": t.queries,
        "first_contact_resolution": share(t.fcr, t.queries),
        "resolved_in_one_visit": share(t.resolved, t.queries),
        "open_seconds": open_s,
        "paused_seconds": paused,
        "paused_by_reason": reasons,
        "paused_reasons": "; ".join(f"{k} {v / 60:.0f} min" for k, v in reasons.items()),
        "idle_seconds": max(0.0, open_s - paused - handling) if time_at else None,
    }
