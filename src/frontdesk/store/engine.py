"""One engine per process, made at start-up (never at import), and the unit of work.

SQLite: WAL, a busy timeout, foreign keys on, and every write transaction opened with
``BEGIN IMMEDIATE`` — pysqlite's default deferred transactions let two desks read the
same waiting ticket before either writes. Reads use plain deferred transactions so they
never queue behind writers.

PostgreSQL (psycopg 3): READ COMMITTED; claims lock rows with ``FOR UPDATE SKIP LOCKED``.
"""

from __future__ import annotations

import math
import os
import random
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import Session

from frontdesk.errors import InvalidInput, StoreUnavailable

SQLITE_BUSY_TIMEOUT_MS = 5000
# PostgreSQL's waits are bounded like SQLite's busy timeout: a statement waiting on a
# lock gives up after this (then the action says "busy" and the kiosk retries calmly),
# and any statement after the longer limit. Settable for a site: FRONTDESK_PG_LOCK_TIMEOUT
# and FRONTDESK_PG_STATEMENT_TIMEOUT, in seconds.
PG_LOCK_TIMEOUT_S = 5.0
PG_STATEMENT_TIMEOUT_S = 30.0
_NOTIFY = text("SELECT pg_notify('frontdesk', '')")
_WRITE = "frontdesk_write"
# Set in a connection's info by a statement that notified the live screens itself (an
# event insert fires the PostgreSQL trigger of migration 0007), so the write skips its
# own NOTIFY round trip.
NOTIFIED = "frontdesk_notified"


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def make_engine(url: str, *, pool_size: int = 5) -> Engine:
    """The process's engine for `url` (SQLite file or PostgreSQL)."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        _configure_sqlite(engine)
        return engine
    return create_engine(
        url,
        pool_size=pool_size,
        # No pre-ping: it costs a round trip per action. A connection found dead is
        # invalidated on the error, the action reports StoreUnavailable, and the next
        # action gets a fresh connection.
        pool_recycle=1800,
        connect_args={
            "connect_timeout": 5,
            # The hot statements (queue heads, claims) are prepared by psycopg after a few
            # runs; a generic plan spares the planner ~1 ms per call, and every one of
            # them is an indexed look-up whose best plan does not depend on the values.
            "options": "-c plan_cache_mode=force_generic_plan"
            f" -c lock_timeout={_seconds_env('FRONTDESK_PG_LOCK_TIMEOUT', PG_LOCK_TIMEOUT_S)}ms"
            " -c statement_timeout="
            f"{_seconds_env('FRONTDESK_PG_STATEMENT_TIMEOUT', PG_STATEMENT_TIMEOUT_S)}ms",
        },
    )


def _seconds_env(name: str, default: float) -> int:
    """A timeout in whole milliseconds from the environment (seconds), else `default`."""
    text = os.environ.get(name, "").strip()
    try:
        value = float(text) if text else default
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and 0 < value <= 3600):
        raise InvalidInput(f"{name} '{text}' is not a number of seconds from 0 to 3600")
    return max(1, round(value * 1000))


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Hand transaction control to us: pysqlite would otherwise BEGIN (deferred)
        # lazily before the first write, too late to stop two claims of one row.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if conn.get_execution_options().get(_WRITE):
            begin_immediate(conn.connection.dbapi_connection)
        else:
            conn.exec_driver_sql("BEGIN")


def begin_immediate(dbapi_conn: Any) -> None:
    """Take SQLite's write lock, waiting in short, jittered steps.

    SQLite's own busy handler backs off to 100 ms sleeps and is unfair under load, so a
    desk could wait a second behind its neighbours. Here the wait is done in Python with
    sub-millisecond steps up to the busy timeout; then the lock error goes up as usual.
    """
    cur = dbapi_conn.cursor()
    try:
        cur.execute("PRAGMA busy_timeout=0")
        deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
        pause = 0.0002
        while True:
            try:
                cur.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if not _locked(exc) or time.monotonic() >= deadline:
                    # Raise it as SQLAlchemy would, so callers see one kind of error.
                    raise OperationalError("BEGIN IMMEDIATE", None, exc) from exc
                time.sleep(pause * (0.5 + random.random()))
                pause = min(pause * 1.5, 0.002)
    finally:
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cur.close()


def _locked(exc: BaseException) -> bool:
    text = str(exc).lower()
    return (
        "database is locked" in text
        or "database is busy" in text
        # PostgreSQL's lock_timeout and statement_timeout (see make_engine)
        or "canceling statement due to lock timeout" in text
        or "canceling statement due to statement timeout" in text
    )


class UnitOfWork:
    """Opens one session per user action; commits explicitly, rolls back on error."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._writer = engine.execution_options(**{_WRITE: True})
        self.sqlite = is_sqlite(engine)
        # PostgreSQL reads run as READ ONLY transactions and end with COMMIT: nothing can
        # have been written, and psycopg keeps its prepared statements (a ROLLBACK makes
        # it DEALLOCATE ALL, so every read would cost the next call its prepared plans).
        self._reader = engine
        self._peeker = engine
        if not self.sqlite:
            self._reader = engine.execution_options(postgresql_readonly=True)
            self._peeker = engine.execution_options(isolation_level="AUTOCOMMIT")

    @contextmanager
    def write(self, attempts: int = 3) -> Iterator[Session]:
        """A write transaction (BEGIN IMMEDIATE on SQLite). Commits when the block ends."""
        for attempt in range(attempts):
            session = Session(self._writer, expire_on_commit=False)
            try:
                session.connection()  # take the write lock now, before any read
            except OperationalError as exc:
                session.close()
                if self.sqlite and _locked(exc) and attempt + 1 < attempts:
                    time.sleep(0.05 * (attempt + 1))
                    continue
                raise unavailable(exc) from exc
            break
        if not self.sqlite:
            session.connection().info.pop(NOTIFIED, None)
        try:
            yield session
            if not self.sqlite and not session.connection().info.pop(NOTIFIED, False):
                # Live screens LISTEN for this; it is delivered only if we commit.
                session.execute(_NOTIFY)
            session.commit()
        except DBAPIError as exc:
            session.rollback()
            if isinstance(exc, OperationalError):
                raise unavailable(exc) from exc
            raise
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextmanager
    def write_core(self) -> Iterator[Connection]:
        """A write transaction on a bare Connection, for the hot paths (claims)."""
        try:
            with self._writer.connect() as conn, conn.begin():
                conn.info.pop(NOTIFIED, None)
                yield conn
                if not self.sqlite and not conn.info.pop(NOTIFIED, False):
                    conn.execute(_NOTIFY)
        except OperationalError as exc:
            raise unavailable(exc) from exc

    @contextmanager
    def bulk_write(self) -> Iterator[Connection]:
        """A write transaction for a bulk load whose every reference the caller has
        checked (an import: codes against the catalogue, fresh ticket ids).

        On SQLite it runs without the per-row foreign-key checks, a fifth of the load's
        time; the pragma only takes effect outside a transaction, so it is set before
        BEGIN IMMEDIATE and put back after the end, before the connection returns to the
        pool. The caller must check that the catalogue did not change before the lock was
        taken (see `catalogue.stored_version`). On PostgreSQL the loader itself turns
        the checks off for its transaction, where the role may (`store.history_load`)."""
        if not self.sqlite:
            with self.write_core() as conn:
                try:
                    yield conn
                except KeyboardInterrupt:
                    # Ctrl-C may cut a COPY off half-way, which leaves the connection fit
                    # for nothing, not even the rollback: close it instead, and the server
                    # rolls the transaction back.
                    conn.invalidate()
                    raise
            return
        try:
            with self._writer.connect() as conn:
                raw = conn.connection.dbapi_connection
                assert raw is not None
                raw.execute("PRAGMA foreign_keys=OFF")
                try:
                    with conn.begin():
                        yield conn
                finally:
                    raw.execute("PRAGMA foreign_keys=ON")
        except OperationalError as exc:
            raise unavailable(exc) from exc

    @contextmanager
    def read_core(self) -> Iterator[Connection]:
        """A read transaction on a bare Connection; rolled back at the end."""
        try:
            with self._reader.connect() as conn:
                yield conn
                self._end_read(conn)
        except OperationalError as exc:
            raise unavailable(exc) from exc

    @contextmanager
    def peek(self) -> Iterator[Connection]:
        """One-statement reads on a bare Connection. On PostgreSQL in autocommit: no BEGIN
        and COMMIT round trips around a statement that is its own snapshot anyway."""
        try:
            with self._peeker.connect() as conn:
                yield conn
                if self.sqlite:
                    conn.rollback()
        except OperationalError as exc:
            raise unavailable(exc) from exc

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session; nothing it does is committed."""
        session = Session(self._reader, expire_on_commit=False)
        try:
            session.connection()
            yield session
            self._end_read(session)
        except OperationalError as exc:
            raise unavailable(exc) from exc
        finally:
            session.rollback()
            session.close()

    def _end_read(self, conn: Connection | Session) -> None:
        if self.sqlite:
            conn.rollback()
        else:
            conn.commit()  # READ ONLY: see __init__


def unavailable(exc: BaseException) -> StoreUnavailable:
    if _locked(exc):
        return StoreUnavailable("the store is busy (locked by another process); nothing was saved")
    return StoreUnavailable(f"the store cannot be reached; nothing was saved ({_first_line(exc)})")


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", exc)
    return str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
