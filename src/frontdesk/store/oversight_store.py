"""SQL for the supervisor's live view: today's tickets and the tail of the event log,
every centre's desks and waiting tickets in a few statements, breach alerts, notices to
the desks and the kiosk's offer flag.

Plain functions with the session (or connection) first; they never commit. Reads cover
today's rows and the event log's newest rows only (by id), never the whole log.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, and_, delete, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from frontdesk.store.dialect import Executor
from frontdesk.store.paging import rows_after
from frontdesk.store.tables import (
    BreachAlert,
    Centre,
    Desk,
    DeskSession,
    DeskStatusNote,
    DeviceHealthRow,
    KioskOffer,
    Staff,
    SupervisorNotice,
    Ticket,
    TicketEvent,
    core_table,
)

T = core_table(Ticket)
E = core_table(TicketEvent)
D = core_table(Desk)
DS = core_table(DeskSession)
ST = core_table(Staff)
DH = core_table(DeviceHealthRow)
BA = core_table(BreachAlert)
C = core_table(Centre)
SN = core_table(SupervisorNotice)
KO = core_table(KioskOffer)
DN = core_table(DeskStatusNote)

_EVENT_COLUMNS = (
    E.c.id,
    E.c.ticket_id,
    E.c.centre_id,
    E.c.step,
    E.c.at,
    E.c.service_id,
    E.c.resolved,
    E.c.avoidable,
    T.c.business_day,
    T.c.issued_at,
    T.c.channel,
    T.c.estimated_wait_seconds,
)


def _dialect(session: Executor) -> str:
    bind = session.get_bind() if hasattr(session, "get_bind") else session
    return str(bind.dialect.name)


def _upsert(session: Executor, table: Any, keys: list[str], values: dict[str, Any]) -> None:
    make = postgresql.insert if _dialect(session) == "postgresql" else sqlite.insert
    ins = make(table).values(**values)
    changes = {k: v for k, v in values.items() if k not in keys}
    session.execute(ins.on_conflict_do_update(index_elements=keys, set_=changes))


# -- today's tickets, and the events since the last read ------------------------------


def last_event_id(session: Executor) -> int:
    return int(session.execute(select(func.coalesce(func.max(E.c.id), 0))).scalar_one())


def events_of_days(
    session: Executor, centre_ids: Sequence[int], day_from: date, day_to: date
) -> list[Row[Any]]:
    """Every event of the tickets these centres issued in the period (ix_ticket_day)."""
    stmt = (
        select(*_EVENT_COLUMNS)
        .join(T, T.c.id == E.c.ticket_id)
        .where(
            T.c.centre_id.in_(list(centre_ids)),
            T.c.business_day >= day_from,
            T.c.business_day <= day_to,
        )
        .order_by(E.c.id)
    )
    return list(session.execute(stmt).all())


def events_after(session: Executor, last_id: int) -> list[Row[Any]]:
    """The event log's rows newer than `last_id`, with their ticket's day and channel."""
    return rows_after(
        session,
        lambda after: (
            select(*_EVENT_COLUMNS)
            .join(T, T.c.id == E.c.ticket_id)
            .where(E.c.id > after)
            .order_by(E.c.id)
        ),
        last_id,
    )


# -- the live state of every centre ---------------------------------------------------


def waiting_everywhere(session: Executor, centre_ids: Sequence[int]) -> list[Row[Any]]:
    stmt = (
        select(
            T.c.id,
            T.c.centre_id,
            T.c.service_id,
            T.c.topic_id,
            T.c.queued_at,
            T.c.priority,
            T.c.target_desk_id,
            T.c.due_at,
            T.c.quick,
        )
        .where(T.c.centre_id.in_(list(centre_ids)), T.c.status == "waiting")
        .order_by(T.c.queued_at, T.c.id)
    )
    return list(session.execute(stmt).all())


def desks_everywhere(session: Executor, centre_ids: Sequence[int]) -> list[Row[Any]]:
    """Each active desk: status, since when and why, who is logged in with which services
    today, and the ticket it holds."""
    held = T.alias("held")
    stmt = (
        select(
            D.c.id,
            D.c.centre_id,
            D.c.name,
            D.c.status,
            D.c.services.label("configured"),
            DS.c.services.label("today"),
            DS.c.staff_code,
            DS.c.started_at,
            ST.c.name.label("staff_name"),
            DN.c.reason,
            DN.c.since,
            held.c.label.label("held_label"),
            held.c.status.label("held_status"),
            held.c.service_id.label("held_service_id"),
            held.c.called_at.label("held_called_at"),
        )
        .select_from(
            D.outerjoin(DS, DS.c.desk_id == D.c.id)
            .outerjoin(ST, ST.c.code == DS.c.staff_code)
            .outerjoin(DN, DN.c.desk_id == D.c.id)
            .outerjoin(held, held.c.id == D.c.current_ticket_id)
        )
        .where(D.c.centre_id.in_(list(centre_ids)), D.c.active)
        .order_by(D.c.centre_id, D.c.id)
    )
    return list(session.execute(stmt).all())


def device_alerts(session: Executor) -> list[Row[Any]]:
    """Devices whose last status needs someone (as `DeviceStatus.needs_attention`)."""
    stmt = select(DH).where(DH.c.status != "online")
    return list(session.execute(stmt.order_by(DH.c.centre, DH.c.device_id)).all())


# -- desks: since when and why; today's services ----------------------------------------


def note_desk_status(
    session: Executor, desk_id: int, status: str, reason: str | None, at: datetime
) -> None:
    _upsert(
        session,
        DN,
        ["desk_id"],
        {"desk_id": desk_id, "status": status, "reason": reason, "since": at},
    )


def session_services(session: Executor, desk_id: int) -> str | None:
    """Today's services of the desk's logged-in console, or None when nobody is."""
    stmt = select(DS.c.services).where(DS.c.desk_id == desk_id)
    return session.execute(stmt).scalar()


def set_session_services(session: Executor, desk_id: int, services: str) -> bool:
    stmt = update(DS).where(DS.c.desk_id == desk_id).values(services=services)
    return session.execute(stmt).rowcount == 1  # type: ignore[attr-defined]


def mark_quick(session: Executor, centre_id: int, service_id: int, topic_ids: list[int]) -> int:
    """Mark a service's waiting tickets about quick topics as quick queries."""
    if not topic_ids:
        return 0
    stmt = (
        update(T)
        .where(
            T.c.centre_id == centre_id,
            T.c.service_id == service_id,
            T.c.status == "waiting",
            T.c.topic_id.in_(topic_ids),
            T.c.quick.is_(False),
        )
        .values(quick=True)
    )
    return int(session.execute(stmt).rowcount)  # type: ignore[attr-defined]


