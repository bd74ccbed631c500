"""The printed ticket: what is on it and how it is laid out in ESC/POS."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from frontdesk.printer_config import SlipProfile, slip_profile

# python-escpos (with Pillow, its printer capability database and barcode) costs a kiosk
# about 0.2 s and several MB at start-up; only printing needs it, so it is imported there.
if TYPE_CHECKING:
    from escpos.escpos import Escpos

SlipKind = Literal["ticket", "appointment", "checkin"]


@dataclass(frozen=True)
class TicketSlip:
    """Everything printed on one slip; never a visitor's name or contact details."""

    centre_name: str
    ticket: str
    service_name: str
    issued_at_text: str
    estimated_wait_minutes: int | None
    standard_line: str
    qr_payload: str
    kind: SlipKind = "ticket"
    extra_lines: tuple[str, ...] = ()
    # The estimate's 80% interval in whole minutes as said (see queue.predict.said_range);
    # printed instead of the single figure when set.
    wait_range: tuple[int, int] | None = None


@dataclass(frozen=True)
class SlipLabels:
    """Fixed wording on the slip; the kiosk passes translated labels for other languages."""

    issued: str = "Issued"
    wait_minutes: str = "Estimated wait: about {minutes} minutes"
    wait_one_minute: str = "Estimated wait: about 1 minute"
    wait_none: str = "You should be seen very soon"
    wait_range: str = "Estimated wait: about {low} to {high} minutes"
    wait_under: str = "Estimated wait: less than {minutes} minutes"
    appointment: str = "Appointment"
    checkin: str = "Checked in"
    scan_hint: str = "Scan to follow your place in the queue"


def wait_text(minutes: int | None, labels: SlipLabels) -> str | None:
    if minutes is None:
        return None
    if minutes <= 0:
        return labels.wait_none
    if minutes == 1:
        return labels.wait_one_minute
    return labels.wait_minutes.format(minutes=minutes)


def wait_line(slip: TicketSlip, labels: SlipLabels) -> str | None:
    """The slip's wait line: the range when there is one, else the single figure."""
    if slip.wait_range is None:
        return wait_text(slip.estimated_wait_minutes, labels)
    low, high = slip.wait_range
    if low <= 0:
        return labels.wait_under.format(minutes=high)
    return labels.wait_range.format(low=low, high=high)


def _wrapped(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=width) or [""]


def write_slip(
    printer: Escpos, slip: TicketSlip, profile: SlipProfile, labels: SlipLabels | None = None
) -> None:
    """Send one slip to an escpos printer object, ending with a cut."""
    labels = labels or SlipLabels()
    width = profile.chars_per_line
    printer.hw("INIT")
    printer.set(align="center", bold=True)
    for line in _wrapped(slip.centre_name, width):
        printer.text(line + "\n")
    printer.set(align="center", bold=False)
    heading = {"appointment": labels.appointment, "checkin": labels.checkin}.get(slip.kind)
    if heading:
        printer.text(heading + "\n")
    printer.text("\n")
    # Double width halves the characters per line; ticket numbers are short, so one line.
    printer.set(align="center", bold=True, double_width=True, double_height=True)
    printer.text(slip.ticket + "\n")
    printer.set_with_default(align="center")
    printer.text("\n")
    for line in _wrapped(slip.service_name, width):
        printer.text(line + "\n")
    printer.text(f"{labels.issued} {slip.issued_at_text}\n")
    wait = wait_line(slip, labels)
    if wait:
        for line in _wrapped(wait, width):
            printer.text(line + "\n")
    if slip.standard_line:
        for line in _wrapped(slip.standard_line, width):
            printer.text(line + "\n")
    for extra in slip.extra_lines:
        for line in _wrapped(extra, width):
            printer.text(line + "\n")
    if slip.qr_payload:
        printer.text("\n")
        if profile.native_qr:
            printer.qr(slip.qr_payload, native=True, size=profile.qr_module_size)
        else:
            printer.qr(slip.qr_payload, native=False, size=profile.qr_module_size, center=True)
        for line in _wrapped(labels.scan_hint, width):
            printer.text(line + "\n")
    printer.cut()


def render_slip_bytes(
    slip: TicketSlip, profile: SlipProfile | str = "80mm", labels: SlipLabels | None = None
) -> bytes:
    """The exact bytes a printer would receive for this slip (no device needed)."""
    from escpos.printer import Dummy

    chosen = slip_profile(profile) if isinstance(profile, str) else profile
    dummy = Dummy(profile=chosen.escpos_profile)
    write_slip(dummy, slip, chosen, labels)
    return bytes(dummy.output)
