"""Ticket printers: the `TicketPrinter` protocol, the python-escpos adapter and a null printer.

python-escpos 3.1 is pinned because we rely on its internals' behaviour: `paper_status()` reports
"plenty" when the printer gives no reply, and `is_online()` cannot tell "no reply" from
"offline". So the adapter sends the real-time status requests itself and maps silence to
UNKNOWN (and a refusal to print), never to ONLINE.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Literal, Protocol

from escpos.constants import DLE, EOT
from escpos.escpos import Escpos
from escpos.exceptions import DeviceNotFoundError
from escpos.exceptions import Error as EscposError
from escpos.printer import Network

from frontdesk.devices.printer_status import (
    CoverOpen,
    PaperOut,
    PrinterFault,
    PrinterOffline,
    PrinterStatus,
    PrinterTimeout,
)
from frontdesk.devices.slip import (
    SlipLabels,
    TicketSlip,
    render_slip_bytes,
    write_slip,
)
from frontdesk.printer_config import (
    CupsConnection,
    FileConnection,
    NetworkConnection,
    PrinterConfig,
    PrinterConfigError,
    SerialConnection,
    SlipProfile,
    UsbConnection,
)

__all__ = [
    "CoverOpen",
    "EscposTicketPrinter",
    "NullPrinter",
    "PaperOut",
    "PrinterCheck",
    "PrinterConfig",
    "PrinterConfigError",
    "PrinterFault",
    "PrinterOffline",
    "PrinterStatus",
    "PrinterTimeout",
    "TicketPrinter",
    "TicketSlip",
    "make_printer",
    "render_slip_bytes",
]

# DLE EOT n: real-time status (ESC/POS). Bit 3 of n=1 is "offline"; n=2 says why (bit 2 cover
# open, bit 5 paper end); n=4 is the roll sensor (bits 2-3 near end, bits 5-6 paper end).
# python-escpos's own paper_status() uses n=4, not GS r 1.
STATUS_PRINTER = DLE + EOT + b"\x01"
STATUS_OFFLINE_CAUSE = DLE + EOT + b"\x02"
STATUS_ROLL_PAPER = DLE + EOT + b"\x04"
_FIXED_BITS_MASK = 0b1001_0011  # bits 0, 1, 4, 7 of every DLE EOT reply
_FIXED_BITS_VALUE = 0b0001_0010

StatusMethod = Literal["realtime", "queue", "none"]


@dataclass(frozen=True)
class PrinterCheck:
    """A status reading with a short reason for the device-health screen."""

    status: PrinterStatus
    detail: str = ""


class TicketPrinter(Protocol):
    def status(self) -> PrinterStatus:
        """Ask the printer how it is; never raises, UNKNOWN when it cannot tell."""
        ...

    def print_slip(self, slip: TicketSlip) -> PrinterStatus:
        """Print one slip or raise a `PrinterFault`; returns the status seen before printing."""
        ...


class NullPrinter:
    """No printer at this kiosk: the ticket is shown on screen only."""

    def status(self) -> PrinterStatus:
        return PrinterStatus.OFFLINE

    def print_slip(self, slip: TicketSlip) -> PrinterStatus:
        raise PrinterOffline("this kiosk has no ticket printer")


class _NoStatusSupport(Exception):
    """The transport cannot read back (a plain file, for instance)."""


class EscposTicketPrinter:
    """A receipt printer driven through python-escpos; one connection per slip."""

    def __init__(
        self,
        connect: Callable[[], Escpos],
        profile: SlipProfile,
        *,
        status_method: StatusMethod = "realtime",
        timeout_seconds: float = 2.5,
        labels: SlipLabels | None = None,
    ) -> None:
        self._connect = connect
        self._profile = profile
        self._status_method = status_method
        self._timeout_seconds = timeout_seconds
        self._labels = labels
        # One slip at a time: two interleaved jobs would print one garbled ticket.
        self._lock = threading.Lock()

    def status(self) -> PrinterStatus:
        return self.check().status

    def check(self) -> PrinterCheck:
        """The printer's status with a reason; never raises."""
        with self._lock:
            device = self._connect()
            try:
                return self._probe(device)
            except PrinterFault as fault:
                return PrinterCheck(fault.status, str(fault))
            finally:
                _close_quietly(device)

    def print_slip(self, slip: TicketSlip) -> PrinterStatus:
        with self._lock:
            device = self._connect()
            try:
                check = self._probe(device)
                _raise_for(check)
                with _printer_errors(self._timeout_seconds):
                    write_slip(device, slip, self._profile, self._labels)
                    _flush(device)
                return check.status
            finally:
                _close_quietly(device)

    def _probe(self, device: Escpos) -> PrinterCheck:
        try:
            return self._read_status(device)
        except _NoStatusSupport:
            # Print anyway: a file or spooler cannot answer, and that is not a fault.
            return PrinterCheck(PrinterStatus.UNKNOWN, "this connection cannot report status")

    def _read_status(self, device: Escpos) -> PrinterCheck:
        if self._status_method == "none":
            return PrinterCheck(PrinterStatus.UNKNOWN, "this connection cannot report status")
        if self._status_method == "queue":
            # CUPS answers for its queue, not the paper: stopped queue reads as offline.
            reply = self._ask(device, STATUS_PRINTER)
            if reply & 0b1000:
                return PrinterCheck(PrinterStatus.OFFLINE, "the print queue is stopped")
            return PrinterCheck(PrinterStatus.ONLINE)
        printer = self._ask(device, STATUS_PRINTER)
        if printer & 0b1000:
            cause = self._ask(device, STATUS_OFFLINE_CAUSE)
            if cause & 0b0000_0100:
                return PrinterCheck(PrinterStatus.COVER_OPEN, "the cover is open")
            if cause & 0b0010_0000:
                return PrinterCheck(PrinterStatus.PAPER_OUT, "the paper has run out")
            return PrinterCheck(PrinterStatus.OFFLINE, "the printer reports it is offline")
        paper = self._ask(device, STATUS_ROLL_PAPER)
        if paper & 0b0110_0000:
            return PrinterCheck(PrinterStatus.PAPER_OUT, "the paper has run out")
        if paper & 0b0000_1100:
            return PrinterCheck(PrinterStatus.PAPER_LOW, "the paper roll is nearly finished")
        return PrinterCheck(PrinterStatus.ONLINE)

    def _ask(self, device: Escpos, request: bytes) -> int:
        """Send one real-time status request and return the reply byte."""
        with _printer_errors(self._timeout_seconds):
            try:
                reply = device.query_status(request)
            except NotImplementedError as exc:
                raise _NoStatusSupport from exc
        if not reply:
            raise PrinterTimeout(
                f"the printer gave no status reply within {self._timeout_seconds:g} seconds"
            )
        # Keep the newest byte: an automatic status report may have arrived before our reply.
        value = reply[-1]
        if self._status_method == "realtime" and value & _FIXED_BITS_MASK != _FIXED_BITS_VALUE:
            raise PrinterTimeout(f"the printer's status reply {value:#04x} is not ESC/POS")
        return value


