"""Snapshots of the desk console at 80×24 (the smallest screen it must hold)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from frontdesk import sample
from frontdesk.clock import VirtualClock
from frontdesk.desk.app import DeskApp
from frontdesk.desk.screens.login import LoginScreen
from frontdesk.desk.widgets.outcome_form import OutcomeForm
from frontdesk.services.wiring import Services, initialise, open_services
from tests.support.desk import open_console

START = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    clock = VirtualClock(START)
    svc = open_services(f"sqlite:///{tmp_path}/t.db", clock)
    initialise(svc, sample.council())
    svc.staff.add("AB", "Alice", "adviser", "1234")
    svc.queue.issue("CIVIC", "CTAX", needs=["interpreter:polish", "hearing-loop"])
    clock.advance(95)
    svc.queue.issue("CIVIC", "CTAX", topic="CTAX-PAY")
    clock.advance(400)
    svc.queue.issue("CIVIC", "GENQ", priority="ASSIST")
    clock.advance(60)
    svc.queue.issue("CIVIC", "HBEN")
    clock.advance(30)
    yield svc
    svc.close()


async def until(pilot: Pilot[Any], check: Callable[[], bool]) -> None:
    for _ in range(100):
        if check():
            return
        await pilot.pause(0.05)
    raise AssertionError("not there in time")


def no_blink(pilot: Pilot[Any]) -> None:
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False


def test_login_screen(snap_compare: Any, services: Services) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await until(pilot, lambda: isinstance(pilot.app.screen, LoginScreen))
        no_blink(pilot)

    app = DeskApp(services, "CIVIC", "1", console="snap")
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_console_serving_a_customer_with_needs(
    snap_compare: Any, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    # This picture is of the outcome form. With one desk open the console would also
    # raise the centre's breach alerts itself (tested in test_supervisor_app), and their
    # projected shares depend on whether they are worked out before or after the call.
    monkeypatch.setattr(services.oversight, "keep_watch", lambda centre: None)

    async def run_before(pilot: Pilot[Any]) -> None:
        screen = await open_console(pilot)
        for key in ("f2", "f5"):
            await pilot.press(key)
            await pilot.pause()
            await until(pilot, lambda: not screen.busy)
        form = pilot.app.screen.query_one(OutcomeForm)
        await until(pilot, lambda: bool(form.forms) and bool(form.forms[0].children))
        form.forms[0].set_values(topic="CTAX-BILL", resolved="no", handoff="back-office")
        await pilot.pause(0.5)
        no_blink(pilot)

    app = DeskApp(services, "CIVIC", "1", console="snap")
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
