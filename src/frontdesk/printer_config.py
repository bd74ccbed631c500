"""The `printer` table of a kiosk, checked once at start-up (by the centres file's
validation and by the kiosk) with errors a person can act on, and the paper profiles it
names.

Plain settings: the centres file (`frontdesk.config`) checks them without loading any
device code, and the printer adapters (`frontdesk.devices`) are built from them.
python-escpos is asked only what it supports (CUPS, its printer profiles), when a table
names them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from frontdesk.errors import InvalidInput

PaperWidth = Literal["80mm", "58mm"]

PRINTER_TYPES = ("usb", "serial", "network", "file", "cups", "none")
DEFAULT_TIMEOUT_SECONDS = 2.5
COMMON_KEYS = frozenset({"type", "profile", "native_qr", "escpos_profile", "timeout_seconds"})
KEYS_BY_TYPE: dict[str, frozenset[str]] = {
    "usb": frozenset({"vendor_id", "product_id"}),
    "serial": frozenset({"port", "baudrate"}),
    "network": frozenset({"host", "port"}),
    "file": frozenset({"path"}),
    "cups": frozenset({"printer"}),
    "none": frozenset(),
}


@dataclass(frozen=True)
class SlipProfile:
    """The paper a printer takes and how we draw on it."""

    paper: PaperWidth
    chars_per_line: int
    escpos_profile: str
    native_qr: bool = True
    qr_module_size: int = 6


# escpos profiles chosen for their known pixel width: the "default" profile has none, and then
# python-escpos print()s a warning to stdout on every image, which would scribble on a Textual
# screen.
PAPER_PROFILES: dict[str, SlipProfile] = {
    "80mm": SlipProfile("80mm", 48, "TM-T20II", qr_module_size=6),
    "58mm": SlipProfile("58mm", 32, "POS-5890", qr_module_size=5),
}


def slip_profile(
    paper: str, *, native_qr: bool = True, escpos_profile: str | None = None
) -> SlipProfile:
    """The layout profile for a paper width ("80mm" or "58mm")."""
    base = PAPER_PROFILES[paper]
    return SlipProfile(
        paper=base.paper,
        chars_per_line=base.chars_per_line,
        escpos_profile=escpos_profile or base.escpos_profile,
        native_qr=native_qr,
        qr_module_size=base.qr_module_size,
    )


class PrinterConfigError(InvalidInput):
    """A printer setting is missing or wrong; the message names the key and what is accepted."""


@dataclass(frozen=True)
class UsbConnection:
    vendor_id: int
    product_id: int


@dataclass(frozen=True)
class SerialConnection:
    port: str
    baudrate: int = 9600


@dataclass(frozen=True)
class NetworkConnection:
    host: str
    port: int = 9100


@dataclass(frozen=True)
class FileConnection:
    path: str


@dataclass(frozen=True)
class CupsConnection:
    printer: str


@dataclass(frozen=True)
class NoPrinter:
    """The kiosk has no printer: tickets are shown on screen only."""


Connection = (
    UsbConnection
    | SerialConnection
    | NetworkConnection
    | FileConnection
    | CupsConnection
    | NoPrinter
)


@dataclass(frozen=True)
class PrinterConfig:
    connection: Connection
    profile: SlipProfile
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS

    @property
    def type(self) -> str:
        return _TYPE_OF[type(self.connection)]

    @classmethod
    def from_dict(cls, table: Mapping[str, Any], where: str = "printer") -> PrinterConfig:
        """Parse a kiosk's `printer` table, e.g. `{"type": "network", "host": "10.0.0.5"}`."""
        return parse_printer_config(table, where)


_TYPE_OF: dict[type, str] = {
    UsbConnection: "usb",
    SerialConnection: "serial",
    NetworkConnection: "network",
    FileConnection: "file",
    CupsConnection: "cups",
    NoPrinter: "none",
}


def cups_available() -> bool:
    """True when python-escpos can drive CUPS here (it needs pycups)."""
    try:
        from escpos.printer import CupsPrinter
    except ImportError:
        return False
    return bool(CupsPrinter.is_usable())


