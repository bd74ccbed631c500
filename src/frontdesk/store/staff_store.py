"""SQL for staff, desk sessions, drafts, the audit log, device health and the outbox."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Row, delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from frontdesk.store.staff_tables import (
    AuditEntry,
    DeskSession,
    DeviceHealthRow,
    OutboxMessage,
    OutcomeDraft,
    Staff,
    TicketContact,
)

ST = Staff.__table__  # type: ignore[attr-defined]
DS = DeskSession.__table__  # type: ignore[attr-defined]
DR = OutcomeDraft.__table__  # type: ignore[attr-defined]
AU = AuditEntry.__table__  # type: ignore[attr-defined]
DH = DeviceHealthRow.__table__  # type: ignore[attr-defined]
OB = OutboxMessage.__table__  # type: ignore[attr-defined]


def _upsert(session: Session, table: Any, keys: list[str], values: dict[str, Any]) -> None:
    pg = session.get_bind().dialect.name == "postgresql"
    ins = (postgresql.insert if pg else sqlite.insert)(table).values(**values)
    changes = {k: v for k, v in values.items() if k not in keys}
    session.execute(ins.on_conflict_do_update(index_elements=keys, set_=changes))


def audit(session: Any, at: datetime, staff: str | None, action: str, detail: str) -> None:
    session.execute(insert(AU).values(at=at, staff=staff, action=action, detail=detail))


def audit_entries(session: Session, since: datetime) -> list[Row[Any]]:
    stmt = select(AU).where(AU.c.at >= since).order_by(AU.c.id)
    return list(session.execute(stmt).all())


# -- staff ------------------------------------------------------------------------


def staff(session: Session, code: str) -> Row[Any] | None:
    return session.execute(select(ST).where(ST.c.code == code, ST.c.active)).first()


def upsert_staff(session: Session, **values: Any) -> None:
    _upsert(session, ST, ["code"], values)


def set_login_state(
    session: Session, code: str, failed: int, locked_until: datetime | None
) -> None:
    session.execute(
        update(ST)
        .where(ST.c.code == code)
        .values(failed_attempts=failed, locked_until=locked_until)
    )


# -- desk sessions and drafts ------------------------------------------------------


def desk_session(session: Session, desk_id: int) -> Row[Any] | None:
    stmt = select(DS).where(DS.c.desk_id == desk_id)
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    return session.execute(stmt).first()


def put_desk_session(session: Session, **values: Any) -> None:
    _upsert(session, DS, ["desk_id"], values)


def touch_desk_session(session: Session, desk_id: int, console: str, at: datetime) -> bool:
    stmt = update(DS).where(DS.c.desk_id == desk_id, DS.c.console == console).values(seen_at=at)
    return session.execute(stmt).rowcount == 1  # type: ignore[attr-defined]


def end_desk_session(session: Session, desk_id: int, console: str) -> None:
    session.execute(delete(DS).where(DS.c.desk_id == desk_id, DS.c.console == console))


def save_draft(session: Session, desk_id: int, ticket_id: int, body: str, at: datetime) -> None:
    _upsert(
        session,
        DR,
        ["desk_id", "ticket_id"],
        {"desk_id": desk_id, "ticket_id": ticket_id, "body": body, "updated_at": at},
    )


def draft(session: Session, desk_id: int, ticket_id: int) -> str | None:
    stmt = select(DR.c.body).where(DR.c.desk_id == desk_id, DR.c.ticket_id == ticket_id)
    return session.execute(stmt).scalar()


def drop_drafts(session: Session, desk_id: int, ticket_id: int) -> None:
    session.execute(delete(DR).where(DR.c.desk_id == desk_id, DR.c.ticket_id == ticket_id))


# -- device health -----------------------------------------------------------------


def put_health(
    session: Session, device_id: str, centre: str, status: str, since: datetime, detail: str
) -> None:
    _upsert(
        session,
        DH,
        ["device_id"],
        {
            "device_id": device_id,
            "centre": centre,
            "status": status,
            "since": since,
            "detail": detail,
        },
    )


def health(session: Session, device_id: str) -> Row[Any] | None:
    return session.execute(select(DH).where(DH.c.device_id == device_id)).first()


def health_for_centre(session: Session, centre: str) -> list[Row[Any]]:
    stmt = select(DH).where(DH.c.centre == centre).order_by(DH.c.device_id)
    return list(session.execute(stmt).all())


# -- outbox ------------------------------------------------------------------------


def outbox_add(session: Session, **values: Any) -> bool:
    """Queue a message once per idempotency key; False if the key is already queued."""
    pg = session.get_bind().dialect.name == "postgresql"
    ins = (postgresql.insert if pg else sqlite.insert)(OB).values(**values)
    result = session.execute(ins.on_conflict_do_nothing(index_elements=["idempotency_key"]))
    return result.rowcount == 1  # type: ignore[attr-defined]


def outbox_get(session: Session, key: str) -> Row[Any] | None:
    return session.execute(select(OB).where(OB.c.idempotency_key == key)).first()


def outbox_due(session: Session, now: datetime, limit: int) -> list[Row[Any]]:
    stmt = (
        select(OB)
        .where(OB.c.state == "pending")
        .where((OB.c.next_attempt_at.is_(None)) | (OB.c.next_attempt_at <= now))
        .order_by(OB.c.id)
        .limit(limit)
    )
    return list(session.execute(stmt).all())


def outbox_in_state(session: Session, state: str) -> list[Row[Any]]:
    return list(session.execute(select(OB).where(OB.c.state == state).order_by(OB.c.id)).all())


def outbox_save(session: Session, key: str, **values: Any) -> None:
    session.execute(update(OB).where(OB.c.idempotency_key == key).values(**values))


# -- visitors' contact details for "your turn is near" -----------------------------

TC = TicketContact.__table__  # type: ignore[attr-defined]


def put_ticket_contact(
    session: Session, ticket_id: int, channel: str, recipient: str, at: datetime
) -> None:
    _upsert(
        session,
        TC,
        ["ticket_id"],
        {"ticket_id": ticket_id, "channel": channel, "recipient": recipient, "created_at": at},
    )


def ticket_contacts(session: Session, ticket_ids: list[int]) -> dict[int, tuple[str, str]]:
    if not ticket_ids:
        return {}
    stmt = select(TC.c.ticket_id, TC.c.channel, TC.c.recipient).where(
        TC.c.ticket_id.in_(ticket_ids)
    )
    return {int(t): (c, r) for t, c, r in session.execute(stmt).all()}


def any_ticket_contacts(engine: Any) -> bool:
    """Whether anyone asked to be told their turn is near — checked after every call, so
    on the driver's connection, without SQLAlchemy's statement machinery, in one round
    trip (autocommit: no BEGIN, and no ROLLBACK, which would make psycopg drop its
    prepared statements)."""
    raw = engine.raw_connection()
    db = raw.driver_connection
    pg = engine.dialect.name == "postgresql"
    try:
        if pg:
            db.autocommit = True
        cur = db.cursor()
        cur.execute("SELECT 1 FROM ticket_contact LIMIT 1")
        found = cur.fetchone() is not None
        cur.close()
        return found
    finally:
        if pg:
            try:
                db.autocommit = False
            except Exception:  # a broken connection: leave it out of the pool
                raw.invalidate()
        raw.close()


def contacts_in_queue(session: Any, centre_id: int, service_id: int) -> list[_ContactRow]:
    """Subscribed visitors of one service queue. Read from the (small, purged daily)
    contact table first, so the usual answer — nobody — costs one tiny read."""
    from frontdesk.store.queue_store import T

    contacts = session.execute(select(TC.c.ticket_id, TC.c.channel, TC.c.recipient)).all()
    by_ticket = {int(c.ticket_id): c for c in contacts}
    stmt = select(T.c.id, T.c.status, T.c.queued_at).where(
        T.c.id.in_(list(by_ticket)),
        T.c.centre_id == centre_id,
        T.c.service_id == service_id,
        T.c.status.in_(("waiting", "called")),
    )
    return [
        _ContactRow(t.id, by_ticket[t.id].channel, by_ticket[t.id].recipient, t.status, t.queued_at)
        for t in session.execute(stmt).all()
    ]


class _ContactRow(NamedTuple):
    ticket_id: int
    channel: str
    recipient: str
    status: str
    queued_at: datetime


def waiting_before(session: Any, centre_id: int, service_id: int, queued_at: datetime) -> int:
    from sqlalchemy import func

    from frontdesk.store.queue_store import T

    stmt = select(func.count()).where(
        T.c.centre_id == centre_id,
        T.c.service_id == service_id,
        T.c.status == "waiting",
        T.c.queued_at < queued_at,
    )
    return int(session.execute(stmt).scalar_one())


def purge_ticket_contacts(session: Session, before: datetime) -> int:
    result = session.execute(delete(TC).where(TC.c.created_at < before))
    return int(result.rowcount)  # type: ignore[attr-defined]
