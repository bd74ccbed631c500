"""Transfer the customer to another service or a named desk, with a note that travels."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, Select


@dataclass(frozen=True, slots=True)
class TransferChoice:
    service: str | None
    desk: str | None
    note: str


class TransferScreen(ModalScreen[TransferChoice | None]):
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("ctrl+s", "transfer", "Transfer", priority=True),
    ]

    def __init__(self, ticket: str, services: list[tuple[str, str]], desks: list[str]) -> None:
        super().__init__()
        self.ticket = ticket
        self.targets = [(f"Service: {name} ({code})", f"service:{code}") for code, name in services]
        self.targets += [(f"Desk: {name}", f"desk:{name}") for name in desks]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"Transfer {self.ticket} to…", classes="question")
            yield Select(self.targets, prompt="Service or desk", id="target")
            yield Input(placeholder="Note for the next adviser (Enter to transfer)", id="note")
            yield Label(
                "Queries finished here are recorded first; the note goes with the visit.",
                classes="hint",
            )
            yield Label("", id="problem", classes="problem")
        yield Footer()

    @on(Input.Submitted, "#note")
    def action_transfer(self) -> None:
        target = self.query_one("#target", Select)
        if target.value is Select.NULL:
            self.query_one("#problem", Label).update("Choose a service or a desk.")
            target.focus()
            return
        kind, _, code = str(target.value).partition(":")
        note = self.query_one("#note", Input).value.strip()
        self.dismiss(
            TransferChoice(
                service=code if kind == "service" else None,
                desk=code if kind == "desk" else None,
                note=note,
            )
        )
