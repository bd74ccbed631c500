"""A step at a desk (start, no-show, recall, complete) written in one short transaction of
hand-written SQL on the driver's connection — after the call, the most frequent writes in
a reception, and on SQLite they queue for the same lock as the calls.

The ticket moves only if it is still in the status the step was checked against; the
desk lets go of it when the step ends the visit there; the events are logged. All or
nothing:

- SQLite: ``BEGIN IMMEDIATE``, the update, the desk, the events, ``COMMIT``.
- PostgreSQL: one statement in autocommit (no BEGIN and COMMIT round trips); the event
  insert fires the live screens' NOTIFY trigger (migration 0007).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any, NamedTuple

from sqlalchemy.exc import OperationalError

from frontdesk.store.engine import UnitOfWork, begin_immediate, unavailable
from frontdesk.store.sql.driver import driver_connection
from frontdesk.store.tables import TicketEvent, core_table
from frontdesk.store.types import read_stamp, stamp

EVENT_COLUMNS = (
    "ticket_id",
    "centre_id",
    "step",
    "at",
    "service_id",
    "desk_id",
    "staff",
    "topic_id",
    "resolved",
    "handoff",
    "avoidable",
    "feedback",
    "text",
    "seen_before",
)
_PG_TYPES: dict[str, str] = {}


def _pg_type(column: str) -> str:
    """The event column's PostgreSQL type, for casts in VALUES rows (compiled on first
    use: the apps on SQLite need not load the PostgreSQL dialect)."""
    if not _PG_TYPES:
        from sqlalchemy.dialects import postgresql

        table = core_table(TicketEvent)
        _PG_TYPES.update(
            {c: table.c[c].type.compile(dialect=postgresql.dialect()) for c in EVENT_COLUMNS}
        )
    return _PG_TYPES[column]


_SQL: dict[tuple[str, tuple[str, ...], bool, int], str] = {}


class Held(NamedTuple):
    """The ticket a desk holds, as the services read it (queue_store.TICKET_COLUMNS)."""

    id: int
    centre_id: int
    service_id: int
    label: str
    status: str
    issued_at: datetime
    queued_at: datetime
    called_at: datetime | None
    desk_id: int | None
    target_desk_id: int | None
    priority: str | None
    needs: str
    note: str | None
    channel: str
    business_day: date
    token: str | None
    transfers: int
    estimated_wait_seconds: int | None


_HELD = (
    f"SELECT {', '.join('t.' + f for f in Held._fields)} FROM desk d"
    " JOIN ticket t ON t.id = d.current_ticket_id WHERE d.id = {mark}"
)


class DeskSteps:
    """One desk action on one lent driver connection: read what the desk holds (no
    transaction of its own), then apply the step."""

    def __init__(self, db: Any, sqlite: bool) -> None:
        self.db = db
        self.sqlite = sqlite

    def held(self, desk_id: int) -> Held | None:
        if self.sqlite:
            r = self.db.execute(_HELD.format(mark="?"), (desk_id,)).fetchone()
            if r is None:
                return None
            return Held._make(r)._replace(
                issued_at=datetime.fromisoformat(r[5]).replace(tzinfo=UTC),
                queued_at=datetime.fromisoformat(r[6]).replace(tzinfo=UTC),
                called_at=read_stamp(r[7]),
                business_day=date.fromisoformat(r[14]),
            )
        with self.db.cursor() as cur:
            r = cur.execute(_HELD.format(mark="%s"), (desk_id,), prepare=True).fetchone()
        return None if r is None else Held._make(r)

    @property
    def in_one_statement(self) -> bool:
        """PostgreSQL can find, check and move the desk's ticket in one statement."""
        return not self.sqlite

    def step_held(
        self,
        desk_id: int,
        legal_from: Sequence[str],
        values: dict[str, Any],
        events: Sequence[dict[str, Any]],
        free: bool,
    ) -> Held | None:
        """PostgreSQL: move the ticket the desk holds if its status is one of
        `legal_from`, let the desk go of it if `free`, log `events` (their ticket,
        centre and service are taken from the ticket) — one autocommit statement. The
        ticket as it now is, or None if the desk holds nothing movable (nothing written;
        the caller reads what it holds to say why)."""
        cols = tuple(sorted(values))
        params: dict[str, Any] = {"did": desk_id, "legal": list(legal_from)}
        params.update({f"v_{c}": values[c] for c in cols})
        for i, e in enumerate(events):
            params.update({f"e{i}_{c}": e[c] for c in _OWN_EVENT_COLUMNS})
        with self.db.cursor() as cur:
            sql = _pg_held_sql(cols, free, len(events))
            r = cur.execute(sql, params, prepare=True).fetchone()
        return None if r is None else Held._make(r[: len(Held._fields)])

    def apply(
        self,
        ticket_id: int,
        expected: str,
        values: dict[str, Any],
        events: Sequence[dict[str, Any]],
        free_desk: int | None = None,
    ) -> bool:
        """Set `values` on the ticket if it is still `expected`, let `free_desk` go of it
        and log `events`. False (and nothing written) if the ticket had moved on."""
        if self.sqlite:
            return _sqlite(self.db, ticket_id, expected, values, events, free_desk)
        return _postgres(self.db, ticket_id, expected, values, events, free_desk)


@contextmanager
def at_desk(uow: UnitOfWork) -> Iterator[DeskSteps]:
    with driver_connection(uow) as db:
        yield DeskSteps(db, uow.sqlite)


def _sqlite_value(v: Any) -> Any:
    return stamp(v) if isinstance(v, datetime) else v