# -- breach alerts ---------------------------------------------------------------------


def alerts_since(session: Executor, since: datetime) -> list[Row[Any]]:
    """Episodes still open, and those opened since `since` (today's feed)."""
    stmt = (
        select(BA)
        .where(or_(BA.c.closed_at.is_(None), BA.c.opened_at >= since))
        .order_by(BA.c.opened_at.desc(), BA.c.id.desc())
    )
    return list(session.execute(stmt).all())


def open_alert(session: Executor, centre_id: int, service_id: int) -> Row[Any] | None:
    stmt = select(BA).where(
        BA.c.centre_id == centre_id, BA.c.service_id == service_id, BA.c.closed_at.is_(None)
    )
    return session.execute(stmt).first()


def lock_alerts(session: Executor, centre_id: int) -> None:
    """Hold the centre's alerts for this transaction: many processes evaluate them (the
    dashboard, every desk console), and only one may open an episode. PostgreSQL locks
    the centre's row; SQLite's writes are one at a time already (BEGIN IMMEDIATE)."""
    session.execute(select(C.c.id).where(C.c.id == centre_id).with_for_update())


def close_alert(session: Executor, alert_id: int, now: datetime) -> bool:
    """Close an open episode: True for exactly one caller, however many ask."""
    stmt = (
        update(BA)
        .where(BA.c.id == alert_id, BA.c.closed_at.is_(None))
        .values(closed_at=now, updated_at=now)
    )
    return session.execute(stmt).rowcount == 1  # type: ignore[attr-defined]


def add_alert(session: Executor, **values: Any) -> int:
    return int(session.execute(insert(BA).returning(BA.c.id), values).scalar_one())


def save_alert(session: Executor, alert_id: int, **values: Any) -> None:
    session.execute(update(BA).where(BA.c.id == alert_id).values(**values))


def claim_email(session: Executor, alert_id: int) -> bool:
    """Take the episode's one e-mail: True for exactly one caller, however many ask."""
    stmt = update(BA).where(BA.c.id == alert_id, BA.c.emailed.is_(False)).values(emailed=True)
    return session.execute(stmt).rowcount == 1  # type: ignore[attr-defined]


# -- notices to the desks, and the kiosk's offer flag -----------------------------------


def add_notice(session: Executor, **values: Any) -> None:
    session.execute(insert(SN).values(**values))


def live_notices(session: Executor, now: datetime, centre_id: int | None = None) -> list[Row[Any]]:
    where = [SN.c.expires_at > now]
    if centre_id is not None:
        where.append(SN.c.centre_id == centre_id)
    stmt = select(SN).where(and_(*where)).order_by(SN.c.at.desc(), SN.c.id.desc())
    return list(session.execute(stmt).all())


def kiosk_offers(session: Executor) -> list[Row[Any]]:
    return list(session.execute(select(KO)).all())


def kiosk_offer(session: Executor, centre_id: int, service_id: int) -> bool:
    stmt = select(KO.c.since).where(KO.c.centre_id == centre_id, KO.c.service_id == service_id)
    return session.execute(stmt).first() is not None


def set_kiosk_offer(
    session: Executor, centre_id: int, service_id: int, on: bool, at: datetime, staff: str | None
) -> bool:
    """Switch the flag; True if that changed anything."""
    if not on:
        stmt = delete(KO).where(KO.c.centre_id == centre_id, KO.c.service_id == service_id)
        return session.execute(stmt).rowcount == 1  # type: ignore[attr-defined]
    if kiosk_offer(session, centre_id, service_id):
        return False
    session.execute(
        insert(KO).values(centre_id=centre_id, service_id=service_id, since=at, staff=staff)
    )
    return True
