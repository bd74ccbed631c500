"""The demo's launcher loop on a terminal, as `frontdesk demo` runs it: the real loop
(`launcher`), the real throw-away store and the simulation moving in its own thread; each
app it opens is driven by a Pilot that presses the demo's key for the next one. The
newcomer goes dashboard → kiosk → desk → board → dashboard and leaves, and the simulated
council keeps issuing and calling tickets all the while."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path
from typing import Any

from frontdesk.board.app import BoardApp
from frontdesk.board.widgets.calls import LatestCall
from frontdesk.demo.apps import DemoLine
from frontdesk.demo.launch import launcher, running_demo
from frontdesk.desk.app import DeskApp
from frontdesk.kiosk.app import KioskApp
from frontdesk.services.wiring import open_services
from frontdesk.supervisor.app import SupervisorApp
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
