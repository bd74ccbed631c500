"""The specialist's side: a day's appointments, in or out of office, and absences.

Going out of office or recording an absence never drops a booking silently: the
bookings affected are flagged for the supervisor and returned for rebooking.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from frontdesk.errors import InvalidInput, NotFound
from frontdesk.services.appointments.checkin import mark_missed
from frontdesk.services.appointments.context import AppointmentArea
from frontdesk.services.appointments.records import booking_of, find_booking
from frontdesk.services.appointments.results import Booking, SlotOffer, StatusChange
from frontdesk.services.appointments.slots import free
from frontdesk.store import appointment_store as aps
from frontdesk.store import queue_store as qs


class SpecialistDays(AppointmentArea):
    def day(self, centre: str, day: date, specialist: str | None = None) -> list[Booking]:
        """A centre's appointments on a local date, optionally one specialist's."""
        ctx = self.ctx
        where = ctx.queue.centre(centre)
        tz = ZoneInfo(where.timezone)
        start = datetime.combine(day, datetime.min.time(), tzinfo=tz)
        person = None
        if specialist is not None:
            person = ctx.reference().person_ids.get(specialist.strip().upper())
            if person is None:
                raise NotFound(f"unknown specialist '{specialist}'")
        mark_missed(ctx)  # so that the list shows who did not come
        with ctx.uow.read() as s:
            rows = aps.bookings_between(
                s,
                start,
                start + timedelta(days=1),
                [where.id],
                person,
                ["booked", "checked_in", "no_show"],
            )
            tickets = {r.id: qs.ticket(s, r.ticket_id) for r in rows if r.ticket_id}
        return [booking_of(ctx, r, tickets.get(r.id)) for r in rows]

    def set_status(
        self, specialist: str, in_office: bool, reason: str | None = None
    ) -> StatusChange:
        """In or out of office. Out: today's checked-in customers waiting for them are
        flagged for the supervisor and offered another specialist or a new time."""
        ctx = self.ctx
        ref = ctx.reference()
        code = specialist.strip().upper()
        if code not in ref.person_ids:
            raise NotFound(f"unknown specialist '{specialist}' (known: {', '.join(ref.people)})")
        now = ctx.clock.now()
        sid = ref.person_ids[code]
        with ctx.uow.write() as s:
            aps.set_specialist_status(s, sid, in_office, reason, now)
            affected = []
            if not in_office:
                rows = aps.bookings_between(
                    s,
                    now - timedelta(hours=12),
                    now + timedelta(hours=12),
                    None,
                    sid,
                    ["checked_in"],
                )
                for r in rows:
                    t = qs.ticket(s, r.ticket_id) if r.ticket_id else None
                    if t is not None and t.status == "waiting":
                        affected.append(r)
                aps.flag(
                    s,
                    [r.id for r in affected],
                    f"specialist out of office{': ' + reason if reason else ''}",
                )
        bookings = tuple(find_booking(ctx, str(r.id), by_id=True) for r in affected)
        alternatives: dict[str, tuple[SlotOffer, ...]] = {}
        for b in bookings:
            kind = ctx.kind(b.type)
            tz = ZoneInfo(ctx.queue.centre(b.centre).timezone)
            tomorrow = datetime.combine(
                now.astimezone(tz).date() + timedelta(days=1), datetime.min.time(), tzinfo=tz
            )
            with ctx.uow.read() as s:
                # Another specialist first; failing that, a new time (from tomorrow, as
                # this specialist is out today). Filtering after a small limit would offer
                # nothing when the next few slots are all this specialist's.
                offers = [o for o in free(ctx, s, kind, now, 50, b.centre) if o.specialist != code]
                if len(offers) < 3:
                    offers += free(ctx, s, kind, now, 3 - len(offers), b.centre, None, tomorrow)
            alternatives[b.reference] = tuple(offers[:3])
        return StatusChange(code, in_office, reason, bookings, alternatives)

    def add_absence(
        self,
        specialist: str,
        start: datetime,
        end: datetime,
        reason: str | None = None,
    ) -> list[Booking]:
        """Record an absence; returns the bookings it covers, flagged for rebooking (they
        are never silently dropped)."""
        ctx = self.ctx
        ref = ctx.reference()
        code = specialist.strip().upper()
        if code not in ref.person_ids:
            raise NotFound(f"unknown specialist '{specialist}'")
        if start.tzinfo is None or end.tzinfo is None:
            raise InvalidInput("absence times need a UTC offset")
        if end <= start:
            raise InvalidInput("an absence must end after it starts")
        sid = ref.person_ids[code]
        with ctx.uow.write() as s:
            aps.add_absence(s, sid, start, end, reason)
            rows = [
                r
                for r in aps.bookings_between(
                    s, start - timedelta(days=1), end, None, sid, ["booked", "checked_in"]
                )
                if r.starts_at < end and r.ends_at > start
            ]
            aps.flag(s, [r.id for r in rows], "specialist absent: rebook")
        return [find_booking(ctx, str(r.id), by_id=True) for r in rows]
