"""Running apps pick up a re-run `frontdesk init` without a restart: the kiosk closes when
its centre's hours change, and a desk console offers a new desk to transfer to."""

from __future__ import annotations

import tomllib
from typing import Any

from frontdesk import sample
from frontdesk.config import CentresFile, parse_centres
from frontdesk.desk.app import DeskApp
from frontdesk.desk.screens.console import ConsoleScreen
from frontdesk.kiosk.screens.language import ClosedScreen, WelcomeScreen
from frontdesk.services.wiring import Services, initialise, open_services
from tests.support.desk import open_console, until
from tests.support.kiosk import kiosk_app, wait_for_screen


def council(change: Any) -> CentresFile:
    raw: dict[str, Any] = tomllib.loads(sample.council_text())
    change(next(c for c in raw["centre"] if c["code"] == "CIVIC"))
    return parse_centres(raw, source="changed council")


def init_elsewhere(store: Services, cfg: CentresFile) -> None:
    """`frontdesk init` run by another process on the same store."""
    other = open_services(str(store.engine.url), store.clock)
    try:
        initialise(other, cfg)
    finally:
        other.close()


async def test_the_kiosk_closes_when_init_changes_its_centres_hours(store: Services) -> None:
    app = kiosk_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, WelcomeScreen)
        # Monday 09:00 now; the Civic Centre opens at 13:00 on Mondays from now on.
        init_elsewhere(store, council(lambda c: c["hours"].update(mon="13:00-17:00")))
        closed = await wait_for_screen(pilot, ClosedScreen, timeout=30)
        assert "13:00" in str(closed.query_one("#subtitle").render())


async def test_a_desk_console_offers_a_desk_added_by_init(services: Services) -> None:
    app = DeskApp(services, "CIVIC", "1", console="follow-1")
    async with app.run_test(size=(110, 36)) as pilot:
        screen = await open_console(pilot, "AB", "1234")
        assert isinstance(screen, ConsoleScreen) and "9" not in screen.ref.desks
        init_elsewhere(
            services,
            council(lambda c: c["desk"].append({"name": "9", "services": ["CTAX"]})),
        )
        await until(pilot, lambda: "9" in screen.ref.desks, timeout=30)
