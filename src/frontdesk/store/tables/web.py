"""Tables for what lives outside the building: HTTP API tokens and the visitor's answer
to "how was your visit?" asked on their phone when the visit ends."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Index
from sqlmodel import Field, SQLModel

from frontdesk.store.types import UTCDateTime


def _utc(nullable: bool = False) -> Column[datetime]:
    return Column(UTCDateTime(), nullable=nullable)


class ApiToken(SQLModel, table=True):
    """A council system's key to the HTTP API. Only the SHA-256 of the token is kept: the
    token itself is shown once, when it is made."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=48)
    token_hash: str = Field(unique=True, max_length=64)
    scopes: str = ""  # comma-separated: issue, desk, read
    created_at: datetime = Field(sa_column=_utc())
    created_by: str | None = None
    revoked_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    last_used_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))


class VisitFeedback(SQLModel, table=True):
    """One answer per visit: a rating from 1 to 5 and an optional comment. The centre and
    the ticket's business day are copied here so a period's figures are one indexed read."""

    __tablename__ = "visit_feedback"
    __table_args__ = (Index("ix_feedback_centre_day", "centre_id", "business_day"),)

    ticket_id: int = Field(foreign_key="ticket.id", primary_key=True)
    centre_id: int = Field(foreign_key="centre.id")
    business_day: date
    rating: int
    comment: str | None = None
    at: datetime = Field(sa_column=_utc())