def _sqlite(
    db: Any,
    ticket_id: int,
    expected: str,
    values: dict[str, Any],
    events: Sequence[dict[str, Any]],
    free_desk: int | None,
) -> bool:
    cols = sorted(values)
    update = (
        "UPDATE ticket SET " + ", ".join(f"{c} = ?" for c in cols) + " WHERE id = ? AND status = ?"
    )
    params = [_sqlite_value(values[c]) for c in cols] + [ticket_id, expected]
    rows = [tuple(_sqlite_value(e[c]) for c in EVENT_COLUMNS) for e in events]
    try:
        begin_immediate(db)
    except OperationalError as exc:
        raise unavailable(exc) from exc
    try:
        if db.execute(update, params).rowcount != 1:
            db.execute("ROLLBACK")
            return False
        if free_desk is not None:
            db.execute(
                "UPDATE desk SET current_ticket_id = NULL WHERE id = ? AND current_ticket_id = ?",
                (free_desk, ticket_id),
            )
        if rows:
            db.executemany(
                f"INSERT INTO ticket_event ({', '.join(EVENT_COLUMNS)})"
                f" VALUES ({', '.join('?' * len(EVENT_COLUMNS))})",
                rows,
            )
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
    return True


_PG_FREED = (
    ", freed AS (UPDATE desk SET current_ticket_id = NULL FROM moved"
    " WHERE desk.id = %(did)s AND desk.current_ticket_id = moved.id RETURNING 1)"
)


def _pg_values(cols: Sequence[str], n_events: int) -> str:
    """VALUES rows of event parameters, typed (a column of NULLs would be text)."""
    return ", ".join(
        "(" + ", ".join(f"%(e{i}_{c})s::{_pg_type(c)}" for c in cols) + ")" for i in range(n_events)
    )


def _pg_sql(cols: tuple[str, ...], free: bool, n_events: int) -> str:
    key = ("pg", cols, free, n_events)
    sql = _SQL.get(key)
    if sql is not None:
        return sql
    parts = [
        "WITH moved AS (UPDATE ticket SET "
        + ", ".join(f"{c} = %(v_{c})s" for c in cols)
        + " WHERE id = %(tid)s AND status = %(expected)s RETURNING id)"
    ]
    if free:
        parts.append(_PG_FREED)
    if n_events:
        rows = _pg_values(EVENT_COLUMNS, n_events)
        parts.append(
            f", logged AS (INSERT INTO ticket_event ({', '.join(EVENT_COLUMNS)})"
            f" SELECT v.* FROM moved, (VALUES {rows}) AS v({', '.join(EVENT_COLUMNS)})"
            " RETURNING 1)"
        )
    tail = ["(SELECT count(*) FROM moved)"]
    if free:
        tail.append("(SELECT count(*) FROM freed)")
    if n_events:
        tail.append("(SELECT count(*) FROM logged)")
    parts.append(" SELECT " + ", ".join(tail))
    sql = "".join(parts)
    _SQL[key] = sql
    return sql


def _postgres(
    db: Any,
    ticket_id: int,
    expected: str,
    values: dict[str, Any],
    events: Sequence[dict[str, Any]],
    free_desk: int | None,
) -> bool:
    cols = tuple(sorted(values))
    params: dict[str, Any] = {"tid": ticket_id, "expected": expected, "did": free_desk}
    params.update({f"v_{c}": values[c] for c in cols})
    for i, e in enumerate(events):
        params.update({f"e{i}_{c}": e[c] for c in EVENT_COLUMNS})
    sql = _pg_sql(cols, free_desk is not None, len(events))
    with db.cursor() as cur:
        moved = cur.execute(sql, params, prepare=True).fetchone()[0]
    if moved and not events:
        # Nothing fired the trigger: tell the live screens ourselves.
        with db.cursor() as cur:
            cur.execute("SELECT pg_notify('frontdesk', '')")
    return bool(moved)


# What an event says of itself; the rest (ticket, centre, service) comes from the ticket.
_OWN_EVENT_COLUMNS = tuple(
    c for c in EVENT_COLUMNS if c not in ("ticket_id", "centre_id", "service_id")
)


def _pg_held_sql(cols: tuple[str, ...], free: bool, n_events: int) -> str:
    key = ("held", cols, free, n_events)
    sql = _SQL.get(key)
    if sql is not None:
        return sql
    returning = ", ".join(f"ticket.{f}" for f in Held._fields)
    parts = [
        "WITH moved AS (UPDATE ticket SET "
        + ", ".join(f"{c} = %(v_{c})s" for c in cols)
        + " FROM desk WHERE desk.id = %(did)s AND ticket.id = desk.current_ticket_id"
        " AND ticket.status = ANY(%(legal)s::varchar[])"
        f" RETURNING {returning})"
    ]
    if free:
        parts.append(_PG_FREED)
    if n_events:
        own = ", ".join(_OWN_EVENT_COLUMNS)
        rows = _pg_values(_OWN_EVENT_COLUMNS, n_events)
        parts.append(
            f", logged AS (INSERT INTO ticket_event (ticket_id, centre_id, service_id, {own})"
            f" SELECT moved.id, moved.centre_id, moved.service_id, v.* FROM moved,"
            f" (VALUES {rows}) AS v({own}) RETURNING 1)"
        )
    # Data-modifying CTEs always run to completion, read or not. Without an event to
    # fire the trigger, the statement notifies the live screens itself.
    extra = "" if n_events else ", pg_notify('frontdesk', '')"
    parts.append(f" SELECT moved.*{extra} FROM moved")
    sql = "".join(parts)
    _SQL[key] = sql
    return sql
