"""Claim sessions: the call-next hot path behind one interface, per backend.

SQLite runs hand-written SQL on the driver's own connection (see sqlite_claims) inside a
deferred read transaction and then a short ``BEGIN IMMEDIATE`` one. PostgreSQL uses
SQLAlchemy Core on one connection: the claim is one statement that locks the ticket with
``FOR UPDATE SKIP LOCKED``, takes the desk, logs the call and notifies listeners.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.exc import OperationalError

from frontdesk.store import queue_store as qs
from frontdesk.store import sqlite_claims as sc
from frontdesk.store.engine import _NOTIFY, UnitOfWork, _begin_immediate, _unavailable


class DeskTakenMeanwhile(Exception):
    """The desk was given a customer between the read and the claim."""


class ClaimSession(Protocol):
    def reading(self) -> Any: ...
    def writing(self) -> Any: ...
    def desk_holds(self, desk_id: int) -> int | None: ...
    def ticket_state(self, ticket_id: int) -> tuple[str, str] | None: ...
    def queue_heads(
        self, centre_id: int, service_ids: Sequence[int], desk_id: int
    ) -> list[Any]: ...
    def priority_runs(self, centre_id: int) -> dict[int, int]: ...
    def set_priority_run(self, centre_id: int, service_id: int, run: int) -> None: ...
    def claim(
        self,
        ticket_id: int,
        desk_id: int,
        centre_id: int,
        service_id: int,
        now: datetime,
        staff: str | None,
    ) -> bool: ...


class SqliteClaims:
    def __init__(self, db: Any) -> None:
        self.db = db

    @contextmanager
    def reading(self) -> Iterator[None]:
        self.db.execute("BEGIN")
        try:
            yield
        finally:
            self.db.execute("COMMIT")

    @contextmanager
    def writing(self) -> Iterator[None]:
        try:
            _begin_immediate(self.db)
        except OperationalError as exc:
            raise _unavailable(exc) from exc
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def desk_holds(self, desk_id: int) -> int | None:
        return sc.desk_holds(self.db, desk_id)

    def ticket_state(self, ticket_id: int) -> tuple[str, str] | None:
        return sc.ticket_state(self.db, ticket_id)

    def queue_heads(self, centre_id: int, service_ids: Sequence[int], desk_id: int) -> list[Any]:
        return sc.queue_heads(self.db, centre_id, service_ids, desk_id, qs.HEADS_PER_GROUP)

    def priority_runs(self, centre_id: int) -> dict[int, int]:
        return sc.priority_runs(self.db, centre_id)

    def set_priority_run(self, centre_id: int, service_id: int, run: int) -> None:
        sc.set_priority_run(self.db, centre_id, service_id, run)

    def claim(
        self,
        ticket_id: int,
        desk_id: int,
        centre_id: int,
        service_id: int,
        now: datetime,
        staff: str | None,
    ) -> bool:
        done = sc.claim_for_desk(self.db, ticket_id, desk_id, centre_id, service_id, now, staff)
        if done is None:
            raise DeskTakenMeanwhile
        return done


class CoreClaims:
    """PostgreSQL: the read and the claim share one READ COMMITTED transaction (the claim
    re-checks the row under its lock), saving the round trips of a second one."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.tx: Any = None

    @contextmanager
    def reading(self) -> Iterator[None]:
        if self.tx is None:
            self.tx = self.conn.begin()
        yield

    @contextmanager
    def writing(self) -> Iterator[None]:
        if self.tx is None:
            self.tx = self.conn.begin()
        tx, self.tx = self.tx, None
        try:
            yield
        except BaseException:
            tx.rollback()
            raise
        if not self.conn.info.pop("notified", False):
            self.conn.execute(_NOTIFY)
        tx.commit()

    def desk_holds(self, desk_id: int) -> int | None:
        return qs.desk_holds(self.conn, desk_id)

    def ticket_state(self, ticket_id: int) -> tuple[str, str] | None:
        row = qs.ticket(self.conn, ticket_id)
        return None if row is None else (row.label, row.status)

    def queue_heads(self, centre_id: int, service_ids: Sequence[int], desk_id: int) -> list[Any]:
        return qs.queue_heads(self.conn, centre_id, service_ids, desk_id)

    def priority_runs(self, centre_id: int) -> dict[int, int]:
        return qs.priority_runs(self.conn, centre_id)

    def set_priority_run(self, centre_id: int, service_id: int, run: int) -> None:
        qs.set_priority_run(self.conn, centre_id, service_id, run)

    def claim(
        self,
        ticket_id: int,
        desk_id: int,
        centre_id: int,
        service_id: int,
        now: datetime,
        staff: str | None,
    ) -> bool:
        try:
            return qs.claim_for_desk(
                self.conn, ticket_id, desk_id, centre_id, service_id, now, staff
            )
        except qs.DeskTakenMeanwhile:
            raise DeskTakenMeanwhile from None


@contextmanager
def claim_session(uow: UnitOfWork) -> Iterator[ClaimSession]:
    """A claim session on one pooled connection for one user action."""
    if uow.sqlite:
        try:
            raw = uow.engine.raw_connection()
        except OperationalError as exc:
            raise _unavailable(exc) from exc
        try:
            yield SqliteClaims(raw.driver_connection)
        finally:
            raw.close()
        return
    try:
        with uow.engine.connect() as conn:
            yield CoreClaims(conn)
    except OperationalError as exc:
        raise _unavailable(exc) from exc
