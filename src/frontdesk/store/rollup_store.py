"""SQL for the rollups: the catch-up's state, the events to fold, and rollup rows read
and written by grain (hour, day, month).

Plain functions with the session first; they run inside the caller's unit of work.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Row, and_, delete, func, insert, literal, select, text
from sqlalchemy.dialects import postgresql, sqlite

from frontdesk.queue.tally import (
    COUNTS,
    HISTS,
    AdviserTally,
    QueryTally,
    Slot,
    VisitTally,
    decode_into,
    encode_hist,
)
from frontdesk.store.appointment_tables import Appointment
from frontdesk.store.engine import NOTIFIED
from frontdesk.store.queue_store import Executor
from frontdesk.store.rollup_tables import (
    KEY_COLUMNS,
    TALLY_TABLES,
    rollup_state,
    visit_identity,
)
from frontdesk.store.staff_tables import AuditEntry, Staff
from frontdesk.store.tables import Centre, CentreService, Setting, Ticket, TicketEvent

T = Ticket.__table__  # type: ignore[attr-defined]
E = TicketEvent.__table__  # type: ignore[attr-defined]
C = Centre.__table__  # type: ignore[attr-defined]
CS = CentreService.__table__  # type: ignore[attr-defined]
AP = Appointment.__table__  # type: ignore[attr-defined]
ST = rollup_state

TallyClass = type[VisitTally] | type[QueryTally] | type[AdviserTally]


def _postgres(session: Executor) -> bool:
    bind = session if isinstance(session, Connection) else session.get_bind()
    return bind.dialect.name == "postgresql"


def quiet(session: Executor) -> None:
    """Rollup writes change nothing a live screen shows: no NOTIFY on commit."""
    if _postgres(session):
        conn = session if isinstance(session, Connection) else session.connection()
        conn.info[NOTIFIED] = True


# -- the catch-up's state --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class State:
    watermark: int  # every event up to this id has been folded
    beyond: int  # events after the watermark seen (and folded) by the last catch-up
    gap: int | None  # the first id missing after the watermark …
    gap_since: float | None  # … and when it was first found missing (epoch seconds)


def state(session: Executor, *, lock: bool = False) -> State:
    """The catch-up's state; with `lock`, held until the transaction ends (PostgreSQL:
    the row is made first if missing, so concurrent catch-ups queue on it)."""
    if lock and _postgres(session):
        session.execute(
            postgresql.insert(ST)
            .values(key="watermark", number=0, text="0")
            .on_conflict_do_nothing(index_elements=[ST.c.key])
        )
    stmt = select(ST.c.key, ST.c.number, ST.c.text).where(ST.c.key.in_(("watermark", "gap")))
    if lock and _postgres(session):
        stmt = stmt.with_for_update()
    rows = {r.key: r for r in session.execute(stmt)}
    mark, gap = rows.get("watermark"), rows.get("gap")
    return State(
        watermark=int(mark.number or 0) if mark else 0,
        beyond=int(mark.text or 0) if mark else 0,
        gap=int(gap.number) if gap and gap.number is not None else None,
        gap_since=float(gap.text) if gap and gap.text else None,
    )


def put_state(session: Executor, new: State) -> None:
    _put(session, "watermark", new.watermark, str(new.beyond))
    _put(session, "gap", new.gap, None if new.gap_since is None else repr(new.gap_since))


def _put(session: Executor, key: str, number: int | None, value: str | None) -> None:
    dialect_insert = postgresql.insert if _postgres(session) else sqlite.insert
    stmt = dialect_insert(ST).values(key=key, number=number, text=value)
    stmt = stmt.on_conflict_do_update(
        index_elements=[ST.c.key], set_={"number": number, "text": value}
    )
    session.execute(stmt)


def folded_standards(session: Executor) -> dict[int, str]:
    """centre id → the standards its rollups were folded with (a fingerprint)."""
    rows = session.execute(select(ST.c.key, ST.c.text).where(ST.c.key.like("standard:%")))
    return {int(r.key.split(":", 1)[1]): r.text or "" for r in rows}


def put_folded_standard(session: Executor, centre_id: int, fingerprint: str) -> None:
    _put(session, f"standard:{centre_id}", None, fingerprint)


def beyond(session: Executor, watermark: int) -> tuple[int, int]:
    """(count, highest id) of the events after the watermark: one indexed range read."""
    r = session.execute(
        select(func.count(), func.coalesce(func.max(E.c.id), 0)).where(E.c.id > watermark)
    ).one()
    return int(r[0]), int(r[1])


def settled_top(session: Executor) -> int:
    """The highest event id below which every insert has committed or rolled back.

    PostgreSQL hands out ids before commit, so a lower id can appear after a higher one:
    a SHARE lock waits for the inserting transactions of the moment (a few ms) and is
    let go at once by the caller's commit. SQLite writers take turns: its max is settled.
    """
    if _postgres(session):
        session.execute(text("LOCK TABLE ticket_event IN SHARE MODE"))
    return int(session.execute(select(func.coalesce(func.max(E.c.id), 0))).scalar_one())


def events_after(session: Executor, watermark: int) -> list[Row[Any]]:
    """(id, centre_id, business_day, issued_at) of every event after the watermark."""
    stmt = (
        select(E.c.id, T.c.centre_id, T.c.business_day, T.c.issued_at)
        .join(T, T.c.id == E.c.ticket_id)
        .where(E.c.id > watermark)
        .order_by(E.c.id)
    )
    return list(session.execute(stmt).all())


# -- what is folded ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CentreStandards:
    id: int
    timezone: str
    threshold_seconds: float
    own: dict[int, float]  # service id → the threshold of the service's own standard

    def fingerprint(self) -> str:
        own = ",".join(f"{k}={v:g}" for k, v in sorted(self.own.items()))
        return f"{self.threshold_seconds:g};{own};{self.timezone}"


def standards(session: Executor) -> dict[int, CentreStandards]:
    """Every centre's time zone and thresholds, read from the store (not a cache)."""
    own: dict[int, dict[int, float]] = {}
    for r in session.execute(select(CS.c.centre_id, CS.c.service_id, CS.c.threshold_minutes)):
        if r.threshold_minutes is not None:
            own.setdefault(r.centre_id, {})[r.service_id] = r.threshold_minutes * 60
    return {
        r.id: CentreStandards(r.id, r.timezone, r.threshold_minutes * 60, own.get(r.id, {}))
        for r in session.execute(select(C.c.id, C.c.timezone, C.c.threshold_minutes))
    }


