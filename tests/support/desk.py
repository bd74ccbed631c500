"""Helpers for driving a desk console with Textual's Pilot."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Label, Static

from frontdesk.desk.app import DeskApp
from frontdesk.desk.screens.console import ConsoleScreen
from frontdesk.desk.screens.login import LoginScreen
from frontdesk.services.wiring import Services


async def until(pilot: Pilot[object], check: Callable[[], bool], timeout: float = 10.0) -> None:
    """Wait (in 50 ms steps) until `check()` holds; fail the test after `timeout`."""
    for _ in range(int(timeout / 0.05)):
        if check():
            return
        await pilot.pause(0.05)
    raise AssertionError("the console did not get there in time")


def message(app: DeskApp) -> str:
    """The console's message line."""
    return str(app.screen.query_one("#message", Static).render())


def text(widget: Label | Static) -> str:
    return str(widget.render())


async def log_in(pilot: Pilot[object], code: str = "AB", pin: str = "1234") -> None:
    await until(pilot, lambda: isinstance(pilot.app.screen, LoginScreen))
    await pilot.press(*code, "enter", *pin, "enter")


async def open_console(pilot: Pilot[object], code: str = "AB", pin: str = "1234") -> ConsoleScreen:
    """Log in, keep the desk's own services, and wait for the live queue."""
    await log_in(pilot, code, pin)
    await until(pilot, lambda: type(pilot.app.screen).__name__ == "ChooseServicesScreen")
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(pilot.app.screen, ConsoleScreen))
    screen = pilot.app.screen
    assert isinstance(screen, ConsoleScreen)
    await until(pilot, lambda: screen.view is not None)
    return screen


async def act(pilot: Pilot[object], screen: ConsoleScreen, *keys: str) -> None:
    """Press keys and wait until the console has the store's answer."""
    await pilot.press(*keys)
    await pilot.pause()
    await until(pilot, lambda: not screen.busy)
    await pilot.pause()


def issue(services: Services, service: str = "CTAX", **kw: Any) -> str:
    """Issue a ticket at the Civic Centre, as a kiosk elsewhere would; its number."""
    return str(services.queue.issue("CIVIC", service, **kw).ticket)
