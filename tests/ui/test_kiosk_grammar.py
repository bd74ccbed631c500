"""The kiosk's sentences put the centre's name and the day in the form each language's
grammar needs (issue 18, item 15), from the sample council's `[centre.names]`."""

from __future__ import annotations

from textual.widgets import Static

from frontdesk.clock import VirtualClock
from frontdesk.kiosk.screens.language import ClosedScreen, WelcomeScreen
from frontdesk.services.wiring import Services
from tests.support.kiosk import kiosk_app, wait_for_screen


def title(screen: WelcomeScreen | ClosedScreen, part: str = "#title") -> str:
    return str(screen.query_one(part, Static).render())


async def test_croeso_i_ganolfan_ddinesig(store: Services) -> None:
    app = kiosk_app(store, language="cy")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_for_screen(pilot, WelcomeScreen)
        assert title(screen) == "Croeso i Ganolfan Ddinesig"


async def test_witamy_w_budynku_civic_centre(store: Services) -> None:
    app = kiosk_app(store, language="pl")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_for_screen(pilot, WelcomeScreen)
        assert title(screen) == "Witamy w budynku Civic Centre"


async def test_closed_we_open_again_ar_ddydd_llun(store: Services, clock: VirtualClock) -> None:
    clock.advance(6 * 24 * 3600)  # Sunday
    app = kiosk_app(store, language="cy")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_for_screen(pilot, ClosedScreen)
        assert title(screen, "#subtitle") == "Rydym yn agor eto am 08:30 ar ddydd Llun 9 Mawrth."
        assert title(screen) == "Mae Canolfan Ddinesig ar gau"  # no mutation after "Mae"
