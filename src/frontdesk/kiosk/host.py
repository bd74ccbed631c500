"""What a kiosk screen may ask of the kiosk it runs in.

`KioskApp` provides it. The screens see only this, and open one another by name through
`show` (the names are `ScreenName`; the app keeps what each name opens), so no screen
module imports the app or another screen module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    from frontdesk.devices.slip import TicketSlip
    from frontdesk.kiosk.reference import KioskReference
    from frontdesk.kiosk.state import KioskSettings, PrinterFactory, Visit
    from frontdesk.services.kiosk import KioskService, OpeningState
    from frontdesk.services.staff import StaffMember
    from frontdesk.services.wiring import Services

ScreenName = Literal[
    "language",
    "services",
    "needs",
    "estimate",
    "checkin",
    "book-type",
    "slots",
    "ticket",
    "other-centre",
    "online",
    "quick-query",
]


class KioskHost(Protocol):
    services: Services
    settings: KioskSettings
    kiosk_service: KioskService
    printer_factory: PrinterFactory
    visit: Visit
    staff: StaffMember | None
    large_text: bool
    opening: OpeningState | None
    ref: KioskReference

    def show(self, name: ScreenName, *args: Any) -> None:
        """Push a new screen of that name, built with `args`."""

    def show_ticket(self, slip: TicketSlip, qr_lines: list[str] | None = None) -> None:
        """Show a walk-in ticket just issued, and print it."""

    def start_visit(self) -> None: ...

    def ticket_note(self) -> str | None: ...

    def reset(self) -> None:
        """Back to the start for the next visitor."""

    def set_language(self, code: str) -> None: ...

    def toggle_large_text(self) -> None: ...
