"""Log in at a desk with a staff code and PIN."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label

from frontdesk.errors import FrontdeskError, StoreUnavailable
from frontdesk.services.desks import STALE_AFTER, DeskOpened, DeskTaken
from frontdesk.services.staff import StaffMember
from frontdesk.services.wiring import Services


class LoggedIn(Message):
    def __init__(self, staff: StaffMember, opened: DeskOpened) -> None:
        super().__init__()
        self.staff = staff
        self.opened = opened


class LoginFailed(Message):
    def __init__(self, reason: str, taken: bool = False) -> None:
        super().__init__()
        self.reason = reason
        self.taken = taken


class LoginScreen(Screen[None]):
    """Code and PIN; refusals (wrong PIN, lock-out, desk taken) are shown in plain words."""

    def __init__(self, services: Services, centre: str, desk: str, console: str) -> None:
        super().__init__()
        self.services = services
        self.centre = centre
        self.desk = desk
        self.console = console

    def compose(self) -> ComposeResult:
        yield Header()
        with Center(), Vertical(id="login"):
            yield Label(f"Desk {self.desk} — log in", classes="question")
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
            self._problem("Type your staff code and PIN.")
            return
        self._problem("Checking…")
        self._login(code, pin)

    def _problem(self, text: str) -> None:
        self.query_one("#problem", Label).update(text)

    @work(thread=True, exclusive=True, group="login")
    def _login(self, code: str, pin: str) -> None:
        where = f"{self.centre}/{self.desk}"
        try:
            staff = self.services.staff.login(code, pin, where=where)
            opened = self.services.desks.open(self.centre, self.desk, staff, self.console)
        except DeskTaken as exc:
            self.post_message(
                LoginFailed(
                    f"{exc}. If that console has crashed, the desk is freed after "
                    f"{int(STALE_AFTER.total_seconds())} seconds.",
                    taken=True,
                )
            )
        except StoreUnavailable as exc:
            self.post_message(LoginFailed(f"Cannot reach the store ({exc}). Try again."))
        except FrontdeskError as exc:
            self.post_message(LoginFailed(str(exc)))
        else:
            self.post_message(LoggedIn(staff, opened))

    @on(LoginFailed)
    def _failed(self, event: LoginFailed) -> None:
        self._problem(event.reason)
        pin = self.query_one("#pin", Input)
        pin.value = ""
        pin.focus()
