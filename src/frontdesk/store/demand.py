"""SQL aggregates of past demand for staffing: arrivals per quarter hour and service,
handling-time sums per service, and walk-outs against time spent waiting.

Every figure is a GROUP BY in the database; no event is brought into Python. Walk-ins
only: tickets from checked-in appointments are planned by the appointment book.
Arrivals are counted in UTC quarter hours so the caller can put them into any time
zone's local hours (every zone's offset is a whole number of quarter hours).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Connection,
    Float,
    Integer,
    and_,
    case,
    cast,
    extract,
    func,
    select,
)

from frontdesk.store.queue_store import E, Executor, T

QUARTER = 900  # seconds
APPOINTMENT = "appointment"


def _postgres(session: Executor) -> bool:
    bind = session if isinstance(session, Connection) else session.get_bind()
    return bind.dialect.name == "postgresql"


def _epoch(session: Executor, column: Any) -> Any:
    """Seconds since 1970 of a stored UTC timestamp, as an integer, on either backend."""
    if _postgres(session):
        return cast(func.floor(extract("epoch", column)), BigInteger)
    return cast(func.strftime("%s", column), Integer)


def _seconds_between(session: Executor, later: Any, earlier: Any) -> Any:
    if _postgres(session):
        return extract("epoch", later - earlier)
    return (func.julianday(later) - func.julianday(earlier)) * 86400.0


def arrivals_by_quarter(
    session: Executor, centre_id: int, since: datetime, until: datetime
) -> list[tuple[int, int, int]]:
    """(UTC quarter-hour start in epoch seconds, service id, walk-ins issued) for the
    tickets issued at the centre in [since, until), by the service they were issued for."""
    quarter = _epoch(session, E.c.at) // QUARTER
    stmt = (
        select(quarter.label("q"), E.c.service_id, func.count())
        .select_from(E.join(T, T.c.id == E.c.ticket_id))
        .where(
            E.c.centre_id == centre_id,
            E.c.step == "issued",
            E.c.at >= since,
            E.c.at < until,
            T.c.channel != APPOINTMENT,
        )
        .group_by(quarter, E.c.service_id)
    )
    return [(int(q) * QUARTER, int(sid), int(n)) for q, sid, n in session.execute(stmt).all()]


def handling_by_service(
    session: Executor, centre_id: int, since: datetime, until: datetime
) -> list[tuple[int, int, float, float]]:
    """(service id, tickets finished, Σ seconds, Σ seconds²) from call to finish for the
    walk-ins finished at the centre in [since, until)."""
    seconds = cast(_seconds_between(session, E.c.at, T.c.called_at), Float)
    stmt = (
        select(E.c.service_id, func.count(), func.sum(seconds), func.sum(seconds * seconds))
        .select_from(E.join(T, T.c.id == E.c.ticket_id))
        .where(
            E.c.centre_id == centre_id,
            E.c.step == "finished",
            E.c.at >= since,
            E.c.at < until,
            T.c.called_at.is_not(None),
            T.c.channel != APPOINTMENT,
        )
        .group_by(E.c.service_id)
    )
    return [
        (int(sid), int(n), float(total or 0.0), float(squares or 0.0))
        for sid, n, total, squares in session.execute(stmt).all()
    ]


def waiting_and_walkouts(
    session: Executor, centre_id: int, since: datetime, until: datetime
) -> tuple[int, float]:
    """(walk-outs, Σ seconds waited) over the walk-ins issued at the centre in
    [since, until) that were called, left or cancelled: each waited from issue to the
    first of those."""
    ended = (
        select(E.c.ticket_id, func.min(E.c.at).label("ended"))
        .where(
            E.c.centre_id == centre_id,
            E.c.step.in_(("called", "left", "cancelled")),
            E.c.at >= since,
        )
        .group_by(E.c.ticket_id)
        .subquery()
    )
    waited = cast(_seconds_between(session, ended.c.ended, T.c.issued_at), Float)
    stmt = (
        select(func.sum(case((T.c.status == "left", 1), else_=0)), func.sum(waited))
        .select_from(T.join(ended, ended.c.ticket_id == T.c.id))
        .where(
            and_(
                T.c.centre_id == centre_id,
                T.c.issued_at >= since,
                T.c.issued_at < until,
                T.c.channel != APPOINTMENT,
            )
        )
    )
    walkouts, seconds = session.execute(stmt).one()
    return int(walkouts or 0), float(seconds or 0.0)
