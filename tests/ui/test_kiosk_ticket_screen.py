"""The ticket screen is kept between visitors and refilled: each visitor still sees (and
prints) only their own ticket, in their own language."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from frontdesk.devices.fakes import FakeTicketPrinter
from frontdesk.devices.printer_status import PrinterStatus
from frontdesk.kiosk.screens.ticket import TicketScreen
from frontdesk.kiosk.widgets.qr_code import QRCode
from frontdesk.services.kiosk import PrintOutcome
from frontdesk.services.wiring import Services
from frontdesk.ui.bigtext import BigText, render_lines
from tests.support.kiosk import (
    kiosk_app,
    take_ticket_by_keys,
    wait_for,
)


async def take_ticket(pilot: Pilot[None], language_key: str = "1") -> TicketScreen:
    """From the welcome screen to a printed ticket, by number keys."""
    ticket: TicketScreen = await take_ticket_by_keys(pilot, language_key)
    await wait_for(pilot, lambda: ticket.outcome is not None)
    return ticket


def shown(screen: TicketScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def test_the_next_visitor_sees_and_prints_their_own_ticket(store: Services) -> None:
    printer = FakeTicketPrinter()
    app = kiosk_app(store, printer)
    async with app.run_test(size=(120, 40)) as pilot:
        first = await take_ticket(pilot)
        first_slip = first.slip
        await pilot.press("1")  # Finish
        second = await take_ticket(pilot)
        assert second is first  # refilled, not built again
        slip = second.slip
        assert slip.ticket != first_slip.ticket
        assert second.query_one("#number", BigText).text == slip.ticket
        assert shown(second, "#ticket-service") == slip.service_name
        assert slip.issued_at_text in shown(second, "#ticket-issued")
        qr = second.query_one("#ticket-qr", QRCode)
        assert qr.payload == slip.qr_payload != first_slip.qr_payload
        assert qr.lines == QRCode.lines_for(slip.qr_payload)
        assert "take your printed ticket" in shown(second, "#print-status")
        assert second.focused is next(second.body_choices())  # the next visitor starts on Finish
    assert printer.slips == [first_slip, slip]


async def test_a_late_print_answer_for_the_last_visitor_is_ignored(store: Services) -> None:
    app = kiosk_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        first = await take_ticket(pilot)
        first_slip = first.slip
        await pilot.press("1")
        second = await take_ticket(pilot)
        assert second.outcome is not None and second.outcome.printed
        second.post_message(
            TicketScreen.Printed(first_slip, PrintOutcome(False, PrinterStatus.PAPER_OUT))
        )
        await pilot.pause()
        assert second.outcome.printed
        assert "take your printed ticket" in shown(second, "#print-status")


async def test_a_visitor_in_another_language_gets_a_ticket_screen_in_it(store: Services) -> None:
    app = kiosk_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        first = await take_ticket(pilot)
        await pilot.press("1")
        second = await take_ticket(pilot, language_key="3")  # Polski
        assert second is not first
        assert not first.is_attached  # the English one is let go
        assert "Oto Twój bilet" in str(second.query_one("#title", Static).render())
        await pilot.press("1")
        third = await take_ticket(pilot)
        assert third is not second
        assert "Here is your ticket" in str(third.query_one("#title", Static).render())


async def test_with_a_public_address_the_code_opens_the_visitors_page(store: Services) -> None:
    printer = FakeTicketPrinter()
    app = kiosk_app(store, printer, public_base_url="https://queue.example.gov.uk")
    async with app.run_test(size=(120, 40)) as pilot:
        ticket = await take_ticket(pilot)
        qr = ticket.query_one("#ticket-qr", QRCode)
        assert qr.payload.startswith("https://queue.example.gov.uk/t/")
        page = store.visitors.followed([qr.payload.rsplit("/", 1)[1]])
        assert [t.ticket for t in page.values()] == [ticket.slip.ticket]
        assert qr.lines == QRCode.lines_for(qr.payload)  # the code drawn is that address
    assert [slip.qr_payload for slip in printer.slips] == [qr.payload]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_number_is_in_large_type_beside_the_code(
    store: Services, size: tuple[int, int]
) -> None:
    app = kiosk_app(store)
    async with app.run_test(size=size) as pilot:
        ticket = await take_ticket(pilot)
        await pilot.pause()
        number = ticket.query_one("#number", BigText)
        drawn = str(number.render()).splitlines()
        # Drawn in the big dot font (at least four rows high), not as one line of body text.
        assert drawn in (render_lines(ticket.slip.ticket, 2), render_lines(ticket.slip.ticket, 1))
        assert len(drawn) >= 4
        # Beside the QR code: side by side, both on screen.
        qr = ticket.query_one("#ticket-qr", QRCode)
        assert number.region.right <= qr.region.x
        assert number.region.y < qr.region.bottom and qr.region.y < number.region.bottom
