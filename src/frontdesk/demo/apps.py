"""The four apps as the demo runs them: the same apps, plus a line of keys to move between
them and an automatic log-in as the demo's staff. Outside the demo nothing changes (the
kiosk's lockdown is the kiosk's own; only these subclasses add a way out).

On a terminal each app exits with the name of the app to open next and the launcher runs
that one; served to a browser (`frontdesk demo --serve`) each app instead sends its tab to
the next app's page, where the server starts that app in a process of its own.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.widgets import Static

from frontdesk.board.app import BoardApp
from frontdesk.desk.app import DeskApp
from frontdesk.desk.screens.login import LoggedIn as DeskLoggedIn
from frontdesk.errors import FrontdeskError
from frontdesk.kiosk.app import KioskApp
from frontdesk.kiosk.state import KioskSettings
from frontdesk.services.demo import DEMO_ADVISER, DEMO_SUPERVISOR
from frontdesk.services.wiring import Services
from frontdesk.supervisor.app import SupervisorApp
from frontdesk.supervisor.screens.login import LoggedIn as SupervisorLoggedIn

APPS = ("dashboard", "kiosk", "desk", "board")
LEAVE = "leave"
# Each app's page when the demo is served to a browser; leaving goes to the front page.
PAGES = {"dashboard": "/dashboard", "kiosk": "/kiosk", "desk": "/desk", "board": "/board"}
HINT = "take a ticket at the kiosk and watch a desk call it"


# (key, what the line calls it, the app it opens)
KEYS = (
    ("ctrl+o", "dashboard", "dashboard"),
    ("ctrl+k", "kiosk", "kiosk"),
    ("ctrl+d", "desk", "desk"),
    ("ctrl+b", "board", "board"),
    ("ctrl+x", "leave", LEAVE),
)


def help_line(served: bool = False) -> str:
    """The demo's keys (each also a click) and what to try; served, leaving goes back to
    the front page."""
    words = [
        f"[@click=app.demo_open('{name}')]{key} "
        f"{'front page' if served and name == LEAVE else what}[/]"
        for key, what, name in KEYS
    ]
    return f"DEMO  {' · '.join(words)}  —  {HINT}"


HELP = help_line()
DEMO_BINDINGS = [
    Binding("ctrl+o", "demo_open('dashboard')", "Dashboard", priority=True),
    Binding("ctrl+k", "demo_open('kiosk')", "Kiosk", priority=True),
    Binding("ctrl+d", "demo_open('desk')", "Desk", priority=True),
    Binding("ctrl+b", "demo_open('board')", "Board", priority=True),
    Binding("ctrl+x", "demo_open('leave')", "Leave", priority=True),
]


class DemoLine(Static):
    """The demo's keys and what to try, at the top of every screen."""

    DEFAULT_CSS = """
    DemoLine {
        dock: top;
        height: 1;
        width: 100%;
        background: $warning;
        color: $background;
        text-style: bold;
    }
    """


class DemoMixin:
    """The demo's keys, and its line kept on whatever screen is showing."""

    demo_name = ""
    demo_served = False

    def _demo_start(self) -> None:
        app: Any = self
        app.set_interval(0.3, self._demo_line)
        app.call_after_refresh(self._demo_line)

    def _demo_line(self) -> None:
        app: Any = self
        screen = app.screen
        if not screen.query(DemoLine):
            screen.mount(DemoLine(help_line(self.demo_served)))

    def action_demo_open(self, name: str) -> None:
        app: Any = self
        if name == self.demo_name:
            return
        if self.demo_served:
            # The browser tab goes to the next app's page; this app ends with the tab's
            # connection (its server reaps it).
            app.open_url(PAGES.get(name, "/"), new_tab=False)
        else:
            app.exit(name)


def _bindings(cls: type[App[Any]]) -> list[Any]:
    return [*cls.BINDINGS, *DEMO_BINDINGS]


def _css(cls: type[App[Any]]) -> str:
    """The app's own stylesheet (a relative CSS_PATH would be read beside this module)."""
    return str(Path(inspect.getfile(cls)).parent / str(cls.CSS_PATH))


class DemoSupervisor(DemoMixin, SupervisorApp):
    """The dashboard, already logged in as the demo supervisor."""

    BINDINGS = _bindings(SupervisorApp)
    CSS_PATH = _css(SupervisorApp)
    demo_name = "dashboard"

    def on_mount(self) -> None:
        super().on_mount()
        self._demo_start()
        self._log_in()

    @work(thread=True, group="demo-login")
    def _log_in(self) -> None:
        code, _, _, pin = DEMO_SUPERVISOR
        staff = self.services.staff.login(code, pin, where="demo")
        self.post_message(SupervisorLoggedIn(staff))


class DemoDesk(DemoMixin, DeskApp):
    """The newcomer's desk console, logged in as the demo adviser."""

    BINDINGS = _bindings(DeskApp)
    CSS_PATH = _css(DeskApp)
    demo_name = "desk"

    def on_mount(self) -> None:
        super().on_mount()
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
        self.post_message(DeskLoggedIn(staff, opened))


class DemoKiosk(DemoMixin, KioskApp):
    """The centre's kiosk; the demo's keys are its only way out."""

    BINDINGS = _bindings(KioskApp)
    CSS_PATH = _css(KioskApp)
    demo_name = "kiosk"

    def on_mount(self) -> None:
        super().on_mount()
        self._demo_start()


class DemoBoard(DemoMixin, BoardApp):
    BINDINGS = _bindings(BoardApp)
    CSS_PATH = _css(BoardApp)
    demo_name = "board"

    def on_mount(self) -> None:
        super().on_mount()
        self._demo_start()


def build(
    name: str, services: Services, centre: str, desk: str, *, served: bool = False
) -> App[Any]:
    """The demo's app called `name`, on `services` (`served`: in a browser tab)."""
    app: App[Any]
    if name == "kiosk":
        app = DemoKiosk(services, KioskSettings(centre=centre, name="demo-kiosk"))
    elif name == "desk":
        app = DemoDesk(services, centre, desk, console="demo-console")
    elif name == "board":
        app = DemoBoard(services, centre)
    else:
        app = DemoSupervisor(services, centre)
    if served:
        app.demo_served = True  # type: ignore[attr-defined]
    return app
