"""The supervisor's dashboard: log in (supervisors and administrators), every centre
against its standard, one centre in detail with breaches foreseen and actions advised,
reports. Live: re-read within a second of any change to the store."""

from __future__ import annotations

import contextlib

from textual import on, work
from textual.app import App
from textual.binding import Binding

from frontdesk.errors import FrontdeskError
from frontdesk.queue.numbering import business_day
from frontdesk.services.staff import StaffMember
from frontdesk.services.wiring import Services
from frontdesk.supervisor.screens.base import LiveScreen
from frontdesk.supervisor.screens.centre import CentreScreen
from frontdesk.supervisor.screens.council import CouncilScreen
from frontdesk.supervisor.screens.login import LoggedIn, LoginScreen
from frontdesk.ui.live import StoreChanged, StoreLost, follow_store
from frontdesk.ui.themes import high_contrast

CONTRAST_THEME = high_contrast("supervisor-contrast")
NORMAL_THEME = "textual-dark"


class SupervisorApp(App[int]):
    CSS_PATH = "supervisor.tcss"
    TITLE = "frontdesk — supervisor"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", show=False)]

    def __init__(
        self, services: Services, centre: str | None = None, *, high_contrast: bool = False
    ) -> None:
        super().__init__()
        self.services = services
        self.centre = centre.strip().upper() if centre else None
        self.staff: StaffMember | None = None
        self.high_contrast = high_contrast

    def on_mount(self) -> None:
        self.register_theme(CONTRAST_THEME)
        self.theme = CONTRAST_THEME.name if self.high_contrast else NORMAL_THEME
        self.push_screen(LoginScreen(self.services))
        self._warm_up()

    @work(thread=True, group="warm-up")
    def _warm_up(self) -> None:
        # Today's figures and the outlooks are read while the supervisor types the PIN
        # (nothing is shown before the log-in), so the first view comes at once.
        with contextlib.suppress(FrontdeskError):
            self.services.oversight.refresh()

    @on(LoggedIn)
    def _logged_in(self, event: LoggedIn) -> None:
        self.staff = event.staff
        self.sub_title = f"{event.staff.name} ({event.staff.role})"
        self.pop_screen()
        if self.centre is not None:
            self.open_centre(self.centre)
        else:
            self.push_screen(CouncilScreen(self.services))
        self.run_worker(self._follow, thread=True, exclusive=True, group="live")

    def _follow(self) -> None:
        follow_store(self, self.services)

    @on(StoreChanged)
    def _changed(self, event: StoreChanged) -> None:
        # A change can arrive while the app is exiting, its screens already gone.
        if self.screen_stack and isinstance(self.screen, LiveScreen):
            self.screen.reload()

    @on(StoreLost)
    def _lost(self, event: StoreLost) -> None:
        self.notify(f"Live updates paused: cannot reach the store ({event.reason})", timeout=5)

    # -- moving between views -----------------------------------------------------------

    def open_centre(self, code: str) -> None:
        assert self.staff is not None
        self.push_screen(CentreScreen(self.services, code, self.staff.code))

    def show_council(self) -> None:
        if len(self.screen_stack) > 2:
            self.pop_screen()
            if isinstance(self.screen, LiveScreen):
                self.screen.reload()
        else:
            # Started on one centre (--centre): the council view is one key away too.
            self.switch_screen(CouncilScreen(self.services))

    def action_reports(self) -> None:
        from frontdesk.supervisor.screens.reports import ReportsScreen

        where = self.services.queue.centre(self.centre) if self.centre else None
        tz = where.timezone if where else "Europe/London"
        self.push_screen(ReportsScreen(self.services, business_day(self.services.clock.now(), tz)))

    def action_staffing(self) -> None:
        from frontdesk.supervisor.screens.staffing import StaffingScreen

        where = self.services.queue.centre(self.centre) if self.centre else None
        tz = where.timezone if where else "Europe/London"
        today = business_day(self.services.clock.now(), tz)
        shown = self.screen.centre if isinstance(self.screen, CentreScreen) else self.centre
        self.push_screen(StaffingScreen(self.services, today, shown))

    def action_contrast(self) -> None:
        self.high_contrast = not self.high_contrast
        self.theme = CONTRAST_THEME.name if self.high_contrast else NORMAL_THEME
        if isinstance(self.screen, LiveScreen) and self.screen.view is not None:
            self.screen.show(self.screen.view)
