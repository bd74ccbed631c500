"""SQL for the queue: numbering, tickets, the event log, desks and the live views (the
claims of the call-next hot path are hand-written, in `frontdesk.store.sql`).

Plain functions with the session first; they run inside the caller's unit of work and
never commit. Core statements (not ORM objects) keep the hot paths short.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Row, bindparam, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from frontdesk.store.dialect import Executor, is_postgres
from frontdesk.store.engine import NOTIFIED
from frontdesk.store.tables import (
    CentreService,
    Desk,
    NumberCounter,
    Ticket,
    TicketEvent,
    core_table,
)

T = core_table(Ticket)
E = core_table(TicketEvent)
D = core_table(Desk)
NC = core_table(NumberCounter)
CS = core_table(CentreService)


def _counter_statement(dialect_insert: Any) -> Any:
    return (
        dialect_insert(NC)
        .values(
            centre_id=bindparam("cid"),
            prefix=bindparam("prefix"),
            business_day=bindparam("day"),
            last=1,
        )
        .on_conflict_do_update(
            index_elements=[NC.c.centre_id, NC.c.prefix, NC.c.business_day],
            set_={"last": NC.c.last + 1},
        )
        .returning(NC.c.last)
    )


_NEXT_NUMBER = {
    "postgresql": _counter_statement(postgresql.insert),
    "sqlite": _counter_statement(sqlite.insert),
}


def next_number(session: Executor, centre_id: int, prefix: str, day: date) -> int:
    """Take the next number from the counter row, inside the issuing transaction."""
    stmt = _NEXT_NUMBER["postgresql" if is_postgres(session) else "sqlite"]
    params = {"cid": centre_id, "prefix": prefix, "day": day}
    return int(session.execute(stmt, params).scalar_one())


_INSERT_TICKET = insert(T).returning(T.c.id)


def insert_ticket(session: Executor, **values: Any) -> int:
    return int(session.execute(_INSERT_TICKET, values).scalar_one())


_INSERT_EVENT = insert(E)


def append_events(session: Executor, rows: Sequence[dict[str, Any]]) -> None:
    """Append to the event log. One prebuilt statement, so no SQL is compiled per call."""
    if rows:
        session.execute(_INSERT_EVENT, list(rows) if len(rows) > 1 else rows[0])
        if is_postgres(session):
            conn = session if isinstance(session, Connection) else session.connection()
            conn.info[NOTIFIED] = True  # the insert fired the NOTIFY trigger (0007)


TICKET_COLUMNS = (
    T.c.id,
    T.c.centre_id,
    T.c.service_id,
    T.c.label,
    T.c.status,
    T.c.issued_at,
    T.c.queued_at,
    T.c.called_at,
    T.c.desk_id,
    T.c.target_desk_id,
    T.c.priority,
    T.c.needs,
    T.c.note,
    T.c.channel,
    T.c.business_day,
    T.c.token,
    T.c.transfers,
    T.c.estimated_wait_seconds,
)


_TICKET = select(*TICKET_COLUMNS).where(T.c.id == bindparam("tid"))
_TICKET_LOCKED = _TICKET.with_for_update()


def ticket(session: Executor, ticket_id: int, *, lock: bool = False) -> Row[Any] | None:
    stmt = _TICKET_LOCKED if lock and is_postgres(session) else _TICKET
    return session.execute(stmt, {"tid": ticket_id}).first()


_HELD = (
    select(*TICKET_COLUMNS)
    .select_from(D.join(T, T.c.id == D.c.current_ticket_id))
    .where(D.c.id == bindparam("did"))
)


def held_ticket(session: Executor, desk_id: int) -> Row[Any] | None:
    """The ticket a desk holds, in one statement (read before every step at a desk)."""
    return session.execute(_HELD, {"did": desk_id}).first()


def ticket_by_label(
    session: Executor, centre_id: int, day: date, label: str, *, lock: bool = False
) -> Row[Any] | None:
    stmt = select(*TICKET_COLUMNS).where(
        T.c.centre_id == centre_id, T.c.business_day == day, T.c.label == label
    )
    if lock and is_postgres(session):
        stmt = stmt.with_for_update()
    return session.execute(stmt).first()


def waiting(
    session: Executor,
    centre_id: int,
    service_ids: Iterable[int] | None = None,
    desk_id: int | None = None,
) -> list[Row[Any]]:
    """The centre's waiting tickets in arrival order (the ix_ticket_live index): all of
    them, or those of some services plus any transferred to one desk by name."""
    stmt = (
        select(
            T.c.id,
            T.c.label,
            T.c.service_id,
            T.c.queued_at,
            T.c.priority,
            T.c.target_desk_id,
            T.c.needs,
            T.c.transfers,
            T.c.note,
            T.c.due_at,
        )
        .where(T.c.centre_id == centre_id, T.c.status == "waiting")
        .order_by(T.c.queued_at, T.c.id)
    )
    if service_ids is not None:
        wanted: Any = T.c.service_id.in_(list(service_ids))
        if desk_id is not None:
            wanted = wanted | (T.c.target_desk_id == desk_id)
        stmt = stmt.where(wanted)
    return list(session.execute(stmt).all())


def last_event_at(session: Executor, ticket_id: int, step: str) -> datetime | None:
    stmt = (
        select(E.c.at)
        .where(E.c.ticket_id == ticket_id, E.c.step == step)
        .order_by(E.c.id.desc())
        .limit(1)
    )
    return session.execute(stmt).scalar()


def at_desks(session: Executor, centre_id: int) -> list[Row[Any]]:
    """Tickets called to or being served at a desk."""
    stmt = (
        select(T.c.id, T.c.label, T.c.service_id, T.c.desk_id, T.c.status, T.c.called_at)
        .where(T.c.centre_id == centre_id, T.c.status.in_(("called", "serving")))
        .order_by(T.c.called_at, T.c.id)
    )
    return list(session.execute(stmt).all())


_UPDATES: dict[tuple[str, ...], Any] = {}


def _update_for(table: Any, keys: tuple[str, ...], guarded: bool) -> Any:
    """A prebuilt UPDATE of `keys` by id (and expected status), kept for reuse."""
    cache_key = (table.name, guarded, *keys)
    stmt = _UPDATES.get(cache_key)
    if stmt is None:
        where = [table.c.id == bindparam("_id")]
        if guarded:
            where.append(table.c.status == bindparam("_expected"))
        stmt = update(table).where(*where).values({k: bindparam(k) for k in keys})
        _UPDATES[cache_key] = stmt
    return stmt


def update_ticket(session: Executor, ticket_id: int, expected_status: str, **values: Any) -> bool:
    """Conditional update: only if the ticket is still in `expected_status`."""
    stmt = _update_for(T, tuple(sorted(values)), True)
    params = {**values, "_id": ticket_id, "_expected": expected_status}
    return session.execute(stmt, params).rowcount == 1  # type: ignore[attr-defined]


_DESK = select(D.c.id, D.c.status, D.c.current_ticket_id).where(D.c.id == bindparam("did"))
_DESK_LOCKED = _DESK.with_for_update()


def desk_state(session: Executor, desk_id: int, *, lock: bool = False) -> Row[Any]:
    """The desk's status and current ticket; locked on PostgreSQL while we act for it."""
    stmt = _DESK_LOCKED if lock and is_postgres(session) else _DESK
    return session.execute(stmt, {"did": desk_id}).one()


