"""SQL for the wait predictor and its accuracy report: the desks as they are now, recent
history (time per call, waits, walk-outs, arrivals), appointments falling due, and the
tickets' stored estimates.

Plain functions with the session first, run inside the caller's unit of work.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, and_, bindparam, func, select

from frontdesk.store.dialect import Executor
from frontdesk.store.tables import (
    Appointment,
    AppointmentType,
    Desk,
    DeskSession,
    Ticket,
    TicketEvent,
    core_table,
)

T = core_table(Ticket)
E = core_table(TicketEvent)
D = core_table(Desk)
DS = core_table(DeskSession)
A = core_table(Appointment)
AT = core_table(AppointmentType)

# Steps that start a desk's time with a customer, and those that end it.
CALL_STEPS = ("called", "recalled")
RELEASE_STEPS = ("finished", "no_show", "transferred", "left", "cancelled")
# At most this many events are read for the time per call (the newest).
MAX_EVENTS = 6000


_HELD = T.alias("held")
# Built once: the kiosk reads the desks for every visitor.
_LIVE_DESKS = (
    select(
        D.c.id,
        D.c.name,
        D.c.status,
        D.c.services.label("configured"),
        DS.c.services.label("today"),
        _HELD.c.service_id.label("held_service_id"),
        _HELD.c.status.label("held_status"),
        _HELD.c.called_at.label("held_called_at"),
    )
    .select_from(
        D.outerjoin(DS, DS.c.desk_id == D.c.id).outerjoin(
            _HELD, _HELD.c.id == D.c.current_ticket_id
        )
    )
    .where(D.c.centre_id == bindparam("cid"), D.c.active)
    .order_by(D.c.id)
)
_WAITING = (
    select(
        T.c.id,
        T.c.service_id,
        T.c.queued_at,
        T.c.priority,
        T.c.target_desk_id,
        T.c.due_at,
    )
    .where(T.c.centre_id == bindparam("cid"), T.c.status == "waiting")
    .order_by(T.c.queued_at, T.c.id)
)


def live_desks(session: Executor, centre_id: int) -> list[Row[Any]]:
    """Each active desk: status, today's services (from a logged-in console), and the
    ticket it holds (service, status, when called)."""
    return list(session.execute(_LIVE_DESKS, {"cid": centre_id}).all())


def waiting(session: Executor, centre_id: int) -> list[Row[Any]]:
    """The centre's waiting tickets in arrival order, as the predictor needs them."""
    return list(session.execute(_WAITING, {"cid": centre_id}).all())


# Built once (with bind parameters): history is read again every half minute.
_DESK_EVENTS = (
    select(E.c.id, E.c.ticket_id, E.c.step, E.c.at, E.c.service_id)
    .where(
        E.c.centre_id == bindparam("cid"),
        E.c.at >= bindparam("since"),
        E.c.id > bindparam("after"),
        E.c.step.in_(CALL_STEPS + RELEASE_STEPS),
    )
    # Newest first by time, as the (centre_id, at) index runs: the read is bounded by
    # the window whatever the store holds. (By id alone, PostgreSQL's generic plan walks
    # the whole log backwards for a quiet centre that has fewer events than the limit:
    # on five years of a council's history, past the statement timeout.)
    .order_by(E.c.at.desc(), E.c.id.desc())
    .limit(MAX_EVENTS)
)
_ENDED = (
    select(E.c.ticket_id, func.min(E.c.at).label("ended_at"))
    .where(
        E.c.centre_id == bindparam("cid"),
        E.c.at >= bindparam("since"),
        E.c.step.in_(("left", "cancelled")),
    )
    .group_by(E.c.ticket_id)
    .subquery()
)
_RECENT_TICKETS = (
    select(
        T.c.id,
        T.c.service_id,
        T.c.channel,
        T.c.priority,
        T.c.status,
        T.c.issued_at,
        T.c.called_at,
        _ENDED.c.ended_at,
    )
    .select_from(T.outerjoin(_ENDED, _ENDED.c.ticket_id == T.c.id))
    .where(T.c.centre_id == bindparam("cid"), T.c.issued_at >= bindparam("since"))
)
_BOOKINGS_DUE = (
    select(A.c.desk_name, A.c.starts_at, A.c.ends_at, AT.c.service_id)
    .select_from(A.join(AT, AT.c.id == A.c.type_id))
    .where(
        A.c.centre_id == bindparam("cid"),
        A.c.status == "booked",
        A.c.starts_at >= bindparam("since"),
        A.c.starts_at < bindparam("until"),
    )
    .order_by(A.c.starts_at)
)
_TURNOUT = (
    select(A.c.status, func.count())
    .where(
        A.c.centre_id == bindparam("cid"),
        A.c.starts_at >= bindparam("since"),
        A.c.status.in_(("no_show", "checked_in")),
    )
    .group_by(A.c.status)
)


