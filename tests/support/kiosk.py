"""Test support for the kiosk: a store that can go away, a kiosk for tests, and Pilot
walks from the welcome screen (the fake printer is `frontdesk.devices.fakes`)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot
from textual.screen import Screen

from frontdesk.devices.fakes import FakeTicketPrinter
from frontdesk.errors import StoreUnavailable
from frontdesk.kiosk.app import KioskApp
from frontdesk.kiosk.screens import (
    EstimateScreen,
    NeedsScreen,
    ServicesScreen,
    TicketScreen,
    TopicsScreen,
    WelcomeScreen,
)
from frontdesk.kiosk.state import KioskSettings
from frontdesk.services.wiring import Services


class Outage:
    """Wrap a service so chosen methods raise StoreUnavailable while `down` is set."""

    def __init__(self, inner: Any, methods: tuple[str, ...]) -> None:
        self._inner = inner
        self._methods = methods
        self.down = True
        self.calls: dict[str, int] = {}

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._inner, name)
        if name not in self._methods:
            return attr

        def call(*args: Any, **kwargs: Any) -> Any:
            self.calls[name] = self.calls.get(name, 0) + 1
            if self.down:
                raise StoreUnavailable("the store is locked")
            return attr(*args, **kwargs)

        return call


def kiosk_app(
    services: Services, printer: FakeTicketPrinter | None = None, **settings: Any
) -> KioskApp:
    """A kiosk at the Civic Centre for tests: no ticking, fast retries, a fake printer."""
    values: dict[str, Any] = {
        "centre": "CIVIC",
        "tick": False,
        "retry_seconds": 0.05,
        "printer_timeout": 2.0,
    }
    values.update(settings)
    fake = printer or FakeTicketPrinter()
    return KioskApp(services, KioskSettings(**values), fake.factory)


async def wait_for(
    pilot: Pilot[Any], check: Callable[[], bool], timeout: float = 20.0, step: float = 0.05
) -> None:
    """Let the app run until `check()` holds (workers finish in their own threads).

    The timeout is generous: a loaded two-core CI machine is slow, and it only counts
    when something is really wrong."""
    waited = 0.0
    while not check():
        if waited >= timeout:
            raise AssertionError(f"timed out after {timeout} s waiting for {check}")
        await pilot.pause(step)
        waited += step
    await pilot.pause()


async def wait_for_screen(pilot: Pilot[Any], kind: type[Screen[Any]], timeout: float = 20.0) -> Any:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, kind), timeout)
    await asyncio.sleep(0)
    await pilot.pause()
    return pilot.app.screen


async def walk_to_estimate(
    pilot: Pilot[Any], language_key: str = "1", service_key: str = "1", topic_key: str = "1"
) -> Any:
    """From the welcome screen to the estimate by number keys: a language, a service, a
    topic and no needs. Returns the estimate screen, whatever its estimate's state."""
    await wait_for_screen(pilot, WelcomeScreen)
    await pilot.press(language_key)
    await wait_for_screen(pilot, ServicesScreen)
    await pilot.press(service_key)
    await wait_for_screen(pilot, TopicsScreen)
    await pilot.press(topic_key)
    await wait_for_screen(pilot, NeedsScreen)
    await pilot.press("7")
    return await wait_for_screen(pilot, EstimateScreen)


async def take_ticket_by_keys(pilot: Pilot[Any], language_key: str = "1") -> Any:
    """From the welcome screen to the ticket screen by number keys: the first service and
    topic, no needs, then "take a ticket" once the wait is shown."""
    estimate = await walk_to_estimate(pilot, language_key)
    await wait_for(pilot, lambda: estimate.estimate is not None)
    await pilot.press("1")
    return await wait_for_screen(pilot, TicketScreen)
