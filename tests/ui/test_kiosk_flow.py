"""The visitor's way through the kiosk, driven by number keys, touch and a scanner."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

from frontdesk.clock import VirtualClock
from frontdesk.devices.fakes import FakeTicketPrinter
from frontdesk.kiosk.screens.appointments import CheckinScreen, LateScreen
from frontdesk.kiosk.screens.base import KioskScreen
from frontdesk.kiosk.screens.booking import BookTypeScreen, ContactScreen, SlotScreen
from frontdesk.kiosk.screens.estimate import EstimateScreen
from frontdesk.kiosk.screens.flow import NeedsScreen, ServicesScreen, TopicsScreen
from frontdesk.kiosk.screens.language import ClosedScreen, LanguageScreen, WelcomeScreen
from frontdesk.kiosk.screens.ticket import TicketScreen
from frontdesk.kiosk.widgets.choice_button import ChoiceButton
from frontdesk.kiosk.widgets.qr_code import QRCode
from frontdesk.services.wiring import Services
from tests.support.kiosk import (
    kiosk_app,
    wait_for,
    wait_for_screen,
    walk_to_estimate,
)


def choices(screen: KioskScreen) -> list[object]:
    return [b.value for b in screen.body_choices()]


async def to_estimate(pilot, service_key: str = "1", topic_key: str = "1") -> EstimateScreen:  # type: ignore[no-untyped-def]
    screen: EstimateScreen = await walk_to_estimate(pilot, "1", service_key, topic_key)
    await wait_for(pilot, lambda: screen.estimate is not None)
    return screen


async def test_a_ticket_by_number_keys_shows_the_wait_before_committing(store: Services) -> None:
    printer = FakeTicketPrinter()
    app = kiosk_app(store, printer)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, WelcomeScreen)
        await pilot.press("1")
        await wait_for_screen(pilot, ServicesScreen)
        await pilot.press("1")  # Council Tax
        await wait_for_screen(pilot, TopicsScreen)
        await pilot.press("2")  # I've moved house
        needs = await wait_for_screen(pilot, NeedsScreen)
        await pilot.press("1", "3")  # a private room, BSL
        assert [b.checked for b in needs.body_choices()][:3] == [True, False, True]
        await pilot.press("7")
        screen = await wait_for_screen(pilot, EstimateScreen)
        await wait_for(pilot, lambda: screen.estimate is not None)
        assert store.queue.snapshot("CIVIC").waiting == ()  # nothing committed yet
        assert "wait" in str(screen.query_one("#wait").render()).lower() or screen.estimate
        await pilot.press("1")
        ticket = await wait_for_screen(pilot, TicketScreen)
        await wait_for(pilot, lambda: ticket.outcome is not None)
    waiting = store.queue.snapshot("CIVIC").waiting
    assert [(w.ticket, w.service, w.needs) for w in waiting] == [
        ("C001", "CTAX", ("bsl", "private-room"))
    ]
    assert ticket.slip.ticket == "C001"
    assert printer.slips == [ticket.slip]
    assert ticket.outcome is not None and ticket.outcome.printed


async def test_the_qr_code_carries_the_ticket_token(store: Services) -> None:
    app = kiosk_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await to_estimate(pilot)
        await pilot.press("1")
        ticket = await wait_for_screen(pilot, TicketScreen)
        qr = ticket.query_one("#ticket-qr", QRCode)
        assert qr.payload == ticket.slip.qr_payload
        assert len(qr.payload) >= 16


class SlowQueue:
    """The queue service, but issuing waits until the test lets it go: the second tap and
    the keys are pressed while the first ticket is still being issued, however slow the
    machine."""

    def __init__(self, inner: object) -> None:
        self.inner = inner
        self.go = threading.Event()

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)

    def issue(self, *args: object, **kwargs: object) -> object:
        self.go.wait(60)
        return self.inner.issue(*args, **kwargs)  # type: ignore[attr-defined]


async def test_a_double_tap_issues_one_ticket(store: Services) -> None:
    slow = SlowQueue(store.queue)
    app = kiosk_app(replace(store, queue=slow))  # type: ignore[arg-type]
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await to_estimate(pilot)
        button = next(screen.body_choices())
        await pilot.click(button)
        assert button.disabled
        await pilot.click(button)
        await pilot.press("1", "enter")
        slow.go.set()
        await wait_for_screen(pilot, TicketScreen)
        await pilot.pause(0.5)
    assert len(store.queue.snapshot("CIVIC").waiting) == 1


async def test_touch_takes_a_ticket(store: Services) -> None:
    app = kiosk_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        welcome = await wait_for_screen(pilot, WelcomeScreen)
        await pilot.click(next(welcome.body_choices()))
        services = await wait_for_screen(pilot, ServicesScreen)
        await pilot.click(list(services.body_choices())[7])  # General enquiries
        topics = await wait_for_screen(pilot, TopicsScreen)
        await pilot.click(next(topics.body_choices()))
        needs = await wait_for_screen(pilot, NeedsScreen)
        await pilot.click(list(needs.body_choices())[-1])
        estimate = await wait_for_screen(pilot, EstimateScreen)
        await wait_for(pilot, lambda: estimate.estimate is not None)
        await pilot.click(next(estimate.body_choices()))
        await wait_for_screen(pilot, TicketScreen)
    assert [w.ticket for w in store.queue.snapshot("CIVIC").waiting] == ["G001"]


async def test_interpreter_language_and_priority_reason_go_on_the_ticket(store: Services) -> None:
    app = kiosk_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, WelcomeScreen)
        await pilot.press("1")
        await wait_for_screen(pilot, ServicesScreen)
        await pilot.press("8")
        await wait_for_screen(pilot, TopicsScreen)
        await pilot.press("1")
        needs = await wait_for_screen(pilot, NeedsScreen)
        await pilot.press("2")
        await wait_for_screen(pilot, KioskScreen)
        await pilot.press("1")  # Polish
        await wait_for_screen(pilot, NeedsScreen)
        interpreter = list(needs.body_choices())[1]
        assert interpreter.checked and interpreter.label == "An interpreter: Polish"
        await pilot.press("6")
        await wait_for(pilot, lambda: app.screen is not needs)
        await pilot.press("3")  # Carer with young children
        await wait_for_screen(pilot, NeedsScreen)
        await pilot.press("7")
        estimate = await wait_for_screen(pilot, EstimateScreen)
        await wait_for(pilot, lambda: estimate.estimate is not None)
        await pilot.press("1")
        await wait_for_screen(pilot, TicketScreen)
    (entry,) = store.queue.snapshot("CIVIC").waiting
    assert entry.needs == ("interpreter:polish",)
    assert entry.priority == "CARER-CHILD"


async def test_over_the_standard_the_alternatives_come_first_in_order(
    store: Services, clock: VirtualClock, open_desks: Callable[[Services, str], None]
) -> None:
    for _ in range(25):
        store.queue.issue("CIVIC", "HBEN")
    open_desks(store, "GATEFIELD")  # a centre is only suggested where desks serve HBEN
    app = kiosk_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await to_estimate(pilot, service_key="2", topic_key="1")  # HBEN, new claim
        assert screen.estimate is not None and screen.estimate.over_standard
        assert choices(screen) == ["book", "callback", "elsewhere", "online", "take"]
        assert screen.query_one("#over").has_class("warning")
        await pilot.press("4")
        await wait_for(pilot, lambda: app.screen is not screen)
        qr = app.screen.query_one("#self-service-qr", QRCode)
        assert qr.payload == "https://www.northshire.example.gov.uk/benefits/claim"
        await pilot.press("escape")
        await wait_for_screen(pilot, EstimateScreen)
        await pilot.press("3")
        await wait_for(pilot, lambda: app.screen is not screen)
        assert "Gatefield" in str(app.screen.query_one("#title").render())
        await pilot.press("escape")
        await wait_for_screen(pilot, EstimateScreen)
        await pilot.press("2")  # a callback at a chosen time
        slots = await wait_for_screen(pilot, SlotScreen)
        assert slots.kind.code == "CALLBACK"
        await pilot.press("1")
        contact = await wait_for_screen(pilot, ContactScreen)
        book = next(contact.body_choices())
        await pilot.click(book)  # no phone number yet
        assert "phone number" in str(contact.query_one("#notice").render())
        await pilot.click("#phone")
        await pilot.press(*"01632 960123")
        await pilot.click(book)
        booked = await wait_for_screen(pilot, TicketScreen)
    assert booked.slip.kind == "appointment"
    assert store.appointments.find(booked.slip.ticket).type == "CALLBACK"
    assert len(store.queue.snapshot("CIVIC").waiting) == 25  # no ticket was taken


async def test_language_can_be_changed_on_every_screen(store: Services) -> None:
    app = kiosk_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, WelcomeScreen)
        await pilot.press("2")  # Cymraeg
        services = await wait_for_screen(pilot, ServicesScreen)
        assert str(services.query_one("#title").render()) == "Am beth ydych chi wedi dod?"
        await pilot.press("0")
        await wait_for_screen(pilot, LanguageScreen)
        await pilot.press("3")  # Polski
        await wait_for_screen(pilot, ServicesScreen)
        await pilot.pause()
        assert str(app.screen.query_one("#title").render()) == "W jakiej sprawie przychodzisz?"
        labels = [b.label for b in app.screen.query(ChoiceButton)]
        assert "Wstecz" in labels and "Podatek lokalny (Council Tax)" in labels


async def test_escape_goes_back_and_larger_text_switches_theme(store: Services) -> None:
    app = kiosk_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, WelcomeScreen)
        await pilot.press("1")
        await wait_for_screen(pilot, ServicesScreen)
        await pilot.press("1")
        await wait_for_screen(pilot, TopicsScreen)
        await pilot.press("escape")
        await wait_for_screen(pilot, ServicesScreen)
        await pilot.press("plus")
        await pilot.pause()
        assert app.theme == "kiosk-contrast" and app.has_class("-large")
        await wait_for(pilot, lambda: app.screen.query_one("#contrast", ChoiceButton).checked)
        await pilot.press("escape")
        await wait_for_screen(pilot, WelcomeScreen)
        await pilot.press("escape")  # nowhere further back
        assert isinstance(app.screen, WelcomeScreen)


async def test_every_button_is_a_big_enough_touch_target(store: Services) -> None:
    app = kiosk_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, WelcomeScreen)
        await pilot.press("1")
        await wait_for_screen(pilot, ServicesScreen)
        for button in app.screen.query(ChoiceButton):
            assert button.size.height + 2 >= 5 or button.outer_size.height >= 5
            assert button.outer_size.width >= 20


async def test_check_in_by_scanning_the_booking_code(store: Services, clock: VirtualClock) -> None:
    slot = store.appointments.slots("HB-INTERVIEW", centre="CIVIC", limit=1)[0]
    booking = store.appointments.book("HB-INTERVIEW", "CIVIC", slot.starts_at, channel="cli")
    clock.set(slot.starts_at - timedelta(minutes=5))
    app = kiosk_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, WelcomeScreen)
        await pilot.press("5")
        await wait_for_screen(pilot, CheckinScreen)
        await pilot.press(*booking.token, "enter")  # a scanner types, then Enter
        ticket = await wait_for_screen(pilot, TicketScreen)
    assert ticket.slip.kind == "checkin"
    assert store.appointments.find(booking.reference).status == "checked_in"


async def test_check_in_problems_are_explained(store: Services, clock: VirtualClock) -> None:
    slot = store.appointments.slots("HB-INTERVIEW", centre="CIVIC", limit=1)[0]
    booking = store.appointments.book("HB-INTERVIEW", "CIVIC", slot.starts_at, channel="cli")
    app = kiosk_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, WelcomeScreen)
        await pilot.press("5")
        screen = await wait_for_screen(pilot, CheckinScreen)
        await pilot.press(*"ZZZ-ZZZ", "enter")
        await wait_for(pilot, lambda: "could not find" in str(screen.query_one("#notice").render()))
        clock.set(slot.starts_at + timedelta(minutes=40))
        screen.query_one("#reference").value = booking.reference  # type: ignore[attr-defined]
        await pilot.press("enter")
        late = await wait_for_screen(pilot, LateScreen)
        assert choices(late)[-1] == "queue"


async def test_book_an_appointment_prints_a_confirmation(store: Services) -> None:
    printer = FakeTicketPrinter()
    app = kiosk_app(store, printer)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, WelcomeScreen)
        await pilot.press("6")
        kinds = await wait_for_screen(pilot, BookTypeScreen)
        assert choices(kinds)[0] == "HB-INTERVIEW"
        await pilot.press("1")
        slots = await wait_for_screen(pilot, SlotScreen)
        await wait_for(pilot, lambda: bool(slots.slots))
        await pilot.press("1")
        await wait_for_screen(pilot, ContactScreen)
        await pilot.press("tab", "tab", "1")
        ticket = await wait_for_screen(pilot, TicketScreen)
        await wait_for(pilot, lambda: ticket.outcome is not None)
    booking = store.appointments.find(ticket.slip.ticket)
    assert booking.type == "HB-INTERVIEW" and booking.token == ticket.slip.qr_payload
    assert printer.slips[0].kind == "appointment"


async def test_closed_outside_opening_hours(store: Services, clock: VirtualClock) -> None:
    clock.advance(6 * 24 * 3600)  # Sunday
    app = kiosk_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_for_screen(pilot, ClosedScreen)
        assert "08:30 on Monday 9 March" in str(screen.query_one("#subtitle").render())
        qr = screen.query_one("#self-service-qr", QRCode)
        assert qr.payload == "https://www.northshire.example.gov.uk"
