"""Statuses in the staff's words: the store's values (`checked_in`, `no_show`) are never
shown as they are."""

from __future__ import annotations

from frontdesk.ui.i18n import N_, _

TICKET_STATUS = {
    "waiting": N_("waiting"),
    "called": N_("called, on their way"),
    "serving": N_("being served"),
    "done": N_("completed"),
    "no_show": N_("did not come"),
    "cancelled": N_("cancelled"),
    "left": N_("left before being seen"),
}
APPOINTMENT_STATUS = {
    "booked": N_("booked"),
    "checked_in": N_("checked in"),
    "attended": N_("attended"),
    "no_show": N_("did not come"),
    "left": N_("left before being seen"),
    "cancelled": N_("cancelled"),
}


def ticket_status(value: str) -> str:
    """A ticket's status as the desk says it."""
    return _(TICKET_STATUS.get(value, value.replace("_", " ")))


def appointment_status(value: str) -> str:
    """An appointment's status as the desk says it."""
    return _(APPOINTMENT_STATUS.get(value, value.replace("_", " ")))
