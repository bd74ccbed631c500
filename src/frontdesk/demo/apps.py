"""The four apps as the demo runs them: the same apps, plus a line of keys to move between
them and an automatic log-in as the demo's staff. Outside the demo nothing changes (the
kiosk's lockdown is the kiosk's own; only these subclasses add a way out).

Each app's subclass lives in a module of its own (`demo.dashboard`, `demo.kiosk`, …),
imported only when that app is opened: the first screen does not wait for the others.

On a terminal each app exits with the name of the app to open next and the launcher runs
that one; served to a browser (`frontdesk demo --serve`) each app instead sends its tab to
the next app's page, where the server starts that app in a process of its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import App

from frontdesk.demo.line import KEYS, LEAVE, PAGES, DemoLine

if TYPE_CHECKING:
    from frontdesk.demo.launch import Opening
    from frontdesk.services.wiring import Services

__all__ = ["APPS", "KEYS", "LEAVE", "PAGES", "DemoLine", "build"]

APPS = ("dashboard", "kiosk", "desk", "board")


def build(
    name: str,
    services: Services,
    centre: str,
    desk: str,
    *,
    served: bool = False,
    opening: Opening | None = None,
) -> App[Any]:
    """The demo's app called `name`, on `services` (`served`: in a browser tab); the
    dashboard, given an `opening` council, shows that it is opening until it is open."""
    app: App[Any]
    if name == "kiosk":
        from frontdesk.demo.kiosk import DemoKiosk
        from frontdesk.kiosk.state import KioskSettings

        app = DemoKiosk(services, KioskSettings(centre=centre, name="demo-kiosk"))
    elif name == "desk":
        from frontdesk.demo.desk import DemoDesk

        app = DemoDesk(services, centre, desk, console="demo-console")
    elif name == "board":
        from frontdesk.demo.board import DemoBoard

        app = DemoBoard(services, centre)
    else:
        from frontdesk.demo.dashboard import DemoSupervisor

        app = DemoSupervisor(services, centre, opening=opening)
    if served:
        app.demo_served = True  # type: ignore[attr-defined]
    return app
