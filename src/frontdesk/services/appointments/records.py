"""Reading bookings back (by reference, QR token or id) as `Booking` results, and
forgetting their contact details once the retention period has passed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from frontdesk.appointments import rules
from frontdesk.errors import NotFound
from frontdesk.services.appointments.context import AppointmentArea, AppointmentContext
from frontdesk.services.appointments.results import Booking
from frontdesk.store import appointment_store as aps
from frontdesk.store import queue_store as qs


class BookingRecords(AppointmentArea):
    def find(self, reference: str, *, by_id: bool = False) -> Booking:
        """A booking by its reference (ABC-DEF), its QR token, or (internally) its id."""
        return find_booking(self.ctx, reference, by_id=by_id)

    def purge_contacts(self) -> int:
        """Forget phone numbers and e-mail addresses past the retention period."""
        days = self.ctx.setting("contact_retention_days", 30)
        with self.ctx.uow.write() as s:
            return aps.purge_contacts(s, self.ctx.clock.now() - timedelta(days=days))


def find_booking(ctx: AppointmentContext, reference: str, *, by_id: bool = False) -> Booking:
    """A booking by its reference (ABC-DEF), its QR token, or its id (`by_id`)."""
    with ctx.uow.read() as s:
        if by_id:
            row = aps.booking_by(s, booking_id=int(reference))
        else:
            ref = rules.normalise_reference(reference)
            row = aps.booking_by(s, reference=ref) if ref else None
            if row is None:
                row = aps.booking_by(s, token=reference.strip())
        t = qs.ticket(s, row.ticket_id) if row is not None and row.ticket_id else None
    if row is None:
        raise NotFound(
            f"no booking found for '{reference.strip()}': check the reference on your "
            "letter or message (6 letters and numbers), or ask at reception"
        )
    return booking_of(ctx, row, t)


def booking_of(ctx: AppointmentContext, row: Any, ticket: Any = None) -> Booking:
    """A booking row as a result, with codes and names in place of ids; given its ticket
    row, its number, and its status as the ticket has moved it on (completed: attended)."""
    ref = ctx.reference()
    kind = ref.kind_by_id.get(row.type_id)
    code = ref.person_by_id.get(row.specialist_id, "?")
    centre = next(
        (c.code for c in ctx.queue.catalogue().centres.values() if c.id == row.centre_id),
        "?",
    )
    return Booking(
        reference=rules.format_reference(row.reference),
        token=row.token,
        type=kind.code if kind else "?",
        type_name=kind.name if kind else "?",
        centre=centre,
        specialist=code,
        specialist_name=ref.people[code].name if code in ref.people else "?",
        desk=row.desk_name,
        room=row.room,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        status=rules.status_after_ticket(row.status, ticket.status if ticket else None),
        has_contact=bool(row.contact_phone or row.contact_email),
        checked_in_at=row.checked_in_at,
        ticket=ticket.label if ticket else None,
        flagged=row.flagged,
    )


def ref_or_fail(text: str) -> str:
    """A booking reference in its stored form, or NotFound."""
    ref = rules.normalise_reference(text)
    if ref is None:
        raise NotFound(f"'{text}' is not a booking reference")
    return ref
