"""Lockdown, the administrator's way out, the idle reset and greeter mode."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from frontdesk.clock import VirtualClock
from frontdesk.kiosk.screens.estimate import EstimateScreen
from frontdesk.kiosk.screens.flow import NeedsScreen, ServicesScreen, TopicsScreen
from frontdesk.kiosk.screens.language import WelcomeScreen
from frontdesk.kiosk.screens.staff import AdminExitScreen, GreeterHomeScreen, StaffLoginScreen
from frontdesk.kiosk.screens.ticket import TicketScreen
from frontdesk.services.wiring import Services
from frontdesk.ui.i18n import language
from tests.support.kiosk import kiosk_app, wait_for, wait_for_screen


@pytest.fixture
def store(store: Services) -> Services:
    """The shared store, with a supervisor and an adviser who may sign in."""
    store.staff.add("SUP1", "Sam Supervisor", "supervisor", "2468")
    store.staff.add("ADV1", "Alex Adviser", "adviser", "1357")
    return store


async def test_no_key_leaves_the_kiosk(store: Services) -> None:
    app = kiosk_app(store)
    assert app.ENABLE_COMMAND_PALETTE is False
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, WelcomeScreen)
        await pilot.press("ctrl+q", "ctrl+c", "ctrl+p", "ctrl+z", "escape")
        await pilot.pause(0.2)
        assert app.is_running and isinstance(app.screen, WelcomeScreen)
        assert app.return_code is None


async def test_the_exit_sequence_needs_a_supervisor_pin(store: Services) -> None:
    app = kiosk_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, WelcomeScreen)
        await pilot.press("f9", "f9", "f9")
        screen = await wait_for_screen(pilot, AdminExitScreen)
        await pilot.press(*"ADV1", "enter", *"1357", "enter")
        # An adviser's valid code and PIN get the same answer as a wrong one.
        notice = screen.query_one("#notice")
        await wait_for(pilot, lambda: "not recognised" in str(notice.render()))
        assert app.is_running
        await pilot.press("escape")
        await wait_for_screen(pilot, WelcomeScreen)
        await pilot.press("f9", "f9", "f9")
        await wait_for_screen(pilot, AdminExitScreen)
        await pilot.press(*"SUP1", "enter", *"2468", "enter")
        await wait_for(pilot, lambda: app._exit, timeout=5)


async def test_idle_visitor_is_forgotten_after_a_visible_countdown(store: Services) -> None:
    app = kiosk_app(store, idle_seconds=45)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, WelcomeScreen)
        await pilot.press("3")  # Polski
        await wait_for_screen(pilot, ServicesScreen)
        await pilot.press("1")
        await wait_for_screen(pilot, TopicsScreen)
        await pilot.press("1")
        await wait_for_screen(pilot, NeedsScreen)
        await pilot.press("1")
        assert app.visit.needs == {"private-room"}
        app.tick(30)
        countdown = app.screen.query_one("#countdown")
        assert countdown.has_class("-hidden")
        app.tick(6)
        await pilot.pause()
        assert not countdown.has_class("-hidden")
        assert "9" in str(countdown.render())
        await pilot.press("tab")  # the visitor is still here
        assert countdown.has_class("-hidden") and app.idle.idle_seconds == 0
        app.tick(44)
        await pilot.pause()
        assert "1" in str(countdown.render())
        app.tick(1)
        await wait_for_screen(pilot, WelcomeScreen)
        assert app.visit.service is None and app.visit.needs == set()
        assert language() == "en"
        assert len(app.screen_stack) == 2


async def test_greeter_issues_with_a_note_priority_and_first_assessed_time(
    store: Services, clock: VirtualClock
) -> None:
    app = kiosk_app(store, greeter=True)
    async with app.run_test(size=(100, 30)) as pilot:
        login = await wait_for_screen(pilot, StaffLoginScreen)
        await pilot.press(*"ADV1", "enter", *"0000", "enter")
        await wait_for(pilot, lambda: "not recognised" in str(login.query_one("#notice").render()))
        await pilot.press(*"ADV1", "enter", *"1357", "enter")
        home = await wait_for_screen(pilot, GreeterHomeScreen)
        await wait_for(pilot, lambda: "Nobody" in str(home.query_one("#queue").render()))
        await pilot.press("1")
        await wait_for_screen(pilot, ServicesScreen)
        clock.advance(90)
        await pilot.press("3")  # Housing Options
        await wait_for_screen(pilot, TopicsScreen)
        await pilot.press("1")
        await wait_for_screen(pilot, NeedsScreen)
        await pilot.press("6")
        await wait_for(pilot, lambda: not isinstance(app.screen, NeedsScreen))
        await pilot.press("4")  # Homeless tonight
        await wait_for_screen(pilot, NeedsScreen)
        await pilot.click("#note")
        await pilot.press(*"Came with two children")
        await pilot.press("tab", "tab")
        app.screen.chosen("continue")  # type: ignore[attr-defined]
        estimate = await wait_for_screen(pilot, EstimateScreen)
        await wait_for(pilot, lambda: estimate.estimate is not None)
        estimate.take_ticket()
        await wait_for_screen(pilot, TicketScreen)
        app.screen.chosen("finish")  # type: ignore[attr-defined]
        home = await wait_for_screen(pilot, GreeterHomeScreen)
        await wait_for(pilot, lambda: "H001" in str(home.query_one("#queue").render()))
        assert app.idle.enabled is False
        await pilot.press("ctrl+q")  # greeter mode is not locked down
        await wait_for(pilot, lambda: app._exit)
    with store.engine.connect() as conn:
        row = conn.execute(text("SELECT channel, note, priority FROM ticket")).one()
    assert row.channel == "greeter" and row.priority == "HOMELESS-TODAY"
    assert row.note.startswith("Came with two children\nFirst assessed 2026-03-02T09:00:00")
    assert row.note.endswith("by ADV1")


async def test_greeter_marks_a_quick_query_for_the_desks_to_comb(store: Services) -> None:
    from frontdesk.kiosk.screens.quick import QuickQueryScreen

    store.queue.issue("CIVIC", "CTAX")
    second = store.queue.issue("CIVIC", "CTAX")
    app = kiosk_app(store, greeter=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, StaffLoginScreen)
        await pilot.press(*"ADV1", "enter", *"1357", "enter")
        home = await wait_for_screen(pilot, GreeterHomeScreen)
        await wait_for(pilot, lambda: "C002" in str(home.query_one("#queue").render()))
        await pilot.press("2")  # Mark a quick query
        quick = await wait_for_screen(pilot, QuickQueryScreen)
        await pilot.press("2")  # the second longest-waiting: C002
        await wait_for(pilot, lambda: "C002" in str(quick.query_one("#marked").render()))
    details = store.queue.waiting_details("CIVIC")
    assert details[second.id].quick is True
    assert [d.quick for d in details.values()].count(True) == 1
