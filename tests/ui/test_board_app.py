"""Pilot tests of the now-serving board: big latest call, recent calls, chime, the
standard line, and never anything personal."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from textual.pilot import Pilot

from frontdesk import sample
from frontdesk.board.app import BoardApp, standard_line
from frontdesk.board.widgets.calls import LatestCall, RecentCalls
from frontdesk.clock import VirtualClock
from frontdesk.services.results import Query
from frontdesk.services.wiring import Services, initialise, open_services
from frontdesk.ui.bigtext import BigText, render_lines
from tests.support.board import FakeAnnouncer

START = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock(START)


@pytest.fixture
def services(tmp_path: Path, clock: VirtualClock) -> Iterator[Services]:
    svc = open_services(f"sqlite:///{tmp_path}/t.db", clock)
    initialise(svc, sample.council())
    yield svc
    svc.close()


async def until(pilot: Pilot[object], check: Callable[[], bool], timeout: float = 5.0) -> None:
    for _ in range(int(timeout / 0.05)):
        if check():
            return
        await pilot.pause(0.05)
    raise AssertionError("the board did not get there in time")


def screen_text(app: BoardApp) -> str:
    return "\n".join(str(w.render()) for w in app.screen.query("*") if not w.children)


async def test_a_new_call_is_shown_large_and_announced(
    services: Services, clock: VirtualClock
) -> None:
    services.queue.issue("CIVIC", "CTAX")
    services.queue.issue("CIVIC", "HBEN")
    services.queue.call_next("CIVIC", "1")
    clock.advance(30)
    fake = FakeAnnouncer()
    app = BoardApp(services, "CIVIC", announcer=fake)
    async with app.run_test(size=(80, 24)) as pilot:
        latest = app.query_one(LatestCall)
        await until(pilot, lambda: latest.call is not None)
        assert latest.call is not None and latest.call.ticket == "C001"
        assert fake.said == []  # calls made before the board started are not re-announced
        services.queue.call_next("CIVIC", "Interview 1")
        await until(pilot, lambda: latest.call is not None and latest.call.ticket == "B001")
        assert fake.said == [("B001", "Interview 1")]
        assert app.query_one("#latest-ticket", BigText).text == "B001"
        recent = app.query_one(RecentCalls)
        assert [c.ticket for c in recent.calls] == ["C001"]
        clock.advance(30)
        services.queue.recall("CIVIC", "1")
        await until(pilot, lambda: len(fake.said) == 2)
        assert fake.said[-1] == ("C001", "1")
        # The recall is the latest call, marked as called again, and C001 is not also
        # listed among the recent calls.
        await until(pilot, lambda: latest.call is not None and latest.call.ticket == "C001")
        assert latest.call is not None and latest.call.recall
        await until(pilot, lambda: [c.ticket for c in recent.calls] == ["B001"])
        calls = services.queue.recent_calls("CIVIC")
        assert [c.ticket for c in calls] == ["C001", "B001"]
    assert fake.closed


async def test_the_board_never_shows_personal_data(services: Services, clock: VirtualClock) -> None:
    services.queue.issue(
        "CIVIC",
        "CTAX",
        needs=["interpreter:polish", "private-room"],
        priority="ASSIST",
        note="Mrs Jones, 07700 900123",
    )
    services.queue.call_next("CIVIC", "1")
    app = BoardApp(services, "CIVIC", announcer=FakeAnnouncer())
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app.query_one(LatestCall).call is not None)
        await pilot.pause()
        text = screen_text(app).lower()
        for secret in ("jones", "07700", "polish", "interpreter", "private", "assist"):
            assert secret not in text


async def test_the_standard_line_shows_today_against_the_standard(
    services: Services, clock: VirtualClock
) -> None:
    services.queue.issue("CIVIC", "CTAX")
    clock.advance(120)
    services.queue.call_next("CIVIC", "1")
    services.queue.start("CIVIC", "1")
    services.queue.complete("CIVIC", "1", [Query(resolved=True)])
    app = BoardApp(services, "CIVIC", announcer=FakeAnnouncer())
    async with app.run_test(size=(80, 24)) as pilot:
        line = app.query_one("#standard")
        await until(pilot, lambda: "Today:" in str(line.render()))
        assert str(line.render()) == (
            "Today: 100% seen within 10 minutes · our standard: 95% within 10 minutes"
        )


def test_standard_line_before_anyone_is_seen(services: Services) -> None:
    report = services.reports.standard("CIVIC", START.date(), START.date())
    assert standard_line(report).startswith("Today: nobody seen yet")


def test_big_letters_cover_every_ticket_prefix() -> None:
    lines = render_lines("CBHTPWRG0123456789", 1)
    assert len(lines) == 4 and all(len(line) == len(lines[0]) for line in lines)


async def test_the_standard_line_can_cover_this_month(tmp_path: Path, clock: VirtualClock) -> None:
    """A centre's `board_period = "month"`: the line counts the month so far."""
    council = sample.council_text().replace(
        'code = "CIVIC"\n', 'code = "CIVIC"\nboard_period = "month"\n', 1
    )
    (tmp_path / "council.toml").write_text(council, encoding="utf-8")
    svc = open_services(f"sqlite:///{tmp_path}/m.db", clock)
    try:
        initialise(svc, tmp_path / "council.toml")
        for wait in (120, 900):  # one seen in time, one after 15 minutes
            svc.queue.issue("CIVIC", "CTAX")
            clock.advance(wait)
            svc.queue.call_next("CIVIC", "1")
            svc.queue.start("CIVIC", "1")
            svc.queue.complete("CIVIC", "1", [Query(resolved=True)])
        clock.advance(3 * 24 * 3600)  # Thursday: nobody seen today
        app = BoardApp(svc, "CIVIC", announcer=FakeAnnouncer())
        async with app.run_test(size=(80, 24)) as pilot:
            line = app.query_one("#standard")
            await until(pilot, lambda: "This month:" in str(line.render()))
            assert str(line.render()) == (
                "This month: 50% seen within 10 minutes · our standard: 95% within 10 minutes"
            )
    finally:
        svc.close()


def test_standard_line_says_which_period(services: Services) -> None:
    report = services.reports.standard("CIVIC", START.date(), START.date())
    assert standard_line(report, "week").startswith("This week: nobody seen yet")
