"""SQL for staff (who may log in, and their failed attempts) and desk sessions (who is
logged in at which desk, one console per desk)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Row, delete, select, update
from sqlmodel import Session

from frontdesk.store.dialect import is_postgres, upsert
from frontdesk.store.tables import DeskSession, Staff

ST = Staff.__table__  # type: ignore[attr-defined]
DS = DeskSession.__table__  # type: ignore[attr-defined]


# -- staff ------------------------------------------------------------------------


def staff(session: Session, code: str) -> Row[Any] | None:
    return session.execute(select(ST).where(ST.c.code == code, ST.c.active)).first()


def upsert_staff(session: Session, **values: Any) -> None:
    upsert(session, ST, ["code"], values)


def set_login_state(
    session: Session, code: str, failed: int, locked_until: datetime | None
) -> None:
    session.execute(
        update(ST)
        .where(ST.c.code == code)
        .values(failed_attempts=failed, locked_until=locked_until)
    )


# -- desk sessions -----------------------------------------------------------------


def desk_session(session: Session, desk_id: int) -> Row[Any] | None:
    stmt = select(DS).where(DS.c.desk_id == desk_id)
    if is_postgres(session):
        stmt = stmt.with_for_update()
    return session.execute(stmt).first()


def put_desk_session(session: Session, **values: Any) -> None:
    upsert(session, DS, ["desk_id"], values)


def touch_desk_session(session: Session, desk_id: int, console: str, at: datetime) -> bool:
    stmt = update(DS).where(DS.c.desk_id == desk_id, DS.c.console == console).values(seen_at=at)
    return session.execute(stmt).rowcount == 1  # type: ignore[attr-defined]


def end_desk_session(session: Session, desk_id: int, console: str) -> None:
    session.execute(delete(DS).where(DS.c.desk_id == desk_id, DS.c.console == console))
