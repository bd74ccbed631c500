"""Log in at a desk with a staff code and PIN: the desk opens for that adviser."""

from __future__ import annotations

from textual.message import Message

from frontdesk.errors import FrontdeskError
from frontdesk.services.desks import STALE_AFTER, DeskOpened, DeskTaken
from frontdesk.services.staff import StaffMember
from frontdesk.services.wiring import Services
from frontdesk.ui.login import StaffLoginScreen


class LoggedIn(Message):
    def __init__(self, staff: StaffMember, opened: DeskOpened) -> None:
        super().__init__()
        self.staff = staff
        self.opened = opened


class LoginScreen(StaffLoginScreen):
    """Code and PIN; refusals (wrong PIN, lock-out, desk taken) are shown in plain words."""

    def __init__(self, services: Services, centre: str, desk: str, console: str) -> None:
        super().__init__()
        self.services = services
        self.centre = centre
        self.desk = desk
        self.console = console

    def heading(self) -> str:
        return f"Desk {self.desk} — log in"

    def check(self, code: str, pin: str) -> Message:
        staff = self.services.staff.login(code, pin, where=f"{self.centre}/{self.desk}")
        opened = self.services.desks.open(self.centre, self.desk, staff, self.console)
        return LoggedIn(staff, opened)

    def refusal(self, exc: FrontdeskError) -> str:
        if isinstance(exc, DeskTaken):
            seconds = int(STALE_AFTER.total_seconds())
            return f"{exc}. If that console has crashed, the desk is freed after {seconds} seconds."
        return str(exc)
