"""SQL the rollups are folded from: each centre's standards, and the tickets of a period
with their events in log order.

A rebuild reads every event of the history, so these statements go to the driver as
written (SQLAlchemy's per-row processing was most of a rebuild's time); timestamps come
back timezone-aware in UTC on both backends, as `UTCDateTime` gives them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, Row, func, select
from sqlmodel import Session

from frontdesk.queue.visit_facts import VisitEvent, micros_of
from frontdesk.store.dialect import Executor
from frontdesk.store.paging import rows_after
from frontdesk.store.tables import (
    Appointment,
    Centre,
    CentreService,
    Ticket,
    TicketEvent,
    core_table,
)

T = core_table(Ticket)
E = core_table(TicketEvent)
C = core_table(Centre)
CS = core_table(CentreService)
AP = core_table(Appointment)


@dataclass(frozen=True, slots=True)
class CentreStandards:
    id: int
    timezone: str
    threshold_seconds: float
    own: dict[int, float]  # service id → the threshold of the service's own standard

    def fingerprint(self) -> str:
        own = ",".join(f"{k}={v:g}" for k, v in sorted(self.own.items()))
        return f"{self.threshold_seconds:g};{own};{self.timezone}"


def standards(session: Executor) -> dict[int, CentreStandards]:
    """Every centre's time zone and thresholds, read from the store (not a cache)."""
    own: dict[int, dict[int, float]] = {}
    for r in session.execute(select(CS.c.centre_id, CS.c.service_id, CS.c.threshold_minutes)):
        if r.threshold_minutes is not None:
            own.setdefault(r.centre_id, {})[r.service_id] = r.threshold_minutes * 60
    return {
        r.id: CentreStandards(r.id, r.timezone, r.threshold_minutes * 60, own.get(r.id, {}))
        for r in session.execute(select(C.c.id, C.c.timezone, C.c.threshold_minutes))
    }


def centre_ids(session: Executor, codes: Sequence[str]) -> list[int]:
    wanted = [c.strip().upper() for c in codes]
    return [r[0] for r in session.execute(select(C.c.id).where(C.c.code.in_(wanted)))]


def ticket_days(
    session: Executor, centre_id: int, day_from: date | None, day_to: date | None
) -> list[date]:
    """The local dates on which the centre issued tickets, within the bounds given."""
    stmt = select(T.c.business_day).where(T.c.centre_id == centre_id).distinct()
    if day_from is not None:
        stmt = stmt.where(T.c.business_day >= day_from)
    if day_to is not None:
        stmt = stmt.where(T.c.business_day <= day_to)
    return sorted(r[0] for r in session.execute(stmt))


def events_after(session: Executor, watermark: int) -> list[Row[Any]]:
    """(id, centre_id, business_day, issued_at) of every event after the watermark."""
    return rows_after(
        session,
        lambda after: (
            select(E.c.id, T.c.centre_id, T.c.business_day, T.c.issued_at)
            .join(T, T.c.id == E.c.ticket_id)
            .where(E.c.id > after)
            .order_by(E.c.id)
        ),
        watermark,
    )


# -- tickets and events, straight from the driver ------------------------------------------


class TicketRow(NamedTuple):
    id: int
    service_id: int
    channel: str
    business_day: date
    issued_at: datetime
    issued_us: int  # the same instant in microseconds since the epoch
    estimated_wait_seconds: int | None
    estimated_wait_low_seconds: int | None
    estimated_wait_high_seconds: int | None


def _cursor(session: Executor, sql: str, params: Sequence[Any]) -> tuple[Any, bool]:
    """A driver cursor that ran `sql`, inside the session's transaction."""
    conn = session if isinstance(session, Connection) else session.connection()
    cur = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    cur.execute(sql, tuple(params))
    return cur, conn.dialect.name == "sqlite"


def _is_sqlite(session: Executor) -> bool:
    conn = session if isinstance(session, Connection) else session.connection()
    return conn.dialect.name == "sqlite"


def _aware(value: Any) -> Any:
    if value is None or isinstance(value, datetime):
        return value if value is None or value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


def _told() -> str:
    # The 80% interval columns come with the estimate issue's migration; until then the
    # interval is simply not known.
    return ", ".join(
        name if name in T.c else "NULL"
        for name in (
            "estimated_wait_seconds",
            "estimated_wait_low_seconds",
            "estimated_wait_high_seconds",
        )
    )


