"""Plain values the appointments services hand back."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class AppointmentTypeInfo:
    code: str
    name: str
    service: str
    duration_minutes: int
    by_phone: bool
    centres: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SlotOffer:
    type: str
    centre: str
    specialist: str
    specialist_name: str
    desk: str
    room: str | None
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True, slots=True)
class Booking:
    reference: str  # shown as ABC-DEF
    token: str  # the opaque QR payload
    type: str
    type_name: str
    centre: str
    specialist: str
    specialist_name: str
    desk: str
    room: str | None
    starts_at: datetime
    ends_at: datetime
    status: str
    has_contact: bool = False
    checked_in_at: datetime | None = None
    ticket: str | None = None
    flagged: str | None = None


@dataclass(frozen=True, slots=True)
class CheckedIn:
    booking: Booking
    ticket_id: int
    ticket: str
    token: str
    arrival: str  # on_time | too_early (allowed) | late


@dataclass(frozen=True, slots=True)
class StatusChange:
    specialist: str
    in_office: bool
    reason: str | None
    affected: tuple[Booking, ...] = ()
    alternatives: dict[str, tuple[SlotOffer, ...]] = field(default_factory=dict)