@contextmanager
def _printer_errors(timeout_seconds: float) -> Iterator[None]:
    """Turn socket, USB and escpos errors into our printer faults."""
    try:
        yield
    except (PrinterFault, _NoStatusSupport):
        raise
    except TimeoutError as exc:
        raise PrinterTimeout(_no_answer(timeout_seconds)) from exc
    except DeviceNotFoundError as exc:
        # Network.open() wraps a connect timeout in DeviceNotFoundError without `from`.
        if isinstance(exc.__context__, TimeoutError):
            raise PrinterTimeout(_no_answer(timeout_seconds)) from exc
        raise PrinterOffline(f"cannot reach the printer: {_first_line(exc)}") from exc
    except OSError as exc:
        raise PrinterOffline(f"cannot reach the printer: {_first_line(exc)}") from exc
    except EscposError as exc:
        raise PrinterFault(f"the printer driver failed: {_first_line(exc)}") from exc
    except Exception as exc:
        if type(exc).__name__ == "USBError":  # pyusb is optional, so its class is not imported
            raise PrinterOffline(f"USB printer error: {_first_line(exc)}") from exc
        raise


def _no_answer(timeout_seconds: float) -> str:
    return f"the printer did not answer within {timeout_seconds:g} seconds"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _raise_for(check: PrinterCheck) -> None:
    faults: dict[PrinterStatus, type[PrinterFault]] = {
        PrinterStatus.OFFLINE: PrinterOffline,
        PrinterStatus.PAPER_OUT: PaperOut,
        PrinterStatus.COVER_OPEN: CoverOpen,
    }
    fault = faults.get(check.status)
    if fault is not None:
        raise fault(check.detail or check.status.value)


