"""Statuses in the staff's words: the store's values (`checked_in`, `no_show`) are never
shown as they are; and the estimated wait as a visitor is told it, wherever they read it
(the kiosk, its slip, the council's website)."""

from __future__ import annotations

from collections.abc import Callable

from frontdesk.queue.predict import said_range
from frontdesk.ui.i18n import N_, _

# What a visitor is told when no open desk serves the service: no time is promised.
NO_ESTIMATE = N_("No desk is serving this just now.")

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


def wait_range(
    low_seconds: int | None, high_seconds: int | None, translate: Callable[[str], str] = _
) -> str:
    """The estimate's 80% interval in plain words, rounded as `said_range` rounds it:
    "About 10 to 15 minutes", "Less than 5 minutes"; "" when there is no estimate (no
    open desk serves the service). `translate`: the language's gettext (default: the
    process's own, as the apps have it)."""
    if low_seconds is None or high_seconds is None:
        return ""
    low, high = said_range(low_seconds, high_seconds)
    if low == 0:
        return translate("Less than {minutes} minutes").format(minutes=high)
    return translate("About {low} to {high} minutes").format(low=low, high=high)
