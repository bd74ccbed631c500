"""A stand-in for the board's announcer (`frontdesk.devices.sound.Announcer`): it
records what the board asks to be said, and says nothing."""

from __future__ import annotations

from collections.abc import Sequence


class FakeAnnouncer:
    def __init__(self) -> None:
        self.said: list[tuple[str, str]] = []
        self.languages: tuple[str, ...] = ()
        self.closed = False

    def announce(self, ticket: str, desk: str | int) -> object:
        self.said.append((ticket, str(desk)))
        return None

    def use_languages(self, languages: Sequence[str]) -> None:
        self.languages = tuple(languages)

    def close(self, timeout: float | None = 30.0) -> None:
        self.closed = True
