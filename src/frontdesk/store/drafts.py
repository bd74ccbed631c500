"""SQL for outcome drafts: a desk's half-filled outcome form, kept so that a restarted
console resumes it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlmodel import Session

from frontdesk.store.dialect import upsert
from frontdesk.store.tables import OutcomeDraft, core_table

DR = core_table(OutcomeDraft)


def save_draft(session: Session, desk_id: int, ticket_id: int, body: str, at: datetime) -> None:
    upsert(
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
