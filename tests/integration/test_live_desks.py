"""Two desk consoles and a now-serving board on one SQLite store, each with its own
engine as on separate machines: a call on one console appears on the board and leaves
the other console's queue within a second or so, through the change feed alone."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from textual.pilot import Pilot

from frontdesk import sample
from frontdesk.board.app import BoardApp
from frontdesk.board.widgets.calls import LatestCall
from frontdesk.clock import VirtualClock
from frontdesk.desk.app import DeskApp
from frontdesk.desk.screens.console import ConsoleScreen
from frontdesk.services.wiring import Services, initialise, open_services
from tests.support.board import FakeAnnouncer
from tests.support.desk import open_console

START = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Europe/London"))


async def until(pilot: Pilot[object], check: Callable[[], bool], timeout: float = 5.0) -> float:
    began = time.monotonic()
    for _ in range(int(timeout / 0.05)):
        if check():
            return time.monotonic() - began
        await pilot.pause(0.05)
    raise AssertionError("not there in time")


def waiting_on(screen: ConsoleScreen) -> list[str]:
    return [w.ticket for w in screen.view.next_up] if screen.view else []


async def test_a_call_on_one_console_shows_on_the_board_and_leaves_the_other_queue(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path}/t.db"
    clock = VirtualClock(START)
    setup = open_services(url, clock)
    initialise(setup, sample.council())
    setup.staff.add("AB", "Alice", "adviser", "1234")
    setup.staff.add("CD", "Chris", "adviser", "5678")
    for _ in range(3):
        setup.queue.issue("CIVIC", "CTAX")
    machines: list[Services] = [open_services(url, clock) for _ in range(3)]
    announcer = FakeAnnouncer()
    one = DeskApp(machines[0], "CIVIC", "1", console="pc-1")
    two = DeskApp(machines[1], "CIVIC", "2", console="pc-2")
    board = BoardApp(machines[2], "CIVIC", announcer=announcer)
    try:
        async with (
            one.run_test(size=(100, 30)) as p1,
            two.run_test(size=(100, 30)) as p2,
            board.run_test(size=(80, 24)) as pb,
        ):
            s1 = await open_console(p1)
            s2 = await open_console(p2, "CD", "5678")  # one adviser, one desk (issue 17)
            await until(p2, lambda: waiting_on(s2) == ["C001", "C002", "C003"])
            latest = board.query_one(LatestCall)
            await until(pb, lambda: board.last_event is not None)

            await p1.press("f2")
            await until(p1, lambda: s1.current is not None)
            assert s1.current is not None and s1.current.ticket == "C001"

            gone = await until(p2, lambda: waiting_on(s2) == ["C002", "C003"], timeout=3)
            shown = await until(
                pb, lambda: latest.call is not None and latest.call.ticket == "C001", timeout=3
            )
            assert gone < 2.0 and shown < 2.0
            assert latest.call is not None and latest.call.desk == "1"
            assert announcer.said == [("C001", "1")]

            await p2.press("f2")
            await until(p2, lambda: s2.current is not None)
            await until(pb, lambda: latest.call is not None and latest.call.ticket == "C002")
            await until(p1, lambda: waiting_on(s1) == ["C003"])
    finally:
        for svc in [*machines, setup]:
            svc.close()
