"""Choose the services this desk serves today, in the order it calls them."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, SelectionList
from textual.widgets.selection_list import Selection


class ChooseServicesScreen(Screen[tuple[str, ...]]):
    """Space ticks a service; shift+up/down moves it; Enter opens the desk."""

    BINDINGS = [
        Binding("enter", "open_desk", "Open desk", priority=True),
        Binding("shift+up", "move(-1)", "Move up"),
        Binding("shift+down", "move(1)", "Move down"),
    ]

    def __init__(self, offered: list[tuple[str, str]], chosen: tuple[str, ...]) -> None:
        super().__init__()
        self.names = dict(offered)
        # Chosen services first, in their order; then the rest.
        self.order = list(chosen) + [c for c, _ in offered if c not in chosen]
        self.ticked = set(chosen)

    def compose(self) -> ComposeResult:
        yield Header()
        with Center(), Vertical(id="choose"):
            yield Label(
                "Services this desk serves today (called in this order)", classes="question"
            )
            yield SelectionList[str](id="services")
            yield Label("", id="problem", classes="problem")
        yield Footer()

    def on_mount(self) -> None:
        self._fill(0)

    def _fill(self, highlight: int) -> None:
        widget = self.query_one("#services", SelectionList)
        widget.clear_options()
        widget.add_options(Selection(self._label(c), c, c in self.ticked) for c in self.order)
        widget.highlighted = highlight
        widget.focus()

    def _label(self, code: str) -> str:
        """Said in words, not only by the tick's colour: the calling order of a chosen
        service, or that it is not served today."""
        # The words lead: long service names are cut at the list's right edge.
        if code in self.ticked:
            place = [c for c in self.order if c in self.ticked].index(code) + 1
            return f"{place}. serving — {self.names[code]} ({code})"
        return f"–  not today — {self.names[code]} ({code})"

    @on(SelectionList.SelectedChanged, "#services")
    def _ticked(self, event: SelectionList.SelectedChanged) -> None:
        ticked = set(event.selection_list.selected)
        if ticked != self.ticked:
            self.ticked = ticked
            self._fill(event.selection_list.highlighted or 0)

    def action_move(self, step: int) -> None:
        widget = self.query_one("#services", SelectionList)
        at = widget.highlighted
        if at is None or not 0 <= at + step < len(self.order):
            return
        self.order[at], self.order[at + step] = self.order[at + step], self.order[at]
        self._fill(at + step)

    def action_open_desk(self) -> None:
        chosen = tuple(c for c in self.order if c in self.ticked)
        if not chosen:
            self.query_one("#problem", Label).update("Tick at least one service (Space).")
            return
        self.dismiss(chosen)
