"""The demo's launcher loop on a terminal, as `frontdesk demo` runs it: the real loop
(`launcher`), the real throw-away store and the simulation moving in its own thread; each
app it opens is driven by a Pilot that presses the demo's key for the next one. The
newcomer goes dashboard → kiosk → desk → board → dashboard and leaves, and the simulated
council keeps issuing and calling tickets all the while. The dashboard comes first, while
the council is still opening (its store being built), and gives way to the dashboard."""

from __future__ import annotations

import asyncio
import threading
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static

from frontdesk.board.app import BoardApp
from frontdesk.board.widgets.calls import LatestCall
from frontdesk.demo import launch
from frontdesk.demo.apps import DemoLine
from frontdesk.demo.dashboard import OpeningScreen
from frontdesk.demo.launch import launcher, opening_demo, running_demo
from frontdesk.desk.app import DeskApp
from frontdesk.errors import FrontdeskError
from frontdesk.kiosk.app import KioskApp
from frontdesk.services.wiring import open_services
from frontdesk.supervisor.app import SupervisorApp
from frontdesk.supervisor.screens.centre import CentreScreen
from tests.support.supervisor import until

DAY = date(2025, 3, 4)  # a Tuesday: the Civic Centre is open 08:30-17:00
SIZE = (160, 50)
SPEED = 600.0  # ten simulated minutes a second: tickets come and go while an app is open
WAIT = 120.0  # generous: a loaded two-core machine
KEYS = {SupervisorApp: "ctrl+k", KioskApp: "ctrl+d", DeskApp: "ctrl+b", BoardApp: "ctrl+o"}


def test_the_launcher_moves_through_the_apps_while_the_council_lives(tmp_path: Path) -> None:
    shown: list[tuple[str, int, int]] = []  # (app, issued, called) when the app was left
    with running_demo("CIVIC", DAY, SPEED, directory=tmp_path) as demo:
        counts = demo.world.counts
        pressed: list[str] = []

        async def drive(app: Any) -> object:
            async with app.run_test(size=SIZE) as pilot:
                await until(pilot, lambda: bool(app.screen.query(DemoLine)), WAIT)
                issued, called = counts["issued"], counts["called"]
                # The simulation moves on while this app is open (not only between apps).
                await until(
                    pilot, lambda: counts["issued"] > issued and counts["called"] > called, WAIT
                )
                if isinstance(app, BoardApp):
                    latest = app.query_one(LatestCall)
                    await until(pilot, lambda: latest.call is not None, WAIT)
                    assert latest.call is not None
                    assert latest.call.ticket in demo.world.called
                kind = next(k for k in KEYS if isinstance(app, k))
                shown.append((kind.__name__, counts["issued"], counts["called"]))
                key = "ctrl+x" if kind is SupervisorApp and len(pressed) == 4 else KEYS[kind]
                pressed.append(key)
                await pilot.press(key)
            return app.return_value

        apps = open_services(demo.url, demo.services.clock)
        try:
            opened = launcher(demo, apps, lambda app: asyncio.run(drive(app)))
        finally:
            apps.close()
        tmp_store = Path(demo.url.removeprefix("sqlite:///"))
        assert tmp_store.exists()
    assert not tmp_store.exists()  # leaving the demo deletes its store
    assert opened == ["dashboard", "kiosk", "desk", "board", "dashboard"]
    assert pressed == ["ctrl+k", "ctrl+d", "ctrl+b", "ctrl+o", "ctrl+x"]
    assert [name for name, _, _ in shown] == [
        "SupervisorApp",
        "KioskApp",
        "DeskApp",
        "BoardApp",
        "SupervisorApp",
    ]
    issued = [i for _, i, _ in shown]
    called = [c for _, _, c in shown]
    assert issued == sorted(issued) and issued[0] < issued[-1]
    assert called == sorted(called) and called[0] < called[-1]


def test_the_dashboard_shows_before_the_council_has_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The store's building is held until the first screen has been checked: whatever the
    # machine's speed, the opening screen must come without waiting for it.
    gate = threading.Event()
    real_initialise = launch.initialise

    def held(*args: Any, **kwargs: Any) -> Any:
        gate.wait(WAIT)
        return real_initialise(*args, **kwargs)

    monkeypatch.setattr(launch, "initialise", held)
    seen: list[str] = []
    try:
        with opening_demo("CIVIC", DAY, SPEED, directory=tmp_path) as opening:

            async def drive(app: Any) -> object:
                async with app.run_test(size=SIZE) as pilot:
                    await until(pilot, lambda: bool(app.screen.query(DemoLine)), WAIT)
                    assert isinstance(app.screen, OpeningScreen)
                    seen.append(str(app.screen.query_one("#opening", Static).render()))
                    assert not opening.ready.is_set()
                    await pilot.press("ctrl+k")  # the kiosk needs the open council: not yet
                    await pilot.pause(0.3)
                    assert app.is_running and isinstance(app.screen, OpeningScreen)
                    gate.set()
                    await until(
                        pilot,
                        lambda: (
                            isinstance(app.screen, CentreScreen) and app.screen.view is not None
                        ),
                        WAIT,
                    )
                    await until(pilot, lambda: bool(app.screen.query(DemoLine)), WAIT)
                    await pilot.press("ctrl+x")
                return app.return_value

            apps = open_services(opening.url, opening.clock)
            try:
                opened = launcher(opening, apps, lambda app: asyncio.run(drive(app)))
            finally:
                apps.close()
            assert opening.demo is not None and opening.demo.world.counts["issued"] > 0
    finally:
        gate.set()
    assert opened == ["dashboard"]
    assert "The council is opening" in seen[0]


def test_a_council_that_cannot_open_is_reported_after_its_first_screen(tmp_path: Path) -> None:
    sunday = date(2025, 3, 2)  # the Civic Centre is closed
    with opening_demo("CIVIC", sunday, SPEED, directory=tmp_path) as opening:

        async def drive(app: Any) -> object:
            async with app.run_test(size=SIZE) as pilot:
                await until(pilot, lambda: not app.is_running, WAIT)
            return app.return_value

        apps = open_services(opening.url, opening.clock)
        try:
            with pytest.raises(FrontdeskError, match="closed on 2025-03-02"):
                launcher(opening, apps, lambda app: asyncio.run(drive(app)))
        finally:
            apps.close()
