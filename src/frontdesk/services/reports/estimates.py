"""The estimates' accuracy (`services.estimate_report`) as a report table, for the
supervisor's reports screen and its CSV and spreadsheet exports: per centre, one row for
all its estimates, then one per service and one per local hour of issue."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from frontdesk.queue.accuracy import AccuracyFigures
from frontdesk.services.estimate_report import INTERVAL, EstimateAccuracy
from frontdesk.services.reports.common import Column, Report, standards_of
from frontdesk.store.catalogue import CentreRef

COLUMNS = (
    Column("centre", "centre", "text"),
    Column("scope", "service or hour", "text"),
    Column("tickets", "tickets"),
    Column("mean_absolute_error_seconds", "mean abs. error", "seconds"),
    Column("mean_error_seconds", "bias (waited − told)", "number"),
    Column("share_inside_interval", f"inside {INTERVAL * 100:g}% range", "share"),
    Column("share_under_by_more_than_5_minutes", "told >5 min short", "share"),
)


def _row(centre: str, scope: str, f: AccuracyFigures) -> dict[str, Any]:
    return {"centre": centre, "scope": scope, **f.as_json()}


def as_table(reports: Sequence[EstimateAccuracy], centres: Sequence[CentreRef]) -> Report:
    rows: list[dict[str, Any]] = []
    for r in reports:
        rows.append(_row(r.centre, "all", r.overall))
        rows += [_row(r.centre, code, f) for code, f in r.by_service.items()]
        rows += [_row(r.centre, hour, f) for hour, f in r.by_hour.items()]
    first = reports[0]
    return Report(
        name="estimates",
        title="Estimated waits against waits had",
        date_from=first.date_from,
        date_to=first.date_to,
        centres=tuple(r.centre for r in reports),
        standards=standards_of(centres),
        denominators={
            "every figure": "walk-in tickets seen that were given an estimate",
        },
        columns=COLUMNS,
        rows=tuple(rows),
        notes=("bias in seconds: positive means visitors waited longer than they were told",),
        extra={"estimated": {r.centre: r.estimated for r in reports}},
    )
