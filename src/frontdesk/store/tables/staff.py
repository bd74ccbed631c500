"""Tables for staff, desk sessions, outcome drafts, the audit log, device health and the
notification outbox."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from frontdesk.store.types import utc_column


class Staff(SQLModel, table=True):
    __tablename__ = "staff"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=16)
    name: str
    role: str = "adviser"  # adviser | specialist | supervisor | admin
    pin_hash: str  # Argon2id; the PIN itself is never stored
    specialist_code: str | None = None
    failed_attempts: int = 0
    locked_until: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    active: bool = True
    # Removed (`staff remove`): name and PIN gone, the code kept so history still names
    # them and it is never given to someone else.
    removed_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))


class DeskSession(SQLModel, table=True):
    """Who is logged in at a desk; one console per desk at a time."""

    __tablename__ = "desk_session"

    desk_id: int = Field(foreign_key="desk.id", primary_key=True)
    staff_code: str = Field(max_length=16)
    console: str = Field(max_length=64)  # an id of the console process
    started_at: datetime = Field(sa_column=utc_column())
    seen_at: datetime = Field(sa_column=utc_column())
    services: str = ""  # today's services for this desk, in order


class OutcomeDraft(SQLModel, table=True):
    """A half-filled outcome form, kept so a restarted console resumes it."""

    __tablename__ = "outcome_draft"

    desk_id: int = Field(foreign_key="desk.id", primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", primary_key=True)
    body: str = "{}"  # JSON
    updated_at: datetime = Field(sa_column=utc_column())


class AuditEntry(SQLModel, table=True):
    """Who did what, when, and through what (`frontdesk audit` reads it)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_at", "at"), Index("ix_audit_staff_at", "staff", "at"))

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_column=utc_column())
    staff: str | None = None
    action: str = Field(max_length=48)
    detail: str = ""
    # Through what: "cli:<operating-system user>" for the command line, else "".
    via: str = Field(default="", max_length=64, sa_column_kwargs={"server_default": ""})


class DeviceHealthRow(SQLModel, table=True):
    __tablename__ = "device_health"

    device_id: str = Field(primary_key=True, max_length=96)
    centre: str = Field(max_length=16, index=True)
    status: str = Field(max_length=24)
    since: datetime = Field(sa_column=utc_column())
    detail: str = ""


class OutboxMessage(SQLModel, table=True):
    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "state", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    idempotency_key: str = Field(unique=True, max_length=96)
    channel: str = Field(max_length=8)
    recipient: str
    subject: str = ""
    body: str = ""
    state: str = "pending"  # pending | sent | dead
    attempts: int = 0
    next_attempt_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    last_error: str = ""
    created_at: datetime = Field(sa_column=utc_column())
    sent_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))


class TicketContact(SQLModel, table=True):
    """A visitor's phone or e-mail for "your turn is near" messages; purged with the day."""

    __tablename__ = "ticket_contact"

    ticket_id: int = Field(foreign_key="ticket.id", primary_key=True)
    channel: str = Field(max_length=8)  # sms | email
    recipient: str
    created_at: datetime = Field(sa_column=utc_column())
