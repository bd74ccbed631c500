"""Move a desk to a service or change its order: the desk's services today, in order."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label


class MoveDeskScreen(ModalScreen[tuple[str, ...] | None]):
    """Returns the services typed (codes in order), or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, desk: str, services: tuple[str, ...], offered: tuple[str, ...]) -> None:
        super().__init__()
        self.desk = desk
        self.services = services
        self.offered = offered

    def compose(self) -> ComposeResult:
        with Vertical(id="move-desk"):
            yield Label(f"Desk {self.desk}: services today, in order", classes="question")
            yield Label(f"Offered here: {', '.join(self.offered)}", classes="hint")
            yield Input(value=", ".join(self.services), id="services")
            yield Label("Enter to apply, Escape to leave it as it is.", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#services", Input).focus()

    @on(Input.Submitted, "#services")
    def _apply(self, event: Input.Submitted) -> None:
        codes = tuple(c.strip().upper() for c in event.value.replace("›", ",").split(","))
        self.dismiss(tuple(c for c in codes if c))

    def action_cancel(self) -> None:
        self.dismiss(None)
