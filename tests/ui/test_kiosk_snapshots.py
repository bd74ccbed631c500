"""What each kiosk screen looks like: normal, high contrast, and in Polish (SVG snapshots).

Update after an intended change with `pytest tests/ui/test_kiosk_snapshots.py --snapshot-update`
and look at the report before committing the new SVGs.
"""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from frontdesk import sample
from frontdesk.clock import VirtualClock
from frontdesk.kiosk.screens.base import KioskScreen
from frontdesk.kiosk.screens.estimate import EstimateScreen
from frontdesk.kiosk.screens.ticket import TicketScreen
from frontdesk.services.wiring import Services, initialise, open_services
from frontdesk.ui.i18n import set_language
from tests.support.kiosk import kiosk_app, wait_for

# (name, keys from the welcome screen)
SCREENS = {
    "welcome": [],
    "services": ["1"],
    "needs": ["1", "1", "1", "1", "3"],
    "estimate-over": ["1", "2", "1", "7"],
    "estimate-none": ["1", "3", "1", "7"],  # Housing Options: its interview rooms closed
    "ticket": ["1", "8", "1", "7", "1"],
    "checkin": ["5"],
}
CASES = [
    *((name, "en", False) for name in SCREENS),
    ("closed", "en", False),
    *((name, "en", True) for name in ("welcome", "needs", "estimate-over", "ticket")),
    *((name, "pl", False) for name in ("welcome", "services", "estimate-over", "ticket")),
    # The wait as a range in the other two languages.
    *((name, language, False) for name in ("estimate-over", "ticket") for language in ("cy", "ro")),
]
# The welcome screen's key for each language.
LANGUAGE_KEYS = {"en": "1", "cy": "2", "pl": "3", "ro": "4"}


@pytest.fixture
def store(
    sqlite_template: Path, tmp_path: Path, clock: VirtualClock, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Services]:
    counter = itertools.count(1)
    monkeypatch.setattr(
        "frontdesk.services.tokens.secrets.token_urlsafe", lambda n: f"TOKEN{next(counter):011d}"
    )
    path = tmp_path / "kiosk.db"
    shutil.copyfile(sqlite_template, path)
    services = open_services(f"sqlite:///{path}", clock)
    initialise(services, sample.council())
    # Every desk open but the interview rooms: Housing Options has nobody serving it.
    for desk in services.queue.centre("CIVIC").desks:
        if not desk.startswith("Interview"):
            services.desks.set_status("CIVIC", desk, "open", None)
    for _ in range(25):  # a busy morning for benefits: over the standard
        services.queue.issue("CIVIC", "HBEN")
    yield services
    services.close()
    set_language("en")


@pytest.mark.parametrize(("name", "language", "contrast"), CASES)
def test_screen(
    snap_compare: Any,
    store: Services,
    clock: VirtualClock,
    name: str,
    language: str,
    contrast: bool,
) -> None:
    if name == "closed":
        clock.advance(6 * 24 * 3600)  # Sunday
    app = kiosk_app(store, language=language)

    async def run_before(pilot: Any) -> None:
        await wait_for(
            pilot,
            lambda: (
                isinstance(app.screen, KioskScreen)
                and len(app.screen_stack) == 2
                and type(app.screen).__name__ != "StartingScreen"
            ),
        )
        keys = list(SCREENS.get(name, []))
        if keys[:1] == ["1"]:
            keys[0] = LANGUAGE_KEYS[language]  # the welcome screen's choice of language
        for key in keys:
            if key == "1" and not app.screen_stack[-1].is_current:
                await pilot.pause()
            await pilot.press(key)
            await pilot.pause(0.15)
            screen = app.screen
            if isinstance(screen, EstimateScreen):
                await wait_for(pilot, lambda s=screen: s.estimate is not None)
        if isinstance(app.screen, TicketScreen):
            await wait_for(pilot, lambda: app.screen.outcome is not None)  # type: ignore[attr-defined]
        if contrast:
            await pilot.press("plus")
            # The theme's new colours reach every widget over a few refreshes: on a
            # loaded machine 0.2 s was not always enough for all of them.
            await wait_for(pilot, lambda: "-theme-kiosk-contrast" in app.classes)
            await pilot.pause(0.5)
        for field in app.screen.query(Input):
            field.cursor_blink = False
        await pilot.pause(0.2)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
