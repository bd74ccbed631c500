"""The status mapping of the escpos adapter, over a scripted printer that answers from a list."""

from __future__ import annotations

from pathlib import Path

import pytest
from escpos.printer import Dummy

from frontdesk.devices.escpos_stream import qr_payloads
from frontdesk.devices.printers import (
    CoverOpen,
    EscposTicketPrinter,
    NullPrinter,
    PaperOut,
    PrinterOffline,
    PrinterStatus,
    PrinterTimeout,
    TicketSlip,
    make_printer,
)
from frontdesk.printer_config import PrinterConfig, slip_profile

SLIP = TicketSlip(
    "Civic Centre", "C042", "Council Tax", "10:42", 5, "We aim…", "https://x.example/C042"
)


class ScriptedPrinter(Dummy):
    """A Dummy that answers status requests from a script (b"" means no reply)."""

    def __init__(self, replies: list[bytes]) -> None:
        super().__init__(profile="TM-T20II")
        self.replies = list(replies)

    def _read(self) -> bytes:
        return self.replies.pop(0) if self.replies else b""


def adapter(replies: list[bytes]) -> tuple[EscposTicketPrinter, list[ScriptedPrinter]]:
    made: list[ScriptedPrinter] = []

    def connect() -> ScriptedPrinter:
        made.append(ScriptedPrinter(replies))
        return made[-1]

    return EscposTicketPrinter(connect, slip_profile("80mm"), timeout_seconds=0.1), made


@pytest.mark.parametrize(
    ("replies", "status"),
    [
        ([b"\x12", b"\x12"], PrinterStatus.ONLINE),
        ([b"\x12", b"\x1e"], PrinterStatus.PAPER_LOW),
        ([b"\x12", b"\x7e"], PrinterStatus.PAPER_OUT),
        ([b"\x1a", b"\x16"], PrinterStatus.COVER_OPEN),
        ([b"\x1a", b"\x32"], PrinterStatus.PAPER_OUT),
        ([b"\x1a", b"\x52"], PrinterStatus.OFFLINE),
        ([b""], PrinterStatus.UNKNOWN),
        ([b"\x12", b""], PrinterStatus.UNKNOWN),
        ([b"\xff"], PrinterStatus.UNKNOWN),
    ],
)
def test_status_replies_map_to_printer_status(replies: list[bytes], status: PrinterStatus) -> None:
    printer, _ = adapter(replies)

    assert printer.status() is status


def test_no_reply_is_never_taken_for_plenty_of_paper() -> None:
    # python-escpos's own paper_status() says 2 ("plenty") here.
    assert ScriptedPrinter([]).paper_status() == 2
    printer, _ = adapter([b"\x12", b""])

    check = printer.check()

    assert check.status is PrinterStatus.UNKNOWN
    assert "no status reply" in check.detail


@pytest.mark.parametrize(
    ("replies", "fault"),
    [
        ([b"\x1a", b"\x32"], PaperOut),
        ([b"\x1a", b"\x16"], CoverOpen),
        ([b"\x1a", b"\x12"], PrinterOffline),
        ([b""], PrinterTimeout),
    ],
)
def test_faults_stop_printing(replies: list[bytes], fault: type[Exception]) -> None:
    printer, made = adapter(replies)

    with pytest.raises(fault):
        printer.print_slip(SLIP)

    assert b"C042" not in made[-1].output


def test_prints_when_online_and_reports_low_paper() -> None:
    printer, made = adapter([b"\x12", b"\x1e"])

    assert printer.print_slip(SLIP) is PrinterStatus.PAPER_LOW
    assert qr_payloads(made[-1].output) == [SLIP.qr_payload]


def test_file_printer_cannot_report_but_still_prints(tmp_path: Path) -> None:
    path = tmp_path / "slips.bin"
    printer = make_printer(PrinterConfig.from_dict({"type": "file", "path": str(path)}))

    assert printer.status() is PrinterStatus.UNKNOWN
    assert printer.print_slip(SLIP) is PrinterStatus.UNKNOWN
    assert qr_payloads(path.read_bytes()) == [SLIP.qr_payload]


def test_null_printer_is_offline() -> None:
    printer = NullPrinter()

    assert printer.status() is PrinterStatus.OFFLINE
    with pytest.raises(PrinterOffline):
        printer.print_slip(SLIP)
