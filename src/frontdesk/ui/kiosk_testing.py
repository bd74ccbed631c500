"""Test support for the kiosk: a fake printer, a store that can go away, and Pilot helpers.

Kept in the package (like Textual's own Pilot) so the UI tests, the e2e test and manual
demos share one set of fakes.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from textual.pilot import Pilot
from textual.screen import Screen

from frontdesk.devices.printer_status import (
    PaperOut,
    PrinterOffline,
    PrinterStatus,
    PrinterTimeout,
)
from frontdesk.devices.slip import SlipLabels, TicketSlip
from frontdesk.errors import StoreUnavailable


@dataclass
class FakeTicketPrinter:
    """Records slips; `mode` is ok, offline, paper_out or slow (takes `delay` seconds)."""

    mode: str = "ok"
    delay: float = 0.0
    slips: list[TicketSlip] = field(default_factory=list)
    labels: list[SlipLabels] = field(default_factory=list)
    printed: threading.Event = field(default_factory=threading.Event)

    def factory(self, labels: SlipLabels) -> FakeTicketPrinter:
        self.labels.append(labels)
        return self

    def status(self) -> PrinterStatus:
        return PrinterStatus.ONLINE if self.mode == "ok" else PrinterStatus.OFFLINE

    def print_slip(self, slip: TicketSlip) -> PrinterStatus:
        if self.delay:
            threading.Event().wait(self.delay)
        if self.mode == "offline":
            raise PrinterOffline("cannot reach the printer")
        if self.mode == "paper_out":
            raise PaperOut("the paper has run out")
        if self.mode == "silent":
            raise PrinterTimeout("the printer did not answer")
        self.slips.append(slip)
        self.printed.set()
        return PrinterStatus.ONLINE


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


def kiosk_app(services: Any, printer: FakeTicketPrinter | None = None, **settings: Any) -> Any:
    """A kiosk at the Civic Centre for tests: no ticking, fast retries, a fake printer."""
    from frontdesk.kiosk.app import KioskApp
    from frontdesk.kiosk.state import KioskSettings

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
    pilot: Pilot[Any], check: Callable[[], bool], timeout: float = 5.0, step: float = 0.05
) -> None:
    """Let the app run until `check()` holds (workers finish in their own threads)."""
    waited = 0.0
    while not check():
        if waited >= timeout:
            raise AssertionError(f"timed out after {timeout} s waiting for {check}")
        await pilot.pause(step)
        waited += step
    await pilot.pause()


async def wait_for_screen(pilot: Pilot[Any], kind: type[Screen[Any]], timeout: float = 5.0) -> Any:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, kind), timeout)
    await asyncio.sleep(0)
    await pilot.pause()
    return pilot.app.screen


async def walk_to_estimate(
    pilot: Pilot[Any], language_key: str = "1", service_key: str = "1", topic_key: str = "1"
) -> Any:
    """From the welcome screen to the estimate by number keys: a language, a service, a
    topic and no needs. Returns the estimate screen, whatever its estimate's state."""
    from frontdesk.kiosk.screens.estimate import EstimateScreen
    from frontdesk.kiosk.screens.flow import NeedsScreen, ServicesScreen, TopicsScreen
    from frontdesk.kiosk.screens.language import WelcomeScreen

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
    from frontdesk.kiosk.screens.ticket import TicketScreen

    estimate = await walk_to_estimate(pilot, language_key)
    await wait_for(pilot, lambda: estimate.estimate is not None)
    await pilot.press("1")
    return await wait_for_screen(pilot, TicketScreen)
