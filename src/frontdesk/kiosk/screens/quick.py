"""The greeter marks quick queries: a waiting ticket the greeter has assessed as a
few minutes' job, so desks can comb it out of the queue at busy times."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import Static

from frontdesk.errors import FrontdeskError
from frontdesk.kiosk.screens.base import KioskScreen
from frontdesk.services.results import WaitingEntry
from frontdesk.ui.i18n import _

# The longest-waiting first: those are the ones combing helps most.
SHOWN = 9


class QuickQueryScreen(KioskScreen):
    """Waiting tickets as numbered choices; choosing one marks it a quick query."""

    class Marked(Message):
        def __init__(self, ticket: str, problem: str = "") -> None:
            super().__init__()
            self.ticket = ticket
            self.problem = problem

    def __init__(self, waiting: tuple[WaitingEntry, ...]) -> None:
        super().__init__()
        self.waiting = waiting[:SHOWN]

    def heading(self) -> str:
        return _("Which ticket is a quick query?")

    def body(self) -> ComposeResult:
        if not self.waiting:
            yield Static(_("Nobody is waiting."), classes="lead")
        yield Static("", id="marked", classes="lead")
        yield self.choice_grid(
            [
                (
                    f"{w.ticket}  {w.service}  "
                    + _("{minutes} min").format(minutes=w.waiting_seconds // 60),
                    w.ticket,
                )
                for w in self.waiting
            ]
        )

    def chosen(self, value: Any) -> None:
        self.mark(str(value))

    @work(thread=True, exclusive=True, group="kiosk-quick")
    def mark(self, ticket: str) -> None:
        k = self.kiosk
        staff = k.staff.code if k.staff else None
        try:
            k.services.queue.mark_quick(k.settings.centre, ticket, staff=staff)
        except FrontdeskError as exc:
            self.post_message(self.Marked(ticket, str(exc)))
        else:
            self.post_message(self.Marked(ticket))

    def on_quick_query_screen_marked(self, message: Marked) -> None:
        text = (
            _("Marked {ticket} as a quick query.").format(ticket=message.ticket)
            if not message.problem
            else _("Could not mark {ticket}. Please try again.").format(ticket=message.ticket)
        )
        self.query_one("#marked", Static).update(text)
