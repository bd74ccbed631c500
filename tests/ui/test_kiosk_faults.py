"""Printer faults and a store that goes away: the visitor is never blocked or misled."""

from __future__ import annotations

from dataclasses import replace

import pytest

from frontdesk.devices.fakes import FakeNetworkPrinter, FakeTicketPrinter
from frontdesk.devices.health import DeviceStatus
from frontdesk.kiosk.app import KioskApp
from frontdesk.kiosk.launch import printer_factory
from frontdesk.kiosk.screens.estimate import EstimateScreen
from frontdesk.kiosk.screens.ticket import TicketScreen
from frontdesk.kiosk.state import KioskSettings
from frontdesk.kiosk.widgets.qr_code import QRCode
from frontdesk.services.wiring import Services
from tests.support.kiosk import (
    Outage,
    take_ticket_by_keys,
    wait_for,
    wait_for_screen,
    walk_to_estimate,
)


def app_with_printer(services: Services, port: int, **settings: object):  # type: ignore[no-untyped-def]
    from frontdesk.kiosk.app import KioskApp

    table = {
        "name": "kiosk-1",
        "printer": {"type": "network", "host": "127.0.0.1", "port": port, "timeout_seconds": 0.5},
    }
    values = {"centre": "CIVIC", "tick": False, "retry_seconds": 0.05, "printer_timeout": 3.0}
    values.update(settings)
    return KioskApp(services, KioskSettings(**values), printer_factory(table))  # type: ignore[arg-type]


async def take_ticket(pilot) -> TicketScreen:  # type: ignore[no-untyped-def]
    return await take_ticket_by_keys(pilot)  # type: ignore[no-any-return]


async def test_the_slip_reaches_a_network_printer_after_the_ticket_is_committed(
    store: Services,
) -> None:
    with FakeNetworkPrinter() as printer:
        app = app_with_printer(store, printer.port)
        async with app.run_test(size=(80, 24)) as pilot:
            ticket = await take_ticket(pilot)
            await wait_for(pilot, lambda: ticket.outcome is not None)
            assert ticket.outcome is not None and ticket.outcome.printed
            assert "Please take your printed ticket" in str(
                ticket.query_one("#print-status").render()
            )
        jobs = printer.wait_for_jobs(1)
    assert b"C001" in b"".join(jobs)
    assert ticket.slip.qr_payload.encode() in b"".join(jobs)
    health = store.devices.health.get("CIVIC/kiosk-1/printer")
    assert health is not None and health.status is DeviceStatus.ONLINE


@pytest.mark.parametrize(
    ("mode", "status"),
    [
        ("offline", DeviceStatus.OFFLINE),
        ("paper_out", DeviceStatus.PAPER_OUT),
        ("silent", DeviceStatus.UNKNOWN),
    ],
)
async def test_a_printer_fault_shows_the_ticket_on_screen_and_raises_an_alert(
    store: Services, mode: str, status: DeviceStatus
) -> None:
    with FakeNetworkPrinter(mode=mode) as printer:  # type: ignore[arg-type]
        app = app_with_printer(store, printer.port)
        async with app.run_test(size=(80, 24)) as pilot:
            ticket = await take_ticket(pilot)
            # Shown at once, before the printer has answered.
            assert ticket.query_one("#number").render() is not None
            assert ticket.query_one("#ticket-qr", QRCode).payload == ticket.slip.qr_payload
            await wait_for(pilot, lambda: ticket.outcome is not None, timeout=6)
            words = str(ticket.query_one("#print-status").render())
            assert "note your number: C001" in words
            assert ticket.query_one("#print-status").has_class("warning")
    assert [w.ticket for w in store.queue.snapshot("CIVIC").waiting] == ["C001"]
    health = store.devices.health.get("CIVIC/kiosk-1/printer")
    assert health is not None and health.status is status


async def test_no_printer_configured_means_the_ticket_on_screen(store: Services) -> None:
    from frontdesk.kiosk.app import KioskApp

    app = KioskApp(store, KioskSettings(centre="CIVIC", tick=False))
    async with app.run_test(size=(80, 24)) as pilot:
        ticket = await take_ticket(pilot)
        await wait_for(pilot, lambda: ticket.outcome is not None)
        assert "note your number" in str(ticket.query_one("#print-status").render())


