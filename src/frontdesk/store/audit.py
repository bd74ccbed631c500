"""SQL for the audit log: who did what, when (staff actions the event log does not hold)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Row, insert, select

from frontdesk.store.dialect import Executor
from frontdesk.store.tables import AuditEntry

AU = AuditEntry.__table__  # type: ignore[attr-defined]


def audit(session: Executor, at: datetime, staff: str | None, action: str, detail: str) -> None:
    session.execute(insert(AU).values(at=at, staff=staff, action=action, detail=detail))


def audit_entries(session: Executor, since: datetime) -> list[Row[Any]]:
    stmt = select(AU).where(AU.c.at >= since).order_by(AU.c.id)
    return list(session.execute(stmt).all())
