"""What the visitor's phone says about their ticket, in their language. The page and its
status answer use the same words, so the page can update itself in place."""

from __future__ import annotations

import math
from dataclasses import dataclass

from frontdesk.services.visitor_results import FollowedTicket, WaitFigure
from frontdesk.web.words import Translate


@dataclass(frozen=True, slots=True)
class Said:
    phase: str  # waiting | called | serving | ended
    headline: str
    detail: str


def minutes(seconds: int) -> int:
    return max(1, math.ceil(seconds / 60))


def wait_words(wait: WaitFigure | None, _: Translate) -> str:
    """The estimated wait in plain words: a range when the estimate has one."""
    if wait is None or wait.seconds is None:
        return ""
    if wait.low_seconds is not None and wait.high_seconds is not None:
        low, high = minutes(wait.low_seconds), minutes(wait.high_seconds)
        if high > low:
            return _("Estimated wait: about {low} to {high} min").format(low=low, high=high)
    if wait.seconds < 60:
        return _("You should be seen very soon")
    return _("Estimated wait: about {minutes} min").format(minutes=minutes(wait.seconds))


def said(t: FollowedTicket, _: Translate) -> Said:
    if t.status == "waiting":
        if t.ahead is None:
            headline = _("You are in the queue")
        elif t.ahead == 0:
            headline = _("You are next")
        else:
            headline = _("People ahead of you: {count}").format(count=t.ahead)
        return Said("waiting", headline, wait_words(t.wait, _))
    if t.status == "called":
        return Said(
            "called",
            _("Please go to desk {desk} now").format(desk=t.desk or "?"),
            _("Your number {ticket} has been called.").format(ticket=t.ticket),
        )
    if t.status == "serving":
        return Said("serving", _("You are being served at desk {desk}").format(desk=t.desk), "")
    endings = {
        "done": _("Your visit has ended. Thank you for coming."),
        "left": _("You have left the queue."),
        "cancelled": _("This ticket has been cancelled."),
        "no_show": _("You were called but did not come to the desk. Please speak to reception."),
    }
    return Said(
        "ended", endings.get(t.status, _("Your visit has ended. Thank you for coming.")), ""
    )


def rating_labels(_: Translate) -> tuple[tuple[int, str], ...]:
    return (
        (1, _("Very poor")),
        (2, _("Poor")),
        (3, _("All right")),
        (4, _("Good")),
        (5, _("Very good")),
    )
