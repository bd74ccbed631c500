"""Pilot tests of the desk console: log-in, calling, serving, the outcome form."""

from __future__ import annotations

import time
from datetime import datetime
from zoneinfo import ZoneInfo

from textual.widgets import Label, Static

from frontdesk.clock import VirtualClock
from frontdesk.desk.app import DeskApp
from frontdesk.desk.screens.login import LoginScreen
from frontdesk.desk.widgets.outcome_form import OutcomeForm
from frontdesk.services.wiring import Services
from tests.support.desk import act, issue, log_in, message, open_console, until

START = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Europe/London"))


# -- log-in ---------------------------------------------------------------------------


async def test_wrong_pin_is_refused_and_repeated_failures_lock_the_code(
    services: Services,
) -> None:
    app = DeskApp(services, "CIVIC", "1", console="test-a")
    async with app.run_test(size=(100, 30)) as pilot:
        await log_in(pilot, pin="9999")
        problem = app.screen.query_one("#problem")
        await until(pilot, lambda: "not recognised" in str(problem.render()))
        for _ in range(4):
            await pilot.press(*"9999", "enter")
            await pilot.pause(0.3)
        await pilot.press(*"1234", "enter")
        await until(pilot, lambda: "too many wrong PINs" in str(problem.render()))
        assert isinstance(app.screen, LoginScreen)


async def test_a_second_console_at_the_same_desk_is_refused(services: Services) -> None:
    member = services.staff.login("AB", "1234")
    services.desks.open("CIVIC", "1", member, "elsewhere")
    app = DeskApp(services, "CIVIC", "1", console="test-b")
    async with app.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        problem = app.screen.query_one("#problem")
        await until(pilot, lambda: "already open on another console" in str(problem.render()))


# -- calling and serving --------------------------------------------------------------


async def test_call_start_and_complete_a_visit_with_two_queries(
    services: Services, clock: VirtualClock
) -> None:
    first = issue(services, needs=["interpreter:polish", "hearing-loop"])
    issue(services)
    clock.advance(120)
    app = DeskApp(services, "CIVIC", "1", console="test-c")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_console(pilot)
        await act(pilot, screen, "f2")
        assert screen.current is not None and screen.current.ticket == first
        needs = str(app.screen.query_one("#card-needs", Static).render())
        assert "INTERPRETER: POLISH" in needs and "HEARING LOOP" in needs
        await act(pilot, screen, "f5")
        assert screen.current.status == "serving"
        form = app.screen.query_one(OutcomeForm)
        await until(pilot, lambda: bool(form.forms))
        form.forms[0].set_values(topic="CTAX-BILL", resolved="yes", avoidable="chasing")
        await act(pilot, screen, "f9")
        await until(pilot, lambda: len(form.forms) == 2)
        form.forms[1].set_values(
            topic="CTAX-MOVE", resolved="no", handoff="back-office", detail="Revenues"
        )
        await pilot.pause()
        await act(pilot, screen, "f8")
        assert screen.current is None
        assert "completed with 2 queries." in message(app)
    day = START.date()
    report = services.reports.standard("CIVIC", day, day)
    assert report.figures.queries_completed == 2


async def test_the_next_customer_gets_a_blank_form_and_no_draft_until_edited(
    services: Services,
) -> None:
    issue(services)
    second = issue(services, "HBEN")
    app = DeskApp(services, "CIVIC", "1", console="test-g")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_console(pilot)
        await act(pilot, screen, "f2", "f5")
        form = app.screen.query_one(OutcomeForm)
        await until(pilot, lambda: bool(form.forms) and bool(form.forms[0].children))
        first_form = form.forms[0]
        form.forms[0].set_values(topic="CTAX-BILL", resolved="no", handoff="other", detail="x")
        await act(pilot, screen, "f9")
        await until(pilot, lambda: len(form.forms) == 2)
        form.forms[1].set_values(topic="CTAX-MOVE", resolved="yes")
        await pilot.pause(0.5)
        await act(pilot, screen, "f8")
        assert screen.current is None
        await act(pilot, screen, "f2")
        assert screen.current is not None and screen.current.ticket == second
        await act(pilot, screen, "f5")
        await until(pilot, lambda: len(form.forms) == 1)
        # The same fields, emptied, with the new customer's service's topics first.
        assert form.forms[0] is first_form
        assert not any(form.forms[0].values().values())
        assert form.forms[0].topics[0][1].startswith("HBEN")
        await pilot.pause(0.5)
        assert services.desks.draft("CIVIC", "1", screen.current.id) is None
        form.forms[0].set_values(topic=form.forms[0].topics[0][1])
        await until(
            pilot, lambda: services.desks.draft("CIVIC", "1", screen.current.id) is not None
        )


async def test_the_queue_panel_follows_tickets_issued_elsewhere_within_a_second(
    services: Services,
) -> None:
    app = DeskApp(services, "CIVIC", "1", console="test-h")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_console(pilot)
        # One change after a quiet spell, then a burst: each is on the panel within a
        # second (and some room for a loaded test machine), the burst's last one too.
        for burst in (1, 4):
            expected = len(screen.view.next_up) + burst if screen.view else burst
            for _ in range(burst):
                issue(services)
            t0 = time.monotonic()
            await until(
                pilot,
                lambda n=expected: screen.view is not None and len(screen.view.next_up) == n,
            )
            assert time.monotonic() - t0 < 1.5


