"""The staff code and PIN screen the desk console and the supervisor's view share.

Each app says what logging in means for it (`check`: the desk also opens the desk; the
supervisor's view admits supervisors and administrators only) and which message to post
when it worked. The checking runs in a thread, so a slow store never freezes the keys;
a refusal is said in plain words and the PIN is cleared for the next try.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label

from frontdesk.errors import FrontdeskError, StoreUnavailable


class StaffLoginScreen(Screen[None]):
    """Code and PIN; subclasses give the heading and what a login does."""

    def heading(self) -> str:
        return "Log in"

    def check(self, code: str, pin: str) -> Message:
        """Log in (in a worker thread); the message to post when it worked.

        Raises FrontdeskError with the words to show when it did not."""
        raise NotImplementedError

    def refusal(self, exc: FrontdeskError) -> str:
        """The words for a refusal; subclasses add advice for their own refusals."""
        return str(exc)

    def compose(self) -> ComposeResult:
        yield Header()
        with Center(), Vertical(id="login"):
            yield Label(self.heading(), classes="question")
            yield Input(placeholder="Staff code", id="code", max_length=16)
            yield Input(placeholder="PIN", id="pin", password=True, max_length=8)
            yield Label("", id="problem", classes="problem")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#code", Input).focus()

    @on(Input.Submitted, "#code")
    def _next(self) -> None:
        self.query_one("#pin", Input).focus()

    @on(Input.Submitted, "#pin")
    def _submit(self) -> None:
        code = self.query_one("#code", Input).value.strip()
        pin = self.query_one("#pin", Input).value
        if not code or not pin:
            self.problem("Type your staff code and PIN.")
            return
        self.problem("Checking…")
        self._login(code, pin)

    def problem(self, text: str) -> None:
        self.query_one("#problem", Label).update(text)

    @work(thread=True, exclusive=True, group="login")
    def _login(self, code: str, pin: str) -> None:
        try:
            done = self.check(code, pin)
        except StoreUnavailable as exc:
            self.app.call_from_thread(self.failed, f"Cannot reach the store ({exc}). Try again.")
        except FrontdeskError as exc:
            self.app.call_from_thread(self.failed, self.refusal(exc))
        else:
            self.post_message(done)

    def failed(self, reason: str) -> None:
        self.problem(reason)
        pin = self.query_one("#pin", Input)
        pin.value = ""
        pin.focus()