def _flush(device: Escpos) -> None:
    flush = getattr(device, "flush", None)
    if callable(flush):
        flush()


def _close_quietly(device: Escpos) -> None:
    # A failed close must not hide whether the slip printed.
    with suppress(Exception):
        device.close()


class _NetworkPrinter(Network):
    """python-escpos's Network, but closing the socket when the connection fails (3.1 leaks it)."""

    def open(self, raise_not_found: bool = True) -> None:
        self.close()
        self.device = None
        try:
            # create_connection closes its own socket when connecting fails.
            self.device = socket.create_connection((self.host, self.port), timeout=self.timeout)
        except OSError as exc:
            if raise_not_found:
                raise DeviceNotFoundError(f"Could not open socket for {self.host}: {exc}") from exc


def make_printer(config: PrinterConfig, labels: SlipLabels | None = None) -> TicketPrinter:
    """Build the printer a kiosk's `printer` settings describe."""
    connection = config.connection
    profile_name = config.profile.escpos_profile
    timeout = config.timeout_seconds
    connect: Callable[[], Escpos]
    status_method: StatusMethod = "realtime"
    if isinstance(connection, NetworkConnection):
        host, port = connection.host, connection.port

        def connect() -> Escpos:
            # python-escpos's default socket timeout is 60 s: far too long for a kiosk.
            return _NetworkPrinter(host, port=port, timeout=timeout, profile=profile_name)

    elif isinstance(connection, UsbConnection):
        from escpos.printer import Usb

        _require_usable(Usb, "usb", "pyusb")
        vendor, product = connection.vendor_id, connection.product_id

        def connect() -> Escpos:
            # pyusb counts its timeout in milliseconds.
            return Usb(vendor, product, timeout=int(timeout * 1000), profile=profile_name)

    elif isinstance(connection, SerialConnection):
        from escpos.printer import Serial

        _require_usable(Serial, "serial", "pyserial")
        device_path, baudrate = connection.port, connection.baudrate

        def connect() -> Escpos:
            return Serial(
                devfile=device_path, baudrate=baudrate, timeout=timeout, profile=profile_name
            )

    elif isinstance(connection, FileConnection):
        from escpos.printer import File

        path = connection.path
        status_method = "none"

        def connect() -> Escpos:
            return File(path, profile=profile_name)

    elif isinstance(connection, CupsConnection):
        from escpos.printer import CupsPrinter

        _require_usable(CupsPrinter, "cups", "pycups")
        name = connection.printer
        status_method = "queue"

        def connect() -> Escpos:
            return CupsPrinter(printer_name=name, profile=profile_name)

    else:
        return NullPrinter()
    return EscposTicketPrinter(
        connect,
        config.profile,
        status_method=status_method,
        timeout_seconds=timeout,
        labels=labels,
    )


def _require_usable(printer_class: type, kind: str, package: str) -> None:
    if not printer_class.is_usable():  # type: ignore[attr-defined]
        raise PrinterConfigError(
            f"printer.type: {kind!r} needs the {package} package, which is not installed here"
        )
