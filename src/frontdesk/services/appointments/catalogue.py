"""The appointments' reference data: types, centres' hours and rooms, specialists and
their work patterns, read from the store and turned into the pure model's values.

The context (`AppointmentContext.reference`) caches one copy that the slot finder and
every action share, and reloads it after a change of configuration.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from frontdesk.appointments.model import (
    AppointmentKind,
    CentreHours,
    SpecialistAvailability,
    TimeRange,
    WorkPattern,
)
from frontdesk.config import parse_hours
from frontdesk.services.queue import QueueService
from frontdesk.store import appointment_store as aps


@dataclass(frozen=True, slots=True)
class Reference:
    kinds: dict[str, AppointmentKind]
    kind_ids: dict[str, int]
    kind_by_id: dict[int, AppointmentKind]
    centres: list[CentreHours]
    people: dict[str, SpecialistAvailability]
    person_ids: dict[str, int]
    person_by_id: dict[int, str]


def load_reference(queue: QueueService, refresh: bool = False) -> Reference:
    """Read the reference data (`refresh`: the queue's catalogue too)."""
    cat = queue.catalogue(refresh=refresh)
    by_service_id = cat.service_by_id
    with queue.uow.read() as s:
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
    return Reference(
        kinds=kinds,
        kind_ids=kind_ids,
        kind_by_id={v: kinds[k] for k, v in kind_ids.items()},
        centres=centres,
        people=people,
        person_ids=person_ids,
        person_by_id={v: k for k, v in person_ids.items()},
    )


def ranges_of(text: str) -> tuple[TimeRange, ...]:
    return tuple(TimeRange(r.opens, r.closes) for r in parse_hours(text))
