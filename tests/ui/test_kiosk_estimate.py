"""The wait the kiosk shows is the one stored on the ticket and the one printed; with no
desk serving, it promises no time and says when a desk is expected."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from textual.widgets import Static

from frontdesk.devices.escpos_stream import printed_text
from frontdesk.devices.fakes import FakeTicketPrinter
from frontdesk.devices.slip import render_slip_bytes, wait_line
from frontdesk.kiosk import slips, words
from frontdesk.kiosk.screens.estimate import EstimateScreen
from frontdesk.kiosk.screens.ticket import TicketScreen
from frontdesk.queue.predict import said_range
from frontdesk.services.wiring import Services
from frontdesk.store import estimate_store as es
from frontdesk.ui.i18n import set_language
from tests.support.kiosk import (
    kiosk_app,
    wait_for,
    wait_for_screen,
    walk_to_estimate,
)


def text(screen: object, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())  # type: ignore[attr-defined]


def stored_interval(store: Services, ticket_id: int) -> tuple[int, int, int]:
    """(estimate, low, high) as stored on the ticket at issue."""
    day = store.clock.now().astimezone(ZoneInfo("Europe/London")).date()
    with store.uow.read() as s:
        rows = es.estimated_tickets(s, store.queue.centre("CIVIC").id, day, day)
    row = next(r for r in rows if r.id == ticket_id)
    return (
        row.estimated_wait_seconds,
        row.estimated_wait_low_seconds,
        row.estimated_wait_high_seconds,
    )


async def test_the_stored_interval_is_the_one_shown_and_printed(store: Services) -> None:
    for _ in range(9):
        store.queue.issue("CIVIC", "CTAX")
    printer = FakeTicketPrinter()
    app = kiosk_app(store, printer)
    async with app.run_test(size=(100, 30)) as pilot:
        estimate = await walk_to_estimate(pilot)  # Council Tax
        await wait_for(pilot, lambda: estimate.estimate is not None)
        shown_before = text(estimate, "#wait")
        await pilot.press(str(len(list(estimate.body_choices()))))  # take a ticket (the last)
        ticket = await wait_for_screen(pilot, TicketScreen)
        await wait_for(pilot, lambda: ticket.outcome is not None)
        shown_after = text(ticket, "#ticket-wait")
        labels = slips.slip_labels()
    (slip,) = printer.slips
    waiting = store.queue.snapshot("CIVIC").waiting
    seconds, low, high = stored_interval(store, waiting[-1].id)
    assert low <= seconds <= high
    assert shown_before == words.wait_words(low, high)
    assert shown_before.startswith("About ") and shown_before.endswith(" minutes")
    assert slip.wait_range == said_range(low, high)
    assert shown_after == wait_line(slip, labels)
    printed = printed_text(render_slip_bytes(slip, "80mm", labels))
    assert " ".join(shown_after.split()) in " ".join(printed.split())


async def test_with_no_desk_serving_no_time_is_promised(store: Services) -> None:
    for desk in ("Interview 1", "Interview 2"):  # the only desks serving Housing Options
        store.desks.set_status("CIVIC", desk, "closed", None)
    printer = FakeTicketPrinter()
    app = kiosk_app(store, printer)
    async with app.run_test(size=(120, 40)) as pilot:
        estimate: EstimateScreen = await walk_to_estimate(pilot, "1", "3")  # Housing Options
        await wait_for(pilot, lambda: estimate.estimate is not None)
        assert estimate.estimate is not None
        assert estimate.estimate.estimated_wait_seconds is None
        assert text(estimate, "#wait") == "No desk is serving this just now."
        # Monday 09:00: a specialist's pattern at Interview 1 starts again at 13:30.
        assert text(estimate, "#expected") == "A desk is expected to serve it from 13:30."
        values = [b.value for b in estimate.body_choices()]
        assert values[-1] == "take" and len(values) > 1  # the alternatives come first
        await pilot.press(str(len(values)))
        ticket = await wait_for_screen(pilot, TicketScreen)
        await wait_for(pilot, lambda: ticket.outcome is not None)
        assert not ticket.query("#ticket-wait")
    (slip,) = printer.slips
    assert slip.wait_range is None and slip.estimated_wait_minutes is None
    assert slip.extra_lines == ("No desk is serving this just now.",)
    printed = printed_text(render_slip_bytes(slip, "80mm"))
    assert "No desk is serving this just now." in printed
    assert "Estimated wait" not in printed


async def test_the_range_is_said_in_the_visitors_language(store: Services) -> None:
    for _ in range(9):
        store.queue.issue("CIVIC", "CTAX")
    app = kiosk_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        estimate = await walk_to_estimate(pilot, "3")  # Polski
        await wait_for(pilot, lambda: estimate.estimate is not None)
        shown = text(estimate, "#wait")
    set_language("en")
    assert shown.startswith("Około ") and shown.endswith(" minut")
