"""SQL for the notification outbox (messages queued once per idempotency key, sent and
retried by `frontdesk notify`) and for visitors' contact details for "your turn is
near" (kept until purged)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Row, delete, select, update
from sqlmodel import Session

from frontdesk.store.dialect import Executor, dialect_insert, upsert
from frontdesk.store.tables import OutboxMessage, Ticket, TicketContact, core_table

OB = core_table(OutboxMessage)
TC = core_table(TicketContact)
T = core_table(Ticket)


# -- the outbox --------------------------------------------------------------------


def outbox_add(session: Session, **values: Any) -> bool:
    """Queue a message once per idempotency key; False if the key is already queued."""
    ins = dialect_insert(session, OB).values(**values)
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


def put_ticket_contact(
    session: Session, ticket_id: int, channel: str, recipient: str, at: datetime
) -> None:
    upsert(
        session,
        TC,
        ["ticket_id"],
        {"ticket_id": ticket_id, "channel": channel, "recipient": recipient, "created_at": at},
    )


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


class ContactRow(NamedTuple):
    ticket_id: int
    channel: str
    recipient: str
    status: str
    queued_at: datetime


def contacts_in_queue(session: Executor, centre_id: int, service_id: int) -> list[ContactRow]:
    """Subscribed visitors of one service queue. Read from the (small, purged daily)
    contact table first, so the usual answer — nobody — costs one tiny read."""
    contacts = session.execute(select(TC.c.ticket_id, TC.c.channel, TC.c.recipient)).all()
    by_ticket = {int(c.ticket_id): c for c in contacts}
    stmt = select(T.c.id, T.c.status, T.c.queued_at).where(
        T.c.id.in_(list(by_ticket)),
        T.c.centre_id == centre_id,
        T.c.service_id == service_id,
        T.c.status.in_(("waiting", "called")),
    )
    return [
        ContactRow(t.id, by_ticket[t.id].channel, by_ticket[t.id].recipient, t.status, t.queued_at)
        for t in session.execute(stmt).all()
    ]


def purge_ticket_contacts(session: Session, before: datetime) -> int:
    result = session.execute(delete(TC).where(TC.c.created_at < before))
    return int(result.rowcount)  # type: ignore[attr-defined]
