"""Appointment services: find slots, book, reschedule, cancel, check in, specialists'
status and absences. One unit of work per action, like the queue's.

`AppointmentService` is the one entry point the apps, the CLI and the other services
use; the work is done in small modules next to this one, each a set of functions of the
service (so they share its cached reference data):

- appointment_catalogue: reference data (types, centres, specialists), cached
- appointment_slots: free slots
- appointment_booking: book, reschedule, cancel (bookings as claims)
- appointment_checkin: check-in and no-shows
- appointment_specialists: a day's list, in/out of office, absences
- appointment_records: reading bookings back, purging contact details

The names that used to be defined here are re-exported, so imports keep working.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from frontdesk.appointments.model import AppointmentKind
from frontdesk.services import (
    appointment_booking,
    appointment_checkin,
    appointment_records,
    appointment_slots,
    appointment_specialists,
)
from frontdesk.services.appointment_booking import SlotTaken
from frontdesk.services.appointment_catalogue import AppointmentCatalogue, ranges_of
from frontdesk.services.appointment_catalogue import Reference as _Reference
from frontdesk.services.appointment_checkin import LateForAppointment
from frontdesk.services.appointment_results import (
    AppointmentTypeInfo,
    Booking,
    CheckedIn,
    SlotOffer,
    StatusChange,
)
from frontdesk.services.queue import QueueService

__all__ = ["AppointmentService", "LateForAppointment", "SlotTaken", "ranges_of"]


class AppointmentService:
    def __init__(self, queue: QueueService) -> None:
        self.queue = queue
        self.uow = queue.uow
        self.clock = queue.clock
        self.reference_data = AppointmentCatalogue(queue)
        # Called after a booking has committed (confirmation messages).
        self.after_booking: list[Callable[[Booking], None]] = []

    # -- reference data ---------------------------------------------------------

    def _reference(self, refresh: bool = False) -> _Reference:
        return self.reference_data.reference(refresh)

    def kind(self, code: str) -> AppointmentKind:
        return self.reference_data.kind(code)

    def types(self, centre: str | None = None) -> list[AppointmentTypeInfo]:
        """Appointment types, optionally those bookable at one centre."""
        return self.reference_data.types(centre)

    def _setting(self, key: str, default: float) -> float:
        return float(self.queue.catalogue().settings.get(f"appointments.{key}", default))

    # -- slots ------------------------------------------------------------------

    def slots(
        self,
        type_code: str,
        *,
        centre: str | None = None,
        specialist: str | None = None,
        limit: int = 10,
        not_before: datetime | None = None,
    ) -> list[SlotOffer]:
        """The next `limit` free slots for a type, at one centre or across centres."""
        return appointment_slots.slots(
            self,
            type_code,
            centre=centre,
            specialist=specialist,
            limit=limit,
            not_before=not_before,
        )

    def _free(
        self,
        s: Any,
        kind: AppointmentKind,
        now: datetime,
        limit: int,
        centre: str | None = None,
        specialist: str | None = None,
        not_before: datetime | None = None,
    ) -> list[SlotOffer]:
        """Free slots inside the caller's unit of work `s` (no argument checks)."""
        return appointment_slots.free(self, s, kind, now, limit, centre, specialist, not_before)

    # -- bookings ---------------------------------------------------------------

    def book(
        self,
        type_code: str,
        centre: str,
        starts_at: datetime,
        *,
        specialist: str | None = None,
        name: str | None = None,
        phone: str | None = None,
        email: str | None = None,
        channel: str = "cli",
    ) -> Booking:
        """Book the slot at `starts_at`; SlotTaken (with the next slots) if it has gone."""
        return appointment_booking.book(
            self,
            type_code,
            centre,
            starts_at,
            specialist=specialist,
            name=name,
            phone=phone,
            email=email,
            channel=channel,
        )

    def reschedule(
        self, reference: str, starts_at: datetime, specialist: str | None = None
    ) -> Booking:
        """Move a booking to a new time (the old one is released in the same transaction)."""
        return appointment_booking.reschedule(self, reference, starts_at, specialist)

    def cancel(self, reference: str) -> Booking:
        return appointment_booking.cancel(self, reference)

    def find(self, reference: str, *, by_id: bool = False) -> Booking:
        """A booking by its reference (ABC-DEF), its QR token, or (internally) its id."""
        return appointment_records.find(self, reference, by_id=by_id)

    def purge_contacts(self) -> int:
        """Forget phone numbers and e-mail addresses past the retention period."""
        return appointment_records.purge_contacts(self)

    # -- check-in ---------------------------------------------------------------

    def checkin(self, centre: str, reference_or_token: str) -> CheckedIn:
        """Check a visitor in: a ticket that the booked specialist's desk calls at the
        booked time, ahead of walk-ins."""
        return appointment_checkin.checkin(self, centre, reference_or_token)

    def sweep(self) -> int:
        """Mark as no-shows the booked appointments nobody checked in for in time."""
        return appointment_checkin.sweep(self)

    # -- the specialist's day ---------------------------------------------------

    def day(self, centre: str, day: date, specialist: str | None = None) -> list[Booking]:
        """A centre's appointments on a local date, optionally one specialist's."""
        return appointment_specialists.day(self, centre, day, specialist)

    def set_status(
        self, specialist: str, in_office: bool, reason: str | None = None
    ) -> StatusChange:
        """In or out of office. Out: today's checked-in customers waiting for them are
        flagged for the supervisor and offered another specialist or a new time."""
        return appointment_specialists.set_status(self, specialist, in_office, reason)

    def add_absence(
        self, specialist: str, start: datetime, end: datetime, reason: str | None = None
    ) -> list[Booking]:
        """Record an absence; returns the bookings it covers, flagged for rebooking (they
        are never silently dropped)."""
        return appointment_specialists.add_absence(self, specialist, start, end, reason)
