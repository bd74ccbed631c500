"""Pilot tests of the desk console: transfers, queue combing, resuming after a restart and
a store that cannot be reached."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input, Select, Static

from frontdesk.desk.app import DeskApp
from frontdesk.desk.screens.confirm import ConfirmScreen
from frontdesk.desk.screens.pick_ticket import QUICK, PickTicketScreen
from frontdesk.desk.screens.transfer import TransferScreen
from frontdesk.desk.widgets.outcome_form import OutcomeForm
from frontdesk.errors import StoreUnavailable
from frontdesk.services.wiring import Services
from tests.support.desk import act, issue, message, open_console, until

# -- transfer -------------------------------------------------------------------------


async def test_transfer_to_a_desk_with_a_note_that_travels(services: Services) -> None:
    ticket = issue(services, service="HBEN")
    app = DeskApp(services, "CIVIC", "1", console="test-t1")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_console(pilot)
        await act(pilot, screen, "f2")
        await act(pilot, screen, "f5")
        await pilot.press("f7")
        await until(pilot, lambda: isinstance(app.screen, TransferScreen))
        app.screen.query_one("#target", Select).value = "desk:Interview 1"
        app.screen.query_one("#note", Input).focus()
        await pilot.press(*"Needs a private room", "enter")
        await until(pilot, lambda: screen.current is None and not screen.busy)
        assert f"{ticket} transferred to desk Interview 1" in message(app)
    there = services.queue.call_next("CIVIC", "Interview 1")
    assert there is not None and there.ticket == ticket
    assert there.note == "Needs a private room"


async def test_transfer_to_a_service_no_desk_serves_now_warns_and_asks(
    services: Services,
) -> None:
    ticket = issue(services)
    app = DeskApp(services, "CIVIC", "1", console="test-t2")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_console(pilot)
        await act(pilot, screen, "f2")
        await act(pilot, screen, "f5")
        await pilot.press("f7")
        await until(pilot, lambda: isinstance(app.screen, TransferScreen))
        app.screen.query_one("#target", Select).value = "service:PLAN"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        question = str(app.screen.query_one(".question", Static).render())
        assert "No open desk serves PLAN" in question
        await pilot.press("y")
        await until(pilot, lambda: screen.current is None and not screen.busy)
    waiting = {w.ticket: w for w in services.queue.snapshot("CIVIC").waiting}
    assert waiting[ticket].service == "PLAN" and waiting[ticket].transferred


# -- queue combing --------------------------------------------------------------------


async def test_call_a_quick_query_from_the_combed_queue(services: Services) -> None:
    issue(services, topic="CTAX-MOVE")
    quick = issue(services, topic="CTAX-PAY")
    app = DeskApp(services, "CIVIC", "1", console="test-q")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_console(pilot)
        await until(pilot, lambda: screen.view is not None and len(screen.view.next_up) == 2)
        await pilot.press("f3")
        await until(pilot, lambda: isinstance(app.screen, PickTicketScreen))
        app.screen.query_one("#topic", Select).value = QUICK
        table = app.screen.query_one("#tickets", DataTable)
        await until(pilot, lambda: table.row_count == 1)
        table.focus()
        await pilot.press("enter")
        await until(pilot, lambda: screen.current is not None)
        assert screen.current is not None and screen.current.ticket == quick


async def test_a_ticket_already_called_elsewhere_says_so_and_calls_the_next(
    services: Services,
) -> None:
    taken = issue(services)
    second = issue(services)
    app = DeskApp(services, "CIVIC", "1", console="test-r")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_console(pilot)
        await pilot.press("f3")
        await until(pilot, lambda: isinstance(app.screen, PickTicketScreen))
        services.queue.call_ticket("CIVIC", "2", taken)  # another desk is quicker
        table = app.screen.query_one("#tickets", DataTable)
        table.focus()
        await pilot.press("enter")
        await until(pilot, lambda: screen.current is not None and not screen.busy)
        assert screen.current is not None and screen.current.ticket == second
        assert f"{taken} was already called by another desk" in message(app)


# -- never lose work ------------------------------------------------------------------


async def test_a_restarted_console_resumes_its_customer_and_half_filled_form(
    services: Services,
) -> None:
    ticket = issue(services)
    first = DeskApp(services, "CIVIC", "1", console="till-1")
    async with first.run_test(size=(100, 30)) as pilot:
        screen = await open_console(pilot)
        await act(pilot, screen, "f2")
        await act(pilot, screen, "f5")
        form = first.screen.query_one(OutcomeForm)
        await until(pilot, lambda: bool(form.forms))
        form.forms[0].set_values(topic="CTAX-BILL", feedback="comment", feedback_text="Kind")
        current = screen.current
        assert current is not None

        def saved() -> bool:
            draft = services.desks.draft("CIVIC", "1", current.id)
            return bool(draft) and draft["queries"][0]["feedback_text"] == "Kind"

        await until(pilot, saved)
    # The console is killed: a new one on the same store (same terminal) takes over.
    second = DeskApp(services, "CIVIC", "1", console="till-1")
    async with second.run_test(size=(100, 30)) as pilot:
        screen = await open_console(pilot)
        await until(pilot, lambda: screen.current is not None)
        assert screen.current is not None and screen.current.ticket == ticket
        form = second.screen.query_one(OutcomeForm)
        await until(pilot, lambda: bool(form.forms) and bool(form.forms[0].children))
        values = form.forms[0].values()
        assert values["topic"] == "CTAX-BILL" and values["feedback_text"] == "Kind"
        assert f"Resumed {ticket}" in message(second)


async def test_store_unreachable_keeps_the_form_and_retries(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    issue(services)
    real = services.queue.complete
    calls: list[int] = []

    def flaky(*args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) == 1:
            raise StoreUnavailable("database is locked")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(services.queue, "complete", flaky)
    app = DeskApp(services, "CIVIC", "1", console="test-u")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_console(pilot)
        # Long enough that the retry cannot land before the notice is read on a busy machine.
        screen.retry_seconds = 2.0
        await act(pilot, screen, "f2")
        await act(pilot, screen, "f5")
        form = app.screen.query_one(OutcomeForm)
        await until(pilot, lambda: bool(form.forms))
        form.forms[0].set_values(topic="CTAX-BILL", resolved="yes", feedback_text="")
        await pilot.pause()
        await act(pilot, screen, "f8")
        assert "Cannot reach the store" in message(app)
        assert form.forms[0].values()["topic"] == "CTAX-BILL"
        await until(pilot, lambda: screen.current is None)
        assert "completed" in message(app)
    assert len(calls) == 2
