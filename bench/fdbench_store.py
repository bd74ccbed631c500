"""Store helpers for the benchmark: raw DBAPI connections, the baseline's hand-written
SQL, and the parent's set-up / reset / check queries.

Everything here talks to the product's schema (made by its Alembic migrations) but not
through the product's code, except where a helper says so.
"""

from __future__ import annotations

import secrets
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.engine import make_url

SQLITE_BUSY_TIMEOUT_MS = 5000  # the product's value (store/engine.py)


# -- URLs --------------------------------------------------------------------------------


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def sqlite_path(url: str) -> str:
    return url.split(":///", 1)[1]


def pg_conninfo(url: str) -> str:
    """A libpq URI for psycopg from an SQLAlchemy-style URL."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def pg_with_database(url: str, database: str) -> str:
    return make_url(url).set(database=database).render_as_string(hide_password=False)


# -- raw connections ---------------------------------------------------------------------


@dataclass
class Raw:
    """One raw DBAPI connection (sqlite3 or psycopg) with '?' placeholders on both."""

    conn: Any
    sqlite: bool
    _sql: dict[str, str] = field(default_factory=dict)

    def sql(self, text: str) -> str:
        if self.sqlite:
            return text
        out = self._sql.get(text)
        if out is None:
            out = self._sql[text] = text.replace("?", "%s")
        return out

    def ts(self, at: datetime) -> Any:
        """A timestamp parameter as the product stores it (naive UTC text on SQLite)."""
        if self.sqlite:
            return at.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
        return at

    def day(self, d: date) -> Any:
        return d.isoformat() if self.sqlite else d

    def begin_write(self, cur: Any) -> None:
        if self.sqlite:
            cur.execute("BEGIN IMMEDIATE")

    def commit(self, cur: Any) -> None:
        if self.sqlite:
            cur.execute("COMMIT")
        else:
            self.conn.commit()

    def rollback(self) -> None:
        if self.sqlite:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
        else:
            self.conn.rollback()

    def close(self) -> None:
        self.conn.close()


def connect_raw(url: str, *, autocommit: bool = False) -> Raw:
    if is_sqlite(url):
        conn = sqlite3.connect(
            sqlite_path(url), timeout=SQLITE_BUSY_TIMEOUT_MS / 1000, isolation_level=None
        )
        # The same pragmas as the product's engine.
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA synchronous=NORMAL")
        return Raw(conn, True)
    import psycopg

    return Raw(psycopg.connect(pg_conninfo(url), autocommit=autocommit), False)


# -- the baseline: the same logical work in hand-written SQL -----------------------------


def claim_sql(raw: Raw, n_services: int) -> str:
    marks = ", ".join("?" * n_services)
    lock = "" if raw.sqlite else " FOR UPDATE SKIP LOCKED"
    return raw.sql(
        "UPDATE ticket SET status = 'called', desk_id = ?, called_at = ?, target_desk_id = NULL"
        " WHERE id = (SELECT id FROM ticket WHERE centre_id = ? AND status = 'waiting'"
        f" AND service_id IN ({marks}) ORDER BY queued_at, id LIMIT 1{lock})"
        " AND status = 'waiting' RETURNING id, service_id"
    )


EVENT_SQL = (
    "INSERT INTO ticket_event (ticket_id, centre_id, step, at, service_id, desk_id)"
    " VALUES (?, ?, ?, ?, ?, ?)"
)


def baseline_call(
    raw: Raw, claim: str, desk_id: int, centre_id: int, service_ids: list[int]
) -> int | None:
    """Claim the desk's next waiting ticket and log the `called` event; one transaction."""
    cur = raw.conn.cursor()
    try:
        raw.begin_write(cur)
        now = raw.ts(datetime.now(UTC))
        cur.execute(claim, (desk_id, now, centre_id, *service_ids))
        rows = cur.fetchall()  # consume the statement so its row count is final
        if cur.rowcount != 1:
            raw.commit(cur)
            return None
        ticket_id, service_id = rows[0]
        cur.execute(raw.sql(EVENT_SQL), (ticket_id, centre_id, "called", now, service_id, desk_id))
        raw.commit(cur)
        return int(ticket_id)
    except BaseException:
        raw.rollback()
        raise
    finally:
        cur.close()


def raw_release(raw: Raw, ticket_id: int, desk_id: int) -> None:
    """Let a called customer go (untimed): the same hand-written SQL whichever side made
    the call, so at saturation both sides' desks do the same work besides calling."""
    cur = raw.conn.cursor()
    try:
        raw.begin_write(cur)
        cur.execute(raw.sql("UPDATE ticket SET status = 'done' WHERE id = ?"), (ticket_id,))
        cur.execute(
            raw.sql(
                "UPDATE desk SET current_ticket_id = NULL WHERE id = ? AND current_ticket_id = ?"
            ),
            (desk_id, ticket_id),
        )
        raw.commit(cur)
    except BaseException:
        raw.rollback()
        raise
    finally:
        cur.close()


COUNTER_SQL = (
    "INSERT INTO number_counter (centre_id, prefix, business_day, last) VALUES (?, ?, ?, 1)"
    " ON CONFLICT (centre_id, prefix, business_day)"
    " DO UPDATE SET last = number_counter.last + 1 RETURNING last"
)
TICKET_SQL = (
    "INSERT INTO ticket (centre_id, service_id, label, number, business_day, channel, needs,"
    " status, issued_at, queued_at, estimated_wait_seconds, transfers, token)"
    " VALUES (?, ?, ?, ?, ?, 'kiosk', '', 'waiting', ?, ?, 0, 0, ?) RETURNING id"
)


