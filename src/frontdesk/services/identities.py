"""Who a visitor was, kept only as a keyed one-way hash, for repeat visits (DESIGN §3).

A visitor is identified when they give a phone number (or e-mail) to be told when their
turn is near, or check in for a booking (its contact, else its reference). The number
itself is purged with the day; what stays is an HMAC under a random key made once per
store, so the hash cannot be looked up in a list of every phone number.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from typing import Any

from sqlmodel import Session

from frontdesk.store import report_reads as rr

SALT_KEY = "reports.identity_key"


def normalised(kind: str, value: str) -> str:
    """A phone number as international digits (a UK 0 becomes 44), an e-mail in lower
    case, a booking reference in upper case."""
    value = value.strip()
    if kind == "phone":
        digits = re.sub(r"\D", "", value)
        if value.startswith("+"):
            return digits
        if digits.startswith("00"):
            return digits[2:]
        if digits.startswith("0"):
            return "44" + digits[1:]
        return digits
    if kind == "email":
        return value.lower()
    return value.upper()


def _salt(session: Session) -> bytes:
    return bytes.fromhex(rr.setting_once(session, SALT_KEY, secrets.token_hex(32)))


def key_of(session: Session, kind: str, value: str) -> str:
    digest = hmac.new(_salt(session), f"{kind}:{normalised(kind, value)}".encode(), hashlib.sha256)
    return digest.hexdigest()[:40]


def remember(session: Session, ticket_id: int, kind: str, value: str) -> None:
    """Identify a ticket's visitor (inside the caller's unit of work)."""
    if value.strip():
        rr.put_identity(session, ticket_id, kind, key_of(session, kind, value))


def remember_booking(session: Session, ticket_id: int, booking: Any) -> None:
    """A checked-in booking's visitor: by its contact phone, e-mail or its reference."""
    if booking.contact_phone:
        remember(session, ticket_id, "phone", booking.contact_phone)
    elif booking.contact_email:
        remember(session, ticket_id, "email", booking.contact_email)
    else:
        remember(session, ticket_id, "booking", booking.reference)
