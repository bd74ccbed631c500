"""Pilot tests of the desk console's F10: book a follow-up appointment or a phone callback
for the customer at the desk, from the outcome form, on a real SQLite store."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Label, Select

from frontdesk.desk.app import DeskApp
from frontdesk.desk.screens.console import ConsoleScreen
from frontdesk.desk.screens.follow_up import FollowUpScreen
from frontdesk.desk.widgets.outcome_form import OutcomeForm
from frontdesk.services.wiring import Services
from tests.support.desk import message, open_console, text, until

START = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Europe/London"))  # a Monday
LONDON = ZoneInfo("Europe/London")


async def serving(pilot: Pilot[object], services: Services) -> ConsoleScreen:
    """Log in at desk 1, call the customer waiting and start serving them."""
    services.queue.issue("CIVIC", "HBEN")
    screen = await open_console(pilot)
    for key in ("f2", "f5"):
        await pilot.press(key)
        await pilot.pause()
        await until(pilot, lambda: not screen.busy)
    assert screen.current is not None and screen.current.status == "serving"
    form = screen.query_one(OutcomeForm)
    await until(pilot, lambda: bool(form.forms) and bool(form.forms[0].children))
    return screen


async def open_follow_up(pilot: Pilot[object], type_code: str) -> FollowUpScreen:
    """F10, choose the type and wait for its slots."""
    await pilot.press("f10")
    await until(pilot, lambda: isinstance(pilot.app.screen, FollowUpScreen))
    dialog = pilot.app.screen
    assert isinstance(dialog, FollowUpScreen)
    dialog.query_one("#type", Select).value = type_code
    table = dialog.query_one("#slots", DataTable)
    await until(pilot, lambda: table.row_count > 0 and bool(dialog.slots))
    assert all(slot.type == type_code for slot in dialog.slots)
    return dialog


def handoffs(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT handoff FROM ticket_event WHERE handoff IS NOT NULL").fetchall()
    return [r[0] for r in rows]


def appointment_rows(db: Path) -> list[tuple[str, str, str, str | None]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT a.reference, t.code, a.channel, a.contact_phone FROM appointment a "
            "JOIN appointment_type t ON t.id = a.type_id ORDER BY a.id"
        ).fetchall()


def stored(reference: str) -> str:
    """A reference as the store keeps it (shown as ABC-DEF, stored as ABCDEF)."""
    return reference.replace("-", "")


async def complete(pilot: Pilot[object], screen: ConsoleScreen, topic: str) -> None:
    form = screen.query_one(OutcomeForm)
    form.forms[-1].set_values(topic=topic)
    await pilot.pause()
    await pilot.press("f8")
    await pilot.pause()
    await until(pilot, lambda: screen.current is None and not screen.busy)


async def test_book_an_appointment_from_the_outcome_form(services: Services, db: Path) -> None:
    app = DeskApp(services, "CIVIC", "1", console="fu-1")
    async with app.run_test(size=(110, 36)) as pilot:
        screen = await serving(pilot, services)
        dialog = await open_follow_up(pilot, "HB-INTERVIEW")
        first = dialog.slots[0]
        # Enter on the first (highlighted) slot books it.
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is screen)
        form = screen.query_one(OutcomeForm)
        await until(pilot, lambda: form.forms[-1].values()["handoff"] == "appointment")
        values = form.forms[-1].values()
        [booking] = services.appointments.day("CIVIC", START.date(), "SP-SHAH")
        assert booking.type == "HB-INTERVIEW" and booking.status == "booked"
        assert booking.starts_at == first.starts_at
        assert values["resolved"] == "no"
        assert booking.reference in values["detail"]
        assert "Housing Benefit interview" in values["detail"]
        when = first.starts_at.astimezone(LONDON).strftime("%H:%M")
        assert when in values["detail"]
        assert f"Booked Housing Benefit interview {booking.reference}" in message(app)
        await complete(pilot, screen, "HBEN-CLAIM")
        assert "completed with 1 query." in message(app)
    assert appointment_rows(db) == [(stored(booking.reference), "HB-INTERVIEW", "desk", None)]
    [handoff] = handoffs(db)
    assert handoff.startswith("appointment: ") and booking.reference in handoff


async def test_book_a_phone_callback_needs_a_number(services: Services, db: Path) -> None:
    app = DeskApp(services, "CIVIC", "1", console="fu-2")
    async with app.run_test(size=(110, 36)) as pilot:
        screen = await serving(pilot, services)
        dialog = await open_follow_up(pilot, "CALLBACK")
        problem = dialog.query_one("#problem", Label)
        await pilot.press("enter")
        await until(pilot, lambda: "needs a phone number" in text(problem))
        assert app.screen is dialog and appointment_rows(db) == []
        phone = dialog.query_one("#phone", Input)
        assert phone.has_focus
        await pilot.press(*"07700 900123")
        dialog.query_one("#slots", DataTable).focus()
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is screen)
        form = screen.query_one(OutcomeForm)
        await until(pilot, lambda: form.forms[-1].values()["handoff"] == "callback")
        detail = form.forms[-1].values()["detail"]
        await complete(pilot, screen, "HBEN-PAYMENT")
    [(reference, code, channel, number)] = appointment_rows(db)
    assert (code, channel, number) == ("CALLBACK", "desk", "07700 900123")
    booking = services.appointments.find(reference)
    assert booking.type_name == "Phone callback" and booking.has_contact
    assert booking.reference in detail and "Phone callback" in detail
    [handoff] = handoffs(db)
    assert handoff.startswith("callback: ") and booking.reference in handoff


async def test_a_slot_just_taken_is_refused_and_the_next_slots_are_offered(
    services: Services, db: Path
) -> None:
    app = DeskApp(services, "CIVIC", "1", console="fu-3")
    async with app.run_test(size=(110, 36)) as pilot:
        screen = await serving(pilot, services)
        dialog = await open_follow_up(pilot, "HB-INTERVIEW")
        wanted = dialog.slots[0]
        # Someone else (the kiosk, another desk) books it first.
        other = services.appointments.book(
            wanted.type, "CIVIC", wanted.starts_at, specialist=wanted.specialist, channel="kiosk"
        )
        problem = dialog.query_one("#problem", Label)
        await pilot.press("enter")
        await until(pilot, lambda: "has just been taken" in text(problem))
        assert app.screen is dialog  # still choosing: nothing booked for this customer
        table = dialog.query_one("#slots", DataTable)
        # The table now offers the next free slots, without the one that has gone.
        await until(pilot, lambda: bool(dialog.slots) and dialog.slots[0] != wanted)
        assert wanted.starts_at not in [s.starts_at for s in dialog.slots]
        assert table.row_count == len(dialog.slots)
        offered = dialog.slots[0]
        when = offered.starts_at.astimezone(LONDON).strftime("%a %d %b %H:%M")
        assert table.get_row_at(0)[0] == when
        assert "has just been taken" in text(problem)  # the reason stays on screen
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is screen)
        form = screen.query_one(OutcomeForm)
        await until(pilot, lambda: form.forms[-1].values()["handoff"] == "appointment")
        detail = form.forms[-1].values()["detail"]
    rows = appointment_rows(db)
    assert [r[2] for r in rows] == ["kiosk", "desk"]
    ours = services.appointments.find(rows[1][0])
    assert services.appointments.find(rows[0][0]).reference == other.reference
    assert ours.starts_at == offered.starts_at and ours.reference != other.reference
    assert ours.reference in detail
