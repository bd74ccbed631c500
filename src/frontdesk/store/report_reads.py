"""SQL the reports read beside the rollups: desks opened, paused and closed (advisers'
time), staff names, and visitor identities and "seen before" marks (repeat visits).

Plain functions with the session first; they run inside the caller's unit of work.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ARRAY, Integer, Row, any_, bindparam, func, select, text
from sqlalchemy.dialects import postgresql, sqlite

from frontdesk.store.dialect import Executor
from frontdesk.store.rollup_store import is_postgres
from frontdesk.store.tables import AuditEntry, Setting, Staff, Ticket, TicketEvent, core_table
from frontdesk.store.tables.rollups import visit_identity

T = core_table(Ticket)
E = core_table(TicketEvent)
AU = core_table(AuditEntry)
SF = core_table(Staff)
SE = core_table(Setting)


# -- advisers --------------------------------------------------------------------------


def desk_changes(session: Executor, since: datetime, until: datetime) -> list[Row[Any]]:
    """(at, action, staff, detail) of desks opened, paused and closed in [since, until)."""
    stmt = (
        select(AU.c.at, AU.c.action, AU.c.staff, AU.c.detail)
        .where(
            AU.c.at >= since,
            AU.c.at < until,
            AU.c.action.in_(("desk.open", "desk.paused", "desk.closed")),
        )
        .order_by(AU.c.at, AU.c.id)
    )
    return list(session.execute(stmt).all())


def staff_names(session: Executor) -> dict[str, str]:
    return {r.code: r.name for r in session.execute(select(SF.c.code, SF.c.name))}


# -- visitor identities ------------------------------------------------------------------


def setting_once(session: Executor, key: str, value: str) -> str:
    """The setting's value, set to `value` first if it has none (safe when racing)."""
    dialect_insert = postgresql.insert if is_postgres(session) else sqlite.insert
    session.execute(dialect_insert(SE).values(key=key, value=value).on_conflict_do_nothing())
    return str(session.execute(select(SE.c.value).where(SE.c.key == key)).scalar_one())


def put_identity(session: Executor, ticket_id: int, kind: str, key: str) -> None:
    dialect_insert = postgresql.insert if is_postgres(session) else sqlite.insert
    stmt = dialect_insert(visit_identity).values(ticket_id=ticket_id, kind=kind, key=key)
    session.execute(
        stmt.on_conflict_do_update(
            index_elements=[visit_identity.c.ticket_id], set_={"kind": kind, "key": key}
        )
    )


def _issue_service() -> Any:
    first = (
        select(E.c.service_id)
        .where(E.c.ticket_id == T.c.id, E.c.step == "issued")
        .order_by(E.c.id)
        .limit(1)
        .scalar_subquery()
    )
    return func.coalesce(first, T.c.service_id).label("service_id")


def identified_visits(session: Executor, day_from: date, day_to: date) -> list[Row[Any]]:
    """(id, centre_id, business_day, issued_at, service_id, key) of identified tickets
    issued on [day_from, day_to] at any centre, oldest first (service: the one issued
    for)."""
    stmt = (
        select(
            T.c.id,
            T.c.centre_id,
            T.c.business_day,
            T.c.issued_at,
            _issue_service(),
            visit_identity.c.key,
        )
        .join(visit_identity, visit_identity.c.ticket_id == T.c.id)
        .where(T.c.business_day >= day_from, T.c.business_day <= day_to)
        .order_by(T.c.issued_at, T.c.id)
    )
    return list(session.execute(stmt).all())


def marked_visits(
    session: Executor, centre_ids: Sequence[int], day_from: date, day_to: date
) -> dict[int, int]:
    """Ticket id → service issued for, of the tickets issued on [day_from, day_to] with
    a query marked "seen before about this"."""
    # In two steps, each with one plan whatever the parameters: the marked tickets (few;
    # a partial index), then those in the period by their ids. As one join, PostgreSQL's
    # generic plan could not tell five years of tickets from a week and once drove the
    # join from every ticket, past the statement timeout.
    # A mark is made as the visit ends: on its local day, within a day of it in UTC.
    start = datetime.combine(day_from - timedelta(days=1), time.min, tzinfo=UTC)
    end = datetime.combine(day_to + timedelta(days=2), time.min, tzinfo=UTC)
    # The mark's test is written as the partial index's own (`seen_before`): SQLAlchemy
    # would write `seen_before = 1` on SQLite, which does not match the index's
    # condition, and SQLite then scanned the whole log.
    marks = select(E.c.ticket_id).where(_MARKED, E.c.at >= start, E.c.at < end)
    marked = sorted({r[0] for r in session.execute(marks)})
    wanted = set(centre_ids)
    postgres = is_postgres(session)
    out: dict[int, int] = {}
    for i in range(0, len(marked), _ID_CHUNK):
        chunk = marked[i : i + _ID_CHUNK]
        # By id alone, the centres and days sifted here: given them too, SQLite ran the
        # period's range on (centre, day) over every ticket of it, once per chunk. On
        # PostgreSQL the ids go as one array (one statement, planned once), not as
        # thousands of parameters, planned again for each chunk's length.
        by_id = (
            T.c.id == any_(bindparam("ids", chunk, type_=ARRAY(Integer)))
            if postgres
            else T.c.id.in_(chunk)
        )
        stmt = select(T.c.id, T.c.centre_id, T.c.business_day, _issue_service()).where(by_id)
        out.update(
            (tid, service)
            for tid, centre_id, day, service in session.execute(stmt)
            if centre_id in wanted and day_from <= day <= day_to
        )
    return out


_MARKED = text("ticket_event.seen_before")
_ID_CHUNK = 5000  # ticket ids per statement (well under SQLite's variable limit)
