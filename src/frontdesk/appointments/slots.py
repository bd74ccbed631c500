"""Finding free slots: a pure function over hours, closures, working patterns, absences,
existing bookings, buffers and rooms.

Slots start on a 15-minute grid within each window where the centre is open and the
specialist works there. A slot is free when the specialist is not absent and not booked
(a booking blocks its duration plus its type's buffer) and, for types that need a private
room, a room at the centre is free for the whole appointment.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from frontdesk.appointments.model import (
    AppointmentKind,
    Booked,
    CentreHours,
    Slot,
    SpecialistAvailability,
    TimeRange,
)

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
GRID_MINUTES = 15


class _Busy:
    """Sorted busy intervals per key, for quick overlap tests. Times are POSIX seconds:
    the finder asks thousands of times per search, and float compares are cheap."""

    def __init__(self, intervals: Iterable[tuple[str, datetime, datetime]]) -> None:
        per: dict[str, list[tuple[float, float]]] = defaultdict(list)
        for key, a, b in intervals:
            per[key].append((a.timestamp(), b.timestamp()))
        self._starts: dict[str, list[float]] = {}
        self._spans: dict[str, list[tuple[float, float]]] = {}
        self._longest: dict[str, float] = {}
        for key, spans in per.items():
            spans.sort()
            self._spans[key] = spans
            self._starts[key] = [a for a, _ in spans]
            self._longest[key] = max(b - a for a, b in spans)

    def busy_until(self, key: str, at: float) -> float | None:
        """If a span covers the instant `at`, the end of the latest such span."""
        spans = self._spans.get(key)
        if not spans:
            return None
        horizon = at - self._longest[key]
        j = bisect.bisect_right(self._starts[key], at) - 1
        end = None
        while j >= 0:
            sa, sb = spans[j]
            if sa < horizon:
                break
            if sb > at and (end is None or sb > end):
                end = sb
            j -= 1
        return end

    def free(self, key: str, a: float, b: float) -> bool:
        spans = self._spans.get(key)
        if not spans:
            return True
        # Any span starting before b and ending after a overlaps. Look back from the
        # first span starting at or after b, no further than the longest span.
        horizon = a - self._longest[key]
        j = bisect.bisect_left(self._starts[key], b) - 1
        while j >= 0:
            sa, sb = spans[j]
            if sb > a:
                return False
            if sa < horizon:
                break
            j -= 1
        return True


def intersect(a: Sequence[TimeRange], b: Sequence[TimeRange]) -> list[tuple[time, time]]:
    out = []
    for x in a:
        for y in b:
            lo, hi = max(x.opens, y.opens), min(x.closes, y.closes)
            if lo < hi:
                out.append((lo, hi))
    return sorted(out)


def find_slots(
    kind: AppointmentKind,
    centres: Sequence[CentreHours],
    specialists: Sequence[SpecialistAvailability],
    bookings: Sequence[Booked],
    now: datetime,
    limit: int = 10,
    not_before: datetime | None = None,
    only_centre: str | None = None,
    only_specialist: str | None = None,
    not_after: datetime | None = None,
) -> list[Slot]:
    """The next `limit` free slots for `kind`, earliest first (starting no later than
    `not_after` when given, and never past the type's bookable horizon)."""
    if now.tzinfo is None:
        raise ValueError("times must be timezone-aware")
    if limit <= 0:
        return []
    earliest = now + timedelta(minutes=kind.min_notice_minutes)
    if not_before is not None and not_before > earliest:
        earliest = not_before
    latest = now + timedelta(days=kind.bookable_days)
    if not_after is not None and not_after < latest:
        latest = not_after
    length = timedelta(minutes=kind.duration_minutes)
    blocked = length + timedelta(minutes=kind.buffer_minutes)
    by_code = {c.code: c for c in centres}
    where = [c for c in kind.centres if c in by_code and (only_centre in (None, c))]
    staff = [
        s for s in specialists if kind.skill in s.skills and (only_specialist in (None, s.code))
    ]
    busy = _Busy((b.specialist, b.starts_at, b.busy_until) for b in bookings)
    absent = _Busy((s.code, a, b) for s in staff for a, b in s.absences)
    rooms = _Busy((f"{b.centre}/{b.room}", b.starts_at, b.busy_until) for b in bookings if b.room)
    found: list[Slot] = []
    first_day = min(_local_date(earliest, by_code[c].timezone) for c in where) if where else None
    if first_day is None:
        return []
    day = first_day
    last_day = max(_local_date(latest, by_code[c].timezone) for c in where)
    while day <= last_day and len(found) < limit:
        todays: list[Slot] = []
        for centre_code in where:
            centre = by_code[centre_code]
            if day in centre.closures:
                continue
            opening = centre.hours.get(DAYS[day.weekday()], ())
            if not opening:
                continue
            tz = ZoneInfo(centre.timezone)
            for person in staff:
                for pattern in person.patterns:
                    if pattern.centre != centre_code:
                        continue
                    windows = intersect(opening, pattern.days.get(DAYS[day.weekday()], ()))
                    for lo, hi in windows:
                        start = datetime.combine(day, lo, tzinfo=tz)
                        end_of_window = datetime.combine(day, hi, tzinfo=tz)
                        start = _align(start, earliest)
                        while start + length <= end_of_window:
                            if start > latest:
                                break
                            slot = _try(
                                kind,
                                centre,
                                person.code,
                                pattern.desk,
                                start,
                                length,
                                blocked,
                                busy,
                                absent,
                                rooms,
                            )
                            if slot is not None:
                                todays.append(slot)
                            start += timedelta(minutes=GRID_MINUTES)
                            # Jump over a booking that blocks the specialist rather than
                            # trying every grid point inside it.
                            until = busy.busy_until(person.code, start.timestamp())
                            if until is not None:
                                start = _align(start, datetime.fromtimestamp(until, UTC))
        todays.sort(key=lambda s: (s.starts_at, s.centre, s.specialist))
        found.extend(todays[: limit - len(found)])
        day += timedelta(days=1)
    return found


def _local_date(at: datetime, timezone: str) -> date:
    return at.astimezone(ZoneInfo(timezone)).date()


def _align(start: datetime, earliest: datetime) -> datetime:
    """The first grid point of the window at or after `earliest`."""
    if start >= earliest:
        return start
    gap = (earliest - start).total_seconds()
    step = GRID_MINUTES * 60
    steps = int(-(-gap // step))
    return start + timedelta(seconds=steps * step)


def _try(
    kind: AppointmentKind,
    centre: CentreHours,
    specialist: str,
    desk: str,
    start: datetime,
    length: timedelta,
    blocked: timedelta,
    busy: _Busy,
    absent: _Busy,
    rooms: _Busy,
) -> Slot | None:
    a = start.astimezone(ZoneInfo("UTC"))
    ta = a.timestamp()
    tb, tl = ta + blocked.total_seconds(), ta + length.total_seconds()
    if not busy.free(specialist, ta, tb) or not absent.free(specialist, ta, tl):
        return None
    room = None
    if kind.private_room and not kind.by_phone:
        for name in centre.rooms:
            if rooms.free(f"{centre.code}/{name}", ta, tb):
                room = name
                break
        else:
            return None
    return Slot(
        centre=centre.code,
        specialist=specialist,
        desk=desk,
        room=room,
        starts_at=a,
        ends_at=a + length,
    )
