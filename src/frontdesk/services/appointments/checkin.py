"""Checking a visitor in for their appointment, and marking the no-shows.

A check-in issues a queue ticket that the booked specialist's desk calls at the booked
time, ahead of walk-ins.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from zoneinfo import ZoneInfo

from frontdesk.appointments import rules
from frontdesk.errors import InvalidInput
from frontdesk.services import identities
from frontdesk.services.appointments.context import AppointmentArea, AppointmentContext
from frontdesk.services.appointments.records import find_booking, ref_or_fail
from frontdesk.services.appointments.results import CheckedIn, SlotOffer
from frontdesk.services.appointments.slots import free
from frontdesk.store import appointment_store as aps


class LateForAppointment(InvalidInput):
    """Too late to check in: offered the next slots or the walk-in queue."""

    def __init__(self, message: str, alternatives: Sequence[SlotOffer], service: str) -> None:
        super().__init__(message)
        self.alternatives = tuple(alternatives)
        self.walk_in_service = service


class CheckInRefused(InvalidInput):
    """Check-in refused for a reason the kiosk explains in the visitor's language.

    `reason`: "too-early" (`opens_at`, local time), "already" (`ticket`), "cancelled",
    "no-show", "attended", "by-phone", "elsewhere" (`centre_name`)."""

    def __init__(
        self,
        message: str,
        reason: str,
        *,
        ticket: str | None = None,
        opens_at: str | None = None,
        centre_name: str | None = None,
    ) -> None:
        super().__init__(message)
        self.reason = reason
        self.ticket = ticket
        self.opens_at = opens_at
        self.centre_name = centre_name


class CheckIns(AppointmentArea):
    def checkin(self, centre: str, reference_or_token: str) -> CheckedIn:
        """Check a visitor in: a ticket that the booked specialist's desk calls at the
        booked time, ahead of walk-ins."""
        ctx = self.ctx
        where = ctx.queue.centre(centre)
        booking = find_booking(ctx, reference_or_token)
        kind = ctx.kind(booking.type)
        if kind.by_phone:
            raise CheckInRefused(
                f"{kind.name} is by phone: there is nothing to check in", "by-phone"
            )
        if booking.centre != where.code:
            other = ctx.queue.centre(booking.centre)
            raise CheckInRefused(
                f"this appointment is at {other.name} ({other.address or other.code}), "
                f"not {where.name}",
                "elsewhere",
                centre_name=other.name,
            )
        if booking.status == "checked_in":
            raise CheckInRefused(
                f"booking {booking.reference} is already checked in (ticket {booking.ticket})",
                "already",
                ticket=booking.ticket,
            )
        if booking.status != "booked":
            raise CheckInRefused(
                f"booking {booking.reference} is {booking.status.replace('_', ' ')}",
                booking.status.replace("_", "-"),
            )
        now = ctx.clock.now()
        verdict = rules.arrival(
            booking.starts_at,
            now,
            ctx.setting("checkin_early_minutes", 30),
            ctx.setting("checkin_late_minutes", 10),
        )
        local = booking.starts_at.astimezone(ZoneInfo(where.timezone))
        if verdict is rules.Arrival.TOO_EARLY:
            opens = local - timedelta(minutes=ctx.setting("checkin_early_minutes", 30))
            raise CheckInRefused(
                f"your appointment is at {local:%H:%M on %a %d %b}; "
                f"check-in opens at {opens:%H:%M}",
                "too-early",
                opens_at=f"{opens:%H:%M}",
            )
        if verdict is rules.Arrival.LATE:
            with ctx.uow.read() as s:
                offered = free(ctx, s, kind, now, 3, where.code)
            raise LateForAppointment(
                f"your appointment was at {local:%H:%M}: it is too late to check in. "
                "You can book the next free time or join the queue",
                offered,
                kind.service,
            )
        ref = ctx.reference()
        desk = where.desks.get(booking.desk)
        with ctx.uow.write() as s:
            row = aps.booking_by(s, reference=ref_or_fail(booking.reference), lock=True)
            assert row is not None
            ticket_id, label, token = ctx.queue.create_ticket(
                s,
                where,
                kind.service,
                now,
                channel="appointment",
                needs=("private-room",) if kind.private_room else (),
                note=f"Appointment {booking.reference}: {kind.name} with "
                f"{ref.people[booking.specialist].name}",
                due_at=booking.starts_at,
                target_desk_id=desk.id if desk else None,
            )
            # Guarded on "booked": a second kiosk checking the same visitor in loses here.
            if not aps.update_booking(
                s, row.id, ["booked"], status="checked_in", checked_in_at=now, ticket_id=ticket_id
            ):
                raise InvalidInput(f"booking {booking.reference} was checked in just now")
            identities.remember_booking(s, ticket_id, row)  # for repeat visits
        return CheckedIn(
            booking=find_booking(ctx, booking.reference),
            ticket_id=ticket_id,
            ticket=label,
            token=token,
            arrival=verdict.value,
        )

    def sweep(self) -> int:
        """Mark as no-shows the booked appointments nobody checked in for in time."""
        return mark_missed(self.ctx)


def mark_missed(ctx: AppointmentContext) -> int:
    """Mark as no-shows the booked appointments nobody checked in for in time."""
    grace = timedelta(minutes=ctx.setting("no_show_after_minutes", 15))
    with ctx.uow.write() as s:
        return aps.mark_missed(s, ctx.clock.now() - grace)
