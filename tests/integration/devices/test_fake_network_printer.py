"""Slips through python-escpos's real Network class to the fake printer on 127.0.0.1."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import zxingcpp
from PIL import Image

from frontdesk.devices.escpos_stream import printed_text, qr_payloads, raster_images
from frontdesk.devices.fakes import FakeNetworkPrinter
from frontdesk.devices.printers import (
    CoverOpen,
    PaperOut,
    PrinterFault,
    PrinterOffline,
    PrinterStatus,
    PrinterTimeout,
    TicketPrinter,
    TicketSlip,
    make_printer,
)
from frontdesk.printer_config import PrinterConfig

SLIP = TicketSlip(
    centre_name="Civic Centre",
    ticket="C042",
    service_name="Council Tax",
    issued_at_text="10:42, Mon 2 Mar",
    estimated_wait_minutes=8,
    standard_line="We aim to see 95% of customers within 10 minutes",
    qr_payload="https://frontdesk.example/t/CIVIC/7f3a9c",
)
# Far below python-escpos's 60 s default; the assertion only proves that default is not used.
TIMEOUT_SECONDS = 0.5
WELL_UNDER_ESCPOS_DEFAULT = 30.0


@pytest.fixture
def fake() -> Iterator[FakeNetworkPrinter]:
    with FakeNetworkPrinter() as printer:
        yield printer


def printer_for(fake: FakeNetworkPrinter, *, native_qr: bool = True) -> TicketPrinter:
    return make_printer(
        PrinterConfig.from_dict(
            {
                "type": "network",
                "host": fake.host,
                "port": fake.port,
                "native_qr": native_qr,
                "timeout_seconds": TIMEOUT_SECONDS,
            }
        )
    )


def test_native_qr_reaches_the_printer(fake: FakeNetworkPrinter) -> None:
    status = printer_for(fake, native_qr=True).print_slip(SLIP)
    [job] = fake.wait_for_jobs(1)

    assert status is PrinterStatus.ONLINE
    assert qr_payloads(job) == [SLIP.qr_payload]
    assert "C042" in printed_text(job) and "Council Tax" in printed_text(job)
    assert fake.status_requests[:2] == [b"\x10\x04\x01", b"\x10\x04\x04"]


def test_image_qr_reaches_the_printer_and_scans(fake: FakeNetworkPrinter) -> None:
    printer_for(fake, native_qr=False).print_slip(SLIP)
    [job] = fake.wait_for_jobs(1)
    [raster] = raster_images(job)
    rows = raster.rows()
    picture = Image.new("L", (len(rows[0]), len(rows)), 255)
    picture.putdata([0 if dark else 255 for row in rows for dark in row])

    found = zxingcpp.read_barcodes(picture, try_invert=False)

    assert [code.text for code in found] == [SLIP.qr_payload]
    assert qr_payloads(job) == []


@pytest.mark.parametrize(
    ("mode", "status", "fault"),
    [
        ("offline", PrinterStatus.OFFLINE, PrinterOffline),
        ("paper_out", PrinterStatus.PAPER_OUT, PaperOut),
        ("cover_open", PrinterStatus.COVER_OPEN, CoverOpen),
    ],
)
def test_fault_modes_raise_the_matching_fault(
    fake: FakeNetworkPrinter, mode: str, status: PrinterStatus, fault: type[PrinterFault]
) -> None:
    printer = printer_for(fake)
    fake.mode = mode  # type: ignore[assignment]

    assert printer.status() is status
    with pytest.raises(fault):
        printer.print_slip(SLIP)
    assert b"C042" not in fake.received


def test_paper_low_still_prints(fake: FakeNetworkPrinter) -> None:
    fake.mode = "paper_low"

    assert printer_for(fake).print_slip(SLIP) is PrinterStatus.PAPER_LOW
    assert qr_payloads(fake.wait_for_jobs(1)[0]) == [SLIP.qr_payload]


def test_silent_printer_times_out_instead_of_waiting_a_minute(fake: FakeNetworkPrinter) -> None:
    printer = printer_for(fake)
    fake.mode = "silent"

    started = time.monotonic()
    status = printer.status()
    with pytest.raises(PrinterTimeout):
        printer.print_slip(SLIP)
    elapsed = time.monotonic() - started

    assert status is PrinterStatus.UNKNOWN
    assert elapsed < WELL_UNDER_ESCPOS_DEFAULT
    assert b"C042" not in fake.received


def test_printer_recovers_when_the_fault_is_cleared(fake: FakeNetworkPrinter) -> None:
    printer = printer_for(fake)
    fake.mode = "paper_out"
    with pytest.raises(PaperOut):
        printer.print_slip(SLIP)

    fake.mode = "ok"

    assert printer.print_slip(SLIP) is PrinterStatus.ONLINE


def test_nobody_listening_is_offline() -> None:
    with FakeNetworkPrinter() as gone:
        printer = printer_for(gone)
    # The fake has stopped: the port now refuses connections.

    assert printer.status() is PrinterStatus.OFFLINE
    with pytest.raises(PrinterOffline):
        printer.print_slip(SLIP)


def test_gs_r_paper_sensor_is_answered(fake: FakeNetworkPrinter) -> None:
    from escpos.printer import Network

    fake.mode = "paper_out"
    device = Network(fake.host, port=fake.port, timeout=TIMEOUT_SECONDS)
    try:
        reply = device.query_status(b"\x1dr\x01")
    finally:
        device.close()

    assert reply == b"\x0f"
