"""The desk console follows what others do to its customer (another console, a
supervisor, the CLI): it says so and keeps what the adviser typed as a draft."""

from __future__ import annotations

from frontdesk.clock import VirtualClock
from frontdesk.desk.app import DeskApp
from frontdesk.desk.widgets.outcome_form import OutcomeForm
from frontdesk.services.results import Query
from frontdesk.services.wiring import Services
from tests.support.desk import act, issue, message, open_console, until


async def _serving_with_typing(pilot, screen, app) -> OutcomeForm:  # type: ignore[no-untyped-def]
    await act(pilot, screen, "f2", "f5")
    form = app.screen.query_one(OutcomeForm)
    await until(pilot, lambda: bool(form.forms) and bool(form.forms[0].children))
    form.forms[0].set_values(topic="CTAX-BILL", resolved="no", handoff="other", detail="typed")
    await pilot.pause()
    return form


async def test_a_customer_completed_elsewhere_is_let_go_and_the_typing_kept(
    services: Services,
) -> None:
    ticket = issue(services)
    app = DeskApp(services, "CIVIC", "1", console="test-f1")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_console(pilot)
        form = await _serving_with_typing(pilot, screen, app)
        held = screen.current
        assert held is not None and held.ticket == ticket
        # As `frontdesk complete` would, from elsewhere.
        services.queue.complete("CIVIC", "1", [Query(resolved=True, topic="CTAX-BILL")])
        await until(pilot, lambda: screen.current is None)
        await until(pilot, lambda: "completed elsewhere" in message(app))
        assert ticket in message(app) and "kept as a draft" in message(app)
        assert not form.display
        await until(pilot, lambda: services.desks.draft("CIVIC", "1", held.id) is not None)
        draft = services.desks.draft("CIVIC", "1", held.id)
        assert draft is not None and draft["queries"][0]["detail"] == "typed"
        # And F2 is offered again rather than a form for a customer who has gone.
        assert screen.check_action("call_next", ()) is True


async def test_a_customer_transferred_elsewhere_says_where(services: Services) -> None:
    issue(services)
    app = DeskApp(services, "CIVIC", "1", console="test-f2")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_console(pilot)
        await _serving_with_typing(pilot, screen, app)
        services.queue.transfer("CIVIC", "1", service="HBEN", queries=[])
        await until(pilot, lambda: "transferred elsewhere" in message(app))
        assert "HBEN" in message(app) and screen.current is None


async def test_a_no_show_marked_elsewhere_before_the_customer_came(
    services: Services, clock: VirtualClock
) -> None:
    ticket = issue(services)
    app = DeskApp(services, "CIVIC", "1", console="test-f3")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_console(pilot)
        await act(pilot, screen, "f2")
        assert screen.current is not None and screen.current.status == "called"
        clock.advance(60)
        services.queue.no_show("CIVIC", "1")
        await until(pilot, lambda: "no-show elsewhere" in message(app))
        assert ticket in message(app) and "draft" not in message(app)


async def test_a_customer_started_from_the_cli_shows_the_form(services: Services) -> None:
    issue(services)
    app = DeskApp(services, "CIVIC", "1", console="test-f4")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_console(pilot)
        await act(pilot, screen, "f2")
        services.queue.start("CIVIC", "1")
        await until(
            pilot, lambda: screen.current is not None and screen.current.status == "serving"
        )
        await until(pilot, lambda: app.screen.query_one(OutcomeForm).display)


async def test_the_topic_chosen_at_the_kiosk_starts_the_first_query(services: Services) -> None:
    issue(services, topic="CTAX-PAY")
    app = DeskApp(services, "CIVIC", "1", console="test-f5")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_console(pilot)
        await until(pilot, lambda: screen.view is not None and len(screen.view.next_up) == 1)
        await act(pilot, screen, "f2", "f5")
        form = app.screen.query_one(OutcomeForm)
        await until(pilot, lambda: bool(form.forms) and bool(form.forms[0].children))
        await until(pilot, lambda: form.forms[0].values()["topic"] == "CTAX-PAY")
        assert form.forms[0].values()["resolved"] == ""  # the outcome is still the adviser's