def parse_printer_config(table: Mapping[str, Any], where: str = "printer") -> PrinterConfig:
    """Check a `printer` table and return its settings, or raise `PrinterConfigError`."""
    if not isinstance(table, Mapping):
        raise PrinterConfigError(f"{where}: expected a table of printer settings")
    kind = table.get("type")
    if kind not in PRINTER_TYPES:
        raise PrinterConfigError(
            f"{where}.type: {kind!r} is not accepted; use one of {', '.join(PRINTER_TYPES)}"
        )
    allowed = COMMON_KEYS | KEYS_BY_TYPE[kind]
    for key in table:
        if key not in allowed:
            raise PrinterConfigError(
                f"{where}.{key}: not a setting of a {kind} printer; "
                f"accepted keys are {', '.join(sorted(allowed))}"
            )
    paper = table.get("profile", "80mm")
    if paper not in PAPER_PROFILES:
        raise PrinterConfigError(
            f"{where}.profile: {paper!r} is not accepted; use one of {', '.join(PAPER_PROFILES)}"
        )
    native_qr = table.get("native_qr", True)
    if not isinstance(native_qr, bool):
        raise PrinterConfigError(
            f"{where}.native_qr: {native_qr!r} is not accepted; use true or false"
        )
    escpos_profile = table.get("escpos_profile")
    if escpos_profile is not None and not _is_known_escpos_profile(escpos_profile):
        raise PrinterConfigError(
            f"{where}.escpos_profile: {escpos_profile!r} is not a python-escpos printer profile"
        )
    timeout = table.get("timeout_seconds", DEFAULT_TIMEOUT_SECONDS)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not 0 < timeout <= 60:
        raise PrinterConfigError(
            f"{where}.timeout_seconds: {timeout!r} is not accepted; use a number of seconds "
            "greater than 0 and at most 60"
        )
    return PrinterConfig(
        connection=_connection(kind, table, where),
        profile=slip_profile(paper, native_qr=native_qr, escpos_profile=escpos_profile),
        timeout_seconds=float(timeout),
    )


def _connection(kind: str, table: Mapping[str, Any], where: str) -> Connection:
    if kind == "usb":
        return UsbConnection(
            vendor_id=_usb_id(table, "vendor_id", where),
            product_id=_usb_id(table, "product_id", where),
        )
    if kind == "serial":
        return SerialConnection(
            port=_text(table, "port", where, 'a device such as "/dev/ttyUSB0"'),
            baudrate=_whole_number(table, "baudrate", where, default=9600, low=300, high=921600),
        )
    if kind == "network":
        return NetworkConnection(
            host=_text(table, "host", where, "a host name or IP address"),
            port=_whole_number(table, "port", where, default=9100, low=1, high=65535),
        )
    if kind == "file":
        return FileConnection(path=_text(table, "path", where, "a file or device path"))
    if kind == "cups":
        if not cups_available():
            raise PrinterConfigError(
                f'{where}.type: "cups" needs pycups, which is not installed here; '
                "use usb, serial, network, file or none"
            )
        return CupsConnection(printer=_text(table, "printer", where, "a CUPS printer name"))
    return NoPrinter()


def _text(table: Mapping[str, Any], key: str, where: str, accepted: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        shown = "missing" if value is None else f"{value!r} is not accepted"
        raise PrinterConfigError(f"{where}.{key}: {shown}; use {accepted}")
    return value.strip()


def _whole_number(
    table: Mapping[str, Any], key: str, where: str, *, default: int, low: int, high: int
) -> int:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise PrinterConfigError(
            f"{where}.{key}: {value!r} is not accepted; use a whole number from {low} to {high}"
        )
    return value


def _usb_id(table: Mapping[str, Any], key: str, where: str) -> int:
    value = table.get(key)
    accepted = 'a number from 0 to 65535 or a hex string such as "0x04b8"'
    if value is None:
        raise PrinterConfigError(f"{where}.{key}: missing; use {accepted}")
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str):
        digits = value.strip().lower().removeprefix("0x")
        try:
            number = int(digits, 16)
        except ValueError:
            number = None
    if number is None or not 0 <= number <= 0xFFFF:
        raise PrinterConfigError(f"{where}.{key}: {value!r} is not accepted; use {accepted}")
    return number


def _is_known_escpos_profile(name: object) -> bool:
    from escpos.capabilities import CAPABILITIES

    return isinstance(name, str) and name in CAPABILITIES["profiles"]
