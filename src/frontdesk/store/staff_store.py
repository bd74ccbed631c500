"""SQL for staff (who may log in, and their failed attempts) and desk sessions (who is
logged in at which desk, one console per desk)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Row, case, delete, inspect, literal, null, select, update
from sqlmodel import Session

from frontdesk.store.dialect import is_postgres, upsert
from frontdesk.store.tables import DeskSession, Specialist, Staff, core_table
from frontdesk.store.types import UTCDateTime

ST = core_table(Staff)
DS = core_table(DeskSession)
SP = core_table(Specialist)


# -- staff ------------------------------------------------------------------------


def staff(session: Session, code: str) -> Row[Any] | None:
    return session.execute(select(ST).where(ST.c.code == code, ST.c.active)).first()


def any_staff(session: Session, code: str) -> Row[Any] | None:
    """A staff row whether active, disabled or removed."""
    return session.execute(select(ST).where(ST.c.code == code)).first()


def all_staff(session: Session) -> list[Row[Any]]:
    return list(session.execute(select(ST).order_by(ST.c.code)).all())


def has_staff(session: Session) -> bool:
    """Whether anyone has been added yet (a new store has nobody to vouch for a command;
    one not yet migrated, before `init`, has not even the table)."""
    if not inspect(session.connection()).has_table(ST.name):
        return False
    return session.execute(select(ST.c.id).limit(1)).first() is not None


def change_staff(session: Session, code: str, **values: Any) -> bool:
    """Update a member of staff who has not been removed; False when there is none."""
    stmt = update(ST).where(ST.c.code == code, ST.c.removed_at.is_(None)).values(**values)
    return session.execute(stmt).rowcount == 1  # type: ignore[attr-defined]


def end_sessions_of(session: Session, staff_code: str) -> int:
    """Log `staff_code` out of every desk (their consoles see the session gone)."""
    result = session.execute(delete(DS).where(DS.c.staff_code == staff_code))
    return int(result.rowcount)  # type: ignore[attr-defined]


def specialist_exists(session: Session, code: str) -> bool:
    """Whether the centres file named this specialist (active or not)."""
    return session.execute(select(SP.c.id).where(SP.c.code == code)).first() is not None


def upsert_staff(session: Session, **values: Any) -> None:
    upsert(session, ST, ["code"], values)


def claim_guess(
    session: Session, code: str, now: datetime, lock_until: datetime, max_failures: int
) -> Row[Any] | None:
    """Count one PIN guess against `code` before it is checked, in one statement.

    The count goes up first and the PIN is checked after, so however many processes
    guess at once no more than `max_failures` guesses get checked: the guess that makes
    the count reach the limit also sets `locked_until`, and a locked row matches nothing.
    An expired lock starts the count again. None: no such active code, or locked now.
    """
    expired = ST.c.locked_until.is_not(None) & (ST.c.locked_until <= now)
    stmt = (
        update(ST)
        .where(
            ST.c.code == code,
            ST.c.active,
            ST.c.locked_until.is_(None) | (ST.c.locked_until <= now),
        )
        .values(
            failed_attempts=case((expired, 1), else_=ST.c.failed_attempts + 1),
            locked_until=case(
                (expired, null()),
                (ST.c.failed_attempts + 1 >= max_failures, literal(lock_until, UTCDateTime())),
                else_=ST.c.locked_until,
            ),
        )
        .returning(ST.c.code, ST.c.name, ST.c.role, ST.c.pin_hash, ST.c.specialist_code)
    )
    return session.execute(stmt).first()


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


def sessions_of(session: Session, staff_code: str) -> list[Row[Any]]:
    """The desks `staff_code` is logged in at. On PostgreSQL their staff row is locked
    first, so two desks logging the same adviser in at once are taken in turn."""
    if is_postgres(session):
        session.execute(select(ST.c.id).where(ST.c.code == staff_code).with_for_update())
    return list(session.execute(select(DS).where(DS.c.staff_code == staff_code)).all())


def touch_desk_session(session: Session, desk_id: int, console: str, at: datetime) -> bool:
    stmt = update(DS).where(DS.c.desk_id == desk_id, DS.c.console == console).values(seen_at=at)
    return session.execute(stmt).rowcount == 1  # type: ignore[attr-defined]


def end_desk_session(session: Session, desk_id: int, console: str) -> None:
    session.execute(delete(DS).where(DS.c.desk_id == desk_id, DS.c.console == console))
