"""SQL for the rollups: the catch-up's state, and rollup rows written and read by grain
(hour, day, month; per service, and the same with the services added up).

Plain functions with the session first; they run inside the caller's unit of work.
Rollup rows go to the driver as written: a rebuild writes millions and a report reads
thousands, and SQLAlchemy's per-row work was most of their time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, and_, delete, func, select, text
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
    merge,
    values_of,
)
from frontdesk.store.dialect import Executor
from frontdesk.store.engine import NOTIFIED
from frontdesk.store.tables import TicketEvent, core_table
from frontdesk.store.tables.rollups import KEY_COLUMNS, TALLY_TABLES, rollup_state

E = core_table(TicketEvent)
ST = rollup_state

TallyClass = type[VisitTally] | type[QueryTally] | type[AdviserTally]
# Visit rows with the services added up (service_id 0), beside each grain's rows: what
# the summary and the board read, a fraction of the rows.
ALL_SERVICES = {"h": "H", "d": "D", "m": "M"}


def is_postgres(session: Executor) -> bool:
    bind = session if isinstance(session, Connection) else session.get_bind()
    return bind.dialect.name == "postgresql"


def _connection(session: Executor) -> Connection:
    return session if isinstance(session, Connection) else session.connection()


def quiet(session: Executor) -> None:
    """Rollup writes change nothing a live screen shows: no NOTIFY on commit."""
    if is_postgres(session):
        _connection(session).info[NOTIFIED] = True


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
    if lock and is_postgres(session):
        session.execute(
            postgresql.insert(ST)
            .values(key="watermark", number=0, text="0")
            .on_conflict_do_nothing(index_elements=[ST.c.key])
        )
    stmt = select(ST.c.key, ST.c.number, ST.c.text).where(ST.c.key.in_(("watermark", "gap")))
    if lock and is_postgres(session):
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
    dialect_insert = postgresql.insert if is_postgres(session) else sqlite.insert
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


_PENDING = (
    "SELECT w.number, w.text, (SELECT count(*) FROM ticket_event WHERE id > w.number)"
    " FROM (SELECT coalesce(max(number), 0) AS number, coalesce(max(text), '0') AS text"
    " FROM rollup_state WHERE key = 'watermark') w"
)


def pending(session: Executor) -> tuple[int, int]:
    """(events after the watermark now, how many the last catch-up saw there): one
    statement, an indexed count of the few newest ids."""
    r = _connection(session).exec_driver_sql(_PENDING).one()
    return int(r[2]), int(r[1])


def settled_top(session: Executor) -> int:
    """The highest event id below which every insert has committed or rolled back.

    PostgreSQL hands out ids before commit, so a lower id can appear after a higher one:
    a SHARE lock waits for the inserting transactions of the moment (a few ms) and is
    let go at once by the caller's commit. SQLite writers take turns: its max is settled.
    """
    if is_postgres(session):
        session.execute(text("LOCK TABLE ticket_event IN SHARE MODE"))
    return int(session.execute(select(func.coalesce(func.max(E.c.id), 0))).scalar_one())


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
    """Remove a centre's rollup rows of a grain on [day_from, day_to] (some hours only),
    and their services-added-up rows."""
    grains = [grain] + ([ALL_SERVICES[grain]] if grain in ALL_SERVICES else [])
    for table in TALLY_TABLES.values():
        cond = [
            table.c.grain.in_(grains),
            table.c.centre_id == centre_id,
            table.c.day >= day_from,
            table.c.day <= day_to,
        ]
        if hours is not None:
            cond.append(table.c.hour.in_(sorted(hours)))
        session.execute(delete(table).where(and_(*cond)))


def _insert_sql(cls: TallyClass, sqlite: bool) -> str:
    table = TALLY_TABLES[cls]
    cols = ["grain", "centre_id", "day", "hour", *KEY_COLUMNS[cls], *COUNTS[cls], *HISTS[cls]]
    marks = ", ".join(("?" if sqlite else "%s") for _ in cols)
    return f"INSERT INTO {table.name} ({', '.join(cols)}) VALUES ({marks})"


def insert_slots(session: Executor, grain: str, centre_id: int, slots: dict[SlotKey, Slot]) -> None:
    """Write slots as rows of a grain (and, for visits, their services added up)."""
    conn = _connection(session)
    sqlite = conn.dialect.name == "sqlite"
    rows: dict[TallyClass, list[tuple[Any, ...]]] = {cls: [] for cls in TALLY_TABLES}
    for (day, hour), slot in slots.items():
        when = day.isoformat() if sqlite else day
        summed: dict[tuple[int, str], VisitTally] = {}
        for cls, tallies in (
            (VisitTally, slot.visits),
            (QueryTally, slot.queries),
            (AdviserTally, slot.advisers),
        ):
            for key, t in tallies.items():
                keys: tuple[Any, ...] = key if isinstance(key, tuple) else (key,)
                rows[cls].append(_row(grain, centre_id, when, hour, keys, t))
        if grain in ALL_SERVICES:
            for (_service, channel), v in slot.visits.items():
                merge(summed.setdefault((0, channel), VisitTally()), v)
        for keys, t in summed.items():
            rows[VisitTally].append(_row(ALL_SERVICES[grain], centre_id, when, hour, keys, t))
    cur = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    for cls, batch in rows.items():
        if batch:
            cur.executemany(_insert_sql(cls, sqlite), batch)


def _row(
    grain: str, centre_id: int, day: Any, hour: int, keys: tuple[Any, ...], t: Any
) -> tuple[Any, ...]:
    cls = type(t)
    return (
        grain,
        centre_id,
        day,
        hour,
        *keys,
        *values_of(t),
        *((encode_hist(getattr(t, n)) or None) for n in HISTS[cls]),
    )


def read_tallies(
    session: Executor,
    cls: TallyClass,
    grain: str,
    centre_ids: Sequence[int],
    day_from: date,
    day_to: date,
) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """(row, tally) for each rollup row of a grain: the row starts with centre_id, day
    and hour, then the key columns."""
    conn = _connection(session)
    sqlite = conn.dialect.name == "sqlite"
    table = TALLY_TABLES[cls]
    keys = KEY_COLUMNS[cls]
    counts, hists = COUNTS[cls], HISTS[cls]
    m = "?" if sqlite else "%s"
    ids = list(centre_ids)
    if not ids:
        return
    sql = (
        f"SELECT centre_id, day, hour, {', '.join([*keys, *counts, *hists])} FROM {table.name}"
        f" WHERE grain = {m} AND centre_id IN ({', '.join(m for _ in ids)})"
        f" AND day >= {m} AND day <= {m}"
    )
    bounds = (day_from.isoformat(), day_to.isoformat()) if sqlite else (day_from, day_to)
    first = 3 + len(keys)
    last = first + len(counts)
    cur = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    cur.execute(sql, (grain, *ids, *bounds))
    for r in cur.fetchall():
        t = cls(*r[first:last])
        for i, name in enumerate(hists):
            blob = r[last + i]
            if blob:
                decode_into(getattr(t, name), bytes(blob))
        head = (r[0], date.fromisoformat(r[1]) if sqlite else r[1], *r[2:first])
        yield head, t
