"""The customer a desk holds, with their needs shown large: an adviser must not miss an
interpreter, a hearing loop or a private room when they call someone."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widgets import Label, Static

from frontdesk.desk.widgets.queue_panel import minutes
from frontdesk.services.results import TicketAtDesk
from frontdesk.ui.bigtext import BigText

NEED_NAMES = {
    "private-room": "PRIVATE ROOM",
    "bsl": "BSL INTERPRETER",
    "hearing-loop": "HEARING LOOP",
    "step-free": "STEP-FREE ACCESS",
    "interpreter": "INTERPRETER",
}


def need_text(need: str) -> str:
    """interpreter:polish -> INTERPRETER: POLISH."""
    kind, _, language = need.partition(":")
    name = NEED_NAMES.get(kind, kind.upper())
    return f"{name}: {language.upper()}" if language else name


EMPTY = "No customer at this desk. Call the next one."


class CustomerCard(Vertical):
    """Shows `ticket`; None shows that the desk is free."""

    DEFAULT_CSS = """
    CustomerCard { height: auto; min-height: 4; }
    CustomerCard #card-top { height: auto; }
    CustomerCard #card-ticket { width: auto; height: 4; min-width: 24; }
    CustomerCard #card-facts { width: 1fr; height: auto; padding: 0 1; }
    CustomerCard #card-needs {
        height: auto; padding: 0 1;
        border: heavy $warning; border-title-style: bold; border-title-color: $text;
        background: $warning 25%; color: $text; text-style: bold;
    }
    CustomerCard #card-note { height: auto; color: $text-muted; }
    """

    # Every part is composed once and updated in place: rebuilding the card's widgets on
    # each call (remove, mount, restyle, lay out) was most of the time from F2 to the
    # customer on screen when eight consoles share two cores.
    # The card is at least as tall as the ticket's big number (min-height), so calling a
    # customer without needs or a note does not change its size: a size change during a
    # layout makes Textual lay the whole screen out again in the next frame.
    ticket: reactive[TicketAtDesk | None] = reactive(None)
    # Why the desk is paused (None: open): a paused desk does not offer to call anyone.
    paused: reactive[str | None] = reactive(None)

    def compose(self) -> ComposeResult:
        yield Label(EMPTY, id="card-empty")
        with Horizontal(id="card-top"):
            yield BigText("", max_scale=1, id="card-ticket")
            yield Static("", id="card-facts")
        needs = Static("", id="card-needs", markup=False)
        needs.border_title = "NEEDS"
        yield needs
        yield Static("", id="card-note", markup=False)

    def on_mount(self) -> None:
        self._show(self.ticket)

    def watch_ticket(self, ticket: TicketAtDesk | None) -> None:
        if self.is_mounted:
            self._show(ticket)

    def watch_paused(self, reason: str | None) -> None:
        if self.is_mounted:
            text = f"Desk paused ({reason}). Resume (F12) to call customers." if reason else EMPTY
            self.query_one("#card-empty", Label).update(text)

    def _show(self, t: TicketAtDesk | None) -> None:
        empty = self.query_one("#card-empty", Label)
        top = self.query_one("#card-top", Horizontal)
        big = self.query_one("#card-ticket", BigText)
        facts = self.query_one("#card-facts", Static)
        needs = self.query_one("#card-needs", Static)
        note = self.query_one("#card-note", Static)
        empty.display = t is None
        top.display = t is not None
        if t is None:
            needs.display = note.display = False
            return
        big.text = t.ticket
        status = "CALLED — waiting for them to arrive" if t.status == "called" else "SERVING"
        lines = [
            f"[b]{status}[/b]",
            f"Service {t.service} · waited {minutes(t.waited_seconds)}",
        ]
        if t.transfers:
            lines.append(f"transferred {t.transfers}×")
        facts.update("\n".join(lines))
        # One wrapping block, so every need shows however narrow the console.
        items = ([f"PRIORITY: {t.priority}"] if t.priority else []) + [
            need_text(n) for n in t.needs
        ]
        needs.update("  ·  ".join(items))
        needs.display = bool(items)
        note.update(f"Note: {t.note}" if t.note else "")
        note.display = bool(t.note)