async def test_completing_without_an_outcome_is_refused_and_says_what_is_missing(
    services: Services,
) -> None:
    issue(services)
    app = DeskApp(services, "CIVIC", "1", console="test-d")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_console(pilot)
        await act(pilot, screen, "f2")
        await act(pilot, screen, "f5")
        await act(pilot, screen, "f8")
        assert "record at least one query" in message(app)
        form = app.screen.query_one(OutcomeForm)
        form.forms[0].set_values(topic="CTAX-BILL", resolved="no")
        await act(pilot, screen, "f8")
        assert "choose the hand-off" in message(app)
        assert screen.current is not None and screen.current.status == "serving"


async def test_recall_then_no_show(services: Services, clock: VirtualClock) -> None:
    ticket = issue(services)
    app = DeskApp(services, "CIVIC", "1", console="test-e")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_console(pilot)
        await act(pilot, screen, "f2")
        await act(pilot, screen, "f4")
        assert f"Recalled {ticket}" in message(app)
        # Too soon after the (re)call: they may be on their way to the desk.
        await act(pilot, screen, "f6")
        assert "can be marked 60 s after the call" in message(app)
        await until(pilot, lambda: screen.current is not None)
        assert screen.current.ticket == ticket
        clock.advance(60)
        await act(pilot, screen, "f6")
        assert screen.current is None
        assert "no-show" in message(app)
    assert services.queue.current("CIVIC", "1") is None


async def test_nobody_waiting_says_so(services: Services) -> None:
    app = DeskApp(services, "CIVIC", "1", console="test-f")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_console(pilot)
        await act(pilot, screen, "f2")
        assert "Nobody is waiting" in message(app)


async def test_pause_with_a_reason_then_resume_and_close(services: Services) -> None:
    app = DeskApp(services, "CIVIC", "1", console="test-g")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_console(pilot)
        await pilot.press("f12")
        await until(pilot, lambda: type(app.screen).__name__ == "PauseScreen")
        await pilot.press("tab", *"Training", "enter")
        await until(pilot, lambda: screen.paused == "Training")
        assert "PAUSED (Training)" in str(screen.query_one("#desk-status", Static).render())
        assert screen.check_action("call_next", ()) is False
        # The empty card no longer invites the adviser to call the next one.
        empty = str(screen.query_one("#card-empty", Label).render())
        assert "Call the next one" not in empty and "paused (Training)" in empty
        await act(pilot, screen, "f12")
        assert screen.paused is None
        assert "Call the next one" in str(screen.query_one("#card-empty", Label).render())
        await pilot.press("ctrl+q")
        await until(pilot, lambda: not app.is_running)
    # The desk is free for another console at once.
    member = services.staff.login("AB", "1234")
    services.desks.open("CIVIC", "1", member, "another")


async def test_the_footer_shows_the_keys_that_apply_without_rebuilding_itself(
    services: Services,
) -> None:
    from frontdesk.desk.widgets.footer import DeskFooter

    issue(services)
    app = DeskApp(services, "CIVIC", "1", console="test-f")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_console(pilot)
        footer = screen.query_one(DeskFooter)
        await until(pilot, lambda: bool(footer._keys))
        keys = dict(footer._keys)

        def shown() -> set[str]:
            return {action for (_key, action), key in footer._keys.items() if key.display}

        # Every key is built from the start (the later ones hidden), so calling, starting
        # and completing only show and hide them.
        assert {"call_next", "start", "complete", "pause", "resume"} <= {a for _, a in keys}
        assert {"call_next", "call_ticket", "pause"} <= shown()
        assert "start" not in shown()
        await act(pilot, screen, "f2")
        assert {"recall", "start", "no_show"} <= shown() and "call_next" not in shown()
        await act(pilot, screen, "f5")
        assert {"complete", "transfer"} <= shown() and "start" not in shown()
        assert footer._keys == keys


async def test_the_service_chooser_says_in_words_what_is_served_and_in_which_order(
    services: Services,
) -> None:
    from textual.widgets import SelectionList

    from frontdesk.desk.screens.choose import ChooseServicesScreen

    app = DeskApp(services, "CIVIC", "1", console="choose")
    async with app.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await until(pilot, lambda: isinstance(app.screen, ChooseServicesScreen))
        chooser = app.screen.query_one("#services", SelectionList)

        def labels() -> list[str]:
            return [str(chooser.get_option_at_index(i).prompt) for i in range(chooser.option_count)]

        before = labels()
        assert before[0].startswith("1. serving — ") and before[1].startswith("2. serving — ")
        assert before[-1].startswith("–  not today — ")
        # Untick the first service: it says so, and the next one is now called first.
        await pilot.press("space")
        await until(pilot, lambda: labels()[0].startswith("–  not today — "))
        assert labels()[1].startswith("1. serving — ")
