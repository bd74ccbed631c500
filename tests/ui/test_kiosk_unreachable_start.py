"""A kiosk started while its store is unreachable waits calmly and retries; it does not
exit to the shell (issue 18, item 10)."""

from __future__ import annotations

import argparse
from typing import Any

import pytest

from frontdesk.kiosk import launch
from frontdesk.kiosk.screens import WelcomeScreen
from frontdesk.kiosk.screens.language import StartingScreen
from frontdesk.services.wiring import Services, open_services
from tests.support.kiosk import Outage, kiosk_app, wait_for

UNREACHABLE = "postgresql+psycopg://nobody@127.0.0.1:9/nothing?connect_timeout=1"


def test_launch_starts_the_kiosk_on_an_unreachable_store(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from frontdesk.kiosk.app import KioskApp

    started: list[Any] = []
    monkeypatch.setattr(KioskApp, "run", lambda self, *a, **k: started.append(self))
    args = argparse.Namespace(
        centre="CIVIC", kiosk="kiosk-1", greeter=False, language=None, db=UNREACHABLE
    )
    assert launch.run(args) == 0
    assert len(started) == 1


def test_an_unknown_centre_is_still_refused_at_once(council: Services) -> None:
    from frontdesk.errors import NotFound

    assert launch.centre_known(council, "CIVIC") is True
    with pytest.raises(NotFound):
        launch.centre_known(council, "NOWHERE")
    unreachable = open_services(UNREACHABLE)
    try:
        assert launch.centre_known(unreachable, "CIVIC") is False
    finally:
        unreachable.close()


async def test_the_starting_screen_says_so_and_recovers(store: Services) -> None:
    from dataclasses import replace

    queue = Outage(store.queue, ("catalogue", "centre"))
    app = kiosk_app(replace(store, queue=queue))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, StartingScreen))
        await wait_for(
            pilot, lambda: "cannot reach" in str(app.screen.query_one("#notice").render())
        )
        assert app.is_running
        queue.down = False
        await wait_for(pilot, lambda: isinstance(app.screen, WelcomeScreen))
