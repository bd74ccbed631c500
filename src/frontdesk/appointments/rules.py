"""Booking references, check-in windows, and the routing rule for checked-in customers."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from enum import StrEnum

from frontdesk.queue.routing import Candidate, DeskView

# No 0/O, no 1/I/L: a reference read out over the phone or typed from a letter is never
# ambiguous.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
REFERENCE_LENGTH = 6


def new_reference() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def normalise_reference(text: str) -> str | None:
    """Uppercase without spaces or dashes; None if it cannot be a reference."""
    ref = "".join(ch for ch in text.upper() if ch not in " -")
    if len(ref) != REFERENCE_LENGTH or any(ch not in REFERENCE_ALPHABET for ch in ref):
        return None
    return ref


def format_reference(ref: str) -> str:
    """`K7MQ4X` → `K7M-Q4X`, easier to read out."""
    return f"{ref[:3]}-{ref[3:]}"


class Arrival(StrEnum):
    ON_TIME = "on_time"
    TOO_EARLY = "too_early"
    LATE = "late"


def arrival(
    booked_at: datetime, now: datetime, early_minutes: float, late_minutes: float
) -> Arrival:
    """Whether a check-in now is within the window around the booked time."""
    if now < booked_at - timedelta(minutes=early_minutes):
        return Arrival.TOO_EARLY
    if now > booked_at + timedelta(minutes=late_minutes):
        return Arrival.LATE
    return Arrival.ON_TIME


# A checked-in appointment's ticket, once it has ended, says how the appointment went.
_AFTER_TICKET = {"done": "attended", "no_show": "no_show", "left": "left"}


def status_after_ticket(status: str, ticket_status: str | None) -> str:
    """An appointment's status as its ticket has moved it on: the ticket completed →
    "attended"; called and never came to the desk → "no_show"; walked out before being
    called → "left". Until the ticket ends (or with none) the booking's own status."""
    if status != "checked_in" or ticket_status is None:
        return status
    return _AFTER_TICKET.get(ticket_status, status)


def due_appointments_first(
    cands: Sequence[Candidate], desk: DeskView, now: datetime
) -> Candidate | None:
    """Routing rule: a checked-in appointment for this desk whose time has come is called
    ahead of walk-ins, earliest booked time first."""
    due = [
        c
        for c in cands
        if c.due_at is not None and c.due_at <= now and c.target_desk in (None, desk.name)
    ]
    if not due:
        return None
    return min(due, key=lambda c: (c.due_at or now, c.queued_at, c.id))