def _mark(sqlite: bool) -> str:
    return "?" if sqlite else "%s"


def _us(column: str, sqlite: bool) -> str:
    """SQL for a timestamp column as whole microseconds since the epoch (exact: SQLite
    keeps naive UTC text with six decimals, PostgreSQL's epoch is numeric)."""
    if sqlite:
        return (
            f"(CAST(strftime('%s', {column}) AS INTEGER) * 1000000"
            f" + CAST(substr({column}, 21, 6) AS INTEGER))"
        )
    return f"CAST(extract(epoch FROM {column}) * 1000000 AS bigint)"


def _period(sqlite: bool, centre_id: int, day_from: date, day_to: date) -> tuple[Any, ...]:
    if sqlite:
        return (centre_id, day_from.isoformat(), day_to.isoformat())
    return (centre_id, day_from, day_to)


def tickets_between(
    session: Executor, centre_id: int, day_from: date, day_to: date
) -> list[TicketRow]:
    """The centre's tickets issued on local dates [day_from, day_to]."""
    sqlite = _is_sqlite(session)
    m = _mark(sqlite)
    sql = (
        f"SELECT id, service_id, channel, business_day, issued_at, {_us('issued_at', sqlite)},"
        f" {_told()} FROM ticket"
        f" WHERE centre_id = {m} AND business_day >= {m} AND business_day <= {m}"
    )
    cur, _ = _cursor(session, sql, _period(sqlite, centre_id, day_from, day_to))
    out = []
    for r in cur.fetchall():
        day = date.fromisoformat(r[3]) if sqlite else r[3]
        out.append(TicketRow(r[0], r[1], r[2], day, _aware(r[4]), r[5], r[6], r[7], r[8]))
    return out


def _event_columns(sqlite: bool) -> str:
    # In VisitEvent's order, after the ticket id.
    return (
        f"e.ticket_id, e.step, {_us('e.at', sqlite)}, e.service_id, e.desk_id, e.staff,"
        " e.topic_id, e.resolved, e.avoidable, e.feedback, e.seen_before"
    )


def _events(rows: Any) -> Iterator[tuple[int, VisitEvent]]:
    make = VisitEvent._make
    for r in rows:
        yield r[0], make(r[1:])


def events_between(
    session: Executor, centre_id: int, day_from: date, day_to: date
) -> Iterator[tuple[int, VisitEvent]]:
    """(ticket id, event) of the centre's tickets issued on [day_from, day_to], per
    ticket in log order."""
    sqlite = _is_sqlite(session)
    m = _mark(sqlite)
    sql = (
        f"SELECT {_event_columns(sqlite)} FROM ticket_event e JOIN ticket t ON t.id = e.ticket_id"
        f" WHERE t.centre_id = {m} AND t.business_day >= {m} AND t.business_day <= {m}"
        " ORDER BY e.ticket_id, e.id"
    )
    cur, _ = _cursor(session, sql, _period(sqlite, centre_id, day_from, day_to))
    while rows := cur.fetchmany(5000):
        yield from _events(rows)


def events_of(session: Executor, ticket_ids: Sequence[int]) -> Iterator[tuple[int, VisitEvent]]:
    """(ticket id, event) of these tickets, per ticket in log order."""
    sqlite = _is_sqlite(session)
    ids = sorted(ticket_ids)
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = ", ".join(_mark(sqlite) for _ in chunk)
        sql = (
            f"SELECT {_event_columns(sqlite)} FROM ticket_event e WHERE e.ticket_id IN ({marks})"
            " ORDER BY e.ticket_id, e.id"
        )
        cur, _ = _cursor(session, sql, chunk)
        yield from _events(cur.fetchall())


def appointments_due(session: Executor, ticket_ids: Sequence[int]) -> dict[int, int]:
    """ticket id → the later of its booking's start and its check-in (microseconds)."""
    out: dict[int, int] = {}
    ids = list(ticket_ids)
    for i in range(0, len(ids), 500):
        stmt = select(AP.c.ticket_id, AP.c.starts_at, AP.c.checked_in_at).where(
            AP.c.ticket_id.in_(ids[i : i + 500])
        )
        for r in session.execute(stmt):
            out[r.ticket_id] = micros_of(max(r.starts_at, r.checked_in_at or r.starts_at))
    return out


def max_event_id(session: Session | Connection) -> int:
    return int(session.execute(select(func.coalesce(func.max(E.c.id), 0))).scalar_one())
