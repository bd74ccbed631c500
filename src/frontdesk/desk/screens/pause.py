"""Ask why the desk is pausing (the supervisor sees it)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, Select

REASONS = ("Break", "Lunch", "Training", "Phone call", "Back-office work", "Meeting")


class PauseScreen(ModalScreen[str | None]):
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("ctrl+s", "pause", "Pause desk", priority=True),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Pause the desk — why?", classes="question")
            yield Select([(r, r) for r in REASONS], prompt="Reason", id="reason")
            yield Input(placeholder="or say why (Enter to pause)", id="other")
            yield Label("", id="problem", classes="problem")
        yield Footer()

    @on(Select.Changed, "#reason")
    def _chosen(self, event: Select.Changed) -> None:
        if event.select.value is not Select.NULL:
            self.action_pause()

    @on(Input.Submitted, "#other")
    def action_pause(self) -> None:
        other = self.query_one("#other", Input).value.strip()
        select = self.query_one("#reason", Select)
        reason = other or ("" if (select.value is Select.NULL) else str(select.value))
        if not reason:
            self.query_one("#problem", Label).update("Choose or type a reason.")
            return
        self.dismiss(reason)