def baseline_issue(raw: Raw, centre_id: int, service_id: int, prefix: str, day: date) -> int:
    """Counter upsert + ticket insert + `issued` event; one transaction."""
    cur = raw.conn.cursor()
    try:
        raw.begin_write(cur)
        now = raw.ts(datetime.now(UTC))
        cur.execute(raw.sql(COUNTER_SQL), (centre_id, prefix, raw.day(day)))
        number = int(cur.fetchone()[0])
        token = secrets.token_urlsafe(12)
        cur.execute(
            raw.sql(TICKET_SQL),
            (centre_id, service_id, f"{prefix}{number:03d}", number, raw.day(day), now, now, token),
        )
        ticket_id = int(cur.fetchone()[0])
        cur.execute(raw.sql(EVENT_SQL), (ticket_id, centre_id, "issued", now, service_id, None))
        raw.commit(cur)
        return ticket_id
    except BaseException:
        raw.rollback()
        raise
    finally:
        cur.close()


# -- the parent's housekeeping -----------------------------------------------------------


def _run(raw: Raw, statements: list[tuple[str, tuple[Any, ...]]]) -> None:
    cur = raw.conn.cursor()
    try:
        raw.begin_write(cur)
        for text, params in statements:
            cur.execute(raw.sql(text), params)
        raw.commit(cur)
    except BaseException:
        raw.rollback()
        raise
    finally:
        cur.close()


def scalar(raw: Raw, text: str, params: tuple[Any, ...] = ()) -> Any:
    cur = raw.conn.cursor()
    try:
        cur.execute(raw.sql(text), params)
        value = cur.fetchone()[0]
        if not raw.sqlite:
            raw.conn.commit()
        return value
    finally:
        cur.close()


def desk_states(raw: Raw) -> list[tuple[int, str]]:
    cur = raw.conn.cursor()
    try:
        cur.execute("SELECT id, status FROM desk")
        rows = [(int(i), str(s)) for i, s in cur.fetchall()]
        if not raw.sqlite:
            raw.conn.commit()
        return rows
    finally:
        cur.close()


def restore_stock(raw: Raw, desks: list[tuple[int, str]]) -> None:
    """Put every ticket back to the state `issue` left it in (waiting, only its `issued`
    event) and free the desks, so the next round starts from the same queue."""
    stmts: list[tuple[str, tuple[Any, ...]]] = [
        (
            "UPDATE ticket SET status = 'waiting', desk_id = NULL, called_at = NULL,"
            " target_desk_id = NULL WHERE status <> 'waiting'",
            (),
        ),
        ("DELETE FROM ticket_event WHERE step <> 'issued'", ()),
        ("UPDATE centre_service SET priority_run = 0 WHERE priority_run <> 0", ()),
    ]
    stmts += [
        ("UPDATE desk SET current_ticket_id = NULL, status = ? WHERE id = ?", (status, desk_id))
        for desk_id, status in desks
    ]
    _run(raw, stmts)


def wipe_tickets(raw: Raw, desks: list[tuple[int, str]]) -> None:
    stmts: list[tuple[str, tuple[Any, ...]]] = [
        ("DELETE FROM ticket_event", ()),
        ("DELETE FROM ticket", ()),
        ("DELETE FROM number_counter", ()),
        ("UPDATE centre_service SET priority_run = 0 WHERE priority_run <> 0", ()),
    ]
    stmts += [
        ("UPDATE desk SET current_ticket_id = NULL, status = ? WHERE id = ?", (status, desk_id))
        for desk_id, status in desks
    ]
    _run(raw, stmts)
    vacuum(raw)


def vacuum(raw: Raw) -> None:
    if raw.sqlite:
        return
    prev = raw.conn.autocommit
    raw.conn.autocommit = True
    try:
        raw.conn.execute("VACUUM ANALYZE ticket, ticket_event, desk, number_counter")
    finally:
        raw.conn.autocommit = prev


def double_calls(raw: Raw) -> int:
    """Tickets with more than one `called` event (two desks got the same customer)."""
    return int(
        scalar(
            raw,
            "SELECT count(*) FROM (SELECT ticket_id FROM ticket_event WHERE step = 'called'"
            " GROUP BY ticket_id HAVING count(*) > 1) AS d",
        )
    )


def double_numbers(raw: Raw) -> int:
    """Ticket numbers handed out twice on a day, plus tickets with several `issued` events."""
    labels = scalar(
        raw,
        "SELECT count(*) FROM (SELECT centre_id, business_day, label FROM ticket"
        " GROUP BY centre_id, business_day, label HAVING count(*) > 1) AS d",
    )
    issued = scalar(
        raw,
        "SELECT count(*) FROM (SELECT ticket_id FROM ticket_event WHERE step = 'issued'"
        " GROUP BY ticket_id HAVING count(*) > 1) AS d",
    )
    return int(labels) + int(issued)


def count_tickets(raw: Raw) -> int:
    return int(scalar(raw, "SELECT count(*) FROM ticket"))
