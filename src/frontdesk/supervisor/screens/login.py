"""Log in to the supervisor's view with a staff code and PIN (supervisors and
administrators only; an adviser is told so in words)."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label

from frontdesk.errors import FrontdeskError, StoreUnavailable
from frontdesk.services.staff import StaffMember
from frontdesk.services.wiring import Services


class LoggedIn(Message):
    def __init__(self, staff: StaffMember) -> None:
        super().__init__()
        self.staff = staff


class LoginScreen(Screen[None]):
    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services

    def compose(self) -> ComposeResult:
        yield Header()
        with Center(), Vertical(id="login"):
            yield Label("Supervisor's view — log in", classes="question")
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
            staff = self.services.oversight.login(code, pin)
        except StoreUnavailable as exc:
            self.app.call_from_thread(self._failed, f"Cannot reach the store ({exc}).")
        except FrontdeskError as exc:
            self.app.call_from_thread(self._failed, str(exc))
        else:
            self.app.post_message(LoggedIn(staff))

    def _failed(self, reason: str) -> None:
        self.problem(reason)
        pin = self.query_one("#pin", Input)
        pin.value = ""
        pin.focus()
