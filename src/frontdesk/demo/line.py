"""What every app of the demo adds: the yellow line of keys (each also a click) at the top
of every screen, the keys themselves, and where each leads (the next app on a terminal,
the next app's page in a browser)."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

from textual.app import App
from textual.binding import Binding
from textual.widgets import Static

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

    def demo_opening(self) -> bool:
        """Whether the council is still being opened (the other apps are not there yet)."""
        return False

    def action_demo_open(self, name: str) -> None:
        app: Any = self
        if name == self.demo_name:
            return
        if self.demo_opening() and name != LEAVE:
            app.notify("The council is still opening: the other apps come when it is open.")
            return
        if self.demo_served:
            # The browser tab goes to the next app's page; this app ends with the tab's
            # connection (its server reaps it).
            app.open_url(PAGES.get(name, "/"), new_tab=False)
        else:
            app.exit(name)


def bindings(cls: type[App[Any]]) -> list[Any]:
    """The app's own keys and the demo's."""
    return [*cls.BINDINGS, *DEMO_BINDINGS]


def stylesheet(cls: type[App[Any]]) -> str:
    """The app's own stylesheet (a relative CSS_PATH would be read beside the subclass)."""
    return str(Path(inspect.getfile(cls)).parent / str(cls.CSS_PATH))
