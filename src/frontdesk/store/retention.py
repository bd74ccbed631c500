"""SQL for forgetting personal data past its retention period: the outbox's recipients
and message text, and the free text (ticket notes, transfer notes and reasons, feedback
comments) that may hold a phone number or an e-mail address."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Table, case, or_, select, update

from frontdesk.store.dialect import Executor, is_postgres
from frontdesk.store.tables import OutboxMessage, Ticket, TicketEvent, core_table
from frontdesk.store.tables.web import VisitFeedback

OB = core_table(OutboxMessage)
# Free text, by table: (table, its key column, the text column, the column dating it).
FREE_TEXT: tuple[tuple[Table, str, str, str], ...] = (
    (core_table(Ticket), "id", "note", "issued_at"),
    (core_table(TicketEvent), "id", "text", "at"),
    (core_table(VisitFeedback), "ticket_id", "comment", "at"),
)
PURGED = "purged: past the retention period"


def purge_outbox(session: Executor, before: datetime) -> int:
    """Clear the recipient, subject and body of messages queued before `before`; one
    still pending then is given up (it could not be sent now anyway)."""
    stmt = (
        update(OB)
        .where(OB.c.created_at < before, or_(OB.c.recipient != "", OB.c.body != ""))
        .values(
            recipient="",
            subject="",
            body="",
            state=case((OB.c.state == "pending", "dead"), else_=OB.c.state),
            last_error=case((OB.c.state == "pending", PURGED), else_=OB.c.last_error),
        )
    )
    return int(session.execute(stmt).rowcount)  # type: ignore[attr-defined]


def free_texts(session: Executor, before: datetime) -> list[tuple[int, Any, str]]:
    """(which FREE_TEXT entry, key, text) of texts dated before `before` that may hold a
    phone number (four digits together) or an e-mail address (an @)."""
    found: list[tuple[int, Any, str]] = []
    for n, (table, key, column, dated) in enumerate(FREE_TEXT):
        col = table.c[column]
        maybe: ColumnElement[bool]
        if is_postgres(session):
            maybe = col.op("~")("@|[0-9]{4}")
        else:
            maybe = or_(col.op("GLOB")("*@*"), col.op("GLOB")("*[0-9][0-9][0-9][0-9]*"))
        stmt = select(table.c[key], col).where(table.c[dated] < before, col.is_not(None), maybe)
        found += [(n, k, t) for k, t in session.execute(stmt).all()]
    return found


def set_free_text(session: Executor, which: int, key: Any, value: str) -> None:
    table, key_column, column, _ = FREE_TEXT[which]
    session.execute(update(table).where(table.c[key_column] == key).values({column: value}))
