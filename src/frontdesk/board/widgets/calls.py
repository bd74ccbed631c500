"""The now-serving board's panels: the latest call, very large, and the few before it.
Ticket numbers and desk names only — never anything personal."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widgets import Label, Static

from frontdesk.services.queue import CallShown
from frontdesk.ui.bigtext import BigText
from frontdesk.ui.i18n import N_, in_language, side_by_side

NOW_SERVING = N_("Now serving")
GO_TO_DESK = N_("please go to desk")
PLEASE_WAIT = N_("Please wait to be called")
AGAIN = N_("again")


class LatestCall(Vertical):
    """The latest call: the ticket number and the desk to go to."""

    DEFAULT_CSS = """
    LatestCall { height: 1fr; align: center middle; }
    LatestCall Label { width: 1fr; content-align: center middle; }
    LatestCall #latest-ticket { height: 2fr; }
    LatestCall #latest-desk { height: 1fr; }
    """

    call: reactive[CallShown | None] = reactive(None)
    languages: reactive[tuple[str, ...]] = reactive(("en",))

    def compose(self) -> ComposeResult:
        yield Label(NOW_SERVING, id="latest-title")
        yield BigText("", max_scale=6, id="latest-ticket")
        yield Label(GO_TO_DESK, id="latest-go")
        yield BigText("", max_scale=3, id="latest-desk")

    def watch_call(self, call: CallShown | None) -> None:
        ticket = self.query_one("#latest-ticket", BigText)
        desk = self.query_one("#latest-desk", BigText)
        ticket.text = call.ticket if call else ""
        desk.text = call.desk if call else ""
        self._label()

    def watch_languages(self, languages: tuple[str, ...]) -> None:
        self.query_one("#latest-title", Label).update(side_by_side(NOW_SERVING, languages))
        self._label()

    def _label(self) -> None:
        go = self.query_one("#latest-go", Label)
        go.update(side_by_side(GO_TO_DESK if self.call else PLEASE_WAIT, self.languages))


class RecentCalls(Static):
    """The calls before the latest one, newest first."""

    DEFAULT_CSS = """
    RecentCalls { height: auto; padding: 0 1; }
    """

    calls: reactive[tuple[CallShown, ...]] = reactive((), layout=True)
    language: reactive[str] = reactive("en")  # the board's language of the moment

    def render(self) -> Table:
        table = Table(expand=True, box=None, show_edge=False, pad_edge=False)
        table.add_column("Ticket", style="bold", no_wrap=True)
        table.add_column("Desk", no_wrap=True, overflow="ellipsis")
        again = Text(f" ↻ {in_language(self.language, AGAIN)}", style="italic")
        for call in self.calls:
            # Called again: shown once, marked, not listed twice.
            ticket = Text(call.ticket) + (again if call.recall else "")
            table.add_row(ticket, Text(call.desk))
        return table
