"""A refused check-in says why (issue 18, item 7): too early with the time check-in
opens, already checked in with the ticket number, cancelled, unknown reference."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from frontdesk.clock import VirtualClock
from frontdesk.kiosk.screens import WelcomeScreen
from frontdesk.kiosk.screens.appointments import CheckinScreen
from frontdesk.services.wiring import Services
from tests.support.kiosk import kiosk_app, wait_for, wait_for_screen


async def test_each_refusal_says_its_reason(store: Services, clock: VirtualClock) -> None:
    slots = store.appointments.slots("HB-INTERVIEW", centre="CIVIC", limit=20)
    later = next(s for s in slots if s.starts_at >= slots[0].starts_at + timedelta(hours=1))
    early = store.appointments.book("HB-INTERVIEW", "CIVIC", slots[0].starts_at, channel="cli")
    gone = store.appointments.book("HB-INTERVIEW", "CIVIC", later.starts_at, channel="cli")
    store.appointments.cancel(gone.reference)
    clock.set(slots[0].starts_at - timedelta(hours=2))
    app = kiosk_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, WelcomeScreen)
        await pilot.press("5")
        screen = await wait_for_screen(pilot, CheckinScreen)
        field = screen.query_one("#reference")

        def notice() -> str:
            return str(screen.query_one("#notice").render())

        async def try_reference(reference: str, expected: str) -> None:
            field.value = reference  # type: ignore[attr-defined]
            await pilot.press("enter")
            await wait_for(pilot, lambda: expected in notice())

        opens = (slots[0].starts_at - timedelta(minutes=30)).astimezone(ZoneInfo(app.ref.timezone))
        await try_reference(early.reference, f"check-in opens at {opens:%H:%M}")
        await try_reference(gone.reference, "was cancelled")
        await try_reference("ZZZ-ZZZ", "could not find")
        clock.set(slots[0].starts_at - timedelta(minutes=5))
        checked = store.appointments.checkin("CIVIC", early.reference)
        await try_reference(early.reference, "already checked in")
        assert checked.ticket in notice()
