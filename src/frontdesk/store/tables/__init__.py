"""SQLModel tables, one module per area. The schema itself comes from the Alembic
migrations (`frontdesk.store.migrations`), whose `env.py` imports this package so that
`SQLModel.metadata` holds every table.

- queue: the council's centres, services, desks and topics; tickets, the event log
- appointments: types, specialists, rooms, absences, bookings
- staff: staff, desk sessions, outcome drafts, the audit log, device health, the outbox,
  visitors' contact details
"""

from __future__ import annotations

from frontdesk.store.tables.appointments import (
    Absence,
    Appointment,
    AppointmentType,
    Room,
    Specialist,
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
    "Centre",
    "CentreService",
    "Desk",
    "DeskSession",
    "DeviceHealthRow",
    "NumberCounter",
    "OutboxMessage",
    "OutcomeDraft",
    "PriorityReason",
    "Room",
    "Service",
    "Setting",
    "Specialist",
    "Staff",
    "Ticket",
    "TicketContact",
    "TicketEvent",
    "Topic",
]
