"""The event log of a centre's tickets, streamed as interchange rows for the export.

The rows are shaped by the database (codes, desk names, ISO 8601 UTC times, `true` /
`false`) so the export only writes them, and they come in batches from a server-side
cursor on PostgreSQL (SQLite steps through its result as it goes): an export of years of
history holds one batch in memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

from sqlalchemy import Connection

BATCH = 10_000
# A recall is exported as a call; `finished` and `returned` are implied by the other rows.
_EXPORTED = (
    "'issued', 'called', 'recalled', 'no_show', 'started', 'transferred', 'completed', "
    "'cancelled', 'left'"
)
_SQL = """
SELECT coalesce(t.external_ref, {centre} || '-' || {day} || '-' || t.label),
       {centre},
       s.code,
       CASE e.step WHEN 'recalled' THEN 'called' ELSE e.step END,
       {at},
       CASE WHEN e.step IN ('called', 'recalled', 'no_show', 'started', 'transferred',
                            'completed')
            THEN coalesce(d.name, '') ELSE '' END,
       CASE WHEN e.step = 'completed'
            THEN CASE WHEN e.resolved THEN 'true' ELSE 'false' END ELSE '' END,
       CASE WHEN e.step = 'completed' THEN coalesce(e.avoidable, '') ELSE '' END
FROM ticket t
JOIN ticket_event e ON e.ticket_id = t.id
JOIN service s ON s.id = e.service_id
LEFT JOIN desk d ON d.id = e.desk_id
WHERE t.centre_id = {cid} AND t.business_day >= {lo} AND t.business_day <= {hi}
  AND e.step IN ({steps})
ORDER BY t.business_day, t.id, e.id
"""
# `2026-03-02T09:14:05+00:00`, with a fraction only when there is one (as Python's
# datetime.isoformat writes it). SQLite keeps "YYYY-MM-DD HH:MM:SS.ffffff" in UTC.
_SQLITE_AT = (
    "substr(e.at, 1, 10) || 'T' || substr(e.at, 12, 8)"
    " || CASE WHEN substr(e.at, 21) IN ('', '000000') THEN '' ELSE substr(e.at, 20) END"
    " || '+00:00'"
)
_PG_AT = (
    "to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS')"
    " || CASE WHEN date_trunc('second', e.at) = e.at THEN ''"
    " ELSE to_char(e.at AT TIME ZONE 'UTC', '.US') END || '+00:00'"
)


def event_rows(
    conn: Connection, centre_id: int, centre_code: str, day_from: str, day_to: str
) -> Iterator[list[tuple[str, ...]]]:
    """Batches of (visit, centre, service, event, at, desk, resolved, avoidable) for the
    tickets issued at a centre between two local dates (ISO, inclusive), in ticket order
    and log order within a ticket. A visit not imported is named CENTRE-DATE-TICKET."""
    raw: Any = cast(Any, conn.connection.dbapi_connection)
    params = {"code": centre_code, "cid": centre_id, "lo": day_from, "hi": day_to}
    if conn.dialect.name == "postgresql":
        sql = _SQL.format(
            centre="%(code)s",
            day="t.business_day::text",
            at=_PG_AT,
            cid="%(cid)s",
            lo="%(lo)s::date",
            hi="%(hi)s::date",
            steps=_EXPORTED,
        )
        with raw.cursor(name="frontdesk_export") as cur:
            cur.itersize = BATCH
            cur.execute(sql, params)
            while batch := cur.fetchmany(BATCH):
                yield batch
        return
    sql = _SQL.format(
        centre=":code",
        day="t.business_day",
        at=_SQLITE_AT,
        cid=":cid",
        lo=":lo",
        hi=":hi",
        steps=_EXPORTED,
    )
    cur = raw.execute(sql, params)
    try:
        while batch := cur.fetchmany(BATCH):
            yield batch
    finally:
        cur.close()
