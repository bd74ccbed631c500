from __future__ import annotations

from typing import Any

import pytest

from frontdesk.devices.printers import EscposTicketPrinter, NullPrinter, make_printer
from frontdesk.printer_config import (
    FileConnection,
    NetworkConnection,
    NoPrinter,
    PrinterConfig,
    PrinterConfigError,
    SerialConnection,
    UsbConnection,
    cups_available,
)


def test_network_printer_defaults() -> None:
    config = PrinterConfig.from_dict({"type": "network", "host": "10.1.2.3"})

    assert config.connection == NetworkConnection("10.1.2.3", 9100)
    assert config.type == "network"
    assert config.timeout_seconds == 2.5
    assert config.profile.paper == "80mm"
    assert config.profile.chars_per_line == 48
    assert config.profile.native_qr is True


def test_58mm_profile_without_native_qr() -> None:
    config = PrinterConfig.from_dict(
        {"type": "file", "path": "/dev/usb/lp0", "profile": "58mm", "native_qr": False}
    )

    assert config.connection == FileConnection("/dev/usb/lp0")
    assert config.profile.chars_per_line == 32
    assert config.profile.native_qr is False


@pytest.mark.parametrize(
    ("vendor", "product"), [(0x04B8, 0x0E15), ("0x04b8", "0x0e15"), ("04B8", "0E15")]
)
def test_usb_ids_as_numbers_or_hex_strings(vendor: Any, product: Any) -> None:
    config = PrinterConfig.from_dict({"type": "usb", "vendor_id": vendor, "product_id": product})

    assert config.connection == UsbConnection(0x04B8, 0x0E15)


def test_serial_and_none() -> None:
    serial = PrinterConfig.from_dict({"type": "serial", "port": "/dev/ttyUSB0", "baudrate": 19200})
    none = PrinterConfig.from_dict({"type": "none"})

    assert serial.connection == SerialConnection("/dev/ttyUSB0", 19200)
    assert none.connection == NoPrinter()
    assert isinstance(make_printer(none), NullPrinter)


@pytest.mark.parametrize(
    ("table", "names"),
    [
        ({}, ["printer.type", "usb, serial, network, file, cups, none"]),
        ({"type": "bluetooth"}, ["printer.type", "'bluetooth'", "network"]),
        ({"type": "network"}, ["printer.host", "missing", "host name"]),
        ({"type": "network", "host": "p", "port": 70000}, ["printer.port", "1 to 65535"]),
        ({"type": "network", "host": "p", "port": "9100"}, ["printer.port", "whole number"]),
        ({"type": "network", "host": "p", "path": "x"}, ["printer.path", "accepted keys", "host"]),
        ({"type": "usb", "vendor_id": "zz", "product_id": 1}, ["printer.vendor_id", "0x04b8"]),
        ({"type": "usb", "vendor_id": 1}, ["printer.product_id", "missing"]),
        ({"type": "serial"}, ["printer.port", "/dev/ttyUSB0"]),
        ({"type": "file", "path": "x", "profile": "110mm"}, ["printer.profile", "80mm, 58mm"]),
        ({"type": "file", "path": "x", "native_qr": "yes"}, ["printer.native_qr", "true or false"]),
        ({"type": "file", "path": "x", "timeout_seconds": 0}, ["printer.timeout_seconds"]),
        ({"type": "file", "path": "x", "escpos_profile": "TM-NOPE"}, ["printer.escpos_profile"]),
    ],
)
def test_bad_settings_name_the_key_and_what_is_accepted(
    table: dict[str, Any], names: list[str]
) -> None:
    with pytest.raises(PrinterConfigError) as caught:
        PrinterConfig.from_dict(table)

    for name in names:
        assert name in str(caught.value)


def test_where_prefixes_the_key() -> None:
    with pytest.raises(PrinterConfigError, match=r"^kiosk-1\.printer\.type:"):
        PrinterConfig.from_dict({"type": "laser"}, where="kiosk-1.printer")


def test_cups_only_when_pycups_is_available() -> None:
    table = {"type": "cups", "printer": "Kiosk_Printer"}
    if cups_available():
        assert PrinterConfig.from_dict(table).type == "cups"
    else:
        with pytest.raises(PrinterConfigError, match="pycups"):
            PrinterConfig.from_dict(table)


def test_make_printer_for_network_and_file(tmp_path: Any) -> None:
    network = PrinterConfig.from_dict({"type": "network", "host": "127.0.0.1"})
    file = PrinterConfig.from_dict({"type": "file", "path": str(tmp_path / "slips.bin")})

    assert isinstance(make_printer(network), EscposTicketPrinter)
    assert isinstance(make_printer(file), EscposTicketPrinter)
