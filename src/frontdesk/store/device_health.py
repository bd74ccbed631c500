"""SQL for device health: each printer's (or other device's) last known status, for the
desk consoles' and the supervisor's alerts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Row, select
from sqlmodel import Session

from frontdesk.store.dialect import upsert
from frontdesk.store.tables import DeviceHealthRow, core_table

DH = core_table(DeviceHealthRow)


def put_health(
    session: Session, device_id: str, centre: str, status: str, since: datetime, detail: str
) -> None:
    upsert(
        session,
        DH,
        ["device_id"],
        {
            "device_id": device_id,
            "centre": centre,
            "status": status,
            "since": since,
            "detail": detail,
        },
    )


def health(session: Session, device_id: str) -> Row[Any] | None:
    return session.execute(select(DH).where(DH.c.device_id == device_id)).first()


def health_for_centre(session: Session, centre: str) -> list[Row[Any]]:
    stmt = select(DH).where(DH.c.centre == centre).order_by(DH.c.device_id)
    return list(session.execute(stmt).all())