async def test_store_unavailable_while_issuing_is_calm_and_retried(store: Services) -> None:
    from tests.support.kiosk import kiosk_app

    queue = Outage(store.queue, ("issue",))
    app = kiosk_app(replace(store, queue=queue))
    async with app.run_test(size=(80, 24)) as pilot:
        estimate = await walk_to_estimate(pilot)
        await wait_for(pilot, lambda: estimate.estimate is not None)
        await pilot.press("1")
        await wait_for(pilot, lambda: queue.calls.get("issue", 0) >= 3)
        assert isinstance(app.screen, EstimateScreen)  # no ticket shown that was not committed
        assert "No ticket has been taken" in str(estimate.query_one("#notice").render())
        assert store.queue.snapshot("CIVIC").waiting == ()
        queue.down = False
        ticket = await wait_for_screen(pilot, TicketScreen)
        await pilot.pause(0.3)
    assert [w.ticket for w in store.queue.snapshot("CIVIC").waiting] == [ticket.slip.ticket]


async def test_store_unavailable_for_the_estimate_is_retried(store: Services) -> None:
    from tests.support.kiosk import kiosk_app

    queue = Outage(store.queue, ("estimate",))
    app = kiosk_app(replace(store, queue=queue))
    async with app.run_test(size=(80, 24)) as pilot:
        estimate = await walk_to_estimate(pilot)
        await wait_for(pilot, lambda: queue.calls.get("estimate", 0) >= 2)
        assert "cannot reach" in str(estimate.query_one("#notice").render())
        queue.down = False
        await wait_for(pilot, lambda: estimate.estimate is not None)


async def test_print_again_after_paper_out(store: Services) -> None:
    """Paper ran out: the ticket stays on screen; once paper is back, "Print again" prints
    the same slip (the same number, no new ticket)."""
    with FakeNetworkPrinter() as printer:
        printer.mode = "paper_out"
        app = app_with_printer(store, printer.port)
        async with app.run_test(size=(80, 24)) as pilot:
            ticket = await take_ticket(pilot)
            await wait_for(pilot, lambda: ticket.outcome is not None)
            assert ticket.outcome is not None and not ticket.outcome.printed
            printer.mode = "ok"
            await pilot.press("2")  # Print again
            await wait_for(pilot, lambda: ticket.outcome is not None and ticket.outcome.printed)
        jobs = printer.wait_for_jobs(1)
    assert b"C001" in b"".join(jobs)
    assert len(store.queue.snapshot("CIVIC").waiting) == 1


async def test_a_stale_printer_alert_clears_when_the_kiosk_starts_with_a_working_printer(
    store: Services,
) -> None:
    from tests.support.kiosk import kiosk_app

    # An earlier start had no printer: its first slip raised the alert desks still show.
    without = KioskApp(store, KioskSettings(centre="CIVIC", tick=False))
    async with without.run_test(size=(80, 24)) as pilot:
        ticket = await take_ticket(pilot)
        await wait_for(pilot, lambda: ticket.outcome is not None)
    [alert] = store.devices.health.alerts("CIVIC")
    assert (alert.device_id, alert.status) == ("CIVIC/kiosk-1/printer", DeviceStatus.OFFLINE)
    assert alert.detail == "this kiosk has no ticket printer"

    # Started again with a printer that answers: the alert clears before any ticket.
    app = kiosk_app(store, FakeTicketPrinter())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: not store.devices.health.alerts("CIVIC"), timeout=10)
        health = store.devices.health.get("CIVIC/kiosk-1/printer")
        assert health is not None and health.status is DeviceStatus.ONLINE
    assert len(store.queue.snapshot("CIVIC").waiting) == 1  # the earlier ticket alone


async def test_a_printer_offline_at_start_up_raises_its_alert_at_once(
    store: Services,
) -> None:
    from tests.support.kiosk import kiosk_app

    app = kiosk_app(store, FakeTicketPrinter(mode="offline"))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: bool(store.devices.health.alerts("CIVIC")), timeout=10)
    [alert] = store.devices.health.alerts("CIVIC")
    assert alert.status is DeviceStatus.OFFLINE and "start-up" in alert.detail