def centre_ids(session: Executor, codes: Sequence[str]) -> list[int]:
    wanted = [c.strip().upper() for c in codes]
    return [r[0] for r in session.execute(select(C.c.id).where(C.c.code.in_(wanted)))]


def ticket_days(
    session: Executor, centre_id: int, day_from: date | None, day_to: date | None
) -> list[date]:
    """The local dates on which the centre issued tickets, within the bounds given."""
    stmt = select(T.c.business_day).where(T.c.centre_id == centre_id).distinct()
    if day_from is not None:
        stmt = stmt.where(T.c.business_day >= day_from)
    if day_to is not None:
        stmt = stmt.where(T.c.business_day <= day_to)
    return sorted(r[0] for r in session.execute(stmt))


def _told_columns() -> list[Any]:
    # The 80% interval columns come with the estimate issue's migration; until then the
    # interval is simply not known.
    cols = [T.c.estimated_wait_seconds]
    for name in ("estimated_wait_low_seconds", "estimated_wait_high_seconds"):
        col = T.c.get(name)
        cols.append(col if col is not None else literal(None).label(name))
    return cols


def tickets_between(
    session: Executor, centre_id: int, day_from: date, day_to: date
) -> list[Row[Any]]:
    """The centre's tickets issued on local dates [day_from, day_to]."""
    stmt = select(
        T.c.id, T.c.service_id, T.c.channel, T.c.business_day, T.c.issued_at, *_told_columns()
    ).where(T.c.centre_id == centre_id, T.c.business_day >= day_from, T.c.business_day <= day_to)
    return list(session.execute(stmt).all())


