"""Appointment measures (DESIGN §3): punctuality, utilisation per specialist and type,
no-show rate, and lead time to the next free slot. Reported apart from walk-ins."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from statistics import fmean
from typing import Any
from zoneinfo import ZoneInfo

from frontdesk.appointments import rules
from frontdesk.appointments.slots import DAYS, intersect
from frontdesk.errors import InvalidInput
from frontdesk.queue.measures import share_of
from frontdesk.services.appointments import AppointmentService
from frontdesk.services.appointments.catalogue import ranges_of
from frontdesk.services.appointments.slots import free
from frontdesk.services.reports.common import select_centres
from frontdesk.store import appointment_store as aps
from frontdesk.store import queue_store as qs

# Bookings that held their slot (not cancelled or moved), by their status as the ticket
# moved it on (`rules.status_after_ticket`).
BOOKED = ("booked", "checked_in", "attended", "no_show", "left")
# Turned up: seen, or checked in and still in the building when the report was made.
TURNED_UP = ("attended", "checked_in")


def appointments_report(
    ap: AppointmentService, day_from: date, day_to: date, centre: str | None = None
) -> dict[str, Any]:
    """The appointments report for local dates [day_from, day_to] at one or all centres."""
    if day_to < day_from:
        raise InvalidInput(f"--to {day_to} is before --from {day_from}")
    cat = ap.queue.catalogue()
    # One centre, several (A,B) or ALL.
    centres = select_centres(ap.queue, centre) if centre else list(cat.centres.values())
    ref = ap.reference()
    rows: list[Any] = []
    first_call: dict[int, datetime] = {}
    ticket_status: dict[int, str] = {}
    with ap.uow.read() as s:
        for c in centres:
            tz = ZoneInfo(c.timezone)
            start = datetime.combine(day_from, datetime.min.time(), tzinfo=tz)
            end = datetime.combine(day_to + timedelta(days=1), datetime.min.time(), tzinfo=tz)
            rows.extend(aps.bookings_between(s, start, end, [c.id]))
        for r in rows:
            if r.ticket_id is not None:
                at = qs.last_event_at(s, r.ticket_id, "called")
                if at is not None:
                    first_call[r.id] = at
                ticket = qs.ticket(s, r.ticket_id)
                if ticket is not None:
                    ticket_status[r.id] = ticket.status
    statuses: dict[str, int] = defaultdict(int)
    waits: list[float] = []
    per_type: dict[str, dict[str, Any]] = {}
    booked_minutes: dict[str, float] = defaultdict(float)
    for r in rows:
        # A checked-in appointment whose ticket was completed was attended; one whose
        # holder never came to the desk is a no-show; one who walked out, left.
        status = rules.status_after_ticket(r.status, ticket_status.get(r.id))
        statuses[status] += 1
        kind = ref.kind_by_id.get(r.type_id)
        code = kind.code if kind else "?"
        t = per_type.setdefault(
            code,
            {
                "booked": 0,
                "attended": 0,
                "no_show": 0,
                "left": 0,
                "cancelled": 0,
                "booked_minutes": 0.0,
            },
        )
        if status in BOOKED:
            minutes = (r.ends_at - r.starts_at).total_seconds() / 60
            t["booked"] += 1
            t["booked_minutes"] += minutes
            booked_minutes[ref.person_by_id.get(r.specialist_id, "?")] += minutes
        if status in TURNED_UP:
            t["attended"] += 1
        elif status in ("no_show", "cancelled", "left"):
            t[status] += 1
        if r.id in first_call and r.checked_in_at is not None:
            ready = max(r.checked_in_at, r.starts_at)
            waits.append(max(0.0, (first_call[r.id] - ready).total_seconds()))
    for t in per_type.values():
        t["no_show_rate"] = share_of(t["no_show"], t["no_show"] + t["attended"] + t["left"])
    threshold = min(c.threshold_minutes for c in centres) * 60
    utilisation = {}
    for code, person in ref.people.items():
        available = _available_minutes(person, centres, day_from, day_to)
        if available:
            utilisation[code] = {
                "name": person.name,
                "booked_minutes": booked_minutes.get(code, 0.0),
                "available_minutes": available,
                "utilisation": booked_minutes.get(code, 0.0) / available,
            }
    lead: dict[str, dict[str, float | None]] = {}
    now = ap.clock.now()
    with ap.uow.read() as s:
        for kind in ref.kinds.values():
            for c in centres:
                if c.code in kind.centres:
                    offers = free(ap.ctx, s, kind, now, 1, c.code)
                    hours = (offers[0].starts_at - now).total_seconds() / 3600 if offers else None
                    lead.setdefault(kind.code, {})[c.code] = hours
    attended = sum(statuses.get(k, 0) for k in TURNED_UP)
    no_shows, left = statuses.get("no_show", 0), statuses.get("left", 0)
    return {
        "centre": centre.upper() if centre else None,
        "from": day_from.isoformat(),
        "to": day_to.isoformat(),
        "bookings": len(rows),
        "by_status": dict(statuses),
        "attended": attended,
        "left": left,
        "no_show_rate": share_of(no_shows, no_shows + attended + left),
        "punctuality": {
            "called": len(waits),
            "average_wait_seconds": fmean(waits) if waits else None,
            "threshold_minutes": threshold / 60,
            "share_within_threshold": share_of(sum(w <= threshold for w in waits), len(waits)),
        },
        "by_type": per_type,
        "utilisation": utilisation,
        "lead_time_hours": lead,
    }


def _available_minutes(person: Any, centres: list[Any], day_from: date, day_to: date) -> float:
    """Minutes a specialist works at these centres, within opening hours, in the period."""
    wanted = {c.code: c for c in centres}
    total = 0.0
    day = day_from
    while day <= day_to:
        name = DAYS[day.weekday()]
        for pattern in person.patterns:
            c = wanted.get(pattern.centre)
            if c is None or day.isoformat() in c.closures or name not in c.hours:
                continue
            for lo, hi in intersect(ranges_of(c.hours[name]), pattern.days.get(name, ())):
                total += (datetime.combine(day, hi) - datetime.combine(day, lo)).seconds / 60
        day += timedelta(days=1)
    return total
