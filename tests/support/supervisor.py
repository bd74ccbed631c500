"""Shared set-up for the supervisor's app tests: staff, open desks, waiting visitors."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

from frontdesk.services.staff import StaffMember
from frontdesk.services.wiring import Services


def add_staff(services: Services) -> None:
    services.staff.add("SU", "Sam Super", "supervisor", "4321")
    services.staff.add("AD", "Ann Admin", "admin", "5555")
    services.staff.add("AB", "Alice", "adviser", "1234")
    services.staff.add("BO", "Bob", "adviser", "1234")


def open_desk(services: Services, desk: str, code: str = "AB", centre: str = "CIVIC") -> None:
    member = StaffMember(code, {"AB": "Alice", "BO": "Bob"}.get(code, code), "adviser")
    services.desks.open(centre, desk, member, f"console-{desk}")


async def until(pilot: Pilot[Any], check: Callable[[], bool], timeout: float = 15.0) -> None:
    """Wait for `check()`; on failure say what the screen showed, to tell a slow machine
    from a broken step."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if check():
            return
        await pilot.pause(0.05)
    if check():
        return
    shown = " | ".join(
        str(w.render())
        for w in pilot.app.screen.query("Static").results()
        if w.id and "problem" in w.id
    )
    raise AssertionError(
        f"the dashboard did not get there in time (screen {pilot.app.screen!r}: {shown!r})"
    )


async def log_in(pilot: Pilot[Any], code: str = "SU", pin: str = "4321") -> None:
    from frontdesk.supervisor.screens.login import LoginScreen

    await until(pilot, lambda: isinstance(pilot.app.screen, LoginScreen))
    await pilot.press(*code, "enter", *pin, "enter")
