"""Bulk writing of an imported history, inside the caller's one transaction.

Tickets and their events are buffered and written in large batches on the driver's own
connection: `COPY … FROM STDIN` on PostgreSQL, `executemany` on SQLite. Ticket ids are
taken in blocks (the sequence on PostgreSQL; past the highest id on SQLite, whose write
lock the import holds), and ticket numbers in blocks from the counter rows, which stay
locked until the import commits, so a kiosk issuing meanwhile waits rather than printing
a number the import took. Every visit id also goes to a temporary table
(`import_refs`): a visit id met twice says the file's rows were not grouped by visit, and
the table finds visits imported before.

On PostgreSQL the server's per-row foreign-key checks (a query per reference of every row)
would be three quarters of the load's cost. When the store's role may, the import runs its
inserts with `session_replication_role = replica` for its own transaction only, which
skips those triggers: every reference is one the import checked (codes against the
catalogue, whose version the caller compares once the transaction has begun, and the
import's own new tickets), and the catalogue rows are locked as the triggers would lock
them. A role without that right (not a superuser, and no `GRANT SET ON PARAMETER
session_replication_role`) imports with the checks, more slowly.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, cast

from sqlalchemy import Connection, Engine

from frontdesk.errors import InvalidInput, StoreUnavailable
from frontdesk.queue.numbering import ticket_label
from frontdesk.store.engine import NOTIFIED
from frontdesk.store.history_copy import (
    CopyBatch,
    PendingTicket,
    import_token,
    numbers_wanted,
    refs_of,
    renumbered,
)

BATCH_VISITS = 2000
_TICKET_COLUMNS = (
    "id, centre_id, service_id, label, number, business_day, channel, status, issued_at, "
    "queued_at, called_at, transfers, token, external_ref, needs"
)
_EVENT_COLUMNS = "ticket_id, centre_id, step, at, service_id, desk_id, resolved, avoidable"
# One import at a time on PostgreSQL: the check for visits imported before must not race.
_IMPORT_LOCK = 0x66696D70


class DuplicateVisit(Exception):
    """A visit id written twice by this import."""

    def __init__(self, ref: str | None) -> None:
        super().__init__(ref)
        self.ref = ref


@contextmanager
def rolled_back(engine: Engine) -> Iterator[Connection]:
    """A transaction that is always rolled back (a dry run). On SQLite it is a plain
    deferred transaction, so it never takes the write lock the desks need."""
    with engine.connect() as conn:
        tx = conn.begin()
        try:
            yield conn
        finally:
            tx.rollback()


class HistoryLoader:
    """Buffers an import's tickets and events and writes them in batches.

    With `write=False` (a dry run) nothing reaches the ticket and event tables; the visit
    ids still go to the temporary table, so the same checks run.
    """

    def __init__(self, conn: Connection, *, write: bool) -> None:
        self._conn = conn
        self._raw: Any = cast(Any, conn.connection.dbapi_connection)
        self.postgres = conn.dialect.name == "postgresql"
        self.write = write
        self._tickets: list[PendingTicket] = []
        self._events: list[tuple[Any, ...]] = []
        self._copies: list[CopyBatch] = []  # PostgreSQL: batches made as COPY text
        self._refs: list[tuple[str, int]] = []
        self._ids: list[int] = []
        self.first_id: int | None = None
        # Whether the server checks each row's references (see the module's docstring).
        self.server_checks = True
        cur = self._raw.cursor()
        if self.postgres:
            # Times are handed over as UTC text; a naive one is read in the session zone.
            cur.execute("SET LOCAL TIME ZONE 'UTC'")
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (_IMPORT_LOCK,))
            if write:
                self.server_checks = not _without_row_checks(cur)
            cur.execute(
                "CREATE TEMP TABLE import_refs (ref text PRIMARY KEY, centre_id int NOT NULL)"
                " ON COMMIT DROP"
            )
            cur.execute("SELECT pg_get_serial_sequence('ticket', 'id')")
            self._sequence = cur.fetchone()[0]
        else:
            cur.execute("DROP TABLE IF EXISTS temp.import_refs")
            cur.execute(
                "CREATE TEMP TABLE import_refs (ref TEXT PRIMARY KEY, centre_id INTEGER NOT NULL)"
            )
            cur.execute("SELECT coalesce(max(id), 0) FROM ticket")
            self._next_sqlite_id = int(cur.fetchone()[0]) + 1
        cur.close()

    # -- ids -----------------------------------------------------------------------------

    def ticket_id(self) -> int:
        """A new ticket id, unused by anyone else."""
        if self.postgres:
            if not self._ids:
                self._ids = self.id_block()[::-1]
            tid = self._ids.pop()
        else:
            tid = self._next_sqlite_id
            self._next_sqlite_id += 1
        if self.first_id is None:
            self.first_id = tid
        return tid

    def id_block(self) -> list[int]:
        """PostgreSQL: `BATCH_VISITS` new ticket ids from the sequence (ascending, not
        necessarily consecutive: desks take ids meanwhile), for this process or a reader
        in another one to give out."""
        assert self.postgres
        with self._raw.cursor() as cur:
            cur.execute(
                "SELECT nextval(%s) FROM generate_series(1, %s)",
                (self._sequence, BATCH_VISITS),
            )
            return [int(r[0]) for r in cur.fetchall()]

    def next_sqlite_id(self) -> int:
        """SQLite: the id the import's next ticket gets (ids follow the highest, and the
        import holds the write lock), for a reader in another process to give out."""
        assert not self.postgres
        return self._next_sqlite_id

    # -- buffering -----------------------------------------------------------------------

    def add_batch(self, tickets: list[PendingTicket], events: list[tuple[Any, ...]]) -> None:
        """Queue a batch of visits made elsewhere (ids from `next_sqlite_id`, in order)."""
        if tickets and self.first_id is None:
            self.first_id = tickets[0].id
        self._refs.extend((t.external_ref, t.centre_id) for t in tickets)
        if self.write:
            self._tickets.extend(tickets)
            self._events.extend(events)
        if len(self._refs) >= BATCH_VISITS:
            self.flush()

    def add_copy(self, batch: CopyBatch) -> None:
        """PostgreSQL: queue a batch made as COPY text elsewhere (ids from `id_block`)."""
        if self.first_id is None or batch.first_id < self.first_id:
            self.first_id = batch.first_id
        self._copies.append(batch)
        if sum(c.visits for c in self._copies) >= BATCH_VISITS:
            self.flush()

    def add(self, ticket: PendingTicket, events: list[tuple[Any, ...]]) -> None:
        """Queue one visit: its ticket and its events (`_EVENT_COLUMNS` order)."""
        self._refs.append((ticket.external_ref, ticket.centre_id))
        if self.write:
            self._tickets.append(ticket)
            self._events.extend(events)
        if len(self._refs) >= BATCH_VISITS:
            self.flush()

    def flush(self) -> None:
        if self._copies:
            self._flush_copies(self._copies)
            self._copies = []
        if self._refs:
            self._copy_refs(self._refs)
            self._refs = []
        if self._tickets:
            rows = self._numbered(self._tickets)
            self._copy("ticket", _TICKET_COLUMNS, rows)
            self._tickets = []
        if self._events:
            self._copy("ticket_event", _EVENT_COLUMNS, self._events)
            self._events = []
            self._notified()

    def _notified(self) -> None:
        if self.postgres and self.server_checks:
            # The insert fired the NOTIFY trigger (0007). Without the checks no trigger
            # fires, and the transaction sends its own NOTIFY as it ends.
            self._conn.info[NOTIFIED] = True

    def _flush_copies(self, copies: list[CopyBatch]) -> None:
        with _each_visit_once(lambda: refs_of(copies)):
            self._copy_text("import_refs", "ref, centre_id", [c.refs for c in copies])
        self._copy_text("ticket", _TICKET_COLUMNS, self._renumbered(copies))
        self._copy_text("ticket_event", _EVENT_COLUMNS, [c.events for c in copies])
        self._notified()

    def _renumbered(self, copies: list[CopyBatch]) -> list[str]:
        """The batches' ticket rows, numbered from the store's counters."""
        wanted, counted_from = numbers_wanted(copies)
        last = self._take_numbers(wanted)
        given_from = {key: last[key] - n + 1 for key, n in wanted.items()}
        return renumbered(copies, counted_from, given_from)

    def _numbered(self, tickets: list[PendingTicket]) -> list[tuple[Any, ...]]:
        """Ticket rows with numbers taken from the counters, a block per centre, prefix
        and day (in the order the visits came)."""
        wanted = Counter((t.centre_id, t.prefix, t.day) for t in tickets)
        last = self._take_numbers(wanted)
        nxt = {key: last[key] - n + 1 for key, n in wanted.items()}
        rows = []
        for t in tickets:
            key = (t.centre_id, t.prefix, t.day)
            number = nxt[key]
            nxt[key] = number + 1
            rows.append(
                (
                    t.id,
                    t.centre_id,
                    t.service_id,
                    ticket_label(t.prefix, number),
                    number,
                    t.day,
                    "import",
                    t.status,
                    t.issued_at,
                    t.queued_at,
                    t.called_at,
                    t.transfers,
                    import_token(t.centre_id, t.day, t.prefix, number),
                    t.external_ref,
                    "",
                )
            )
        return rows

    def _take_numbers(self, wanted: Counter[tuple[int, str, str]]) -> dict[Any, int]:
        """Add each key's count to its counter row; the new last numbers."""
        keys = list(wanted)
        if self.postgres:
            with self._raw.cursor() as cur:
                cur.execute(
                    "INSERT INTO number_counter (centre_id, prefix, business_day, last)"
                    " SELECT * FROM unnest(%s::int[], %s::text[], %s::date[], %s::int[])"
                    " ON CONFLICT (centre_id, prefix, business_day)"
                    " DO UPDATE SET last = number_counter.last + EXCLUDED.last"
                    " RETURNING centre_id, prefix, business_day::text, last",
                    (
                        [k[0] for k in keys],
                        [k[1] for k in keys],
                        [k[2] for k in keys],
                        [wanted[k] for k in keys],
                    ),
                )
                return {(c, p, d): int(n) for c, p, d, n in cur.fetchall()}
        out = {}
        for key in keys:
            row = self._raw.execute(
                "INSERT INTO number_counter (centre_id, prefix, business_day, last)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (centre_id, prefix, business_day)"
                " DO UPDATE SET last = last + excluded.last RETURNING last",
                (*key, wanted[key]),
            ).fetchone()
            out[key] = int(row[0])
        return out

    def _copy(self, table: str, columns: str, rows: list[tuple[Any, ...]]) -> None:
        if self.postgres:
            with (
                self._raw.cursor() as cur,
                cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" * (columns.count(",") + 1))
            self._raw.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)

    def _copy_text(self, table: str, columns: str, parts: list[str]) -> None:
        with (
            self._raw.cursor() as cur,
            cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for part in parts:
                copy.write(part)

    def _copy_refs(self, refs: list[tuple[str, int]]) -> None:
        with _each_visit_once(lambda: [ref for ref, _ in refs]):
            self._copy("import_refs", "ref, centre_id", refs)

    # -- the end -------------------------------------------------------------------------

    def imported_before(self, ranges: dict[int, tuple[str, str]], limit: int = 10) -> list[str]:
        """Visit ids of this import already in the store (same centre, in its dates)."""
        self.flush()
        found: list[str] = []
        before = self.first_id if self.first_id is not None and self.write else 2**62
        mark = "%s" if self.postgres else "?"
        sql = (
            "SELECT t.external_ref FROM ticket t JOIN import_refs r"
            " ON r.ref = t.external_ref AND r.centre_id = t.centre_id"
            f" WHERE t.centre_id = {mark} AND t.business_day >= {mark}"
            f" AND t.business_day <= {mark} AND t.id < {mark} LIMIT {int(limit)}"
        )
        cur = self._raw.cursor()
        try:
            for centre_id, (lo, hi) in sorted(ranges.items()):
                cur.execute(sql, (centre_id, lo, hi, before))
                found.extend(str(r[0]) for r in cur.fetchall())
        finally:
            cur.close()
        return sorted(set(found))[:limit]


def _without_row_checks(cur: Any) -> bool:
    """PostgreSQL: skip the per-row trigger checks for the rest of this transaction, if
    this role may; whether it could. The catalogue rows every imported row refers to are
    locked against deletion (and key changes) till the end, as the checks would lock
    them; the import's tickets are its own rows."""
    cur.execute("SAVEPOINT frontdesk_import")
    try:
        cur.execute("SET LOCAL session_replication_role = replica")
    except Exception as exc:
        if getattr(exc, "sqlstate", None) != "42501":  # insufficient_privilege
            raise
        cur.execute("ROLLBACK TO SAVEPOINT frontdesk_import")
        return False
    cur.execute("RELEASE SAVEPOINT frontdesk_import")
    for table in ("centre", "service", "desk"):
        cur.execute(f"SELECT 1 FROM {table} FOR KEY SHARE")
    return True


def _is_unique_violation(exc: Exception) -> bool:
    name = type(exc).__name__
    return name in ("IntegrityError", "UniqueViolation") or "UNIQUE constraint" in str(exc)


@contextmanager
def _each_visit_once(refs: Callable[[], list[str]]) -> Iterator[None]:
    """DuplicateVisit, naming the visit when this batch holds both, for a visit id
    written to `import_refs` twice."""
    try:
        yield
    except Exception as exc:
        if _is_unique_violation(exc):
            raise DuplicateVisit(_duplicate(refs())) from None
        raise


def _duplicate(refs: list[str]) -> str | None:
    seen: set[str] = set()
    for ref in refs:
        if ref in seen:
            return ref
        seen.add(ref)
    return None  # the twin was in an earlier batch


@contextmanager
def driver_errors(source: str) -> Iterator[None]:
    """The driver's own errors (raised past SQLAlchemy by the bulk writes) as one line."""
    import sqlite3

    import psycopg

    try:
        yield
    except (sqlite3.Error, psycopg.Error) as exc:
        text = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        if isinstance(exc, sqlite3.OperationalError | psycopg.OperationalError):
            raise StoreUnavailable(
                f"the store failed while importing {source} ({text}); nothing was loaded"
            ) from None
        raise InvalidInput(
            f"{source}: the store refused the import ({text}); nothing was loaded"
        ) from None
