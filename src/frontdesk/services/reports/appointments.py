"""The appointments report (`services.appointment_reports`) as a table, for the table,
CSV and spreadsheet outputs: one row per appointment type and one for them all."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from frontdesk.services.reports.common import Column, Report, standards_of
from frontdesk.store.catalogue import CentreRef

COLUMNS = (
    Column("type", "appointment type", "text"),
    Column("booked", "booked"),
    Column("attended", "attended"),
    Column("no_show", "no-shows"),
    Column("left", "left unseen", "int", brief=False),
    Column("cancelled", "cancelled", "int", brief=False),
    Column("no_show_rate", "no-show rate", "share"),
    Column("booked_minutes", "booked minutes", "number", brief=False),
    Column("called", "called", "int", brief=False),
    Column("average_wait_seconds", "wait after due", "seconds"),
    Column("share_within_threshold", "on time", "share"),
)


def as_table(data: dict[str, Any], centres: Sequence[CentreRef]) -> Report:
    rows: list[dict[str, Any]] = [
        {"type": code, **{k: v for k, v in t.items()}}
        for code, t in sorted(data["by_type"].items())
    ]
    p = data["punctuality"]
    rows.append(
        {
            "type": "all",
            "booked": sum(t["booked"] for t in data["by_type"].values()),
            "attended": data["attended"],
            "no_show": data["by_status"].get("no_show", 0),
            "left": data["left"],
            "cancelled": data["by_status"].get("cancelled", 0),
            "no_show_rate": data["no_show_rate"],
            "booked_minutes": sum(t["booked_minutes"] for t in data["by_type"].values()),
            "called": p["called"],
            "average_wait_seconds": p["average_wait_seconds"],
            "share_within_threshold": p["share_within_threshold"],
        }
    )
    return Report(
        name="appointments",
        title="Appointments",
        date_from=date.fromisoformat(data["from"]),
        date_to=date.fromisoformat(data["to"]),
        centres=tuple(c.code for c in centres),
        standards=standards_of(centres),
        denominators={
            "attended": "checked in and seen, or still in the building",
            "no-show rate": "no-shows + attended + left unseen",
            "on time": f"appointments called (within {p['threshold_minutes']:g} minutes of "
            "the later of check-in and booked time)",
        },
        columns=COLUMNS,
        rows=tuple(rows),
        notes=("punctuality is reported for all types together",),
    )
