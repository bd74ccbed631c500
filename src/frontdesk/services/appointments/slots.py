"""Free appointment slots: the pure slot finder fed with the store's absences and
bookings. Used to offer times, to re-check a claim and to offer alternatives: the
helpers here are the other areas' way to free slots (`free`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from frontdesk.appointments.model import AppointmentKind, Booked, Slot, SpecialistAvailability
from frontdesk.appointments.slots import find_slots
from frontdesk.errors import InvalidInput, NotFound
from frontdesk.services.appointments.context import AppointmentArea, AppointmentContext
from frontdesk.services.appointments.results import SlotOffer
from frontdesk.store import appointment_store as aps


class SlotSearch(AppointmentArea):
    def slots(
        self,
        type_code: str,
        *,
        centre: str | None = None,
        specialist: str | None = None,
        limit: int = 10,
        not_before: datetime | None = None,
        one_per_time: bool = False,
    ) -> list[SlotOffer]:
        """The next `limit` free slots for a type, at one centre or across centres.

        `one_per_time`: one offer per centre and time, the first specialist free then
        (a phone callback: the caller cares when they are rung, not by whom)."""
        ctx = self.ctx
        kind = ctx.kind(type_code)
        if centre is not None:
            centre = ctx.centre_offering(kind, centre).code
        if specialist is not None:
            specialist = specialist.strip().upper()
            if specialist not in ctx.reference().people:
                raise NotFound(f"unknown specialist '{specialist}'")
        if not 1 <= limit <= 100:
            raise InvalidInput("--limit must be between 1 and 100")
        now = ctx.clock.now()
        wanted = min(100, limit * 4) if one_per_time else limit
        with ctx.uow.read_core() as s:
            offers = free(ctx, s, kind, now, wanted, centre, specialist, not_before)
        if one_per_time:
            offers = list({(o.centre, o.starts_at): o for o in reversed(offers)}.values())
            offers.sort(key=lambda o: (o.starts_at, o.centre))
        return offers[:limit]


def free(
    ctx: AppointmentContext,
    s: Any,
    kind: AppointmentKind,
    now: datetime,
    limit: int,
    centre: str | None = None,
    specialist: str | None = None,
    not_before: datetime | None = None,
) -> list[SlotOffer]:
    """Free slots inside the caller's unit of work `s` (no argument checks)."""
    ref = ctx.reference()
    staff = [p for p in ref.people.values() if kind.skill in p.skills]
    ids = [ref.person_ids[p.code] for p in staff]
    away = with_absences(ctx, s, staff, now)
    start = max(now, not_before or now)
    horizon = now + timedelta(days=kind.bookable_days)
    # Rooms matter only for types that need one, and only at the type's centres.
    room_centres = (
        [c.id for c in ctx.queue.catalogue().centres.values() if c.code in kind.centres]
        if kind.private_room and not kind.by_phone
        else []
    )
    # Look a week at a time, reading only that week's bookings of the people (and rooms)
    # who could take this type: the next few slots are nearly always close, and a long
    # booking book stays out of the search.
    window = start
    since = start - timedelta(days=1)
    found: list[Slot] = []
    while len(found) < limit and window < horizon:
        week_from = window
        window = min(horizon, window + timedelta(days=7))
        # This week's bookings only (with a day's margin either side): earlier weeks'
        # slots stand, and later weeks are searched with their own bookings.
        taken = booked(ctx, s, since, window + timedelta(days=1), ids, room_centres)
        since = window - timedelta(days=1)
        found += find_slots(
            kind,
            ref.centres,
            away,
            taken,
            now,
            limit - len(found),
            not_before=max(week_from, not_before) if not_before else week_from,
            only_centre=centre,
            only_specialist=specialist,
            not_after=window,
        )
    return [offer(ctx, kind, f) for f in found[:limit]]


def with_absences(
    ctx: AppointmentContext, s: Any, staff: Sequence[SpecialistAvailability], now: datetime
) -> list[SpecialistAvailability]:
    ref = ctx.reference()
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


def booked(
    ctx: AppointmentContext,
    s: Any,
    since: datetime,
    until: datetime,
    ids: Sequence[int],
    room_centres: Sequence[int] = (),
) -> list[Booked]:
    """Live bookings in [since, until) of these specialists, and of the rooms at these
    centres."""
    ref = ctx.reference()
    centre_codes = {c.id: c.code for c in ctx.queue.catalogue().centres.values()}
    person = ref.person_by_id
    return [
        Booked(
            specialist=person.get(sid, "?"),
            centre=centre_codes.get(cid, "?"),
            room=room,
            starts_at=start,
            busy_until=until_,
        )
        for sid, cid, room, start, until_ in aps.busy_spans(s, since, until, ids, room_centres)
    ]


def offer(ctx: AppointmentContext, kind: AppointmentKind, slot: Slot) -> SlotOffer:
    person = ctx.reference().people[slot.specialist]
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


def valid_time(
    ctx: AppointmentContext, kind: AppointmentKind, centre: str, at: datetime, now: datetime
) -> bool:
    """Whether `at` is a slot at all, ignoring bookings and absences (to word a refusal)."""
    ref = ctx.reference()
    staff = [p for p in ref.people.values() if kind.skill in p.skills]
    found = find_slots(
        kind, ref.centres, staff, [], now, limit=50, not_before=at, only_centre=centre
    )
    return any(f.starts_at == at for f in found)
