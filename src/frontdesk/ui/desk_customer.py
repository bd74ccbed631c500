"""The customer a desk holds, with their needs shown large: an adviser must not miss an
interpreter, a hearing loop or a private room when they call someone."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widgets import Label, Static

from frontdesk.services.results import TicketAtDesk
from frontdesk.ui.board_bigtext import BigText
from frontdesk.ui.desk_queue_panel import minutes

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


class CustomerCard(Vertical):
    """Shows `ticket`; None shows that the desk is free."""

    DEFAULT_CSS = """
    CustomerCard { height: auto; }
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

    ticket: reactive[TicketAtDesk | None] = reactive(None, recompose=True)

    def compose(self) -> ComposeResult:
        t = self.ticket
        if t is None:
            yield Label("No customer at this desk. Call the next one.", id="card-empty")
            return
        with Horizontal(id="card-top"):
            yield BigText(t.ticket, max_scale=1, id="card-ticket")
            status = "CALLED — waiting for them to arrive" if t.status == "called" else "SERVING"
            facts = [
                f"[b]{status}[/b]",
                f"Service {t.service} · waited {minutes(t.waited_seconds)}",
            ]
            if t.transfers:
                facts.append(f"transferred {t.transfers}×")
            yield Static("\n".join(facts), id="card-facts")
        if t.priority or t.needs:
            # One wrapping block, so every need shows however narrow the console.
            items = ([f"PRIORITY: {t.priority}"] if t.priority else []) + [
                need_text(n) for n in t.needs
            ]
            needs = Static("  ·  ".join(items), id="card-needs", markup=False)
            needs.border_title = "NEEDS"
            yield needs
        if t.note:
            yield Static(f"Note: {t.note}", id="card-note", markup=False)
