"""The newcomer's desk console in the demo, logged in as the demo adviser."""

from __future__ import annotations

from textual import work

from frontdesk.demo.line import DemoMixin, bindings, stylesheet
from frontdesk.desk.app import DeskApp
from frontdesk.desk.screens.login import LoggedIn
from frontdesk.errors import FrontdeskError
from frontdesk.services.demo import DEMO_ADVISER


class DemoDesk(DemoMixin, DeskApp):
    """The newcomer's desk console, logged in as the demo adviser."""

    BINDINGS = bindings(DeskApp)
    CSS_PATH = stylesheet(DeskApp)
    demo_name = "desk"

    def on_mount(self) -> None:
        # The app's own on_mount runs after this one (Textual calls every class's
        # handler along the hierarchy): calling it here too would run it twice.
        self._demo_start()
        self._log_in()

    @work(thread=True, group="demo-login")
    def _log_in(self) -> None:
        code, _, _, pin = DEMO_ADVISER
        try:
            staff = self.services.staff.login(code, pin, where=f"{self.centre}/{self.desk}")
            opened = self.services.desks.open(self.centre, self.desk, staff, self.console_id)
        except FrontdeskError as exc:
            self.call_from_thread(self.notify, str(exc), severity="error")
            return
        self.post_message(LoggedIn(staff, opened))
