"""Tables for the supervisor's live view: breach alerts (one row per episode), notices
the supervisor sends to a centre's desks, the kiosk's "offer alternatives first" flag,
and since when (and why) each desk is in its status."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, text
from sqlmodel import Field, SQLModel

from frontdesk.store.types import UTCDateTime


def _utc(nullable: bool = False) -> Column[datetime]:
    return Column(UTCDateTime(), nullable=nullable)


class BreachAlert(SQLModel, table=True):
    """One breach episode of a service at a centre: opened when the projection falls
    below target, closed once it has recovered for a while. E-mailed once."""

    __tablename__ = "breach_alert"
    __table_args__ = (
        Index("ix_breach_alert_open", "centre_id", "closed_at"),
        Index("ix_breach_alert_opened", "opened_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    centre_id: int = Field(foreign_key="centre.id")
    service_id: int = Field(foreign_key="service.id")
    opened_at: datetime = Field(sa_column=_utc())
    updated_at: datetime = Field(sa_column=_utc())
    closed_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    recovered_since: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    level: str = Field(max_length=16)  # at-risk | will-breach
    projected_share: float | None = None
    wait_risk_30: float | None = None
    wait_risk_60: float | None = None
    advice: str = Field(default="", sa_column_kwargs={"server_default": ""})
    emailed: bool = Field(default=False, sa_column_kwargs={"server_default": text("false")})


class SupervisorNotice(SQLModel, table=True):
    """A line the supervisor sends to every desk of a centre (e.g. comb the quick queries)."""

    __tablename__ = "supervisor_notice"
    __table_args__ = (Index("ix_supervisor_notice_live", "centre_id", "expires_at"),)

    id: int | None = Field(default=None, primary_key=True)
    centre_id: int = Field(foreign_key="centre.id")
    service_id: int | None = Field(default=None, foreign_key="service.id")
    at: datetime = Field(sa_column=_utc())
    expires_at: datetime = Field(sa_column=_utc())
    staff: str | None = Field(default=None, max_length=16)
    text: str


class KioskOffer(SQLModel, table=True):
    """The kiosk offers appointments and callbacks before walk-in tickets for a service."""

    __tablename__ = "kiosk_offer"

    centre_id: int = Field(foreign_key="centre.id", primary_key=True)
    service_id: int = Field(foreign_key="service.id", primary_key=True)
    since: datetime = Field(sa_column=_utc())
    staff: str | None = Field(default=None, max_length=16)


class DeskStatusNote(SQLModel, table=True):
    """Since when a desk is open, paused (and why) or closed."""

    __tablename__ = "desk_status_note"

    desk_id: int = Field(foreign_key="desk.id", primary_key=True)
    status: str = Field(max_length=8)
    reason: str | None = None
    since: datetime = Field(sa_column=_utc())
