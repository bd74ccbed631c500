"""The visitor kiosk: take a ticket, check in, book — locked down, in four languages.

The app holds no session: it gets the wired `Services` and calls them from workers.
Greeter mode (`settings.greeter`) is the same flow for staff: log-in, no lockdown, no idle
reset, tickets issued on a visitor's behalf with a note and priority.
"""

from __future__ import annotations

import gc
from collections import deque
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from textual import events, on, work
from textual._styles_cache import StylesCache
from textual.app import App
from textual.binding import Binding
from textual.message import Message
from textual.theme import Theme

from frontdesk.devices.slip import TicketSlip
from frontdesk.errors import FrontdeskError, StoreUnavailable
from frontdesk.kiosk.idle import IdleState, IdleTimer
from frontdesk.kiosk.reference import KioskReference, read_reference
from frontdesk.kiosk.screens import (
    BY_NAME,
    AdminExitScreen,
    ClosedScreen,
    KioskScreen,
    StaffLoginScreen,
    StartingScreen,
    TicketScreen,
    WelcomeScreen,
)
from frontdesk.kiosk.slips import slip_labels
from frontdesk.kiosk.state import KioskSettings, PrinterFactory, Visit, no_printer
from frontdesk.services.kiosk import KioskService, OpeningState
from frontdesk.services.staff import StaffMember
from frontdesk.ui.i18n import set_language
from frontdesk.ui.live import StoreChanged, follow_store
from frontdesk.ui.served import set_browser_text_scale
from frontdesk.ui.themes import high_contrast

if TYPE_CHECKING:
    from frontdesk.kiosk.host import KioskHost, ScreenName
    from frontdesk.services.wiring import Services

# The name the kept ticket screen is installed under (see KioskApp.show_ticket).
TICKET_SCREEN = "kiosk-ticket"
# "Larger text" in a browser: the page's terminal cells this much larger (in a terminal
# the theme's contrast and the larger buttons only; the terminal's font is its own).
LARGE_TEXT_SCALE = 1.5

NORMAL_THEME = Theme(
    name="kiosk",
    primary="#1d5fa8",
    secondary="#3a7ca5",
    accent="#ffb000",
    warning="#b35900",
    error="#b3261e",
    success="#2e7d32",
    foreground="#f5f7fa",
    background="#10253d",
    surface="#173454",
    panel="#1d3f66",
    dark=True,
)
CONTRAST_THEME = high_contrast("kiosk-contrast")


