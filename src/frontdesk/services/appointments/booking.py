"""Booking, rescheduling and cancelling appointments.

Bookings are claims: on SQLite the writer lock (BEGIN IMMEDIATE) serialises them; on
PostgreSQL the specialist's row (and the room's) is locked for the transaction. Inside
it, the slot is checked again against the pure slot finder and existing bookings, so two
people booking the last slot at once get exactly one booking; the other is offered the
next slots.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from frontdesk.appointments import rules
from frontdesk.appointments.model import AppointmentKind, Slot
from frontdesk.appointments.slots import find_slots
from frontdesk.errors import InvalidInput, NotFound
from frontdesk.services.appointments.context import AppointmentArea, AppointmentContext
from frontdesk.services.appointments.records import find_booking, ref_or_fail
from frontdesk.services.appointments.results import Booking, SlotOffer
from frontdesk.services.appointments.slots import booked, free, valid_time, with_absences
from frontdesk.services.tokens import scan_token
from frontdesk.store import appointment_store as aps

# The package's logger (the name it had before bookings had a module of their own), so
# that logging configuration aimed at it still applies.
log = logging.getLogger("frontdesk.services.appointments")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9 ]{10,16}$")


class SlotTaken(InvalidInput):
    """The slot went to someone else first; `alternatives` are the next free ones."""

    def __init__(self, message: str, alternatives: Sequence[SlotOffer]) -> None:
        super().__init__(message)
        self.alternatives = tuple(alternatives)


class Bookings(AppointmentArea):
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
        ctx = self.ctx
        kind = ctx.kind(type_code)
        where = ctx.centre_offering(kind, centre)
        if starts_at.tzinfo is None:
            raise InvalidInput("the start time needs a UTC offset, e.g. 2026-03-02T10:00+00:00")
        contact = _contact(name, phone, email)
        now = ctx.clock.now()
        with ctx.uow.write() as s:
            slot = _claim_slot(ctx, s, kind, where.code, starts_at, specialist, now)
            if slot is None:
                taken = True
            else:
                taken = False
                booking_id = _insert(ctx, s, kind, where.id, slot, now, channel, contact)
        if taken:
            _refuse(ctx, kind, where.code, starts_at, now, specialist)
        booking = find_booking(ctx, str(booking_id), by_id=True)
        for listener in ctx.after_booking:
            try:
                listener(booking)
            except Exception:  # a confirmation message must never undo a booking
                log.exception("after-booking listener failed for %s", booking.reference)
        return booking

    def reschedule(
        self, reference: str, starts_at: datetime, specialist: str | None = None
    ) -> Booking:
        """Move a booking to a new time (the old one is released in the same transaction)."""
        ctx = self.ctx
        old = find_booking(ctx, reference)
        if old.status != "booked":
            raise InvalidInput(f"booking {old.reference} is {old.status}: it cannot be moved")
        kind = ctx.kind(old.type)
        where = ctx.queue.centre(old.centre)
        now = ctx.clock.now()
        with ctx.uow.write() as s:
            row = aps.booking_by(s, reference=ref_or_fail(old.reference), lock=True)
            assert row is not None
            aps.update_booking(s, row.id, ["booked"], status="rescheduled")
            slot = _claim_slot(ctx, s, kind, where.code, starts_at, specialist, now)
            if slot is None:
                s.rollback()
                taken = True
            else:
                taken = False
                new_id = _insert(
                    ctx,
                    s,
                    kind,
                    where.id,
                    slot,
                    now,
                    "reschedule",
                    {
                        "contact_name": row.contact_name,
                        "contact_phone": row.contact_phone,
                        "contact_email": row.contact_email,
                    },
                )
                # The contact details move to the new booking; the old one keeps none.
                aps.update_booking(
                    s,
                    row.id,
                    ["rescheduled"],
                    rescheduled_to=new_id,
                    contact_name=None,
                    contact_phone=None,
                    contact_email=None,
                )
        if taken:
            _refuse(ctx, kind, where.code, starts_at, now, specialist)
        return find_booking(ctx, str(new_id), by_id=True)

    def cancel(self, reference: str) -> Booking:
        ctx = self.ctx
        booking = find_booking(ctx, reference)
        with ctx.uow.write() as s:
            row = aps.booking_by(s, reference=ref_or_fail(booking.reference), lock=True)
            assert row is not None
            if not aps.update_booking(s, row.id, ["booked"], status="cancelled"):
                raise InvalidInput(
                    f"booking {booking.reference} is {booking.status}: it cannot be cancelled"
                )
        return find_booking(ctx, booking.reference)


def _claim_slot(
    ctx: AppointmentContext,
    s: Session,
    kind: AppointmentKind,
    centre: str,
    starts_at: datetime,
    specialist: str | None,
    now: datetime,
) -> Slot | None:
    """Inside the write transaction: lock, then re-check the slot is still free."""
    ref = ctx.reference()
    if specialist is not None:
        specialist = specialist.strip().upper()
        if specialist not in ref.people:
            raise NotFound(f"unknown specialist '{specialist}'")
    candidates = [
        p
        for p in ref.people.values()
        if kind.skill in p.skills
        and specialist in (None, p.code)
        and any(pat.centre == centre for pat in p.patterns)
    ]
    if specialist is not None and not candidates:
        raise InvalidInput(f"specialist '{specialist}' does not take {kind.name} at {centre}")
    for person in candidates:
        aps.lock_specialist(s, ref.person_ids[person.code])
    at = starts_at.astimezone(ZoneInfo("UTC"))
    staff = with_absences(ctx, s, candidates, now)
    ids = [ref.person_ids[p.code] for p in candidates]
    rooms = [ctx.queue.centre(centre).id] if kind.private_room and not kind.by_phone else []
    # Every room's bookings at this centre: a taken room makes the finder pick a free one.
    taken = booked(ctx, s, at - timedelta(days=1), at + timedelta(days=1), ids, rooms)
    found = find_slots(
        kind,
        ref.centres,
        staff,
        taken,
        now,
        limit=len(candidates) * 4 + 4,
        not_before=at,
        only_centre=centre,
        only_specialist=specialist,
    )
    for slot in found:
        if slot.starts_at != at:
            continue
        if slot.room is not None:
            aps.lock_room(s, ctx.queue.centre(centre).id, slot.room)
        busy_until = at + timedelta(minutes=kind.duration_minutes + kind.buffer_minutes)
        if not aps.clashes(
            s,
            ref.person_ids[slot.specialist],
            ctx.queue.centre(centre).id,
            slot.room,
            at,
            busy_until,
        ):
            return slot
    return None


def _refuse(
    ctx: AppointmentContext,
    kind: AppointmentKind,
    centre: str,
    starts_at: datetime,
    now: datetime,
    specialist: str | None,
) -> None:
    with ctx.uow.read() as s:
        offered = free(ctx, s, kind, now, 5, centre, None, None)
    local = starts_at.astimezone(ZoneInfo(ctx.queue.centre(centre).timezone))
    inside = valid_time(ctx, kind, centre, starts_at, now)
    why = "has just been taken" if inside else "is not a bookable time"
    raise SlotTaken(
        f"{kind.name} at {centre} on {local:%a %d %b %H:%M} {why}; "
        f"{len(offered)} next free slots offered",
        offered,
    )


def _insert(
    ctx: AppointmentContext,
    s: Session,
    kind: AppointmentKind,
    centre_id: int,
    slot: Slot,
    now: datetime,
    channel: str,
    contact: dict[str, str | None],
) -> int:
    ref = ctx.reference()
    reference = rules.new_reference()
    while aps.reference_taken(s, reference):
        reference = rules.new_reference()
    return aps.insert_booking(
        s,
        reference=reference,
        token=scan_token(16),
        type_id=ref.kind_ids[kind.code],
        centre_id=centre_id,
        specialist_id=ref.person_ids[slot.specialist],
        desk_name=slot.desk,
        room=slot.room,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        busy_until=slot.ends_at + timedelta(minutes=kind.buffer_minutes),
        status="booked",
        channel=channel,
        created_at=now,
        **contact,
    )


class ContactRefused(InvalidInput):
    """A phone number or e-mail address that is not one; `field` is "phone" or "email",
    so a form can say which of its fields to correct."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def _contact(name: str | None, phone: str | None, email: str | None) -> dict[str, str | None]:
    """Contact details are optional and kept minimal: only for reminders."""
    if phone is not None and phone.strip() and not _PHONE.match(phone.strip()):
        raise ContactRefused(f"phone '{phone}' is not a phone number (10 to 15 digits)", "phone")
    if email is not None and email.strip() and not _EMAIL.match(email.strip()):
        raise ContactRefused(f"e-mail '{email}' is not an e-mail address", "email")
    return {
        "contact_name": (name or "").strip() or None,
        "contact_phone": (phone or "").strip() or None,
        "contact_email": (email or "").strip() or None,
    }