EVENT_FIELDS = (
    E.c.ticket_id,
    E.c.step,
    E.c.at,
    E.c.service_id,
    E.c.desk_id,
    E.c.staff,
    E.c.topic_id,
    E.c.resolved,
    E.c.avoidable,
    E.c.feedback,
    E.c.seen_before,
)


def events_between(
    session: Executor, centre_id: int, day_from: date, day_to: date
) -> Iterator[Row[Any]]:
    """The events of the centre's tickets issued on [day_from, day_to], per ticket in
    log order, streamed."""
    stmt = (
        select(*EVENT_FIELDS)
        .join(T, T.c.id == E.c.ticket_id)
        .where(T.c.centre_id == centre_id, T.c.business_day >= day_from, T.c.business_day <= day_to)
        .order_by(E.c.ticket_id, E.c.id)
    )
    yield from session.execute(stmt.execution_options(yield_per=5000))


def events_of(session: Executor, ticket_ids: Sequence[int]) -> Iterator[Row[Any]]:
    """The events of these tickets, per ticket in log order."""
    ids = sorted(ticket_ids)
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        stmt = select(*EVENT_FIELDS).where(E.c.ticket_id.in_(chunk)).order_by(E.c.ticket_id, E.c.id)
        yield from session.execute(stmt)


def appointments_due(session: Executor, ticket_ids: Sequence[int]) -> dict[int, datetime]:
    """ticket id → the later of its booking's start and its check-in."""
    out: dict[int, datetime] = {}
    ids = list(ticket_ids)
    for i in range(0, len(ids), 500):
        stmt = select(AP.c.ticket_id, AP.c.starts_at, AP.c.checked_in_at).where(
            AP.c.ticket_id.in_(ids[i : i + 500])
        )
        for r in session.execute(stmt):
            out[r.ticket_id] = max(r.starts_at, r.checked_in_at or r.starts_at)
    return out


# -- rollup rows -------------------------------------------------------------------------

SlotKey = tuple[date, int]  # local date, hour (0 for day and month rows)


def delete_slots(
    session: Executor,
    grain: str,
    centre_id: int,
    day_from: date,
    day_to: date,
    hours: Iterable[int] | None = None,
) -> None:
    """Remove a centre's rollup rows of a grain on [day_from, day_to] (some hours only)."""
    for table in TALLY_TABLES.values():
        cond = [
            table.c.grain == grain,
            table.c.centre_id == centre_id,
            table.c.day >= day_from,
            table.c.day <= day_to,
        ]
        if hours is not None:
            cond.append(table.c.hour.in_(sorted(hours)))
        session.execute(delete(table).where(and_(*cond)))


def insert_slots(session: Executor, grain: str, centre_id: int, slots: dict[SlotKey, Slot]) -> None:
    rows: dict[TallyClass, list[dict[str, Any]]] = {cls: [] for cls in TALLY_TABLES}
    for (day, hour), slot in slots.items():
        base = {"grain": grain, "centre_id": centre_id, "day": day, "hour": hour}
        for cls, tallies in (
            (VisitTally, slot.visits),
            (QueryTally, slot.queries),
            (AdviserTally, slot.advisers),
        ):
            keys = KEY_COLUMNS[cls]
            for key, t in tallies.items():
                row = dict(base)
                row.update(zip(keys, key if isinstance(key, tuple) else (key,), strict=True))
                for name in COUNTS[cls]:
                    row[name] = getattr(t, name)
                for name in HISTS[cls]:
                    row[name] = encode_hist(getattr(t, name)) or None
                rows[cls].append(row)
    for cls, batch in rows.items():
        if batch:
            session.execute(insert(TALLY_TABLES[cls]), batch)


def read_tallies(
    session: Executor,
    cls: TallyClass,
    grain: str,
    centre_ids: Sequence[int],
    day_from: date,
    day_to: date,
    *,
    where: Any = None,
) -> Iterator[tuple[Row[Any], Any]]:
    """(row, tally) for each rollup row of a grain: the row gives centre_id, day, hour
    and the key columns."""
    table = TALLY_TABLES[cls]
    keys = [table.c[k] for k in KEY_COLUMNS[cls]]
    counts = COUNTS[cls]
    hists = HISTS[cls]
    stmt = select(
        table.c.centre_id,
        table.c.day,
        table.c.hour,
        *keys,
        *(table.c[n] for n in counts),
        *(table.c[n] for n in hists),
    ).where(
        table.c.grain == grain,
        table.c.centre_id.in_(list(centre_ids)),
        table.c.day >= day_from,
        table.c.day <= day_to,
    )
    if where is not None:
        stmt = stmt.where(where(table))
    first = 3 + len(keys)
    last = first + len(counts)
    for r in session.execute(stmt):
        t = cls(*r[first:last])
        for i, name in enumerate(hists):
            decode_into(getattr(t, name), r[last + i])
        yield r, t


