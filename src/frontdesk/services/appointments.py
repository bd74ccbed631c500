"""Appointment services: find slots, book, reschedule, cancel, check in, specialists'
status and absences. One unit of work per action, like the queue's.

Bookings are claims: on SQLite the writer lock (BEGIN IMMEDIATE) serialises them; on
PostgreSQL the specialist's row (and the room's) is locked for the transaction. Inside
it, the slot is checked again against the pure slot finder and existing bookings, so two
people booking the last slot at once get exactly one booking; the other is offered the
next slots.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session

from frontdesk.appointments import rules
from frontdesk.appointments.model import (
    AppointmentKind,
    Booked,
    CentreHours,
    Slot,
    SpecialistAvailability,
    TimeRange,
    WorkPattern,
)
from frontdesk.appointments.slots import find_slots
from frontdesk.config import parse_hours
from frontdesk.errors import InvalidInput, NotFound
from frontdesk.services.appointment_results import (
    AppointmentTypeInfo,
    Booking,
    CheckedIn,
    SlotOffer,
    StatusChange,
)
from frontdesk.services.queue import QueueService
from frontdesk.store import appointment_store as aps
from frontdesk.store import queue_store as qs

log = logging.getLogger(__name__)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9 ]{10,16}$")


class SlotTaken(InvalidInput):
    """The slot went to someone else first; `alternatives` are the next free ones."""

    def __init__(self, message: str, alternatives: Sequence[SlotOffer]) -> None:
        super().__init__(message)
        self.alternatives = tuple(alternatives)


class LateForAppointment(InvalidInput):
    """Too late to check in: offered the next slots or the walk-in queue."""

    def __init__(self, message: str, alternatives: Sequence[SlotOffer], service: str) -> None:
        super().__init__(message)
        self.alternatives = tuple(alternatives)
        self.walk_in_service = service


@dataclass(frozen=True, slots=True)
class _Reference:
    kinds: dict[str, AppointmentKind]
    kind_ids: dict[str, int]
    kind_by_id: dict[int, AppointmentKind]
    centres: list[CentreHours]
    people: dict[str, SpecialistAvailability]
    person_ids: dict[str, int]
    person_by_id: dict[int, str]


class AppointmentService:
    def __init__(self, queue: QueueService) -> None:
        self.queue = queue
        self.uow = queue.uow
        self.clock = queue.clock
        self._ref: _Reference | None = None
        # Called after a booking has committed (confirmation messages).
        self.after_booking: list[Callable[[Booking], None]] = []

    # -- reference data ---------------------------------------------------------

    def _reference(self, refresh: bool = False) -> _Reference:
        if self._ref is not None and not refresh:
            return self._ref
        cat = self.queue.catalogue(refresh=refresh)
        by_service_id = cat.service_by_id
        with self.uow.read() as s:
            type_rows = aps.types(s)
            people_rows = aps.specialists(s)
            room_rows = aps.rooms(s)
        kinds: dict[str, AppointmentKind] = {}
        kind_ids: dict[str, int] = {}
        for t in type_rows:
            kinds[t.code] = AppointmentKind(
                code=t.code,
                name=t.name,
                service=by_service_id[t.service_id].code if t.service_id in by_service_id else "",
                duration_minutes=t.duration_minutes,
                buffer_minutes=t.buffer_minutes,
                skill=t.skill,
                private_room=t.private_room,
                centres=tuple(c for c in t.centres.split(",") if c),
                bookable_days=t.bookable_days,
                min_notice_minutes=t.min_notice_minutes,
                by_phone=t.by_phone,
            )
            kind_ids[t.code] = t.id
        rooms: dict[str, list[str]] = {}
        for room in room_rows:
            rooms.setdefault(room.code, []).append(room.name)
        centres = [
            CentreHours(
                code=c.code,
                timezone=c.timezone,
                hours={day: ranges_of(text) for day, text in c.hours.items()},
                closures=frozenset(date.fromisoformat(d) for d in c.closures),
                rooms=tuple(rooms.get(c.code, [])),
            )
            for c in cat.centres.values()
        ]
        people: dict[str, SpecialistAvailability] = {}
        person_ids: dict[str, int] = {}
        for p in people_rows:
            patterns = tuple(
                WorkPattern(
                    centre=item["centre"],
                    desk=item["desk"],
                    days={d: ranges_of(t) for d, t in item["days"].items()},
                )
                for item in json.loads(p.patterns)
            )
            people[p.code] = SpecialistAvailability(
                code=p.code,
                name=p.name,
                skills=frozenset(x for x in p.skills.split(",") if x),
                patterns=patterns,
                partner=p.partner,
            )
            person_ids[p.code] = p.id
        self._ref = _Reference(
            kinds=kinds,
            kind_ids=kind_ids,
            kind_by_id={v: kinds[k] for k, v in kind_ids.items()},
            centres=centres,
            people=people,
            person_ids=person_ids,
            person_by_id={v: k for k, v in person_ids.items()},
        )
        return self._ref

    def kind(self, code: str) -> AppointmentKind:
        ref = self._reference()
        found = ref.kinds.get(code.strip().upper())
        if found is None:
            found = self._reference(refresh=True).kinds.get(code.strip().upper())
        if found is None:
            known = ", ".join(sorted(ref.kinds)) or "none configured"
            raise NotFound(f"unknown appointment type '{code}' (known: {known})")
        return found

    def types(self, centre: str | None = None) -> list[AppointmentTypeInfo]:
        """Appointment types, optionally those bookable at one centre."""
        where = self.queue.centre(centre).code if centre else None
        return [
            AppointmentTypeInfo(
                k.code, k.name, k.service, k.duration_minutes, k.by_phone, k.centres
            )
            for k in self._reference().kinds.values()
            if where is None or where in k.centres
        ]

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
        kind = self.kind(type_code)
        if centre is not None:
            code = self.queue.centre(centre).code
            if code not in kind.centres:
                raise InvalidInput(
                    f"{kind.name} is not offered at {code} (offered at: {', '.join(kind.centres)})"
                )
            centre = code
        if specialist is not None:
            specialist = specialist.strip().upper()
            if specialist not in self._reference().people:
                raise NotFound(f"unknown specialist '{specialist}'")
        if not 1 <= limit <= 100:
            raise InvalidInput("--limit must be between 1 and 100")
        now = self.clock.now()
        with self.uow.read() as s:
            return self._free(s, kind, now, limit, centre, specialist, not_before)

    def _free(
        self,
        s: Session,
        kind: AppointmentKind,
        now: datetime,
        limit: int,
        centre: str | None = None,
        specialist: str | None = None,
        not_before: datetime | None = None,
    ) -> list[SlotOffer]:
        ref = self._reference()
        staff = [p for p in ref.people.values() if kind.skill in p.skills]
        ids = [ref.person_ids[p.code] for p in staff]
        with_absences = self._with_absences(s, staff, now)
        start = max(now, not_before or now)
        horizon = now + timedelta(days=kind.bookable_days)
        # Look a week at a time: the next few slots are nearly always close, and this
        # keeps a long booking history out of the search.
        window = start
        found: list[Slot] = []
        while True:
            window = min(horizon, window + timedelta(days=7))
            booked = self._booked(s, start - timedelta(days=1), window + timedelta(days=1), ids)
            found = find_slots(
                kind,
                ref.centres,
                with_absences,
                booked,
                now,
                limit,
                not_before=not_before,
                only_centre=centre,
                only_specialist=specialist,
            )
            found = [f for f in found if f.starts_at <= window]
            if len(found) >= limit or window >= horizon:
                break
        return [self._offer(kind, f) for f in found[:limit]]

    def _with_absences(
        self, s: Session, staff: Sequence[SpecialistAvailability], now: datetime
    ) -> list[SpecialistAvailability]:
        ref = self._reference()
        away: dict[str, list[tuple[datetime, datetime]]] = {}
        for row in aps.absences(s, now - timedelta(days=1)):
            code = ref.person_by_id.get(row.specialist_id)
            if code:
                away.setdefault(code, []).append((row.starts_at, row.ends_at))
        return [
            SpecialistAvailability(
                p.code, p.name, p.skills, p.patterns, tuple(away.get(p.code, ())), p.partner
            )
            for p in staff
        ]

    def _booked(
        self, s: Session, since: datetime, until: datetime, ids: Sequence[int]
    ) -> list[Booked]:
        ref = self._reference()
        cat = self.queue.catalogue()
        centre_codes = {c.id: c.code for c in cat.centres.values()}
        return [
            Booked(
                specialist=ref.person_by_id.get(r.specialist_id, "?"),
                centre=centre_codes.get(r.centre_id, "?"),
                room=r.room,
                starts_at=r.starts_at,
                busy_until=r.busy_until,
            )
            for r in aps.live_bookings(s, since, until, None)
            if r.specialist_id in ids or r.room is not None
        ]

    def _offer(self, kind: AppointmentKind, slot: Slot) -> SlotOffer:
        person = self._reference().people[slot.specialist]
        return SlotOffer(
            type=kind.code,
            centre=slot.centre,
            specialist=slot.specialist,
            specialist_name=person.name,
            desk=slot.desk,
            room=slot.room,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
        )

    # -- booking ----------------------------------------------------------------

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
        kind = self.kind(type_code)
        where = self.queue.centre(centre)
        if where.code not in kind.centres:
            raise InvalidInput(
                f"{kind.name} is not offered at {where.code} "
                f"(offered at: {', '.join(kind.centres)})"
            )
        if starts_at.tzinfo is None:
            raise InvalidInput("the start time needs a UTC offset, e.g. 2026-03-02T10:00+00:00")
        contact = _contact(name, phone, email)
        now = self.clock.now()
        with self.uow.write() as s:
            slot = self._claim_slot(s, kind, where.code, starts_at, specialist, now)
            if slot is None:
                taken = True
            else:
                taken = False
                booking_id = self._insert(s, kind, where.id, slot, now, channel, contact)
        if taken:
            self._refuse(kind, where.code, starts_at, now, specialist)
        booking = self.find(str(booking_id), by_id=True)
        for listener in self.after_booking:
            try:
                listener(booking)
            except Exception:  # a confirmation message must never undo a booking
                log.exception("after-booking listener failed for %s", booking.reference)
        return booking

    def _claim_slot(
        self,
        s: Session,
        kind: AppointmentKind,
        centre: str,
        starts_at: datetime,
        specialist: str | None,
        now: datetime,
    ) -> Slot | None:
        """Inside the write transaction: lock, then re-check the slot is still free."""
        ref = self._reference()
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
        staff = self._with_absences(s, candidates, now)
        ids = [ref.person_ids[p.code] for p in candidates]
        booked = self._booked(s, at - timedelta(days=1), at + timedelta(days=1), ids)
        found = find_slots(
            kind,
            ref.centres,
            staff,
            booked,
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
                aps.lock_room(s, self.queue.centre(centre).id, slot.room)
            busy_until = at + timedelta(minutes=kind.duration_minutes + kind.buffer_minutes)
            if not aps.clashes(
                s,
                ref.person_ids[slot.specialist],
                self.queue.centre(centre).id,
                slot.room,
                at,
                busy_until,
            ):
                return slot
        return None

    def _refuse(
        self,
        kind: AppointmentKind,
        centre: str,
        starts_at: datetime,
        now: datetime,
        specialist: str | None,
    ) -> None:
        with self.uow.read() as s:
            offered = self._free(s, kind, now, 5, centre, None, None)
        local = starts_at.astimezone(ZoneInfo(self.queue.centre(centre).timezone))
        inside = self._valid_time(kind, centre, starts_at, now)
        why = "has just been taken" if inside else "is not a bookable time"
        raise SlotTaken(
            f"{kind.name} at {centre} on {local:%a %d %b %H:%M} {why}; "
            f"{len(offered)} next free slots offered",
            offered,
        )

    def _valid_time(self, kind: AppointmentKind, centre: str, at: datetime, now: datetime) -> bool:
        ref = self._reference()
        staff = [p for p in ref.people.values() if kind.skill in p.skills]
        found = find_slots(
            kind, ref.centres, staff, [], now, limit=50, not_before=at, only_centre=centre
        )
        return any(f.starts_at == at for f in found)

    def _insert(
        self,
        s: Session,
        kind: AppointmentKind,
        centre_id: int,
        slot: Slot,
        now: datetime,
        channel: str,
        contact: dict[str, str | None],
    ) -> int:
        ref = self._reference()
        reference = rules.new_reference()
        while aps.reference_taken(s, reference):
            reference = rules.new_reference()
        return aps.insert_booking(
            s,
            reference=reference,
            token=secrets.token_urlsafe(16),
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

    def reschedule(
        self, reference: str, starts_at: datetime, specialist: str | None = None
    ) -> Booking:
        """Move a booking to a new time (the old one is released in the same transaction)."""
        old = self.find(reference)
        if old.status != "booked":
            raise InvalidInput(f"booking {old.reference} is {old.status}: it cannot be moved")
        kind = self.kind(old.type)
        where = self.queue.centre(old.centre)
        now = self.clock.now()
        with self.uow.write() as s:
            row = aps.booking_by(s, reference=_ref_or_fail(old.reference), lock=True)
            assert row is not None
            aps.update_booking(s, row.id, ["booked"], status="rescheduled")
            slot = self._claim_slot(s, kind, where.code, starts_at, specialist, now)
            if slot is None:
                s.rollback()
                taken = True
            else:
                taken = False
                new_id = self._insert(
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
            self._refuse(kind, where.code, starts_at, now, specialist)
        return self.find(str(new_id), by_id=True)

    def cancel(self, reference: str) -> Booking:
        booking = self.find(reference)
        with self.uow.write() as s:
            row = aps.booking_by(s, reference=_ref_or_fail(booking.reference), lock=True)
            assert row is not None
            if not aps.update_booking(s, row.id, ["booked"], status="cancelled"):
                raise InvalidInput(
                    f"booking {booking.reference} is {booking.status}: it cannot be cancelled"
                )
        return self.find(booking.reference)

    def find(self, reference: str, *, by_id: bool = False) -> Booking:
        """A booking by its reference (ABC-DEF), its QR token, or (internally) its id."""
        with self.uow.read() as s:
            if by_id:
                row = aps.booking_by(s, booking_id=int(reference))
            else:
                ref = rules.normalise_reference(reference)
                row = aps.booking_by(s, reference=ref) if ref else None
                if row is None:
                    row = aps.booking_by(s, token=reference.strip())
            label = None
            if row is not None and row.ticket_id is not None:
                t = qs.ticket(s, row.ticket_id)
                label = t.label if t is not None else None
        if row is None:
            raise NotFound(
                f"no booking found for '{reference.strip()}': check the reference on your "
                "letter or message (6 letters and numbers), or ask at reception"
            )
        return self._booking(row, label)

    def _booking(self, row: Any, ticket: str | None = None) -> Booking:
        ref = self._reference()
        kind = ref.kind_by_id.get(row.type_id)
        code = ref.person_by_id.get(row.specialist_id, "?")
        centre = next(
            (c.code for c in self.queue.catalogue().centres.values() if c.id == row.centre_id),
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
            status=row.status,
            has_contact=bool(row.contact_phone or row.contact_email),
            checked_in_at=row.checked_in_at,
            ticket=ticket,
            flagged=row.flagged,
        )

    # -- check-in ---------------------------------------------------------------

    def _setting(self, key: str, default: float) -> float:
        return float(self.queue.catalogue().settings.get(f"appointments.{key}", default))

    def checkin(self, centre: str, reference_or_token: str) -> CheckedIn:
        """Check a visitor in: a ticket that the booked specialist's desk calls at the
        booked time, ahead of walk-ins."""
        where = self.queue.centre(centre)
        booking = self.find(reference_or_token)
        kind = self.kind(booking.type)
        if kind.by_phone:
            raise InvalidInput(f"{kind.name} is by phone: there is nothing to check in")
        if booking.centre != where.code:
            other = self.queue.centre(booking.centre)
            raise InvalidInput(
                f"this appointment is at {other.name} ({other.address or other.code}), "
                f"not {where.name}"
            )
        if booking.status == "checked_in":
            raise InvalidInput(
                f"booking {booking.reference} is already checked in (ticket {booking.ticket})"
            )
        if booking.status != "booked":
            raise InvalidInput(f"booking {booking.reference} is {booking.status.replace('_', ' ')}")
        now = self.clock.now()
        verdict = rules.arrival(
            booking.starts_at,
            now,
            self._setting("checkin_early_minutes", 30),
            self._setting("checkin_late_minutes", 10),
        )
        local = booking.starts_at.astimezone(ZoneInfo(where.timezone))
        if verdict is rules.Arrival.TOO_EARLY:
            opens = local - timedelta(minutes=self._setting("checkin_early_minutes", 30))
            raise InvalidInput(
                f"your appointment is at {local:%H:%M on %a %d %b}; check-in opens at {opens:%H:%M}"
            )
        if verdict is rules.Arrival.LATE:
            with self.uow.read() as s:
                offered = self._free(s, kind, now, 3, where.code)
            raise LateForAppointment(
                f"your appointment was at {local:%H:%M}: it is too late to check in. "
                "You can book the next free time or join the queue",
                offered,
                kind.service,
            )
        ref = self._reference()
        desk = where.desks.get(booking.desk)
        with self.uow.write() as s:
            row = aps.booking_by(s, reference=_ref_or_fail(booking.reference), lock=True)
            assert row is not None
            ticket_id, label, token = self.queue.create_ticket(
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
            if not aps.update_booking(
                s, row.id, ["booked"], status="checked_in", checked_in_at=now, ticket_id=ticket_id
            ):
                raise InvalidInput(f"booking {booking.reference} was checked in just now")
        return CheckedIn(
            booking=self.find(booking.reference),
            ticket_id=ticket_id,
            ticket=label,
            token=token,
            arrival=verdict.value,
        )

    def sweep(self) -> int:
        """Mark as no-shows the booked appointments nobody checked in for in time."""
        grace = timedelta(minutes=self._setting("no_show_after_minutes", 15))
        with self.uow.write() as s:
            return aps.mark_missed(s, self.clock.now() - grace)

    # -- the specialist's day ---------------------------------------------------

    def day(self, centre: str, day: date, specialist: str | None = None) -> list[Booking]:
        """A centre's appointments on a local date, optionally one specialist's."""
        where = self.queue.centre(centre)
        tz = ZoneInfo(where.timezone)
        start = datetime.combine(day, datetime.min.time(), tzinfo=tz)
        person = None
        if specialist is not None:
            person = self._reference().person_ids.get(specialist.strip().upper())
            if person is None:
                raise NotFound(f"unknown specialist '{specialist}'")
        self.sweep()
        with self.uow.read() as s:
            rows = aps.bookings_between(
                s,
                start,
                start + timedelta(days=1),
                [where.id],
                person,
                ["booked", "checked_in", "no_show"],
            )
            labels = {}
            for r in rows:
                if r.ticket_id is not None:
                    t = qs.ticket(s, r.ticket_id)
                    labels[r.id] = t.label if t else None
        return [self._booking(r, labels.get(r.id)) for r in rows]

    def set_status(
        self, specialist: str, in_office: bool, reason: str | None = None
    ) -> StatusChange:
        """In or out of office. Out: today's checked-in customers waiting for them are
        flagged for the supervisor and offered another specialist or a new time."""
        ref = self._reference()
        code = specialist.strip().upper()
        if code not in ref.person_ids:
            raise NotFound(f"unknown specialist '{specialist}' (known: {', '.join(ref.people)})")
        now = self.clock.now()
        sid = ref.person_ids[code]
        with self.uow.write() as s:
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
        bookings = tuple(self.find(str(r.id), by_id=True) for r in affected)
        alternatives: dict[str, tuple[SlotOffer, ...]] = {}
        for b in bookings:
            kind = self.kind(b.type)
            tz = ZoneInfo(self.queue.centre(b.centre).timezone)
            tomorrow = datetime.combine(
                now.astimezone(tz).date() + timedelta(days=1), datetime.min.time(), tzinfo=tz
            )
            with self.uow.read() as s:
                # Another specialist first; failing that, a new time (from tomorrow, as
                # this specialist is out today). Filtering after a small limit would offer
                # nothing when the next few slots are all this specialist's.
                offers = [o for o in self._free(s, kind, now, 50, b.centre) if o.specialist != code]
                if len(offers) < 3:
                    offers += self._free(s, kind, now, 3 - len(offers), b.centre, None, tomorrow)
            alternatives[b.reference] = tuple(offers[:3])
        return StatusChange(code, in_office, reason, bookings, alternatives)

    def add_absence(
        self, specialist: str, start: datetime, end: datetime, reason: str | None = None
    ) -> list[Booking]:
        """Record an absence; returns the bookings it covers, flagged for rebooking (they
        are never silently dropped)."""
        ref = self._reference()
        code = specialist.strip().upper()
        if code not in ref.person_ids:
            raise NotFound(f"unknown specialist '{specialist}'")
        if start.tzinfo is None or end.tzinfo is None:
            raise InvalidInput("absence times need a UTC offset")
        if end <= start:
            raise InvalidInput("an absence must end after it starts")
        sid = ref.person_ids[code]
        with self.uow.write() as s:
            aps.add_absence(s, sid, start, end, reason)
            rows = [
                r
                for r in aps.bookings_between(
                    s, start - timedelta(days=1), end, None, sid, ["booked", "checked_in"]
                )
                if r.starts_at < end and r.ends_at > start
            ]
            aps.flag(s, [r.id for r in rows], "specialist absent: rebook")
        return [self.find(str(r.id), by_id=True) for r in rows]

    def purge_contacts(self) -> int:
        """Forget phone numbers and e-mail addresses past the retention period."""
        days = self._setting("contact_retention_days", 30)
        with self.uow.write() as s:
            return aps.purge_contacts(s, self.clock.now() - timedelta(days=days))


def ranges_of(text: str) -> tuple[TimeRange, ...]:
    return tuple(TimeRange(r.opens, r.closes) for r in parse_hours(text))


def _ref_or_fail(text: str) -> str:
    ref = rules.normalise_reference(text)
    if ref is None:
        raise NotFound(f"'{text}' is not a booking reference")
    return ref


def _contact(name: str | None, phone: str | None, email: str | None) -> dict[str, str | None]:
    """Contact details are optional and kept minimal: only for reminders."""
    if phone is not None and phone.strip() and not _PHONE.match(phone.strip()):
        raise InvalidInput(f"phone '{phone}' is not a phone number (10 to 15 digits)")
    if email is not None and email.strip() and not _EMAIL.match(email.strip()):
        raise InvalidInput(f"e-mail '{email}' is not an e-mail address")
    return {
        "contact_name": (name or "").strip() or None,
        "contact_phone": (phone or "").strip() or None,
        "contact_email": (email or "").strip() or None,
    }