class KioskApp(App[None]):
    CSS_PATH = "kiosk.tcss"
    TITLE = "frontdesk kiosk"
    ENABLE_COMMAND_PALETTE = False
    # Lockdown: the usual ways out do nothing. Greeter mode puts ctrl+q back.
    BINDINGS = [
        Binding("ctrl+c", "nothing", show=False, priority=True, system=True),
        Binding("ctrl+q", "leave", show=False, priority=True, system=True),
        Binding("ctrl+z", "nothing", show=False, priority=True, system=True),
        Binding("ctrl+p", "nothing", show=False, priority=True, system=True),
    ]

    class Reference(Message):
        def __init__(
            self,
            ok: bool,
            ref: KioskReference | None = None,
            opening: OpeningState | None = None,
        ) -> None:
            super().__init__()
            self.ok = ok
            self.ref = ref
            self.opening = opening

    def __init__(
        self,
        services: Services,
        settings: KioskSettings,
        printer_factory: PrinterFactory = no_printer,
        kiosk_service: KioskService | None = None,
    ) -> None:
        super().__init__()
        self.services = services
        self.settings = settings
        self.printer_factory = printer_factory
        self.kiosk_service = kiosk_service or KioskService(services)
        self.visit = Visit()
        self.staff: StaffMember | None = None
        self.large_text = False
        self.opening: OpeningState | None = None
        self.ref = KioskReference(settings.centre)
        self.idle = IdleTimer(settings.idle_seconds, enabled=not settings.greeter)
        self._ticket_screen: TicketScreen | None = None
        self._keys: deque[str] = deque(maxlen=len(settings.exit_keys))
        self._last_event: events.Event | None = None
        self._printer_checked = False
        set_language(settings.language)

    # -- start-up --------------------------------------------------------------------

    def on_mount(self) -> None:
        self.register_theme(NORMAL_THEME)
        self.register_theme(CONTRAST_THEME)
        self.theme = NORMAL_THEME.name
        self.push_screen(StartingScreen())
        self.load_reference()
        # Everything built so far lives as long as the kiosk: keep it out of the
        # collector's way so its full collections stay short.
        self.call_after_refresh(gc.freeze)
        if self.settings.tick:
            self.set_interval(1, self.tick)
            self.set_interval(60, self.load_reference)
        self.run_worker(self._follow, thread=True, exclusive=True, group="live")

    def _follow(self) -> None:
        follow_store(self, self.services)

    @on(StoreChanged)
    def _changed(self) -> None:
        self._check_catalogue()

    @work(thread=True, exclusive=True, group="kiosk-catalogue")
    def _check_catalogue(self) -> None:
        """A re-run `init` (changed hours, new services): the reference is read again."""
        try:
            changed = self.services.queue.catalogue() is not self.ref.catalogue
        except FrontdeskError:
            return
        if changed and self.ref.catalogue is not None:
            self.call_from_thread(self.load_reference)

    @work(thread=True, exclusive=True, group="kiosk-reference")
    def load_reference(self) -> None:
        """Reference data and opening hours: read once, re-checked every minute."""
        centre = self.settings.centre
        try:
            ref = read_reference(self.services, centre)
            opening = self.kiosk_service.opening(centre)
        except StoreUnavailable:
            self.post_message(self.Reference(False))
            return
        self.post_message(self.Reference(True, ref, opening))

    @work(thread=True, exclusive=True, group="kiosk-printer")
    def check_printer(self) -> None:
        """Once the store answers: how the printer is now, so that an alert left from an
        earlier start (no printer, out of paper) clears when this one works."""
        printer = self.printer_factory(slip_labels())
        self.kiosk_service.check_printer(
            printer, self.settings.printer_id, self.settings.printer_timeout
        )

    def on_kiosk_app_reference(self, message: Reference) -> None:
        root = self.screen_stack[1] if len(self.screen_stack) > 1 else None
        if not message.ok:
            if isinstance(root, StartingScreen):
                root.unavailable()
                self.set_timer(self.settings.retry_seconds, self.load_reference)
            return
        if message.ref is not None:
            self.ref = message.ref
        if not self._printer_checked and self.printer_factory is not no_printer:
            self._printer_checked = True
            self.check_printer()
        self.opening = message.opening
        if self.settings.greeter:
            if isinstance(root, StartingScreen):
                self.switch_screen(StaffLoginScreen())
            return
        at_root = len(self.screen_stack) == 2
        is_open = self.opening is None or self.opening.open_now
        if isinstance(root, StartingScreen) or (
            at_root and isinstance(root, WelcomeScreen | ClosedScreen)
        ):
            wanted = WelcomeScreen if is_open else ClosedScreen
            if not isinstance(root, wanted):
                self.switch_screen(wanted())

    # -- lockdown, idle and the administrator's way out ------------------------------

    def action_nothing(self) -> None:
        """Swallow a key that would otherwise leave or suspend the app."""

    def action_leave(self) -> None:
        """ctrl+q: only greeter mode (not locked down) leaves this way."""
        if self.settings.greeter:
            self.exit()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width >= 110, "-wide")

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.MouseDown | events.MouseScrollDown):
            self.touched()
        # A key event reaches the app twice (from the driver, then bubbling back up).
        fresh = event is not self._last_event
        self._last_event = event
        if isinstance(event, events.Key) and fresh and not self.settings.greeter:
            self._keys.append(event.key)
            if tuple(self._keys) == self.settings.exit_keys:
                self._keys.clear()
                self.push_screen(AdminExitScreen())
        await super().on_event(event)

    def touched(self) -> None:
        if self.idle.state is IdleState.WARNING:
            self._show_countdown(None)
        self.idle.reset()

    def tick(self, seconds: float = 1.0) -> None:
        """Let idle time pass (once a second; tests call it with larger steps)."""
        state = self.idle.elapse(seconds)
        if len(self.screen_stack) <= 2 and not self.visit.started_at:
            self.idle.reset()  # nothing to forget at the welcome screen
            return
        if state is IdleState.WARNING:
            self._show_countdown(self.idle.left_seconds)
        elif state is IdleState.EXPIRED:
            self.reset()

    def _show_countdown(self, seconds: int | None) -> None:
        if isinstance(self.screen, KioskScreen):
            self.screen.show_countdown(seconds)

    def reset(self) -> None:
        """Back to the start; the last visitor's answers, language and display are forgotten."""
        self.idle.reset()
        self.visit = Visit()
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self._show_countdown(None)
        if not self.settings.greeter:
            if self.large_text:
                set_browser_text_scale(self, 1.0)
            self.large_text = False
            self.theme = NORMAL_THEME.name
            self.set_class(False, "-large")
            set_language(self.settings.language)
        self._retranslate_all()
        if not self.settings.greeter:
            self.load_reference()
        self.call_after_refresh(self._forget_screens)

    def _forget_screens(self) -> None:
        """Let the last visitor's screens go, between visitors rather than on a tap."""
        # Textual 8 memoises StylesCache.get_inner_outer with a class-wide lru_cache(1024)
        # whose keys hold every widget's StylesCache and, through it, all the lines that
        # widget last drew: ~4 MB per visitor stays alive until 1024 widgets have passed
        # (Textualize/textual#6665). Emptying it here drops the closed screens' caches; the
        # live screen refills it with a handful of entries on its next frame.
        clear = getattr(getattr(StylesCache, "get_inner_outer", None), "cache_clear", None)
        if clear is not None:
            clear()
        # Collect what is left in cycles now, so the pause never lands on a tap.
        gc.collect()

    # -- language and display --------------------------------------------------------

    def set_language(self, code: str) -> None:
        set_language(code)
        self._retranslate_all()

    def toggle_large_text(self) -> None:
        self.large_text = not self.large_text
        self.theme = CONTRAST_THEME.name if self.large_text else NORMAL_THEME.name
        self.set_class(self.large_text, "-large")
        # In a browser, larger cells too: the styles alone change colours and borders only.
        set_browser_text_scale(self, LARGE_TEXT_SCALE if self.large_text else 1.0)
        self._retranslate_all()

    def _retranslate_all(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, KioskScreen) and screen.is_mounted:
                screen.retranslate()

    # -- the visitor -----------------------------------------------------------------

    def show(self, name: ScreenName, *args: Any) -> None:
        """Open a new screen by name (the screens open one another this way)."""
        self.push_screen(BY_NAME[name](*args))

    def start_visit(self) -> None:
        self.visit = Visit(started_at=self.services.clock.now())

    def ticket_note(self) -> str | None:
        """Greeter tickets carry the greeter's note and when the visitor was first assessed."""
        note = self.visit.note.strip()
        if not self.settings.greeter:
            return note or None
        at = self.visit.started_at or self.services.clock.now()
        who = self.staff.code if self.staff else "?"
        local = at.astimezone(ZoneInfo(self.ref.timezone)).isoformat(timespec="seconds")
        assessed = f"First assessed {local} by {who}"
        return f"{note}\n{assessed}" if note else assessed

    def show_ticket(self, slip: TicketSlip, qr_lines: list[str] | None = None) -> None:
        """Show a walk-in ticket just issued, and print it.

        The ticket screen is kept (installed) between visitors and refilled with the next
        ticket: building it again would be most of the time from the tap to the number on
        screen. A new one is built when the visitor's language or display differs.
        """
        kept = self._ticket_screen
        if kept is not None and kept.refill(slip, qr_lines):
            self.push_screen(kept)
            return
        if kept is not None and kept not in self.screen_stack:
            self.uninstall_screen(kept)
            kept.remove()
            self._ticket_screen = None
        screen = TicketScreen(slip, qr_lines=qr_lines)
        if self._ticket_screen is None:
            self.install_screen(screen, TICKET_SCREEN)
            self._ticket_screen = screen
        self.push_screen(screen)


if TYPE_CHECKING:

    def _gives_the_screens_what_they_ask(app: KioskApp) -> KioskHost:
        return app  # checked by mypy: the app is all a screen may ask for
