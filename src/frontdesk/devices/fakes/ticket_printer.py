"""A pretend ticket printer in memory: it keeps the slips it is given and can be told to
fail as a real one does (offline, out of paper, silent, or slow). The kiosk takes it
where it takes a real printer (its `factory` is a `PrinterFactory`); tests and the
benchmarks read back what was printed."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from frontdesk.devices.printer_status import (
    PaperOut,
    PrinterOffline,
    PrinterStatus,
    PrinterTimeout,
)
from frontdesk.devices.slip import SlipLabels, TicketSlip


@dataclass
class FakeTicketPrinter:
    """Records slips; `mode` is ok, offline, paper_out or silent; `delay` seconds per slip."""

    mode: str = "ok"
    delay: float = 0.0
    slips: list[TicketSlip] = field(default_factory=list)
    labels: list[SlipLabels] = field(default_factory=list)
    printed: threading.Event = field(default_factory=threading.Event)

    def factory(self, labels: SlipLabels) -> FakeTicketPrinter:
        self.labels.append(labels)
        return self

    def status(self) -> PrinterStatus:
        return PrinterStatus.ONLINE if self.mode == "ok" else PrinterStatus.OFFLINE

    def print_slip(self, slip: TicketSlip) -> PrinterStatus:
        if self.delay:
            threading.Event().wait(self.delay)
        if self.mode == "offline":
            raise PrinterOffline("cannot reach the printer")
        if self.mode == "paper_out":
            raise PaperOut("the paper has run out")
        if self.mode == "silent":
            raise PrinterTimeout("the printer did not answer")
        self.slips.append(slip)
        self.printed.set()
        return PrinterStatus.ONLINE
