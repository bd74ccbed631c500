"""What a ticket printer can tell us, and the faults it raises; free of escpos imports.

Kept apart from the escpos adapter so screens can react to `PaperOut` without loading drivers.
"""

from __future__ import annotations

from enum import StrEnum

from frontdesk.errors import FrontdeskError


class PrinterStatus(StrEnum):
    ONLINE = "online"
    OFFLINE = "offline"
    PAPER_OUT = "paper out"
    PAPER_LOW = "paper low"
    COVER_OPEN = "cover open"
    UNKNOWN = "status unknown"


class PrinterFault(FrontdeskError):
    """The slip was not printed; the ticket stands and is shown on screen instead."""

    status: PrinterStatus = PrinterStatus.UNKNOWN


class PrinterOffline(PrinterFault):
    status = PrinterStatus.OFFLINE


class PaperOut(PrinterFault):
    status = PrinterStatus.PAPER_OUT


class CoverOpen(PrinterFault):
    status = PrinterStatus.COVER_OPEN


class PrinterTimeout(PrinterFault):
    """The printer did not answer in time: its state is unknown, never assumed fine."""

    status = PrinterStatus.UNKNOWN
