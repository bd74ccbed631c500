"""The visitor kiosk: take a ticket, check in, book — locked down, in four languages.

The app holds no session: it gets the wired `Services` and calls them from workers.
Greeter mode (`settings.greeter`) is the same flow for staff: log-in, no lockdown, no idle
reset, tickets issued on a visitor's behalf with a note and priority.
"""

from __future__ import annotations

import gc
from collections import deque
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from textual import events, work
from textual._styles_cache import StylesCache
from textual.app import App
from textual.binding import Binding
from textual.message import Message
from textual.theme import Theme

from frontdesk.devices.slip import SlipLabels, TicketSlip
from frontdesk.errors import StoreUnavailable
from frontdesk.kiosk import words
from frontdesk.kiosk.screens.base import KioskScreen
from frontdesk.kiosk.state import KioskSettings, PrinterFactory, Visit, no_printer
from frontdesk.services.appointment_results import AppointmentTypeInfo, Booking, CheckedIn
from frontdesk.services.kiosk import KioskService, OpeningState
from frontdesk.services.results import IssuedTicket, QueueSnapshot
from frontdesk.services.staff import StaffMember
from frontdesk.services.tokens import ticket_qr_payload
from frontdesk.ui.i18n import _, set_language
from frontdesk.ui.kiosk_idle import IdleState, IdleTimer

if TYPE_CHECKING:
    from frontdesk.kiosk.screens.ticket import TicketScreen

