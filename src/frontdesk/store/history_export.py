"""The event log of a centre's tickets, streamed for the interchange export.

Rows come in batches from a server-side cursor on PostgreSQL (SQLite steps through its
result as it goes), so an export of years of history holds one batch in memory. Times
come back as ISO 8601 UTC text, the interchange's own form, without a datetime per row.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

from sqlalchemy import Connection

BATCH = 10_000
# Steps in the interchange vocabulary; a recall is exported as a call. `finished` and
# `returned` are implied by the other rows.
_EXPORTED = (
    "issued",
    "called",
    "no_show",
    "started",
    "transferred",
    "completed",
    "cancelled",
    "left",
)
_STEP = "CASE e.step WHEN 'recalled' THEN 'called' ELSE e.step END"
_SQL = """
SELECT t.external_ref, {day}, t.label, {step}, {at}, e.service_id, e.desk_id, e.resolved,
       e.avoidable
FROM ticket t JOIN ticket_event e ON e.ticket_id = t.id
WHERE t.centre_id = {mark} AND t.business_day >= {mark} AND t.business_day <= {mark}
  AND e.step IN ({steps})
ORDER BY t.business_day, t.id, e.id
"""


def event_rows(conn: Connection, centre_id: int, day_from: str, day_to: str) -> Iterator[list[Any]]:
    """Batches of (visit ref, business day, label, step, at, service id, desk id, resolved,
    avoidable) for tickets issued at the centre between two local dates (ISO, inclusive),
    in ticket order and log order within a ticket."""
    raw: Any = cast(Any, conn.connection.dbapi_connection)
    steps = ", ".join(f"'{s}'" for s in (*_EXPORTED, "recalled"))
    params = (centre_id, day_from, day_to)
    if conn.dialect.name == "postgresql":
        sql = _SQL.format(
            day="t.business_day::text",
            step=_STEP,
            at="to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US')",
            mark="%s",
            steps=steps,
        )
        with raw.cursor(name="frontdesk_export") as cur:
            cur.itersize = BATCH
            cur.execute(sql, params)
            while batch := cur.fetchmany(BATCH):
                yield [_iso(r) for r in batch]
        return
    sql = _SQL.format(day="t.business_day", step=_STEP, at="e.at", mark="?", steps=steps)
    cur = raw.execute(sql, params)
    try:
        while batch := cur.fetchmany(BATCH):
            yield [_iso(r) for r in batch]
    finally:
        cur.close()


def _iso(row: Any) -> tuple[Any, ...]:
    """The row with its time as `2026-03-02T09:14:05+00:00` (fraction only when there is
    one), as `datetime.isoformat` writes it: from "YYYY-MM-DD?HH:MM:SS[.ffffff]" text."""
    at = row[4]
    fraction = at[19:]
    at = f"{at[:10]}T{at[11:19]}{'' if fraction.strip('.0') == '' else fraction}+00:00"
    return (*row[:4], at, *row[5:])
