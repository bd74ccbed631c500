"""SQLModel tables, one module per area. The schema itself comes from the Alembic
migrations (`frontdesk.store.migrations`), whose `env.py` imports this package so that
`SQLModel.metadata` holds every table.

- queue: the council's centres, services, desks and topics; tickets, the event log
- appointments: types, specialists, rooms, absences, bookings
- oversight: the supervisor's breach alerts, notices to the desks, the kiosk's offer flag,
  desks' status since when
- staff: staff, desk sessions, outcome drafts, the audit log, device health, the outbox,
  visitors' contact details
- rollups: the report rollups per centre, service, local date and hour
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import Table
from sqlmodel import SQLModel

from frontdesk.store.tables import (
    rollups,  # the report rollups (SQLAlchemy tables)
    web,  # noqa: F401  (API tokens, visit feedback)
)
from frontdesk.store.tables.appointments import (
    Absence,
    Appointment,
    AppointmentType,
    Room,
    Specialist,
)
from frontdesk.store.tables.oversight import (
    BreachAlert,
    DeskStatusNote,
    KioskOffer,
    SupervisorNotice,
)
from frontdesk.store.tables.queue import (
    Centre,
    CentreService,
    Desk,
    NumberCounter,
    PriorityReason,
    Service,
    Setting,
    Ticket,
    TicketEvent,
    Topic,
)
from frontdesk.store.tables.staff import (
    AuditEntry,
    DeskSession,
    DeviceHealthRow,
    OutboxMessage,
    OutcomeDraft,
    Staff,
    TicketContact,
)

__all__ = [
    "Absence",
    "Appointment",
    "AppointmentType",
    "AuditEntry",
    "BreachAlert",
    "Centre",
    "CentreService",
    "Desk",
    "DeskSession",
    "DeskStatusNote",
    "DeviceHealthRow",
    "KioskOffer",
    "NumberCounter",
    "OutboxMessage",
    "OutcomeDraft",
    "PriorityReason",
    "Room",
    "Service",
    "Setting",
    "Specialist",
    "Staff",
    "SupervisorNotice",
    "Ticket",
    "TicketContact",
    "TicketEvent",
    "Topic",
    "rollups",
]


def core_table(model: type[SQLModel]) -> Table:
    """A model's SQLAlchemy `Table`, for Core statements. SQLModel gives `__table__` no
    type; this is the one place that says what it is."""
    return cast(Table, model.__table__)  # type: ignore[attr-defined]
