"""The kiosk's settings and what one visitor has told it so far (forgotten on reset)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from frontdesk.devices.slip import SlipLabels
from frontdesk.services.results import WaitEstimate

# The printer adapter loads python-escpos: imported when a slip is printed, not at start-up.
if TYPE_CHECKING:
    from frontdesk.devices.printers import TicketPrinter

PrinterFactory = Callable[[SlipLabels], "TicketPrinter"]


def no_printer(labels: SlipLabels) -> TicketPrinter:
    from frontdesk.devices.printers import NullPrinter

    return NullPrinter()


@dataclass(frozen=True)
class KioskSettings:
    """One kiosk's configuration (`[[centre.kiosk]]` in the centres file)."""

    centre: str
    name: str = "kiosk-1"
    idle_seconds: float = 45.0
    exit_keys: tuple[str, ...] = ("f9", "f9", "f9")
    language: str = "en"
    greeter: bool = False
    printer_timeout: float = 5.0
    retry_seconds: float = 5.0
    # FRONTDESK_PUBLIC_BASE_URL: tickets' QR codes then open the visitor's page.
    public_base_url: str | None = None
    # False in tests: they drive the idle timer and the opening check themselves.
    tick: bool = True

    @property
    def station(self) -> str:
        return f"{self.centre}/{self.name}"

    @property
    def printer_id(self) -> str:
        return f"{self.station}/printer"


@dataclass
class Visit:
    """The current visitor's answers; a new `Visit` replaces it when the kiosk resets."""

    started_at: datetime | None = None
    service: str | None = None
    topic: str | None = None
    needs: set[str] = field(default_factory=set)
    interpreter: str | None = None  # the language, e.g. "polish"
    priority: str | None = None
    note: str = ""
    estimate: WaitEstimate | None = None

    def needs_list(self) -> list[str]:
        out = sorted(n for n in self.needs if n != "interpreter")
        if "interpreter" in self.needs:
            out.append(f"interpreter:{self.interpreter}" if self.interpreter else "interpreter")
        return out
