"""Shared set-up for the supervisor's app tests: staff, open desks, waiting visitors."""

from __future__ import annotations

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
    for _ in range(int(timeout / 0.05)):
        if check():
            return
        await pilot.pause(0.05)
    raise AssertionError("the dashboard did not get there in time")


async def log_in(pilot: Pilot[Any], code: str = "SU", pin: str = "4321") -> None:
    from frontdesk.supervisor.screens.login import LoginScreen

    await until(pilot, lambda: isinstance(pilot.app.screen, LoginScreen))
    await pilot.press(*code, "enter", *pin, "enter")
