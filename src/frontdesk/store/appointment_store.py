"""SQL for appointments: bookings, overlaps (under a lock), absences, day lists."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Row, func, insert, select, update
from sqlmodel import Session

from frontdesk.store.dialect import is_postgres
from frontdesk.store.tables import Absence, Appointment, AppointmentType, Centre, Room, core_table
from frontdesk.store.tables import Specialist as SpecialistTable
from frontdesk.store.types import stamp

A = core_table(Appointment)
AT = core_table(AppointmentType)
SP = core_table(SpecialistTable)
AB = core_table(Absence)
RM = core_table(Room)
C = core_table(Centre)

LIVE = ("booked", "checked_in")


def types(session: Session) -> list[Row[Any]]:
    return list(session.execute(select(AT).where(AT.c.active).order_by(AT.c.id)).all())


def specialists(session: Session) -> list[Row[Any]]:
    return list(session.execute(select(SP).where(SP.c.active).order_by(SP.c.id)).all())


def rooms(session: Session) -> list[Row[Any]]:
    stmt = select(RM.c.name, C.c.code).join(C, C.c.id == RM.c.centre_id).where(RM.c.active)
    return list(session.execute(stmt.order_by(RM.c.id)).all())


def absences(session: Session, since: datetime) -> list[Row[Any]]:
    stmt = select(AB.c.specialist_id, AB.c.starts_at, AB.c.ends_at).where(AB.c.ends_at > since)
    return list(session.execute(stmt).all())


def lock_specialist(session: Session, specialist_id: int) -> None:
    """Serialise bookings for one specialist (PostgreSQL; SQLite's writer lock already does)."""
    if is_postgres(session):
        session.execute(select(SP.c.id).where(SP.c.id == specialist_id).with_for_update())


def lock_room(session: Session, centre_id: int, room: str) -> None:
    if is_postgres(session):
        session.execute(
            select(RM.c.id).where(RM.c.centre_id == centre_id, RM.c.name == room).with_for_update()
        )


def clashes(
    session: Session,
    specialist_id: int,
    centre_id: int,
    room: str | None,
    start: datetime,
    busy_until: datetime,
    ignore_id: int | None = None,
) -> bool:
    """Whether the specialist (or the room) is already booked over [start, busy_until)."""
    overlap = (A.c.starts_at < busy_until) & (A.c.busy_until > start) & A.c.status.in_(LIVE)
    who: Any = A.c.specialist_id == specialist_id
    if room is not None:
        who = who | ((A.c.centre_id == centre_id) & (A.c.room == room))
    stmt = select(func.count()).where(overlap, who)
    if ignore_id is not None:
        stmt = stmt.where(A.c.id != ignore_id)
    return int(session.execute(stmt).scalar_one()) > 0


def insert_booking(session: Session, **values: Any) -> int:
    return int(session.execute(insert(A).values(**values).returning(A.c.id)).scalar_one())


def reference_taken(session: Session, reference: str) -> bool:
    return session.execute(select(A.c.id).where(A.c.reference == reference)).first() is not None


BOOKING_COLUMNS = (
    A.c.id,
    A.c.reference,
    A.c.token,
    A.c.type_id,
    A.c.centre_id,
    A.c.specialist_id,
    A.c.desk_name,
    A.c.room,
    A.c.starts_at,
    A.c.ends_at,
    A.c.busy_until,
    A.c.status,
    A.c.checked_in_at,
    A.c.ticket_id,
    A.c.flagged,
    A.c.contact_phone,
    A.c.contact_email,
    A.c.contact_name,
)


def booking_by(
    session: Session,
    *,
    reference: str | None = None,
    token: str | None = None,
    booking_id: int | None = None,
    lock: bool = False,
) -> Row[Any] | None:
    stmt = select(*BOOKING_COLUMNS)
    if reference is not None:
        stmt = stmt.where(A.c.reference == reference)
    elif token is not None:
        stmt = stmt.where(A.c.token == token)
    else:
        stmt = stmt.where(A.c.id == booking_id)
    if lock and is_postgres(session):
        stmt = stmt.with_for_update()
    return session.execute(stmt).first()


def update_booking(
    session: Session, booking_id: int, expected: Sequence[str], **values: Any
) -> bool:
    stmt = update(A).where(A.c.id == booking_id, A.c.status.in_(list(expected))).values(**values)
    return session.execute(stmt).rowcount == 1  # type: ignore[attr-defined]


def bookings_between(
    session: Session,
    since: datetime,
    until: datetime,
    centre_ids: Sequence[int] | None = None,
    specialist_id: int | None = None,
    statuses: Sequence[str] | None = None,
) -> list[Row[Any]]:
    stmt = select(*BOOKING_COLUMNS).where(A.c.starts_at >= since, A.c.starts_at < until)
    if centre_ids is not None:
        stmt = stmt.where(A.c.centre_id.in_(list(centre_ids)))
    if specialist_id is not None:
        stmt = stmt.where(A.c.specialist_id == specialist_id)
    if statuses is not None:
        stmt = stmt.where(A.c.status.in_(list(statuses)))
    return list(session.execute(stmt.order_by(A.c.starts_at, A.c.id)).all())


def mark_missed(session: Session, before: datetime) -> int:
    """Booked appointments nobody checked in for by `before` become no-shows."""
    stmt = (
        update(A)
        .where(
            A.c.status == "booked",
            A.c.starts_at < before,
            A.c.type_id.in_(select(AT.c.id).where(AT.c.by_phone.is_(False))),
        )
        .values(status="no_show")
    )
    return int(session.execute(stmt).rowcount)  # type: ignore[attr-defined]


def set_specialist_status(
    session: Session, specialist_id: int, in_office: bool, reason: str | None, at: datetime
) -> None:
    session.execute(
        update(SP)
        .where(SP.c.id == specialist_id)
        .values(in_office=in_office, status_reason=reason, status_at=at)
    )


def add_absence(
    session: Session, specialist_id: int, start: datetime, end: datetime, reason: str | None
) -> None:
    session.execute(
        insert(AB).values(specialist_id=specialist_id, starts_at=start, ends_at=end, reason=reason)
    )


def flag(session: Session, booking_ids: Sequence[int], text: str) -> None:
    if booking_ids:
        session.execute(update(A).where(A.c.id.in_(list(booking_ids))).values(flagged=text))


def purge_contacts(session: Session, ended_before: datetime) -> int:
    stmt = (
        update(A)
        .where(
            A.c.ends_at < ended_before,
            (A.c.contact_name.is_not(None))
            | (A.c.contact_phone.is_not(None))
            | (A.c.contact_email.is_not(None)),
        )
        .values(contact_name=None, contact_phone=None, contact_email=None)
    )
    return int(session.execute(stmt).rowcount)  # type: ignore[attr-defined]


def busy_spans(
    conn: Any,
    since: datetime,
    until: datetime,
    specialist_ids: Sequence[int],
    room_centre_ids: Sequence[int],
) -> list[tuple[int, int, str | None, datetime, datetime]]:
    """(specialist, centre, room, start, busy until) of the live bookings that block these
    specialists, or rooms at these centres, over [since, until).

    The slot finder reads hundreds of these per search, so this runs hand-written SQL on
    the connection (no statement building, no per-value type processing): on SQLite the
    timestamps come back as SQLAlchemy's naive-UTC text and are parsed here."""
    if isinstance(conn, Session):
        conn = conn.connection()
    sqlite = conn.dialect.name == "sqlite"
    mark = "?" if sqlite else "%s"
    who = []
    params: list[Any] = []
    if specialist_ids:
        who.append(f"specialist_id IN ({', '.join(mark for _ in specialist_ids)})")
        params += list(specialist_ids)
    if room_centre_ids:
        who.append(
            f"(room IS NOT NULL AND centre_id IN ({', '.join(mark for _ in room_centre_ids)}))"
        )
        params += list(room_centre_ids)
    if not who:
        return []
    lo, hi = (since, until)
    if sqlite:
        lo, hi = stamp(since), stamp(until)  # type: ignore[assignment]
    sql = (
        "SELECT specialist_id, centre_id, room, starts_at, busy_until FROM appointment"
        f" WHERE status IN ('booked', 'checked_in') AND busy_until > {mark}"
        f" AND starts_at < {mark} AND ({' OR '.join(who)})"
    )
    rows = conn.exec_driver_sql(sql, (lo, hi, *params)).fetchall()
    if not sqlite:
        return [(r[0], r[1], r[2], r[3], r[4]) for r in rows]
    parse = datetime.fromisoformat
    return [
        (r[0], r[1], r[2], parse(r[3]).replace(tzinfo=UTC), parse(r[4]).replace(tzinfo=UTC))
        for r in rows
    ]
