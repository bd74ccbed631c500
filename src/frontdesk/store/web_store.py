"""SQL for the web face: the live tickets every phone follows, tickets by their QR token,
the visitors' ratings, and the HTTP API's tokens.

Plain functions with the connection first; they run inside the caller's unit of work and
never commit.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, case, func, insert, select, update

from frontdesk.store.queue_store import Executor
from frontdesk.store.tables import Desk, Ticket, TicketEvent, core_table
from frontdesk.store.tables.web import ApiToken, VisitFeedback

T = core_table(Ticket)
E = core_table(TicketEvent)
D = core_table(Desk)
F = core_table(VisitFeedback)
K = core_table(ApiToken)

OPEN = ("waiting", "called", "serving")


# -- tickets as the visitor follows them ---------------------------------------------


# What a phone is shown of a ticket: never its note, needs or contact. Every stored
# estimate column comes too (the point estimate now, an interval when tickets carry one).
_SHOWN = (
    T.c.id,
    T.c.centre_id,
    T.c.service_id,
    T.c.label,
    T.c.status,
    T.c.token,
    T.c.priority,
    T.c.issued_at,
    T.c.queued_at,
    T.c.desk_id,
    T.c.business_day,
    *(c for c in T.c if c.name.startswith("estimated_wait")),
)


def _followed() -> Any:
    return select(*_SHOWN, F.c.rating).outerjoin(F, F.c.ticket_id == T.c.id)


def live_tickets(
    session: Executor, centre_ids: Collection[int], tokens: Collection[str] = ()
) -> list[Row[Any]]:
    """The open tickets of these centres (through ix_ticket_live) and the tickets with
    these tokens whatever their state, with the visitor's rating if given, in arrival
    order."""
    stmt: Any = _followed().where(T.c.centre_id.in_(list(centre_ids)), T.c.status.in_(OPEN))
    if tokens:
        stmt = stmt.union_all(
            _followed().where(T.c.token.in_(list(tokens)), T.c.status.not_in(OPEN))
        )
    stmt = stmt.order_by("queued_at", "id")
    return list(session.execute(stmt).all())


def all_desks(session: Executor) -> list[Row[Any]]:
    stmt = select(D.c.id, D.c.centre_id, D.c.name, D.c.status, D.c.current_ticket_id).where(
        D.c.active
    )
    return list(session.execute(stmt).all())


def tickets_by_token(session: Executor, tokens: Collection[str]) -> list[Row[Any]]:
    """Tickets by token with the visitor's rating if they gave one."""
    if not tokens:
        return []
    return list(session.execute(_followed().where(T.c.token.in_(list(tokens)))).all())


def recent_handling(session: Executor, since: datetime) -> list[Row[Any]]:
    """(centre, service, call-to-finish seconds) of the tickets finished since `since`,
    newest first: one read for the typical handling time of every queue."""
    stmt = (
        select(E.c.centre_id, E.c.service_id, E.c.at, T.c.called_at)
        .join(T, T.c.id == E.c.ticket_id)
        .where(E.c.step == "finished", E.c.at >= since)
        .order_by(E.c.id.desc())
    )
    return list(session.execute(stmt).all())


# -- the visitor's rating --------------------------------------------------------------


def add_feedback(
    session: Executor,
    *,
    ticket_id: int,
    centre_id: int,
    business_day: date,
    rating: int,
    comment: str | None,
    at: datetime,
) -> None:
    session.execute(
        insert(F).values(
            ticket_id=ticket_id,
            centre_id=centre_id,
            business_day=business_day,
            rating=rating,
            comment=comment,
            at=at,
        )
    )


def feedback_given(session: Executor, ticket_id: int) -> bool:
    return (
        session.execute(select(F.c.ticket_id).where(F.c.ticket_id == ticket_id)).first() is not None
    )


def feedback_in_period(
    session: Executor, centre_id: int, day_from: date, day_to: date
) -> list[Row[Any]]:
    stmt = (
        select(F.c.rating, F.c.comment, F.c.at)
        .where(F.c.centre_id == centre_id, F.c.business_day >= day_from, F.c.business_day <= day_to)
        .order_by(F.c.at.desc())
    )
    return list(session.execute(stmt).all())


def ratings_by_day(
    session: Executor, centre_ids: Sequence[int], day_from: date, day_to: date
) -> list[Row[Any]]:
    """(centre_id, business_day, answers, rating_sum, satisfied) per centre and day of
    the visits rated, for tickets issued in the period (satisfied: rated 4 or 5)."""
    if not centre_ids:
        return []
    satisfied = func.sum(case((F.c.rating >= 4, 1), else_=0))
    stmt = (
        select(
            F.c.centre_id,
            F.c.business_day,
            func.count().label("answers"),
            func.sum(F.c.rating).label("rating_sum"),
            satisfied.label("satisfied"),
        )
        .where(
            F.c.centre_id.in_(list(centre_ids)),
            F.c.business_day >= day_from,
            F.c.business_day <= day_to,
        )
        .group_by(F.c.centre_id, F.c.business_day)
    )
    return list(session.execute(stmt).all())


def count_visits(session: Executor, centre_id: int, day_from: date, day_to: date) -> int:
    """Tickets issued at the centre in the period that have ended (the visits that could
    have been rated)."""
    stmt = select(func.count()).where(
        T.c.centre_id == centre_id,
        T.c.business_day >= day_from,
        T.c.business_day <= day_to,
        T.c.status.not_in(OPEN),
    )
    return int(session.execute(stmt).scalar_one())


# -- API tokens ------------------------------------------------------------------------


def insert_api_token(session: Executor, **values: Any) -> None:
    session.execute(insert(K).values(**values))


def api_token_by_hash(session: Executor, token_hash: str) -> Row[Any] | None:
    return session.execute(select(K).where(K.c.token_hash == token_hash)).first()


def api_token_by_name(session: Executor, name: str) -> Row[Any] | None:
    return session.execute(select(K).where(K.c.name == name)).first()


def api_tokens(session: Executor) -> Sequence[Row[Any]]:
    return list(session.execute(select(K).order_by(K.c.name)).all())


def set_api_token(session: Executor, token_id: int, **values: Any) -> None:
    session.execute(update(K).where(K.c.id == token_id).values(**values))
