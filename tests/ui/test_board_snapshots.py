"""Snapshots of the now-serving board at 80×24 and on a large screen."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from textual.pilot import Pilot

from frontdesk import sample
from frontdesk.board.app import BoardApp
from frontdesk.board.widgets.calls import LatestCall
from frontdesk.clock import VirtualClock
from frontdesk.services.wiring import Services, initialise, open_services
from tests.support.board import FakeAnnouncer

START = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    clock = VirtualClock(START)
    svc = open_services(f"sqlite:///{tmp_path}/t.db", clock)
    initialise(svc, sample.council())
    for service in ("CTAX", "HBEN", "GENQ", "CTAX"):
        svc.queue.issue("CIVIC", service)
        clock.advance(20)
    for desk in ("1", "Interview 1", "2", "3"):
        clock.advance(45)
        svc.queue.call_next("CIVIC", desk)
    yield svc
    svc.close()


async def settled(pilot: Pilot[Any]) -> None:
    app = pilot.app
    for _ in range(100):
        standard = str(app.query_one("#standard").render())
        if app.query_one(LatestCall).call is not None and "Today" in standard:
            break
        await pilot.pause(0.05)
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (160, 45)])
def test_board(snap_compare: Any, services: Services, size: tuple[int, int]) -> None:
    app = BoardApp(services, "CIVIC", announcer=FakeAnnouncer())
    assert snap_compare(app, terminal_size=size, run_before=settled)