def set_desk(session: Executor, desk_id: int, **values: Any) -> None:
    session.execute(_update_for(D, tuple(sorted(values)), False), {**values, "_id": desk_id})


_DESKS_LIVE = select(D.c.id, D.c.name, D.c.status, D.c.current_ticket_id).where(
    D.c.centre_id == bindparam("cid"), D.c.active
)


def desks_live(session: Executor, centre_id: int) -> list[Row[Any]]:
    return list(session.execute(_DESKS_LIVE, {"cid": centre_id}).all())


def priority_runs(session: Executor, centre_id: int) -> dict[int, int]:
    stmt = select(CS.c.service_id, CS.c.priority_run).where(
        CS.c.centre_id == centre_id, CS.c.priority_run > 0
    )
    return {int(sid): int(run) for sid, run in session.execute(stmt).all()}


def set_priority_run(session: Executor, centre_id: int, service_id: int, run: int) -> None:
    session.execute(
        update(CS)
        .where(CS.c.centre_id == centre_id, CS.c.service_id == service_id)
        .values(priority_run=run)
    )


_COUNT_WAITING = select(func.count()).where(
    T.c.centre_id == bindparam("cid"), T.c.status == "waiting", T.c.service_id == bindparam("sid")
)


def count_waiting(session: Executor, centre_id: int, service_id: int) -> int:
    return int(session.execute(_COUNT_WAITING, {"cid": centre_id, "sid": service_id}).scalar_one())


