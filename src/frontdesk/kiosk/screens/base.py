"""The frame every kiosk screen shares: heading, choices, notices and the bottom bar.

Every choice answers to its number key (1–9); Escape goes back; 0 opens the language
chooser and + switches larger text with high contrast, on every screen.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Static

from frontdesk.kiosk.widgets import ChoiceButton
from frontdesk.ui.i18n import _

if TYPE_CHECKING:
    from frontdesk.kiosk.host import KioskHost

Choice = tuple[str, Any]


class KioskScreen(Screen[None]):
    """A kiosk step. Subclasses give `heading`, `body` and `chosen`."""

    BINDINGS = [
        Binding("escape", "back", show=False),
        Binding("0", "language", show=False),
        Binding("plus", "contrast", show=False),
        *(Binding(str(n), f"choose('{n}')", show=False) for n in range(1, 10)),
    ]
    AUTO_FOCUS = None  # focus_first picks the first choice, never the scroll area
    can_go_back = True
    show_language = True

    @property
    def kiosk(self) -> KioskHost:
        return cast("KioskHost", self.app)

    # -- what subclasses provide -----------------------------------------------------

    def heading(self) -> str:
        return ""

    def subheading(self) -> str:
        return ""

    def body(self) -> ComposeResult:
        yield from ()

    def chosen(self, value: Any) -> None:
        """A numbered choice in the body was pressed."""

    # -- composition -----------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # The screen itself lays out the main column and the bar side by side (kiosk.tcss):
        # every container is drawn in full under its children, so one fewer full-screen
        # container is a cheaper first frame for every step.
        with Vertical(id="main"):
            with Horizontal(id="title-row"):
                yield Static(self.heading(), id="title")
                yield Static("", id="countdown", classes="-hidden")
            sub = self.subheading()
            yield Static(sub, id="subtitle", classes="" if sub else "-hidden")
            yield Static("", id="notice", classes="-hidden")
            with VerticalScroll(id="body", can_focus=False):
                yield from self.body()
        with Vertical(id="bar"):
            if self.can_go_back:
                yield ChoiceButton(_("Back"), key="Esc", id="back")
            if self.show_language:
                yield ChoiceButton(_("Language"), key="0", id="language")
                yield ChoiceButton(
                    _("Larger text"), key="+", id="contrast", checked=self.kiosk.large_text
                )

    def choice_grid(self, choices: Iterable[Choice], *, start: int = 1) -> Grid:
        """Numbered buttons in a grid; the first nine answer to their number keys."""
        buttons = [
            ChoiceButton(label, key=str(n) if n <= 9 else "", value=value)
            for n, (label, value) in enumerate(choices, start=start)
        ]
        return Grid(*buttons, classes="choices")

    def on_mount(self) -> None:
        self.call_after_refresh(self.focus_first)

    def on_screen_resume(self) -> None:
        self.call_after_refresh(self.focus_first)

    def focus_first(self) -> None:
        if isinstance(self.focused, ChoiceButton | Input) and self.focused.is_attached:
            return
        for widget in self.query("#body Input, #body ChoiceButton").results():
            if widget.focusable:
                widget.focus()
                return
        for widget in self.query("#bar ChoiceButton").results():
            if widget.focusable:
                widget.focus()
                return

    def retranslate(self) -> None:
        """Compose again in the new language."""
        self.refresh(recompose=True)
        self.call_after_refresh(self.focus_first)

    # -- events ----------------------------------------------------------------------

    @on(ChoiceButton.Pressed)
    def _pressed(self, event: ChoiceButton.Pressed) -> None:
        event.stop()
        button = event.button
        if button.id == "back":
            self.action_back()
        elif button.id == "language":
            self.action_language()
        elif button.id == "contrast":
            self.action_contrast()
        else:
            self.chosen(button.value)

    def body_choices(self) -> Iterator[ChoiceButton]:
        yield from self.query("#body ChoiceButton").results(ChoiceButton)

    def action_choose(self, key: str) -> None:
        if isinstance(self.focused, Input):
            return
        for button in self.body_choices():
            if button.key == key and button.display and not button.disabled:
                button.focus()
                button.press()
                return

    def action_back(self) -> None:
        if self.can_go_back and len(self.app.screen_stack) > 2:
            self.app.pop_screen()

    def action_language(self) -> None:
        if self.show_language:
            self.kiosk.show("language")

    def action_contrast(self) -> None:
        if self.show_language:
            self.kiosk.toggle_large_text()

    # -- what the app tells every screen ---------------------------------------------

    def show_countdown(self, seconds: int | None) -> None:
        widget = self.query_one("#countdown", Static)
        if seconds is None:
            widget.update("")
            widget.set_class(True, "-hidden")
        else:
            widget.update(
                _("Starting again in {seconds} s: touch the screen to stay").format(seconds=seconds)
            )
            widget.set_class(False, "-hidden")

    def notice(self, text: str | None, *, warning: bool = True) -> None:
        """A calm message under the heading (None hides it)."""
        widget = self.query_one("#notice", Static)
        # A sign as well as a colour: meaning never rests on colour alone.
        widget.update(f"⚠ {text}" if text and warning else text or "")
        widget.set_class(not text, "-hidden")
        widget.set_class(warning, "-warning")


def visible(widget: Widget, show: bool) -> None:
    widget.set_class(not show, "-hidden")
