"""Personal data past its retention period really goes (`frontdesk purge contacts` and
`frontdesk housekeeping`): booking contact details, "your turn is near" contacts, the
outbox's recipients and message text, and phone numbers and e-mail addresses written
into free text (ticket notes, transfer notes and reasons, feedback comments), which are
replaced by "[phone removed]" / "[e-mail removed]" while the rest of the text stays.

The retention period is the centres file's `contact_retention_days` (default 30).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from frontdesk.store import retention as rs

if TYPE_CHECKING:
    from frontdesk.services.wiring import Services

EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
# A run of digits with the spaces, dots, dashes and brackets people write phone numbers
# with, optionally after + (a date such as 2026-03-02 has too few digits to count).
PHONE = re.compile(r"(?<![\w+])\+?\(?\d[\d\s().-]{6,}\d(?!\w)")
MIN_PHONE_DIGITS = 9


def scrub(text: str) -> str:
    """`text` without e-mail addresses and phone numbers (9 digits or more)."""

    def phone(match: re.Match[str]) -> str:
        digits = sum(ch.isdigit() for ch in match.group())
        return "[phone removed]" if digits >= MIN_PHONE_DIGITS else match.group()

    return PHONE.sub(phone, EMAIL.sub("[e-mail removed]", text))


@dataclass(frozen=True, slots=True)
class PurgeReport:
    """What one purge removed."""

    bookings: int  # bookings whose contact name, phone and e-mail were cleared
    ticket_contacts: int  # "your turn is near" phone numbers and e-mails deleted
    outbox: int  # messages whose recipient and text were cleared
    free_text: int  # notes, reasons and comments a phone number or e-mail was cut from
    retention_days: int

    @property
    def total(self) -> int:
        return self.bookings + self.ticket_contacts + self.outbox + self.free_text


def purge_personal_data(svc: Services) -> PurgeReport:
    """Forget what is past its retention period (each part its own unit of work)."""
    ticket_contacts = svc.notifications.purge()
    bookings = svc.appointments.purge_contacts()
    settings = svc.queue.catalogue().settings
    days = int(float(settings.get("appointments.contact_retention_days", 30)))
    before = svc.clock.now() - timedelta(days=days)
    with svc.uow.write() as s:
        outbox = rs.purge_outbox(s, before)
        scrubbed = 0
        for which, key, text in rs.free_texts(s, before):
            cleaned = scrub(text)
            if cleaned != text:
                rs.set_free_text(s, which, key, cleaned)
                scrubbed += 1
    return PurgeReport(bookings, ticket_contacts, outbox, scrubbed, days)
