"""Property tests of the pure slot finder (`frontdesk.appointments.slots.find_slots`).

Random centres (hours, closures, rooms), specialists (skills, working patterns, absences)
and existing bookings; every slot returned must be bookable:

* never outside the centre's hours or the specialist's pattern, never on a closed day;
* never over an absence, never over the specialist's bookings (buffers included), never in
  a room that is taken — so never a specialist or a room twice at once;
* never sooner than the type's minimum notice, never beyond its bookable horizon;
* earliest first, and a shorter list is a prefix of a longer one;
* booking the slots one by one (each added as a `Booked`) never produces an overlap.
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frontdesk.appointments.model import (
    AppointmentKind,
    Booked,
    CentreHours,
    Slot,
    SpecialistAvailability,
    TimeRange,
    WorkPattern,
)
from frontdesk.appointments.slots import DAYS, GRID_MINUTES, find_slots

LONDON = "Europe/London"
SKILL = "S"
# Late March 2026 crosses the change to summer time (Sunday 29 March).
BASE = datetime(2026, 3, 23, tzinfo=UTC)
SETTINGS = settings(
    max_examples=int(os.environ.get("SLOTS_EXAMPLES", "150")),
    deadline=None,  # no timing thresholds
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# -- strategies -------------------------------------------------------------------------


@st.composite
def ranges(draw: st.DrawFn, max_ranges: int = 2) -> tuple[TimeRange, ...]:
    """0..max_ranges disjoint ranges between 06:00 and 21:00 on a 5-minute grid."""
    n = draw(st.sampled_from([0, 1, 1, max_ranges]))
    cuts = sorted(draw(st.sets(st.integers(6 * 12, 21 * 12), min_size=2 * n, max_size=2 * n)))
    out = []
    for i in range(n):
        lo, hi = cuts[2 * i], cuts[2 * i + 1]
        out.append(TimeRange(time(lo // 12, lo % 12 * 5), time(hi // 12, hi % 12 * 5)))
    return tuple(out)


@st.composite
def week(draw: st.DrawFn) -> dict[str, tuple[TimeRange, ...]]:
    days = draw(st.sets(st.sampled_from(DAYS), min_size=3))
    return {d: draw(ranges()) for d in sorted(days)}


def instants(days: int = 12) -> st.SearchStrategy[datetime]:
    return st.integers(0, days * 24 * 60 - 1).map(lambda m: BASE + timedelta(minutes=m))


@st.composite
def worlds(draw: st.DrawFn) -> dict:
    centre_codes = draw(st.lists(st.sampled_from(["A", "B", "C"]), min_size=1, unique=True))
    centres = []
    for code in centre_codes:
        closures = draw(
            st.frozensets(st.integers(0, 12).map(lambda d: (BASE + timedelta(days=d)).date()))
        )
        rooms = tuple(f"R{i}" for i in range(draw(st.integers(0, 2))))
        centres.append(CentreHours(code, LONDON, draw(week()), closures, rooms))
    people = []
    for i in range(draw(st.integers(1, 4))):
        code = f"P{i}"
        skills = frozenset({SKILL} if draw(st.integers(0, 4)) else {"OTHER"})
        patterns = tuple(
            WorkPattern(centre=c, desk=f"D{i}", days=draw(week()))
            for c in draw(st.lists(st.sampled_from(centre_codes), min_size=1, unique=True))
        )
        absences = tuple(
            (a, a + timedelta(minutes=draw(st.integers(15, 3 * 24 * 60))))
            for a in draw(st.lists(instants(), max_size=2))
        )
        people.append(SpecialistAvailability(code, code, skills, patterns, absences))
    bookings = []
    for _ in range(draw(st.integers(0, 12))):
        who = draw(st.sampled_from(people))
        where = draw(st.sampled_from(centres))
        room = draw(st.sampled_from([None, *where.rooms]))
        start = draw(instants())
        bookings.append(
            Booked(
                who.code,
                where.code,
                room,
                start,
                start + timedelta(minutes=draw(st.integers(15, 120))),
            )
        )
    kind = AppointmentKind(
        code="T",
        name="Test",
        service="SVC",
        duration_minutes=draw(st.sampled_from([15, 20, 30, 45, 60])),
        buffer_minutes=draw(st.sampled_from([0, 5, 10, 15])),
        skill=SKILL,
        private_room=draw(st.booleans()),
        centres=tuple(draw(st.lists(st.sampled_from(centre_codes), min_size=1, unique=True))),
        bookable_days=draw(st.integers(1, 9)),
        min_notice_minutes=draw(st.sampled_from([0, 30, 60, 120, 1440])),
    )
    return {
        "kind": kind,
        "centres": centres,
        "people": people,
        "bookings": bookings,
        "now": draw(instants(days=3)),
    }


# -- the invariants ---------------------------------------------------------------------


def _overlap(a0: datetime, a1: datetime, b0: datetime, b1: datetime) -> bool:
    return a0 < b1 and b0 < a1


def _inside(ranges_: tuple[TimeRange, ...], start: datetime, end: datetime) -> bool:
    """Whether [start, end) (local times) lies inside one of the ranges on one day."""
    return start.date() == end.date() and any(
        r.opens <= start.time() and end.time() <= r.closes for r in ranges_
    )


def check_slot(world: dict, slot: Slot, bookings: list[Booked]) -> None:
    kind: AppointmentKind = world["kind"]
    centre = next(c for c in world["centres"] if c.code == slot.centre)
    person = next(p for p in world["people"] if p.code == slot.specialist)
    now: datetime = world["now"]
    tz = ZoneInfo(centre.timezone)
    start, end = slot.starts_at, slot.ends_at
    assert start.utcoffset() == timedelta(0), "slots are in UTC"
    assert end - start == timedelta(minutes=kind.duration_minutes)
    assert slot.centre in kind.centres
    assert kind.skill in person.skills
    # Hours, closures, working pattern (local time).
    local_start, local_end = start.astimezone(tz), end.astimezone(tz)
    day = DAYS[local_start.weekday()]
    assert local_start.date() not in centre.closures, f"slot on a closed day: {slot}"
    assert _inside(centre.hours.get(day, ()), local_start, local_end), f"outside hours: {slot}"
    assert any(
        p.centre == centre.code
        and p.desk == slot.desk
        and _inside(p.days.get(day, ()), local_start, local_end)
        for p in person.patterns
    ), f"outside the specialist's pattern: {slot}"
    assert any(
        (local_start - datetime.combine(local_start.date(), r.opens, tzinfo=tz)).total_seconds()
        % (GRID_MINUTES * 60)
        == 0
        for r in centre.hours.get(day, ())
        + tuple(r for p in person.patterns for r in p.days.get(day, ()))
    ), "slots start on the 15-minute grid of their window"
    # Notice and horizon.
    assert start >= now + timedelta(minutes=kind.min_notice_minutes)
    assert start <= now + timedelta(days=kind.bookable_days)
    # Absences.
    for a0, a1 in person.absences:
        assert not _overlap(start, end, a0, a1), f"slot over an absence: {slot}"
    # The specialist and the room are free, buffers included.
    busy_until = end + timedelta(minutes=kind.buffer_minutes)
    for b in bookings:
        if b.specialist == slot.specialist:
            assert not _overlap(start, busy_until, b.starts_at, b.busy_until), (
                f"specialist double-booked: {slot} vs {b}"
            )
        if slot.room is not None and b.room == slot.room and b.centre == slot.centre:
            assert not _overlap(start, busy_until, b.starts_at, b.busy_until), (
                f"room double-booked: {slot} vs {b}"
            )
    if kind.private_room:
        assert slot.room in centre.rooms
    else:
        assert slot.room is None


def run(world: dict, bookings: list[Booked] | None = None, limit: int = 20, **kw) -> list[Slot]:
    return find_slots(
        world["kind"],
        world["centres"],
        world["people"],
        world["bookings"] if bookings is None else bookings,
        world["now"],
        limit=limit,
        **kw,
    )


@SETTINGS
@given(worlds(), st.integers(1, 40))
def test_every_slot_is_bookable(world: dict, limit: int) -> None:
    found = run(world, limit=limit)
    assert len(found) <= limit
    for slot in found:
        check_slot(world, slot, world["bookings"])


@SETTINGS
@given(worlds(), st.integers(1, 15), st.integers(0, 15))
def test_earliest_first_and_shorter_lists_are_prefixes(world: dict, n: int, more: int) -> None:
    long = run(world, limit=n + more)
    assert [s.starts_at for s in long] == sorted(s.starts_at for s in long)
    assert run(world, limit=n) == long[:n]
    if len(long) < n + more:
        # Fewer than asked for: nothing is left anywhere in the bookable period.
        assert run(world, limit=n + more + 50) == long


@SETTINGS
@given(worlds(), st.data())
def test_booking_the_slots_one_by_one_never_overlaps(world: dict, data: st.DataObject) -> None:
    kind: AppointmentKind = world["kind"]
    bookings = list(world["bookings"])
    added: list[Booked] = []
    for _ in range(8):
        found = run(world, bookings, limit=5)
        if not found:
            break
        slot = found[data.draw(st.integers(0, len(found) - 1))]
        check_slot(world, slot, bookings)
        new = Booked(
            slot.specialist,
            slot.centre,
            slot.room,
            slot.starts_at,
            slot.ends_at + timedelta(minutes=kind.buffer_minutes),
        )
        for b in [*world["bookings"], *added]:
            if b.specialist == new.specialist or (
                new.room is not None and b.room == new.room and b.centre == new.centre
            ):
                assert not _overlap(new.starts_at, new.busy_until, b.starts_at, b.busy_until)
        added.append(new)
        bookings.append(new)


@SETTINGS
@given(worlds())
def test_booking_the_whole_list_in_order_keeps_only_non_overlapping_slots(world: dict) -> None:
    """Taking every returned slot that is still free, in order, as a booking: a re-run of
    the finder agrees with that check at each step (it never offers one that overlaps)."""
    kind: AppointmentKind = world["kind"]
    bookings = list(world["bookings"])
    for slot in run(world, limit=15):
        again = run(world, bookings, limit=200, not_before=slot.starts_at)
        still_free = slot in again
        if still_free:
            check_slot(world, slot, bookings)
            bookings.append(
                Booked(
                    slot.specialist,
                    slot.centre,
                    slot.room,
                    slot.starts_at,
                    slot.ends_at + timedelta(minutes=kind.buffer_minutes),
                )
            )


@SETTINGS
@given(worlds(), st.data())
def test_closing_a_day_or_an_absence_removes_its_slots(world: dict, data: st.DataObject) -> None:
    found = run(world, limit=10)
    if not found:
        return
    slot = found[data.draw(st.integers(0, len(found) - 1))]
    centre = next(c for c in world["centres"] if c.code == slot.centre)
    tz = ZoneInfo(centre.timezone)
    closed_day = slot.starts_at.astimezone(tz).date()
    closed = dict(
        world,
        centres=[
            replace(c, closures=c.closures | {closed_day}) if c is centre else c
            for c in world["centres"]
        ],
    )
    for s in run(closed, limit=40):
        assert not (s.centre == slot.centre and s.starts_at.astimezone(tz).date() == closed_day)
    absent = dict(
        world,
        people=[
            replace(p, absences=(*p.absences, (slot.starts_at, slot.ends_at)))
            if p.code == slot.specialist
            else p
            for p in world["people"]
        ],
    )
    for s in run(absent, limit=40):
        if s.specialist == slot.specialist:
            assert not _overlap(s.starts_at, s.ends_at, slot.starts_at, slot.ends_at)


@SETTINGS
@given(worlds(), instants(days=6))
def test_not_before_is_honoured(world: dict, not_before: datetime) -> None:
    for s in run(world, limit=10, not_before=not_before):
        assert s.starts_at >= not_before
        check_slot(world, s, world["bookings"])


# -- examples -------------------------------------------------------------------------


def _civic(**kind_changes) -> dict:
    nine_to_five = (TimeRange(time(9), time(17)),)
    centre = CentreHours("CIVIC", LONDON, {"mon": nine_to_five}, frozenset(), ("Room 1",))
    person = SpecialistAvailability(
        "SP", "Sam", frozenset({SKILL}), (WorkPattern("CIVIC", "Desk", {"mon": nine_to_five}),)
    )
    kind = AppointmentKind("T", "Test", "SVC", 30, 10, SKILL, False, ("CIVIC",), 7, 0)
    kind = replace(kind, **kind_changes)
    # Monday 2 March 2026, 08:00 GMT.
    return {
        "kind": kind,
        "centres": [centre],
        "people": [person],
        "bookings": [],
        "now": datetime(2026, 3, 2, 8, tzinfo=UTC),
    }


def test_first_slot_is_opening_time_on_the_grid() -> None:
    world = _civic()
    found = run(world, limit=3)
    assert [s.starts_at.strftime("%H:%M") for s in found] == ["09:00", "09:15", "09:30"]
    assert all(s.desk == "Desk" and s.room is None for s in found)


def test_a_booking_blocks_its_duration_and_buffer_on_both_sides() -> None:
    world = _civic()
    at = datetime(2026, 3, 2, 10, tzinfo=UTC)
    booked = [Booked("SP", "CIVIC", None, at, at + timedelta(minutes=40))]
    starts = [s.starts_at.strftime("%H:%M") for s in run(world, booked, limit=5)]
    # 09:30 would run (with its buffer) to 10:10, over the booking; 10:30 starts inside
    # the booking's buffer (until 10:40).
    assert starts == ["09:00", "09:15", "10:45", "11:00", "11:15"]


def test_the_last_slot_ends_at_closing_time() -> None:
    world = _civic()
    world["now"] = datetime(2026, 3, 2, 16, 20, tzinfo=UTC)
    found = run(world, limit=2)
    assert found[0].starts_at == datetime(2026, 3, 2, 16, 30, tzinfo=UTC)
    assert found[0].ends_at == datetime(2026, 3, 2, 17, tzinfo=UTC)
    assert found[1].starts_at.date() == date(2026, 3, 9), "next Monday"


def test_private_rooms_are_shared_between_specialists() -> None:
    world = _civic(private_room=True)
    at = datetime(2026, 3, 2, 9, tzinfo=UTC)
    other = [Booked("OTHER", "CIVIC", "Room 1", at, at + timedelta(hours=1))]
    first = run(world, other, limit=1)[0]
    assert first.room == "Room 1"
    assert first.starts_at == datetime(2026, 3, 2, 10, tzinfo=UTC)
    no_rooms = dict(world, centres=[replace(world["centres"][0], rooms=())])
    assert run(no_rooms, limit=5) == []


def test_phone_appointments_need_no_room() -> None:
    world = _civic(private_room=True, by_phone=True)
    world["centres"] = [replace(world["centres"][0], rooms=())]
    assert run(world, limit=1)[0].room is None


def test_naive_times_and_empty_limits() -> None:
    world = _civic()
    assert run(world, limit=0) == []
    with pytest.raises(ValueError):
        find_slots(world["kind"], world["centres"], world["people"], [], datetime(2026, 3, 2), 1)


def test_only_centre_and_only_specialist() -> None:
    world = _civic()
    assert run(world, limit=5, only_specialist="NOBODY") == []
    assert run(world, limit=5, only_centre="ELSEWHERE") == []
    assert len(run(world, limit=5, only_centre="CIVIC", only_specialist="SP")) == 5
