"""Appointment services: find slots, book, reschedule, cancel, check in, specialists'
status and absences. One unit of work per action, like the queue's.

`AppointmentService` is the face the apps, the CLI and the other services use. Its
actions live in one module per area, each an `AppointmentArea` over the shared, public
`AppointmentContext` (`context`: the queue, the unit of work, the clock and the cached
reference data):

- slots: free slots (and the helpers the other areas offer alternatives with)
- booking: book, reschedule, cancel (bookings as claims)
- checkin: check-in and no-shows
- specialists: a day's list, in/out of office, absences
- records: reading bookings back, purging contact details
- catalogue: reading the reference data; results: the values handed back;
  reports: the appointments report
"""

from __future__ import annotations

from collections.abc import Callable

from frontdesk.appointments.model import AppointmentKind
from frontdesk.clock import Clock
from frontdesk.services.appointments.booking import Bookings, ContactRefused, SlotTaken
from frontdesk.services.appointments.catalogue import Reference, ranges_of
from frontdesk.services.appointments.checkin import CheckInRefused, CheckIns, LateForAppointment
from frontdesk.services.appointments.context import AppointmentContext
from frontdesk.services.appointments.records import BookingRecords
from frontdesk.services.appointments.results import (
    AppointmentTypeInfo,
    Booking,
    CheckedIn,
    SlotOffer,
    StatusChange,
)
from frontdesk.services.appointments.slots import SlotSearch
from frontdesk.services.appointments.specialists import SpecialistDays
from frontdesk.services.queue import QueueService
from frontdesk.store.engine import UnitOfWork

__all__ = [
    "AppointmentContext",
    "AppointmentService",
    "AppointmentTypeInfo",
    "Booking",
    "CheckInRefused",
    "CheckedIn",
    "ContactRefused",
    "LateForAppointment",
    "SlotOffer",
    "SlotTaken",
    "StatusChange",
    "ranges_of",
]


class AppointmentService(SlotSearch, Bookings, CheckIns, SpecialistDays, BookingRecords):
    """The appointment actions (see the module of each area)."""

    def __init__(self, queue: QueueService) -> None:
        super().__init__(AppointmentContext(queue))

    @property
    def queue(self) -> QueueService:
        return self.ctx.queue

    @property
    def uow(self) -> UnitOfWork:
        return self.ctx.uow

    @property
    def clock(self) -> Clock:
        return self.ctx.clock

    @property
    def after_booking(self) -> list[Callable[[Booking], None]]:
        """Called after a booking has committed (confirmation messages)."""
        return self.ctx.after_booking

    def reference(self, refresh: bool = False) -> Reference:
        """The reference data (types, specialists, hours), cached; `refresh` rereads it."""
        return self.ctx.reference(refresh)

    def kind(self, code: str) -> AppointmentKind:
        return self.ctx.kind(code)

    def types(self, centre: str | None = None) -> list[AppointmentTypeInfo]:
        """Appointment types, optionally those bookable at one centre."""
        where = self.ctx.queue.centre(centre).code if centre else None
        return [
            AppointmentTypeInfo(
                k.code, k.name, k.service, k.duration_minutes, k.by_phone, k.centres
            )
            for k in self.ctx.reference().kinds.values()
            if where is None or where in k.centres
        ]