_AHEAD = select(func.count()).where(
    T.c.centre_id == bindparam("cid"),
    T.c.status == "waiting",
    T.c.service_id == bindparam("sid"),
    T.c.target_desk_id.is_(None),
)
_AHEAD_PRIORITY = _AHEAD.where(T.c.priority.is_not(None))


def count_ahead(session: Executor, centre_id: int, service_id: int, priority: bool) -> int:
    """Waiting tickets a newcomer would have ahead: the service's queue (not those sent to
    a desk by name); only the priority ones for a priority newcomer."""
    stmt = _AHEAD_PRIORITY if priority else _AHEAD
    return int(session.execute(stmt, {"cid": centre_id, "sid": service_id}).scalar_one())


def desk_events(
    session: Executor, centre_id: int, since: datetime, after_id: int = 0
) -> list[Row[Any]]:
    """Calls and the steps that free a desk, since a moment and after an event id (the
    newest MAX_EVENTS of them), in time order (then log order): the time per call is
    paired from them."""
    params = {"cid": centre_id, "since": since, "after": after_id}
    rows = list(session.execute(_DESK_EVENTS, params).all())
    rows.reverse()
    return rows


def recent_tickets(session: Executor, centre_id: int, since: datetime) -> list[Row[Any]]:
    """Tickets issued since a moment, with when they left or were cancelled (if so)."""
    return list(session.execute(_RECENT_TICKETS, {"cid": centre_id, "since": since}).all())


def bookings_due(
    session: Executor, centre_id: int, since: datetime, until: datetime
) -> list[Row[Any]]:
    """Booked appointments (not checked in yet) starting in a window: desk, times, service."""
    params = {"cid": centre_id, "since": since, "until": until}
    return list(session.execute(_BOOKINGS_DUE, params).all())


def appointment_turnout(session: Executor, centre_id: int, since: datetime) -> tuple[int, int]:
    """(no-shows, appointments that came) at a centre since a moment."""
    rows = session.execute(_TURNOUT, {"cid": centre_id, "since": since}).all()
    counts = {status: int(n) for status, n in rows}
    return counts.get("no_show", 0), counts.get("checked_in", 0)


def estimated_tickets(
    session: Executor, centre_id: int, day_from: date, day_to: date
) -> list[Row[Any]]:
    """Tickets issued in a period that carry an estimate (for the accuracy report)."""
    stmt = (
        select(
            T.c.id,
            T.c.service_id,
            T.c.channel,
            T.c.issued_at,
            T.c.estimated_wait_seconds,
            T.c.estimated_wait_low_seconds,
            T.c.estimated_wait_high_seconds,
        )
        .where(
            and_(
                T.c.centre_id == centre_id,
                T.c.business_day >= day_from,
                T.c.business_day <= day_to,
                T.c.estimated_wait_seconds.is_not(None),
            )
        )
        .order_by(T.c.issued_at, T.c.id)
    )
    return list(session.execute(stmt).all())
