"""Kiosk screens open one another by name (import-linter keeps them from importing each
other): every name a screen may ask for opens a kiosk screen."""

from __future__ import annotations

from typing import get_args

from frontdesk.kiosk.host import ScreenName
from frontdesk.kiosk.screens import BY_NAME, KioskScreen


def test_every_screen_name_opens_a_kiosk_screen() -> None:
    assert set(BY_NAME) == set(get_args(ScreenName))
    for name, opens in BY_NAME.items():
        assert isinstance(opens, type) and issubclass(opens, KioskScreen), name
