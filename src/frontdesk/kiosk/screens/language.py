"""Choose a language (0 on every screen), and the welcome and closed screens."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from frontdesk.kiosk.screens.base import KioskScreen
from frontdesk.kiosk.widgets import QRCode
from frontdesk.ui.i18n import LANGUAGES, _

APPOINTMENT = "appointment"
BOOK = "book"


class LanguageScreen(KioskScreen):
    """Languages are shown in their own names, so anyone can find theirs."""

    show_language = False

    def heading(self) -> str:
        return _("Choose your language")

    def body(self) -> ComposeResult:
        yield self.choice_grid(LANGUAGES_AS_CHOICES)

    def chosen(self, value: Any) -> None:
        self.app.pop_screen()
        self.kiosk.set_language(str(value))


LANGUAGES_AS_CHOICES = [(name, code) for code, name in LANGUAGES]


class WelcomeScreen(KioskScreen):
    """The first screen: pick a language to start, or say you have an appointment."""

    can_go_back = False

    def heading(self) -> str:
        return _("Welcome to {centre}").format(centre=self.kiosk.ref.centre_name)

    def subheading(self) -> str:
        return _("Choose your language to start.")

    def body(self) -> ComposeResult:
        choices: list[tuple[str, Any]] = list(LANGUAGES_AS_CHOICES)
        choices.append((_("I have an appointment"), APPOINTMENT))
        choices.append((_("Book an appointment"), BOOK))
        # Greetings in each language's own words, so everyone sees where to start.
        yield Static("Welcome · Croeso · Witamy · Bun venit", classes="lead")
        yield self.choice_grid(choices)

    def chosen(self, value: Any) -> None:
        if value == APPOINTMENT:
            self.kiosk.start_visit()
            self.kiosk.show("checkin")
        elif value == BOOK:
            self.kiosk.start_visit()
            self.kiosk.show("book-type")
        else:
            self.kiosk.set_language(str(value))
            self.kiosk.start_visit()
            self.kiosk.show("services")


class StartingScreen(KioskScreen):
    """Shown while the kiosk reads its centre's details (and while the store is away)."""

    can_go_back = False
    show_language = False

    def heading(self) -> str:
        return _("Starting…")

    def unavailable(self) -> None:
        self.notice(_("We cannot reach our system just now. We will try again in a moment."))


class ClosedScreen(KioskScreen):
    """Outside opening hours: when we open, and what can be done online meanwhile."""

    can_go_back = False

    def heading(self) -> str:
        return _("{centre} is closed").format(centre=self.kiosk.ref.centre_name)

    def subheading(self) -> str:
        opens = self.kiosk.opening.next_opens if self.kiosk.opening else None
        if opens is None:
            return _("Please check our website for opening times.")
        return _("We open again at {time} on {day}.").format(
            time=self.kiosk.ref.format_time(opens), day=self.kiosk.ref.format_day(opens)
        )

    def body(self) -> ComposeResult:
        url = self.kiosk.ref.website
        with Horizontal(classes="ticket"):
            with Vertical(classes="ticket-text"):
                yield Static(_("Many things can be done online, at any time."), classes="lead")
                if url:
                    yield Static(_("Scan the code or visit:"))
                    yield Static(url, classes="url")
            if url:
                yield QRCode(url, id="self-service-qr", quiet_zone=1)
