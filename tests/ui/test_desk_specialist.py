"""Pilot tests of a specialist's desk console (F1): the day's appointments, out of office
with a reason and back in, and calling a customer who has checked in. Real SQLite store,
the sample council (Priya Shah, SP-SHAH, works in Interview 1 at the Civic Centre)."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Label

from frontdesk.clock import VirtualClock
from frontdesk.desk.app import DeskApp
from frontdesk.desk.screens.appointments import AppointmentsScreen
from frontdesk.desk.screens.console import ConsoleScreen
from frontdesk.desk.screens.login import LoginScreen
from frontdesk.services.appointments import Booking
from frontdesk.services.results import Query
from frontdesk.services.wiring import Services
from tests.support.desk import open_console as open_as
from tests.support.desk import text, until

START = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Europe/London"))  # a Monday
LONDON = ZoneInfo("Europe/London")
DESK = "Interview 1"


@pytest.fixture
def services(council: Services) -> Services:
    council.staff.add("SHAH", "Priya Shah", "specialist", "2468", specialist="SP-SHAH")
    return council


def book_today(services: Services, type_code: str = "HB-INTERVIEW") -> Booking:
    """Book Priya Shah's first free slot of a type today, as the kiosk would."""
    slot = services.appointments.slots(type_code, centre="CIVIC", specialist="SP-SHAH")[0]
    assert slot.starts_at.astimezone(LONDON).date() == START.date()
    return services.appointments.book(
        type_code, "CIVIC", slot.starts_at, specialist="SP-SHAH", channel="kiosk"
    )


def office(db: Path) -> tuple[bool, str | None]:
    """The specialist's status as the store holds it."""
    with sqlite3.connect(db) as conn:
        in_office, reason = conn.execute(
            "SELECT in_office, status_reason FROM specialist WHERE code = 'SP-SHAH'"
        ).fetchone()
    return bool(in_office), reason


async def open_console(pilot: Pilot[object]) -> ConsoleScreen:
    return await open_as(pilot, "SHAH", "2468")


async def open_day(pilot: Pilot[object], rows: int) -> AppointmentsScreen:
    await pilot.press("f1")
    await until(pilot, lambda: isinstance(pilot.app.screen, AppointmentsScreen))
    day = pilot.app.screen
    assert isinstance(day, AppointmentsScreen)
    table = day.query_one("#day", DataTable)
    await until(pilot, lambda: table.row_count == rows and len(day.bookings) == rows)
    return day


def row(day: AppointmentsScreen, booking: Booking) -> list[str]:
    return [str(cell) for cell in day.query_one("#day", DataTable).get_row(booking.reference)]


async def test_a_specialist_sees_the_day_and_goes_out_of_office_and_back(
    services: Services, db: Path
) -> None:
    interview = book_today(services)
    callback = book_today(services, "CALLBACK")
    app = DeskApp(services, "CIVIC", DESK, console="sp-1")
    async with app.run_test(size=(110, 36)) as pilot:
        screen = await open_console(pilot)
        assert screen.ctx.specialist == "SP-SHAH"
        assert screen.check_action("appointments", ()) is True
        day = await open_day(pilot, rows=2)
        assert "SP-SHAH" in text(day.query_one(".question", Label))
        assert {b.reference for b in day.bookings} == {interview.reference, callback.reference}
        at = interview.starts_at.astimezone(LONDON).strftime("%H:%M")
        assert row(day, interview) == [
            at,
            "Housing Benefit interview",
            "booked",
            "–",
            interview.reference,
        ]
        assert row(day, callback)[1:3] == ["Phone callback", "booked"]

        # Out of office, with a reason.
        note = day.query_one("#note", Label)
        day.query_one("#reason", Input).focus()
        await pilot.press(*"Training until 2pm", "f6")
        await until(pilot, lambda: "out of the office" in text(note))
        assert office(db) == (False, "Training until 2pm")
        # The day is read again and still lists both bookings: nothing dropped silently.
        assert day.query_one("#day", DataTable).row_count == 2

        # Back in.
        await pilot.press("f5")
        await until(pilot, lambda: "You are in the office" in text(note))
        assert office(db)[0] is True
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen)
    assert [b.status for b in services.appointments.day("CIVIC", START.date(), "SP-SHAH")] == [
        "booked",
        "booked",
    ]


