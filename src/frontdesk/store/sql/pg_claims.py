"""The call-next hot path on PostgreSQL, in hand-written SQL on psycopg's own connection.

Two round trips per call: the queue heads (one statement), then the claim (one
statement). Both run in autocommit: the claim is a single statement that locks the desk
(only if it holds nobody) and the ticket (``FOR UPDATE SKIP LOCKED``, only if still
waiting), takes both, logs the call, moves the priority-fairness counter and notifies
the live screens — atomic because it is one statement, with no BEGIN and COMMIT round
trips around it. psycopg prepares both statements on first use (plans are generic: see
``engine.make_engine``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from frontdesk.store.sql.queue_heads import Head, heads_params, heads_sql


def queue_heads(
    db: Any, centre_id: int, service_ids: Sequence[int], desk_id: int, per_group: int
) -> list[Head]:
    params = heads_params(centre_id, service_ids, desk_id, per_group)
    with db.cursor() as cur:
        sql = heads_sql(len(service_ids), sqlite=False)
        rows = cur.execute(sql, params, prepare=True).fetchall()
    return [Head._make(r) for r in rows]


def desk_holding(db: Any, desk_id: int) -> tuple[int, str, str] | None:
    """The ticket a desk holds: id, number and status."""
    with db.cursor() as cur:
        return cur.execute(  # type: ignore[no-any-return]
            "SELECT t.id, t.label, t.status FROM desk d JOIN ticket t"
            " ON t.id = d.current_ticket_id WHERE d.id = %s",
            (desk_id,),
        ).fetchone()


def let_go(db: Any, desk_id: int, ticket_id: int) -> None:
    """Clear a desk's hold on a ticket that is no longer at any desk."""
    with db.cursor() as cur:
        cur.execute(
            "UPDATE desk SET current_ticket_id = NULL WHERE id = %s AND current_ticket_id = %s",
            (desk_id, ticket_id),
        )


def priority_runs(db: Any, centre_id: int) -> dict[int, int]:
    with db.cursor() as cur:
        rows = cur.execute(
            "SELECT service_id, priority_run FROM centre_service"
            " WHERE centre_id = %s AND priority_run > 0",
            (centre_id,),
            prepare=True,
        ).fetchall()
    return {int(r[0]): int(r[1]) for r in rows}


# A desk row seen free in the statement's snapshot but taken by a concurrent claim is
# locked, re-checked and then left out (READ COMMITTED), so `desk_free` is empty and
# nothing is claimed: one desk never holds two customers. The choices come in the
# policy's order; the first still waiting and not locked by another desk's claim is
# taken (SKIP LOCKED), so desks racing for the same head do not queue behind each other.
_CLAIM = """
WITH desk_free AS (
    SELECT id FROM desk WHERE id = %(did)s AND current_ticket_id IS NULL FOR UPDATE
), pick AS (
    SELECT id FROM ticket
    WHERE id = ANY(%(ids)s::integer[]) AND status = 'waiting'
      AND EXISTS (SELECT 1 FROM desk_free)
    ORDER BY array_position(%(ids)s::integer[], id)
    LIMIT 1 FOR UPDATE SKIP LOCKED
), claimed AS (
    UPDATE ticket SET status = 'called', desk_id = %(did)s, called_at = %(now)s,
                      target_desk_id = NULL
    WHERE id = (SELECT id FROM pick)
    RETURNING id, centre_id, service_id
), desk_taken AS (
    UPDATE desk SET current_ticket_id = claimed.id, status = 'open'
    FROM claimed WHERE desk.id = %(did)s
    RETURNING desk.id
), logged AS (
    INSERT INTO ticket_event (ticket_id, centre_id, step, at, service_id, desk_id, staff)
    SELECT id, centre_id, 'called', %(now)s, service_id, %(did)s, %(staff)s FROM claimed
    RETURNING id
), run AS (
    UPDATE centre_service
    SET priority_run = (%(runs)s::integer[])[array_position(%(ids)s::integer[], claimed.id)]
    FROM claimed
    WHERE (%(runs)s::integer[])[array_position(%(ids)s::integer[], claimed.id)] >= 0
      AND centre_service.centre_id = claimed.centre_id
      AND centre_service.service_id = claimed.service_id
    RETURNING 1
)
SELECT (SELECT count(*) FROM desk_free), (SELECT id FROM claimed),
       pg_notify('frontdesk', '')
"""


def claim_first_of(
    db: Any,
    choices: Sequence[tuple[int, int | None]],
    desk_id: int,
    now: datetime,
    staff: str | None,
) -> tuple[bool, int | None]:
    """Claim the first of `choices` (ticket id, new priority run or None) still free.

    (desk was free, id claimed or None) — claimed, logged and counted atomically, or
    nothing."""
    params = {
        "did": desk_id,
        "ids": [c[0] for c in choices],
        "runs": [-1 if c[1] is None else c[1] for c in choices],
        "now": now,
        "staff": staff,
    }
    with db.cursor() as cur:
        free, claimed, _ = cur.execute(_CLAIM, params, prepare=True).fetchone()
    return bool(free), claimed
