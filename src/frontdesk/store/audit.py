"""SQL for the audit log: who did what, when and through what (staff actions and
administration the event log does not hold)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Row, insert, select

from frontdesk.store.dialect import Executor
from frontdesk.store.tables import AuditEntry, core_table

AU = core_table(AuditEntry)
# What this process is, for entries that do not say (`frontdesk` sets "cli:<user>"): one
# process is one command line or one app, so every entry it writes came through it.
_process_via = ""


def set_process_via(via: str) -> str:
    """Say what this process is for the audit log's `via`; returns the previous value."""
    global _process_via
    previous, _process_via = _process_via, via[:64]
    return previous


def audit(
    session: Executor,
    at: datetime,
    staff: str | None,
    action: str,
    detail: str,
    via: str | None = None,
) -> None:
    via = _process_via if via is None else via[:64]
    session.execute(insert(AU).values(at=at, staff=staff, action=action, detail=detail, via=via))


def audit_entries(session: Executor, since: datetime) -> list[Row[Any]]:
    stmt = select(AU).where(AU.c.at >= since).order_by(AU.c.id)
    return list(session.execute(stmt).all())


def audit_between(
    session: Executor, start: datetime, end: datetime, staff: str | None = None
) -> list[Row[Any]]:
    """Entries with `start <= at < end`, oldest first; only `staff`'s when given."""
    stmt = select(AU).where(AU.c.at >= start, AU.c.at < end)
    if staff is not None:
        stmt = stmt.where(AU.c.staff == staff)
    return list(session.execute(stmt.order_by(AU.c.at, AU.c.id)).all())
