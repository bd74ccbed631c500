"""Log in to the supervisor's view with a staff code and PIN (supervisors and
administrators only; an adviser is told so in words)."""

from __future__ import annotations

from textual.message import Message

from frontdesk.services.staff import StaffMember
from frontdesk.services.wiring import Services
from frontdesk.ui.login import StaffLoginScreen


class LoggedIn(Message):
    def __init__(self, staff: StaffMember) -> None:
        super().__init__()
        self.staff = staff


class LoginScreen(StaffLoginScreen):
    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services

    def heading(self) -> str:
        return "Supervisor's view — log in"

    def check(self, code: str, pin: str) -> Message:
        return LoggedIn(self.services.oversight.login(code, pin))
