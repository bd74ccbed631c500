"""The kiosk's big touch buttons: each shows its key, so every choice answers to a number."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.events import Click
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

CHECKED = "[✓]"
UNCHECKED = "[  ]"


class ChoiceButton(Widget, can_focus=True):
    """A touch target of at least 5 rows × 20 columns, labelled with the key that presses it.

    `checked` makes it a toggle: the state is written out ([✓] / [  ]), never shown by
    colour alone. Focus is a thick border, a pointer mark and reversed key badge.
    """

    DEFAULT_CSS = """
    ChoiceButton {
        height: 5;
        min-width: 20;
        width: 1fr;
        padding: 0 1;
        border: tall $border-blurred;
        background: $surface;
        color: $foreground;
        content-align: left middle;
        text-wrap: wrap;
        &:hover { background: $boost; border: tall $border; }
        &:focus { border: thick $accent; background: $boost; text-style: bold; }
        &:disabled { text-style: dim; border: dashed $border-blurred; }
        &.-primary { border: tall $primary; }
        &.-primary:focus { border: thick $accent; }
    }
    """

    BINDINGS = [
        Binding("enter", "press", show=False),
        Binding("space", "press", show=False),
    ]

    label: reactive[str] = reactive("", layout=True)
    key: reactive[str] = reactive("")
    checked: reactive[bool | None] = reactive(None)

    class Pressed(Message):
        """The visitor chose this button (touch, click, Enter or its key)."""

        def __init__(self, button: ChoiceButton) -> None:
            super().__init__()
            self.button = button

        @property
        def control(self) -> ChoiceButton:
            return self.button

    def __init__(
        self,
        label: str,
        *,
        key: str = "",
        value: object = None,
        checked: bool | None = None,
        primary: bool = False,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(id=id, classes=classes, disabled=disabled)
        self.set_reactive(ChoiceButton.label, label)
        self.set_reactive(ChoiceButton.key, key)
        self.set_reactive(ChoiceButton.checked, checked)
        self.value = value
        if primary:
            self.add_class("-primary")

    def render(self) -> Table:
        # Two columns, so a long label wraps beside its key, not under it.
        badge = Text("▶" if self.has_focus else " ", style="bold")
        if self.key:
            badge.append(" ")
            badge.append(f" {self.key} ", style="bold reverse")
        label = Text(overflow="fold")
        if self.checked is not None:
            label.append(CHECKED if self.checked else UNCHECKED, style="bold")
            label.append(" ")
        label.append(self.label)
        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1)
        grid.add_row(badge, label)
        return grid

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    async def _on_click(self, event: Click) -> None:
        event.stop()
        self.press()

    def action_press(self) -> None:
        self.press()

    def press(self) -> None:
        if not self.disabled:
            self.post_message(self.Pressed(self))
