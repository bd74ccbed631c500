"""The desk console: log in, choose today's services, then serve customers."""

from __future__ import annotations

import gc
import os
import socket
import sys

from textual import on, work
from textual.app import App
from textual.message import Message

from frontdesk.desk.messages import DeskContext
from frontdesk.desk.reference import DeskReference, read_reference
from frontdesk.desk.screens.choose import ChooseServicesScreen
from frontdesk.desk.screens.console import ConsoleScreen
from frontdesk.desk.screens.login import LoggedIn, LoginScreen
from frontdesk.errors import FrontdeskError
from frontdesk.services.staff import StaffMember
from frontdesk.services.wiring import Services


def console_name() -> str:
    """This console's identity: the machine and its terminal, so the same terminal
    restarted gets its desk back while a second terminal is refused."""
    try:
        tty = os.ttyname(sys.stdin.fileno())
    except (OSError, ValueError, AttributeError):
        tty = f"pid{os.getpid()}"
    return f"{socket.gethostname()}:{tty}"


class _Ready(Message):
    def __init__(self, staff: StaffMember, ref: DeskReference, services: tuple[str, ...]) -> None:
        super().__init__()
        self.staff = staff
        self.ref = ref
        self.services = services


class DeskApp(App[int]):
    CSS_PATH = "desk.tcss"
    TITLE = "frontdesk — desk"
    # Every action is on a key in the footer; the palette would only take its room.
    ENABLE_COMMAND_PALETTE = False

    def __init__(
        self, services: Services, centre: str, desk: str, *, console: str | None = None
    ) -> None:
        super().__init__()
        self.services = services
        self.centre = centre.strip().upper()
        self.desk = desk.strip()
        self.console_id = console or console_name()
        self.staff: StaffMember | None = None
        self.ref: DeskReference | None = None

    async def action_quit(self) -> None:
        """ctrl+q at the console closes the desk (refused while a customer is held)."""
        if isinstance(self.screen, ConsoleScreen):
            self.screen.action_close_desk()
        else:
            self.exit(0)

    def on_mount(self) -> None:
        self.push_screen(LoginScreen(self.services, self.centre, self.desk, self.console_id))

    @on(LoggedIn)
    def _logged_in(self, event: LoggedIn) -> None:
        self.staff = event.staff
        self._read_reference(event.staff, event.opened.services)

    @work(thread=True, exclusive=True, group="reference")
    def _read_reference(self, staff: StaffMember, chosen: tuple[str, ...]) -> None:
        try:
            ref = read_reference(self.services, self.centre, self.desk)
        except FrontdeskError as exc:
            screen = self.screen
            if isinstance(screen, LoginScreen):
                self.call_from_thread(screen.failed, str(exc))
            return
        self.post_message(_Ready(staff, ref, chosen))

    @on(_Ready)
    def _show_chooser(self, event: _Ready) -> None:
        self.ref = event.ref
        offered = [(code, name) for code, name in event.ref.services]
        chooser = ChooseServicesScreen(offered, event.services or event.ref.desk_services)
        self.pop_screen()
        self.push_screen(chooser, self.open_console)

    def open_console(self, chosen: tuple[str, ...] | None) -> None:
        if chosen:
            self._open(chosen)

    @work(thread=True, exclusive=True, group="open")
    def _open(self, chosen: tuple[str, ...]) -> None:
        assert self.staff is not None
        try:
            self.services.desks.open(self.centre, self.desk, self.staff, self.console_id, chosen)
        except FrontdeskError as exc:
            self.call_from_thread(self.notify, str(exc), severity="error")
            return
        self.call_from_thread(self._show_console, chosen)

    def _show_console(self, chosen: tuple[str, ...]) -> None:
        assert self.staff is not None and self.ref is not None
        ctx = DeskContext(
            centre=self.centre,
            desk=self.desk,
            console=self.console_id,
            staff=self.staff.code,
            staff_name=self.staff.name,
            specialist=self.staff.specialist,
            services=chosen,
        )
        self.push_screen(ConsoleScreen(self.services, ctx, self.ref))
        self.call_after_refresh(self._freeze_start_up)

    def _freeze_start_up(self) -> None:
        # Everything built so far (imports, the console's widgets, reference data) lives
        # as long as the console: out of the collector's sight, a full collection takes
        # a few milliseconds instead of ~90 ms in the middle of some later key press.
        gc.collect()
        gc.freeze()
