"""Ticket numbers and the business day.

Numbers come from a counter row per (centre, prefix, local business day) that the store
increments in the issuing transaction; this module only says which day an instant belongs
to and how a number is printed.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo


def business_day(at: datetime, timezone: str) -> date:
    """The centre's local calendar date of an instant (survives the clock changes)."""
    if at.tzinfo is None:
        raise ValueError("times must be timezone-aware")
    return at.astimezone(ZoneInfo(timezone)).date()


def ticket_label(prefix: str, number: int) -> str:
    """`C` and 42 → `C042`. Past 999 the number simply grows (`C1000`)."""
    if number < 1:
        raise ValueError("ticket numbers start at 1")
    return f"{prefix}{number:03d}"
