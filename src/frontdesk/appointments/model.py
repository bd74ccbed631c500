"""Plain values the slot finder works on."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time


@dataclass(frozen=True, slots=True)
class TimeRange:
    opens: time
    closes: time


@dataclass(frozen=True, slots=True)
class AppointmentKind:
    """An appointment type: what is booked and what it needs."""

    code: str
    name: str
    service: str
    duration_minutes: int
    buffer_minutes: int
    skill: str
    private_room: bool
    centres: tuple[str, ...]
    bookable_days: int
    min_notice_minutes: int
    by_phone: bool = False


@dataclass(frozen=True, slots=True)
class CentreHours:
    code: str
    timezone: str
    hours: dict[str, tuple[TimeRange, ...]]  # mon..sun
    closures: frozenset[date] = frozenset()
    rooms: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class WorkPattern:
    """When a specialist works at a centre, and at which desk."""

    centre: str
    desk: str
    days: dict[str, tuple[TimeRange, ...]]


@dataclass(frozen=True, slots=True)
class SpecialistAvailability:
    code: str
    name: str
    skills: frozenset[str]
    patterns: tuple[WorkPattern, ...]
    absences: tuple[tuple[datetime, datetime], ...] = ()
    partner: str | None = None  # a partner surgery's organisation


@dataclass(frozen=True, slots=True)
class Booked:
    """An existing booking as the slot finder needs it (UTC, buffer included)."""

    specialist: str
    centre: str
    room: str | None
    starts_at: datetime
    busy_until: datetime  # end plus the type's buffer


@dataclass(frozen=True, slots=True)
class Slot:
    centre: str
    specialist: str
    desk: str
    room: str | None
    starts_at: datetime
    ends_at: datetime
    extra: dict[str, str] = field(default_factory=dict, compare=False)
