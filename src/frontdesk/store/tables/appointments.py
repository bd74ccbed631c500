"""Tables of the appointments room: types, specialists, rooms, absences, bookings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from frontdesk.store.types import utc_column


class AppointmentType(SQLModel, table=True):
    __tablename__ = "appointment_type"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=16)
    name: str
    service_id: int = Field(foreign_key="service.id")
    duration_minutes: int = 30
    buffer_minutes: int = 0
    skill: str = Field(max_length=16)
    private_room: bool = False
    by_phone: bool = False
    centres: str = ""  # centre codes, comma-separated
    bookable_days: int = 28
    min_notice_minutes: int = 60
    active: bool = True


class Specialist(SQLModel, table=True):
    __tablename__ = "specialist"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=16)
    name: str
    skills: str = ""  # comma-separated
    partner: str | None = None  # a partner surgery's organisation
    patterns: str = "[]"  # JSON: [{"centre", "desk", "days": {mon: "09:00-12:00"}}]
    in_office: bool = True
    status_reason: str | None = None
    status_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    active: bool = True


class Absence(SQLModel, table=True):
    __tablename__ = "absence"

    id: int | None = Field(default=None, primary_key=True)
    specialist_id: int = Field(foreign_key="specialist.id", index=True)
    starts_at: datetime = Field(sa_column=utc_column())
    ends_at: datetime = Field(sa_column=utc_column())
    reason: str | None = None


class Room(SQLModel, table=True):
    __tablename__ = "room"
    __table_args__ = (UniqueConstraint("centre_id", "name", name="uq_room_centre_name"),)

    id: int | None = Field(default=None, primary_key=True)
    centre_id: int = Field(foreign_key="centre.id")
    name: str = Field(max_length=24)
    active: bool = True


class Appointment(SQLModel, table=True):
    __tablename__ = "appointment"
    __table_args__ = (
        # Belt and braces against a double booking: one live booking per specialist
        # and start time (the booking transaction also checks overlaps).
        Index(
            "uq_appointment_specialist_start",
            "specialist_id",
            "starts_at",
            unique=True,
            sqlite_where=text("status IN ('booked', 'checked_in')"),
            postgresql_where=text("status IN ('booked', 'checked_in')"),
        ),
        Index("ix_appointment_centre_start", "centre_id", "starts_at"),
        Index("ix_appointment_ticket", "ticket_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(unique=True, max_length=8)
    token: str = Field(unique=True, max_length=32)
    type_id: int = Field(foreign_key="appointment_type.id")
    centre_id: int = Field(foreign_key="centre.id")
    specialist_id: int = Field(foreign_key="specialist.id")
    desk_name: str = Field(max_length=24)
    room: str | None = None
    starts_at: datetime = Field(sa_column=utc_column())
    ends_at: datetime = Field(sa_column=utc_column())
    busy_until: datetime = Field(sa_column=utc_column())  # end plus the type's buffer
    # booked | checked_in | cancelled | no_show | rescheduled
    status: str = "booked"
    channel: str = "cli"
    contact_name: str | None = None
    contact_phone: str | None = None
    contact_email: str | None = None
    created_at: datetime = Field(sa_column=utc_column())
    checked_in_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    ticket_id: int | None = Field(default=None, foreign_key="ticket.id")
    rescheduled_to: int | None = None
    flagged: str | None = None  # e.g. "specialist out of office" for the supervisor