# The name the kept ticket screen is installed under (see KioskApp.show_ticket).
TICKET_SCREEN = "kiosk-ticket"

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
# Pure black and white with yellow focus: WCAG AAA contrast everywhere.
CONTRAST_THEME = Theme(
    name="kiosk-contrast",
    primary="#ffffff",
    secondary="#ffffff",
    accent="#ffff00",
    warning="#ffff00",
    error="#ffff00",
    success="#ffffff",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#000000",
    boost="#333333",
    dark=True,
)


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
        def __init__(self, ok: bool, opening: OpeningState | None = None) -> None:
            super().__init__()
            self.ok = ok
            self.opening = opening

    def __init__(
        self,
        services: Any,
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
        self.catalogue: Any = None
        self.types: list[AppointmentTypeInfo] = []
        self.idle = IdleTimer(settings.idle_seconds, enabled=not settings.greeter)
        self._ticket_screen: TicketScreen | None = None
        self._keys: deque[str] = deque(maxlen=len(settings.exit_keys))
        self._last_event: events.Event | None = None
        set_language(settings.language)

    # -- start-up --------------------------------------------------------------------

    def on_mount(self) -> None:
        self.register_theme(NORMAL_THEME)
        self.register_theme(CONTRAST_THEME)
        self.theme = NORMAL_THEME.name
        from frontdesk.kiosk.screens.language import StartingScreen

        self.push_screen(StartingScreen())
        self.load_reference()
        # Everything built so far lives as long as the kiosk: keep it out of the
        # collector's way so its full collections stay short.
        self.call_after_refresh(gc.freeze)
        if self.settings.tick:
            self.set_interval(1, self.tick)
            self.set_interval(60, self.load_reference)

    @work(thread=True, exclusive=True, group="kiosk-reference")
    def load_reference(self) -> None:
        """Reference data and opening hours: read once, re-checked every minute."""
        centre = self.settings.centre
        try:
            self.catalogue = self.services.queue.catalogue()
            self.types = self.services.appointments.types(centre)
            opening = self.kiosk_service.opening(centre)
        except StoreUnavailable:
            self.post_message(self.Reference(False))
            return
        self.post_message(self.Reference(True, opening))

    def on_kiosk_app_reference(self, message: Reference) -> None:
        from frontdesk.kiosk.screens.language import ClosedScreen, StartingScreen, WelcomeScreen
        from frontdesk.kiosk.screens.staff import StaffLoginScreen

        root = self.screen_stack[1] if len(self.screen_stack) > 1 else None
        if not message.ok:
            if isinstance(root, StartingScreen):
                root.unavailable()
                self.set_timer(self.settings.retry_seconds, self.load_reference)
            return
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
                from frontdesk.kiosk.screens.staff import AdminExitScreen

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
        self._retranslate_all()

    def _retranslate_all(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, KioskScreen) and screen.is_mounted:
                screen.retranslate()

    # -- the visitor -----------------------------------------------------------------

    def start_visit(self) -> None:
        self.visit = Visit(started_at=self.services.clock.now())

    def ticket_note(self) -> str | None:
        """Greeter tickets carry the greeter's note and when the visitor was first assessed."""
        note = self.visit.note.strip()
        if not self.settings.greeter:
            return note or None
        at = self.visit.started_at or self.services.clock.now()
        who = self.staff.code if self.staff else "?"
        local = at.astimezone(ZoneInfo(self.timezone)).isoformat(timespec="seconds")
        assessed = f"First assessed {local} by {who}"
        return f"{note}\n{assessed}" if note else assessed

    def show_ticket(self, slip: TicketSlip, qr_lines: list[str] | None = None) -> None:
        """Show a walk-in ticket just issued, and print it.

        The ticket screen is kept (installed) between visitors and refilled with the next
        ticket: building it again would be most of the time from the tap to the number on
        screen. A new one is built when the visitor's language or display differs.
        """
        from frontdesk.kiosk.screens.ticket import TicketScreen

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

    # -- reference data in the visitor's words ----------------------------------------

    @property
    def centre_ref(self) -> Any:
        return self.catalogue.centres[self.settings.centre] if self.catalogue else None

    @property
    def centre_name(self) -> str:
        ref = self.centre_ref
        return _(ref.name) if ref else ""

    @property
    def timezone(self) -> str:
        ref = self.centre_ref
        return ref.timezone if ref else "Europe/London"

    @property
    def website(self) -> str:
        return self.catalogue.settings.get("council.website", "") if self.catalogue else ""

    def services_here(self) -> list[tuple[str, str]]:
        ref = self.centre_ref
        if ref is None:
            return []
        return [(c, self.catalogue.services[c].name) for c in ref.services]

    def service_name(self, code: str) -> str:
        svc = self.catalogue.services.get(code) if self.catalogue else None
        return _(svc.name) if svc else code

    def topics_of(self, service: str | None) -> list[tuple[str, str]]:
        topics = self.catalogue.topics.values() if self.catalogue else []
        return [(t.code, t.name) for t in topics if t.service_code == service]

    def priorities(self) -> list[tuple[str, str]]:
        return list(self.catalogue.priorities.items()) if self.catalogue else []

    def priority_name(self, code: str) -> str:
        return dict(self.priorities()).get(code, code)

    def appointment_types(self) -> list[AppointmentTypeInfo]:
        return list(self.types)

    def appointment_type(self, code: str) -> AppointmentTypeInfo:
        return next(t for t in self.types if t.code == code)

    def format_time(self, at: datetime) -> str:
        return words.time_of_day(at, self.timezone)

    def format_day(self, at: datetime) -> str:
        return words.day_name(at, self.timezone)

    def format_slot(self, at: datetime) -> str:
        return words.slot_time(at, self.timezone)

    def wait_words(self, seconds: int) -> str:
        return words.wait_words(seconds)

    def queue_words(self, snapshot: QueueSnapshot | None) -> str:
        return words.queue_words(snapshot)

    # -- slips -----------------------------------------------------------------------

    def slip_labels(self, kind: str = "ticket") -> SlipLabels:
        return SlipLabels(
            issued=_("Issued") if kind == "ticket" else _("Appointment at"),
            wait_minutes=_("About {minutes} min wait"),
            wait_one_minute=_("You should be seen very soon"),
            wait_none=_("You should be seen very soon"),
            appointment=_("Appointment"),
            checkin=_("Checked in"),
            scan_hint=_("Scan with your phone"),
        )

    def _standard_line(self) -> str:
        ref = self.centre_ref
        if ref is None:
            return ""
        return _("Our standard: seen within {minutes} minutes").format(
            minutes=f"{ref.threshold_minutes:g}"
        )

    def ticket_qr(self, token: str) -> str:
        """What a ticket's QR code carries: the visitor's page when the council has one."""
        return ticket_qr_payload(self.settings.public_base_url, token)

    def ticket_slip(self, ticket: IssuedTicket) -> TicketSlip:
        return TicketSlip(
            centre_name=self.centre_name,
            ticket=ticket.ticket,
            service_name=self.service_name(ticket.service),
            issued_at_text=self.format_time(ticket.issued_at),
            estimated_wait_minutes=round(ticket.estimated_wait_seconds / 60),
            standard_line=self._standard_line(),
            qr_payload=self.ticket_qr(ticket.token),
        )

    def checkin_slip(self, done: CheckedIn) -> TicketSlip:
        return TicketSlip(
            centre_name=self.centre_name,
            ticket=done.ticket,
            service_name=_(done.booking.type_name),
            issued_at_text=self.format_time(done.booking.starts_at),
            estimated_wait_minutes=None,
            standard_line=_("Please take a seat: we will call your number."),
            qr_payload=self.ticket_qr(done.token),
            kind="checkin",
        )

    def booking_slip(self, booking: Booking) -> TicketSlip:
        return TicketSlip(
            centre_name=self.centre_name,
            ticket=booking.reference,
            service_name=_(booking.type_name),
            issued_at_text=self.format_slot(booking.starts_at),
            estimated_wait_minutes=None,
            standard_line=_("Bring this slip, or its code, when you come."),
            qr_payload=booking.token,
            kind="appointment",
        )