async def test_out_of_office_flags_a_checked_in_customer_and_a_checked_in_one_is_called(
    services: Services, db: Path, clock: VirtualClock
) -> None:
    interview = book_today(services)
    clock.advance((interview.starts_at - clock.now()).total_seconds() - 10 * 60)
    checked = services.appointments.checkin("CIVIC", interview.reference)
    app = DeskApp(services, "CIVIC", DESK, console="sp-2")
    async with app.run_test(size=(110, 36)) as pilot:
        screen = await open_console(pilot)
        day = await open_day(pilot, rows=1)
        # Words, not the store's value `checked_in`.
        assert row(day, interview)[2:4] == ["checked in", checked.ticket]
        note = day.query_one("#note", Label)

        day.query_one("#reason", Input).focus()
        await pilot.press(*"Unwell", "f6")
        await until(pilot, lambda: "out of the office" in text(note))
        assert "1 waiting customer flagged for the supervisor" in text(note)
        assert office(db) == (False, "Unwell")
        assert "Unwell" in (services.appointments.find(interview.reference).flagged or "")

        await pilot.press("f5")
        await until(pilot, lambda: "You are in the office" in text(note))
        assert office(db)[0] is True
        # Enter on the checked-in appointment calls its ticket to this desk.
        day.query_one("#day", DataTable).focus()
        await pilot.press("enter")
        await until(pilot, lambda: screen.current is not None and not screen.busy)
        assert screen.current is not None and screen.current.ticket == checked.ticket
    current = services.queue.current("CIVIC", DESK)
    assert current is not None and current.ticket == checked.ticket


async def test_an_appointment_not_checked_in_cannot_be_called_and_an_adviser_has_no_f1(
    services: Services,
) -> None:
    interview = book_today(services)
    app = DeskApp(services, "CIVIC", DESK, console="sp-3")
    async with app.run_test(size=(110, 36)) as pilot:
        screen = await open_console(pilot)
        day = await open_day(pilot, rows=1)
        day.query_one("#day", DataTable).focus()
        await pilot.press("enter")
        note = day.query_one("#note", Label)
        await until(pilot, lambda: "has not checked in" in text(note))
        assert interview.reference in text(note)
        assert app.screen is day and screen.current is None
    services.staff.add("AB", "Alice", "adviser", "1234")
    adviser = DeskApp(services, "CIVIC", "1", console="sp-4")
    async with adviser.run_test(size=(110, 36)) as pilot:
        await until(pilot, lambda: isinstance(pilot.app.screen, LoginScreen))
        await pilot.press(*"AB", "enter", *"1234", "enter")
        await until(pilot, lambda: type(pilot.app.screen).__name__ == "ChooseServicesScreen")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(pilot.app.screen, ConsoleScreen))
        console = pilot.app.screen
        assert isinstance(console, ConsoleScreen)
        assert console.check_action("appointments", ()) is False
        await pilot.press("f1")
        await pilot.pause(0.2)
        assert pilot.app.screen is console


async def test_a_seen_appointment_shows_as_attended_and_is_not_called_again(
    services: Services, clock: VirtualClock
) -> None:
    interview = book_today(services)
    clock.advance((interview.starts_at - clock.now()).total_seconds() - 5 * 60)
    services.appointments.checkin("CIVIC", interview.reference)
    clock.advance(6 * 60)
    q = services.queue
    assert q.call_next("CIVIC", DESK) is not None
    q.start("CIVIC", DESK)
    q.complete("CIVIC", DESK, [Query(resolved=True)])
    app = DeskApp(services, "CIVIC", DESK, console="sp-5")
    async with app.run_test(size=(110, 36)) as pilot:
        screen = await open_console(pilot)
        day = await open_day(pilot, rows=1)
        # Its ticket was completed: the appointment took place.
        assert row(day, interview)[2] == "attended"
        day.query_one("#day", DataTable).focus()
        await pilot.press("enter")
        note = day.query_one("#note", Label)
        await until(pilot, lambda: "nothing to call" in text(note))
        assert "attended" in text(note)
        assert app.screen is day and screen.current is None
