"""`frontdesk demo`: the simulated council moved by the clock (not in real time), the
dashboard and board on it, a ticket the newcomer takes at the kiosk called by a simulated
desk, the demo's keys moving between apps; without a terminal, the day's report."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from frontdesk import sample
from frontdesk.board.widgets.calls import LatestCall
from frontdesk.clock import VirtualClock
from frontdesk.demo.apps import DemoLine
from frontdesk.demo.board import DemoBoard
from frontdesk.demo.dashboard import DemoSupervisor
from frontdesk.demo.kiosk import DemoKiosk
from frontdesk.errors import StoreUnavailable
from frontdesk.kiosk.state import KioskSettings
from frontdesk.services.demo import DemoWorld, add_demo_staff, demo_day
from frontdesk.services.wiring import Services, initialise, open_services
from frontdesk.supervisor.screens.centre import CentreScreen
from tests.support.kiosk import take_ticket_by_keys
from tests.support.supervisor import until

DAY = date(2025, 3, 4)  # a Tuesday: the Civic Centre is open 08:30-17:00
SIZE = (160, 50)


@pytest.fixture
def world(tmp_path: Path) -> Iterator[DemoWorld]:
    from datetime import UTC, datetime

    clock = VirtualClock(datetime(2025, 3, 4, 8, 0, tzinfo=UTC))
    services = open_services(f"sqlite:///{tmp_path / 'demo.db'}", clock)
    initialise(services, sample.council())
    add_demo_staff(services)
    built = DemoWorld(services, "CIVIC", demo_day(services, "CIVIC", DAY))
    built.advance_to(built.cast.opens + timedelta(hours=1))
    yield built
    services.close()


def test_an_hour_of_the_demo_issues_and_calls_tickets(world: DemoWorld) -> None:
    assert world.counts["issued"] > 10
    assert world.called and world.counts["called"] == len(world.called)
    assert world.cast.human_desk not in world.cast.simulated_desks


def test_a_busy_store_delays_a_step_but_never_loses_it(
    world: DemoWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    queue = world.services.queue
    real_start = queue.start
    refused: list[str] = []
    started_after: list[str] = []

    def busy_once(centre: str, desk: str, **kw: Any) -> Any:
        if not refused:
            refused.append(desk)
            raise StoreUnavailable("the store is busy (locked by another process)")
        if desk == refused[0]:
            started_after.append(desk)
        return real_start(centre, desk, **kw)

    monkeypatch.setattr(queue, "start", busy_once)
    world.advance_to(world.cast.opens + timedelta(hours=3))
    # The desk refused once started its visitor a moment later and went on serving.
    assert refused and len(started_after) >= 2


async def test_the_dashboard_shows_the_simulated_hour(world: DemoWorld) -> None:
    services: Services = world.services
    app = DemoSupervisor(services, "CIVIC")
    async with app.run_test(size=SIZE) as pilot:
        await until(
            pilot, lambda: isinstance(app.screen, CentreScreen) and app.screen.view is not None
        )
        screen = app.screen
        assert isinstance(screen, CentreScreen) and screen.view is not None
        # Visitors were seen this morning: the day's share is measured, not empty.
        assert screen.view.row.share_today is not None
        assert sum(h.arrivals for h in screen.view.hours) > 10
        assert sum(h.seen for h in screen.view.hours) > 10
        await until(pilot, lambda: bool(app.screen.query(DemoLine)))
        await pilot.press("ctrl+b")
    assert app.return_value == "board"


async def test_the_board_shows_the_last_call(world: DemoWorld) -> None:
    app = DemoBoard(world.services, "CIVIC")
    async with app.run_test(size=SIZE) as pilot:
        latest = app.query_one(LatestCall)
        await until(pilot, lambda: latest.call is not None)
        assert latest.call is not None and latest.call.ticket == world.called[-1]
        await pilot.press("ctrl+o")
    assert app.return_value == "dashboard"


async def test_a_ticket_from_the_kiosk_is_called_by_a_simulated_desk(world: DemoWorld) -> None:
    settings = KioskSettings(centre="CIVIC", name="demo-kiosk", tick=False)
    app = DemoKiosk(world.services, settings)
    async with app.run_test(size=SIZE) as pilot:
        ticket = await take_ticket_by_keys(pilot)
        mine = ticket.slip.ticket
        await pilot.press("ctrl+c")  # the kiosk's lockdown still holds in the demo
        assert app.is_running
        await pilot.press("ctrl+d")
    assert app.return_value == "desk"
    world.advance_to(world.cast.opens + timedelta(hours=2))
    assert mine in world.called


def test_without_a_terminal_the_demo_prints_the_report() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "frontdesk", "demo", "--visitors", "40", "--date", "2025-03-04"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert "Simulated 2025-03-04 at CIVIC:" in out.stdout
    assert "waiting standard" in out.stdout
