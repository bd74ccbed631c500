"""Why a check-in was refused, said to the visitor in their language (one sentence per
reason, not one generic message)."""

from __future__ import annotations

from frontdesk.services.appointments import CheckInRefused
from frontdesk.ui.i18n import _


def refused_text(refused: CheckInRefused) -> str:
    """The kiosk's notice for a refused check-in."""
    reason = refused.reason
    if reason == "too-early":
        return _("You are early: check-in opens at {time}. Please come back then.").format(
            time=refused.opens_at
        )
    if reason == "already":
        return _("You are already checked in: your ticket is {ticket}.").format(
            ticket=refused.ticket
        )
    if reason == "cancelled":
        return _("This appointment was cancelled. Please ask at reception.")
    if reason == "attended":
        return _("This appointment has already taken place.")
    if reason == "no-show":
        return _("This appointment was missed. Please ask at reception to book again.")
    if reason == "by-phone":
        return _("This appointment is by phone: we will call you. There is no need to check in.")
    if reason == "elsewhere":
        return _("This appointment is at {centre}, not here.").format(centre=refused.centre_name)
    return _("We could not check you in here. Please ask at reception.")
