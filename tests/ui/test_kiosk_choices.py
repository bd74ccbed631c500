"""The kiosk's choices say what differs: callback times once each (whoever rings), two
specialists free at the same time by name, a refused phone number or e-mail address by
its field, and interpreters in the languages the centres file offers."""

from __future__ import annotations

from sqlalchemy import update
from textual.widgets import Input

from frontdesk.kiosk.screens.booking import ContactScreen, SlotScreen
from frontdesk.kiosk.screens.flow import InterpreterScreen
from frontdesk.kiosk.screens.language import WelcomeScreen
from frontdesk.kiosk.widgets.choice_button import ChoiceButton
from frontdesk.services.wiring import Services
from frontdesk.store.tables import Setting
from tests.support.kiosk import kiosk_app, wait_for, wait_for_screen


def labels(screen: object) -> list[str]:
    return [str(b.label) for b in screen.query(ChoiceButton)]  # type: ignore[attr-defined]


async def test_callback_times_are_offered_once_and_booked_with_whoever_is_free(
    store: Services,
) -> None:
    # At the Civic Centre Priya Shah and Yusuf Hussain both ring back callers from 10:00.
    both = store.appointments.slots("CALLBACK", centre="CIVIC", limit=30)
    assert len({o.starts_at for o in both}) < len(both)
    callback = next(t for t in store.appointments.types("CIVIC") if t.code == "CALLBACK")
    app = kiosk_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_screen(pilot, WelcomeScreen)
        app.push_screen(SlotScreen(callback))
        slots = await wait_for_screen(pilot, SlotScreen)
        await wait_for(pilot, lambda: bool(slots.slots))
        assert slots.slots is not None
        times = [s.starts_at for s in slots.slots]
        assert len(times) == 6 and len(set(times)) == 6
        shown = [label for label in labels(slots) if ":" in label]
        assert len(set(shown)) == len(shown) == 6
    # Two callers may take the same time: each is rung by one of the two specialists.
    at = next(t for t in times if sum(o.starts_at == t for o in both) > 1)
    first = store.appointments.book("CALLBACK", "CIVIC", at, phone="01632 960001")
    second = store.appointments.book("CALLBACK", "CIVIC", at, phone="01632 960002")
    assert {first.specialist, second.specialist} == {"SP-SHAH", "SP-HUSSAIN"}


async def test_two_specialists_at_the_same_time_are_told_apart(store: Services) -> None:
    interview = next(t for t in store.appointments.types("CIVIC") if t.code == "HB-INTERVIEW")
    offers = store.appointments.slots("HB-INTERVIEW", centre="CIVIC", limit=2)
    twin = type(offers[0])(**{**_fields(offers[0]), "specialist_name": "Someone Else"})
    app = kiosk_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_screen(pilot, WelcomeScreen)
        app.push_screen(SlotScreen(interview, (offers[0], twin, offers[1])))
        slots = await wait_for_screen(pilot, SlotScreen)
        await pilot.pause()
        shown = labels(slots)[:3]
        assert shown[0].endswith("· Priya Shah") and shown[1].endswith("· Someone Else")
        assert "·" not in shown[2]


def _fields(offer: object) -> dict[str, object]:
    return {name: getattr(offer, name) for name in offer.__slots__}  # type: ignore[attr-defined]


async def test_a_refused_e_mail_address_or_phone_number_is_named(store: Services) -> None:
    interview = next(t for t in store.appointments.types("CIVIC") if t.code == "HB-INTERVIEW")
    slot = store.appointments.slots("HB-INTERVIEW", centre="CIVIC", limit=1)[0]
    app = kiosk_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_screen(pilot, WelcomeScreen)
        app.push_screen(ContactScreen(interview, slot))
        contact = await wait_for_screen(pilot, ContactScreen)
        await pilot.pause()
        contact.query_one("#email", Input).value = "not an address"
        contact.chosen("book")
        notice = contact.query_one("#notice")
        await wait_for(pilot, lambda: "e-mail address" in str(notice.render()))
        assert "phone" not in str(notice.render())
        assert app.focused is contact.query_one("#email", Input)
        contact.query_one("#email", Input).value = ""
        contact.query_one("#phone", Input).value = "12"
        await wait_for(pilot, lambda: not contact.busy)
        contact.chosen("book")
        await wait_for(pilot, lambda: "phone number" in str(notice.render()))
        assert "e-mail" not in str(notice.render())
        assert app.focused is contact.query_one("#phone", Input)
    assert store.appointments.day("CIVIC", slot.starts_at.date()) == []


async def test_interpreters_are_offered_in_the_configured_languages(store: Services) -> None:
    with store.uow.write() as s:
        s.execute(
            update(Setting)
            .where(Setting.key == "queue.interpreter_languages")  # type: ignore[arg-type]
            .values(value="polish,tigrinya")
        )
    store.queue.catalogue(refresh=True)
    app = kiosk_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_screen(pilot, WelcomeScreen)
        await wait_for(pilot, lambda: app.ref.catalogue is not None)
        app.push_screen(InterpreterScreen())
        screen = await wait_for_screen(pilot, InterpreterScreen)
        await pilot.pause()
        assert [x for x in labels(screen) if x not in ("Back", "Start again")][:3] == [
            "Polish",
            "Tigrinya",
            "Another language",
        ]
