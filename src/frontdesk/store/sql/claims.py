"""Claim sessions: the call-next hot path behind one interface, per backend.

Both run hand-written SQL on the driver's own connection, skipping SQLAlchemy's
statement machinery (a call is the most frequent action in a reception):

- SQLite (see sqlite_claims): the heads are read in a deferred read transaction, then
  the claim takes the write lock in a short ``BEGIN IMMEDIATE`` one.
- PostgreSQL (see pg_claims): autocommit; the heads are one statement and the claim is
  one statement that checks and takes the desk and the ticket, logs the call and notifies
  the live screens.

The desk's own state is checked by the claim, not read beforehand: a desk that still
holds a customer claims nothing, and only then is it asked what it holds.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any, NamedTuple, Protocol

from sqlalchemy.exc import OperationalError

from frontdesk.store.engine import UnitOfWork, begin_immediate, unavailable
from frontdesk.store.sql import pg_claims as pc
from frontdesk.store.sql import sqlite_claims as sc
from frontdesk.store.sql.driver import driver_connection
from frontdesk.store.sql.queue_heads import Head

# The first few of each queue (service × priority class) are enough for the policy.
HEADS_PER_GROUP = 12


class Claim(enum.Enum):
    CLAIMED = "claimed"
    TAKEN = "taken"  # another desk called it first
    DESK_BUSY = "desk busy"  # this desk holds a customer; nothing was written


class Choice(NamedTuple):
    """One of the policy's choices, in order: the ticket, its service and the service's
    priority run after calling it (None: unchanged)."""

    ticket_id: int
    service_id: int
    run: int | None


class ClaimSession(Protocol):
    def reading(self) -> Any: ...
    def writing(self) -> Any: ...
    def queue_heads(
        self, centre_id: int, service_ids: Sequence[int], desk_id: int
    ) -> list[Head]: ...
    def priority_runs(self, centre_id: int) -> dict[int, int]: ...
    def claim_first_of(
        self,
        choices: Sequence[Choice],
        desk_id: int,
        centre_id: int,
        now: datetime,
        staff: str | None,
    ) -> tuple[Claim, int | None]: ...
    def desk_holding(self, desk_id: int) -> tuple[int, str, str] | None: ...
    def let_go(self, desk_id: int, ticket_id: int) -> None: ...


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
            begin_immediate(self.db)
        except OperationalError as exc:
            raise unavailable(exc) from exc
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def queue_heads(self, centre_id: int, service_ids: Sequence[int], desk_id: int) -> list[Head]:
        return sc.queue_heads(self.db, centre_id, service_ids, desk_id, HEADS_PER_GROUP)

    def priority_runs(self, centre_id: int) -> dict[int, int]:
        return sc.priority_runs(self.db, centre_id)

    def claim_first_of(
        self,
        choices: Sequence[Choice],
        desk_id: int,
        centre_id: int,
        now: datetime,
        staff: str | None,
    ) -> tuple[Claim, int | None]:
        """Inside `writing()`; on DESK_BUSY the caller's block raises, rolling back."""
        for c in choices:
            done = sc.claim_for_desk(
                self.db, c.ticket_id, desk_id, centre_id, c.service_id, now, staff
            )
            if done is None:
                return Claim.DESK_BUSY, None
            if done:
                if c.run is not None:
                    sc.set_priority_run(self.db, centre_id, c.service_id, c.run)
                return Claim.CLAIMED, c.ticket_id
        return Claim.TAKEN, None

    def desk_holding(self, desk_id: int) -> tuple[int, str, str] | None:
        return sc.desk_holding(self.db, desk_id)

    def let_go(self, desk_id: int, ticket_id: int) -> None:
        with self.writing():
            sc.let_go(self.db, desk_id, ticket_id)


class PgClaims:
    def __init__(self, db: Any) -> None:
        self.db = db

    @contextmanager
    def reading(self) -> Iterator[None]:
        yield  # autocommit: each statement is its own transaction

    @contextmanager
    def writing(self) -> Iterator[None]:
        yield  # the claim is one statement

    def queue_heads(self, centre_id: int, service_ids: Sequence[int], desk_id: int) -> list[Head]:
        return pc.queue_heads(self.db, centre_id, service_ids, desk_id, HEADS_PER_GROUP)

    def priority_runs(self, centre_id: int) -> dict[int, int]:
        return pc.priority_runs(self.db, centre_id)

    def claim_first_of(
        self,
        choices: Sequence[Choice],
        desk_id: int,
        centre_id: int,
        now: datetime,
        staff: str | None,
    ) -> tuple[Claim, int | None]:
        free, claimed = pc.claim_first_of(
            self.db, [(c.ticket_id, c.run) for c in choices], desk_id, now, staff
        )
        if not free:
            return Claim.DESK_BUSY, None
        return (Claim.CLAIMED, claimed) if claimed is not None else (Claim.TAKEN, None)

    def desk_holding(self, desk_id: int) -> tuple[int, str, str] | None:
        return pc.desk_holding(self.db, desk_id)

    def let_go(self, desk_id: int, ticket_id: int) -> None:
        pc.let_go(self.db, desk_id, ticket_id)


@contextmanager
def claim_session(uow: UnitOfWork) -> Iterator[ClaimSession]:
    """A claim session on one pooled connection for one user action."""
    with driver_connection(uow) as db:
        yield SqliteClaims(db) if uow.sqlite else PgClaims(db)