def waiting_before(session: Executor, centre_id: int, service_id: int, queued_at: datetime) -> int:
    """How many wait ahead of a ticket queued at `queued_at` in its service queue."""
    stmt = select(func.count()).where(
        T.c.centre_id == centre_id,
        T.c.service_id == service_id,
        T.c.status == "waiting",
        T.c.queued_at < queued_at,
    )
    return int(session.execute(stmt).scalar_one())


def recent_handling_seconds(
    session: Executor, centre_id: int, service_id: int, limit: int = 20
) -> list[float]:
    """Call-to-finish times of the service's latest finished tickets at the centre."""
    stmt = (
        select(E.c.at, T.c.called_at)
        .join(T, T.c.id == E.c.ticket_id)
        .where(E.c.centre_id == centre_id, E.c.service_id == service_id, E.c.step == "finished")
        .order_by(E.c.id.desc())
        .limit(limit)
    )
    out = []
    for finished_at, called_at in session.execute(stmt).all():
        if called_at is not None:
            out.append((finished_at - called_at).total_seconds())
    return out


def _issued_between(centre_ids: Sequence[int], day_from: date, day_to: date) -> tuple[Any, ...]:
    """Tickets issued at these centres on these business days (inclusive)."""
    return (
        T.c.centre_id.in_(list(centre_ids)),
        T.c.business_day >= day_from,
        T.c.business_day <= day_to,
    )


def tickets_issued(
    session: Executor, centre_ids: Sequence[int], day_from: date, day_to: date
) -> list[Row[Any]]:
    stmt = (
        select(*TICKET_COLUMNS, T.c.external_ref)
        .where(*_issued_between(centre_ids, day_from, day_to))
        .order_by(T.c.issued_at, T.c.id)
    )
    return list(session.execute(stmt).all())


def events_of_tickets_issued(
    session: Executor, centre_ids: Sequence[int], day_from: date, day_to: date
) -> list[Row[Any]]:
    """Every event of the tickets issued in the period, in log order per ticket."""
    stmt = (
        select(
            E.c.ticket_id,
            E.c.step,
            E.c.at,
            E.c.service_id,
            E.c.desk_id,
            E.c.resolved,
            E.c.avoidable,
            E.c.topic_id,
            E.c.handoff,
            E.c.feedback,
            E.c.text,
            E.c.staff,
        )
        .join(T, T.c.id == E.c.ticket_id)
        .where(*_issued_between(centre_ids, day_from, day_to))
        .order_by(E.c.ticket_id, E.c.id)
    )
    return list(session.execute(stmt).all())


# -- the desk's state -----------------------------------------------------------------
#
# The call-next hot path itself is hand-written SQL per backend: see sql/claims.py.

_DESK_STATE = select(D.c.status, D.c.current_ticket_id).where(D.c.id == bindparam("did"))


def desk_status(conn: Any, desk_id: int) -> Row[Any]:
    return conn.execute(_DESK_STATE, {"did": desk_id}).one()


# -- views for the consoles and the board ----------------------------------------------

_WAITING_TOPICS = select(T.c.id, T.c.topic_id, T.c.due_at, T.c.quick).where(
    T.c.centre_id == bindparam("cid"), T.c.status == "waiting"
)
_LATEST_CALLS = (
    select(E.c.id, E.c.at, E.c.step, E.c.desk_id, T.c.label)
    .join(T, T.c.id == E.c.ticket_id)
    .where(
        E.c.centre_id == bindparam("cid"),
        E.c.at >= bindparam("since"),
        E.c.step.in_(("called", "recalled")),
    )
    .order_by(E.c.at.desc(), E.c.id.desc())
    .limit(bindparam("n"))
)


def waiting_topics(session: Executor, centre_id: int) -> list[Row[Any]]:
    return list(session.execute(_WAITING_TOPICS, {"cid": centre_id}).all())


def latest_calls(session: Executor, centre_id: int, since: datetime, limit: int) -> list[Row[Any]]:
    """The newest calls and recalls at a centre since a moment (ix_event_centre_at)."""
    params = {"cid": centre_id, "since": since, "n": limit}
    return list(session.execute(_LATEST_CALLS, params).all())
