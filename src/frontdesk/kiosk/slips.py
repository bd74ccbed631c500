"""The slips the kiosk shows and prints, worded in the visitor's language: a walk-in
ticket, an appointment check-in, and a booking's confirmation."""

from __future__ import annotations

from frontdesk.devices.slip import SlipKind, SlipLabels, TicketSlip
from frontdesk.kiosk.reference import KioskReference
from frontdesk.queue.predict import said_range
from frontdesk.services.appointments import Booking, CheckedIn
from frontdesk.services.results import IssuedTicket
from frontdesk.services.tokens import ticket_qr_payload
from frontdesk.ui.i18n import _


def slip_labels(kind: SlipKind = "ticket") -> SlipLabels:
    """The printed slip's fixed words, in the language active now."""
    return SlipLabels(
        issued=_("Issued") if kind == "ticket" else _("Appointment at"),
        wait_minutes=_("About {minutes} min wait"),
        wait_one_minute=_("You should be seen very soon"),
        wait_none=_("You should be seen very soon"),
        wait_range=_("Estimated wait: about {low} to {high} minutes"),
        wait_under=_("Estimated wait: less than {minutes} minutes"),
        appointment=_("Appointment"),
        checkin=_("Checked in"),
        scan_hint=_("Scan with your phone"),
    )


def ticket_slip(
    ref: KioskReference, ticket: IssuedTicket, public_base_url: str | None = None
) -> TicketSlip:
    """The walk-in's slip: the wait as the interval stored on the ticket, or that no
    desk serves the service now (no time is promised then)."""
    low, high = ticket.estimated_wait_low_seconds, ticket.estimated_wait_high_seconds
    seconds = ticket.estimated_wait_seconds
    said = said_range(low, high) if low is not None and high is not None else None
    return TicketSlip(
        centre_name=ref.centre_name,
        ticket=ticket.ticket,
        service_name=ref.service_name(ticket.service),
        issued_at_text=ref.format_time(ticket.issued_at),
        estimated_wait_minutes=round(seconds / 60) if seconds is not None else None,
        standard_line=ref.standard_line(),
        # The visitor's page when the council has one (`public_base_url`), else the token.
        qr_payload=ticket_qr_payload(public_base_url, ticket.token),
        wait_range=said,
        extra_lines=() if said else (_("No desk is serving this just now."),),
    )


def checkin_slip(
    ref: KioskReference, done: CheckedIn, public_base_url: str | None = None
) -> TicketSlip:
    return TicketSlip(
        centre_name=ref.centre_name,
        ticket=done.ticket,
        service_name=_(done.booking.type_name),
        issued_at_text=ref.format_time(done.booking.starts_at),
        estimated_wait_minutes=None,
        standard_line=_("Please take a seat: we will call your number."),
        qr_payload=ticket_qr_payload(public_base_url, done.token),
        kind="checkin",
    )


def booking_slip(ref: KioskReference, booking: Booking) -> TicketSlip:
    return TicketSlip(
        centre_name=ref.centre_name,
        ticket=booking.reference,
        service_name=_(booking.type_name),
        issued_at_text=ref.format_slot(booking.starts_at),
        estimated_wait_minutes=None,
        standard_line=_("Bring this slip, or its code, when you come."),
        qr_payload=booking.token,
        kind="appointment",
    )