# -- advisers --------------------------------------------------------------------------


def desk_changes(session: Executor, since: datetime, until: datetime) -> list[Row[Any]]:
    """(at, action, staff, detail) of desks opened, paused and closed in [since, until)."""
    AU = AuditEntry.__table__  # type: ignore[attr-defined]
    stmt = (
        select(AU.c.at, AU.c.action, AU.c.staff, AU.c.detail)
        .where(
            AU.c.at >= since,
            AU.c.at < until,
            AU.c.action.in_(("desk.open", "desk.paused", "desk.closed")),
        )
        .order_by(AU.c.at, AU.c.id)
    )
    return list(session.execute(stmt).all())


def staff_names(session: Executor) -> dict[str, str]:
    SF = Staff.__table__  # type: ignore[attr-defined]
    return {r.code: r.name for r in session.execute(select(SF.c.code, SF.c.name))}


# -- visitor identities ------------------------------------------------------------------


def setting_once(session: Executor, key: str, value: str) -> str:
    """The setting's value, set to `value` first if it has none (safe when racing)."""
    SE = Setting.__table__  # type: ignore[attr-defined]
    dialect_insert = postgresql.insert if _postgres(session) else sqlite.insert
    session.execute(dialect_insert(SE).values(key=key, value=value).on_conflict_do_nothing())
    return str(session.execute(select(SE.c.value).where(SE.c.key == key)).scalar_one())


def put_identity(session: Executor, ticket_id: int, kind: str, key: str) -> None:
    dialect_insert = postgresql.insert if _postgres(session) else sqlite.insert
    stmt = dialect_insert(visit_identity).values(ticket_id=ticket_id, kind=kind, key=key)
    session.execute(
        stmt.on_conflict_do_update(
            index_elements=[visit_identity.c.ticket_id], set_={"kind": kind, "key": key}
        )
    )


def _issue_service() -> Any:
    first = (
        select(E.c.service_id)
        .where(E.c.ticket_id == T.c.id, E.c.step == "issued")
        .order_by(E.c.id)
        .limit(1)
        .scalar_subquery()
    )
    return func.coalesce(first, T.c.service_id).label("service_id")


def identified_visits(session: Executor, day_from: date, day_to: date) -> list[Row[Any]]:
    """(id, centre_id, business_day, issued_at, service_id, key) of identified tickets
    issued on [day_from, day_to] at any centre, oldest first (service: the one issued
    for)."""
    stmt = (
        select(
            T.c.id,
            T.c.centre_id,
            T.c.business_day,
            T.c.issued_at,
            _issue_service(),
            visit_identity.c.key,
        )
        .join(visit_identity, visit_identity.c.ticket_id == T.c.id)
        .where(T.c.business_day >= day_from, T.c.business_day <= day_to)
        .order_by(T.c.issued_at, T.c.id)
    )
    return list(session.execute(stmt).all())


def marked_visits(
    session: Executor, centre_ids: Sequence[int], day_from: date, day_to: date
) -> dict[int, int]:
    """Ticket id → service issued for, of the tickets issued on [day_from, day_to] with
    a query marked "seen before about this"."""
    marked = select(E.c.ticket_id).where(E.c.seen_before).distinct().subquery()
    stmt = (
        select(T.c.id, _issue_service())
        .join(marked, marked.c.ticket_id == T.c.id)
        .where(
            T.c.centre_id.in_(list(centre_ids)),
            T.c.business_day >= day_from,
            T.c.business_day <= day_to,
        )
    )
    return {r[0]: r[1] for r in session.execute(stmt)}
