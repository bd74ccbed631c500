"""Hour of day × day of week: arrivals, waits and the share within standard — what
supervisors plan rotas from. Local hours of each centre; walk-in tickets."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from frontdesk.queue.figures import share, wait_figures
from frontdesk.queue.tally import VisitTally, merge
from frontdesk.services.reports.common import (
    APPOINTMENT,
    Column,
    Report,
    Source,
    check_period,
    standards_of,
)
from frontdesk.store.catalogue import CentreRef

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

COLUMNS = (
    Column("weekday", "day", "text"),
    Column("hour", "hour", "text"),
    Column("days", "days", "int", brief=False),
    Column("arrivals", "arrivals"),
    Column("arrivals_per_day", "per day", "number"),
    Column("seen", "seen"),
    Column("average_wait_seconds", "avg wait", "seconds"),
    Column("median_wait_seconds", "median wait", "seconds", brief=False),
    Column("p90_wait_seconds", "90% wait", "seconds"),
    Column("share_within_standard", "within standard", "share"),
)


def weekday_counts(day_from: date, day_to: date) -> list[int]:
    """How many Mondays … Sundays the period holds."""
    counts = [0] * 7
    day = day_from
    while day <= day_to:
        counts[day.weekday()] += 1
        day += timedelta(days=1)
    return counts


def hours(source: Source, centres: Sequence[CentreRef], day_from: date, day_to: date) -> Report:
    check_period(day_from, day_to)
    cells: dict[tuple[int, int], VisitTally] = {}
    for _cid, day, hour, (_service, channel), t in source.tallies(
        VisitTally, [c.id for c in centres], day_from, day_to, "h", services=False
    ):
        if channel != APPOINTMENT:
            merge(cells.setdefault((day.weekday(), hour), VisitTally()), t)
    days = weekday_counts(day_from, day_to)
    rows = []
    for (weekday, hour), t in sorted(cells.items()):
        rows.append(
            {
                "weekday": WEEKDAYS[weekday],
                "hour": f"{hour:02d}:00",
                "days": days[weekday],
                "arrivals": t.issued,
                "arrivals_per_day": t.issued / days[weekday] if days[weekday] else None,
                "seen": t.seen,
                **wait_figures(t),
                "share_within_standard": share(t.seen_within, t.seen + t.breached),
            }
        )
    return Report(
        name="hours",
        title="Arrivals and waits by hour of day and day of week",
        date_from=day_from,
        date_to=day_to,
        centres=tuple(c.code for c in centres),
        standards=standards_of(centres),
        denominators={
            "per day": "days of that weekday in the period",
            "waits": "walk-in tickets seen, by the hour they were issued",
            "within standard": "seen + ended unseen over the threshold",
        },
        columns=COLUMNS,
        rows=tuple(rows),
        notes=(
            "walk-in tickets by the local hour they were issued; hours with none are left out",
            "median and 90% waits are to the 30 seconds above",
        ),
    )
