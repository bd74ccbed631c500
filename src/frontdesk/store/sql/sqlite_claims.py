"""The call-next hot path on SQLite, in hand-written SQL on the driver's connection.

A desk's call is the most frequent write in a reception, and under SQLite every write
queues for one lock, so the claim must be as short as the SQL itself: no statement
compilation, no ORM, four statements inside the lock. The timestamps are written in
exactly the text form SQLAlchemy's DATETIME uses, so ordering and reading agree with the
rest of the store.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from frontdesk.store.sql.queue_heads import Head, heads_params, heads_sql
from frontdesk.store.types import read_stamp, stamp


def queue_heads(
    db: Any, centre_id: int, service_ids: Sequence[int], desk_id: int, per_group: int
) -> list[Head]:
    params = heads_params(centre_id, service_ids, desk_id, per_group)
    rows = db.execute(heads_sql(len(service_ids), sqlite=True), params).fetchall()
    return [
        Head(
            r[0],
            r[1],
            r[2],
            datetime.fromisoformat(r[3]).replace(tzinfo=UTC),
            r[4],
            r[5],
            r[6],
            r[7],
            r[8],
            read_stamp(r[9]),
        )
        for r in rows
    ]


def desk_holding(db: Any, desk_id: int) -> tuple[int, str, str] | None:
    """The ticket a desk holds: id, number and status."""
    row = db.execute(
        "SELECT t.id, t.label, t.status FROM desk d JOIN ticket t"
        " ON t.id = d.current_ticket_id WHERE d.id = ?",
        (desk_id,),
    ).fetchone()
    return None if row is None else (row[0], row[1], row[2])


def let_go(db: Any, desk_id: int, ticket_id: int) -> None:
    """Clear a desk's hold on a ticket that is no longer at any desk."""
    db.execute(
        "UPDATE desk SET current_ticket_id = NULL WHERE id = ? AND current_ticket_id = ?",
        (desk_id, ticket_id),
    )


def priority_runs(db: Any, centre_id: int) -> dict[int, int]:
    rows = db.execute(
        "SELECT service_id, priority_run FROM centre_service"
        " WHERE centre_id = ? AND priority_run > 0",
        (centre_id,),
    ).fetchall()
    return {int(r[0]): int(r[1]) for r in rows}


def set_priority_run(db: Any, centre_id: int, service_id: int, run: int) -> None:
    db.execute(
        "UPDATE centre_service SET priority_run = ? WHERE centre_id = ? AND service_id = ?",
        (run, centre_id, service_id),
    )


def claim_for_desk(
    db: Any,
    ticket_id: int,
    desk_id: int,
    centre_id: int,
    service_id: int,
    now: datetime,
    staff: str | None,
) -> bool | None:
    """True: claimed and logged. False: another desk has it. None: this desk was given
    a customer meanwhile (the caller rolls back)."""
    at = stamp(now)
    cur = db.execute(
        "UPDATE ticket SET status = 'called', desk_id = ?, called_at = ?, target_desk_id = NULL"
        " WHERE id = ? AND status = 'waiting'",
        (desk_id, at, ticket_id),
    )
    if cur.rowcount != 1:
        return False
    cur = db.execute(
        "UPDATE desk SET current_ticket_id = ?, status = 'open'"
        " WHERE id = ? AND current_ticket_id IS NULL",
        (ticket_id, desk_id),
    )
    if cur.rowcount != 1:
        return None
    db.execute(
        "INSERT INTO ticket_event (ticket_id, centre_id, step, at, service_id, desk_id, staff)"
        " VALUES (?, ?, 'called', ?, ?, ?, ?)",
        (ticket_id, centre_id, at, service_id, desk_id, staff),
    )
    return True
