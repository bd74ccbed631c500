"""Tokens printed in QR codes (tickets, bookings) and typed at the kiosk or the CLI, and
the address a ticket's QR code carries when the council publishes the visitor's page."""

from __future__ import annotations

import secrets

# 16 random bytes: 128 bits, so nobody can find another visitor's page by guessing.
TICKET_TOKEN_BYTES = 16


def scan_token(nbytes: int) -> str:
    """A URL-safe random token that never starts with "-", which a command line would
    take for an option (`frontdesk checkin -xY…`)."""
    while True:
        token = secrets.token_urlsafe(nbytes)
        if not token.startswith("-"):
            return token


def status_url(public_base_url: str | None, token: str) -> str | None:
    """The visitor's page for a ticket (`{public_base_url}/t/{token}`), or None when the
    council has not set a public address."""
    if not public_base_url:
        return None
    return f"{public_base_url.rstrip('/')}/t/{token}"


def ticket_qr_payload(public_base_url: str | None, token: str) -> str:
    """What a ticket's QR code carries: its page's address when there is one (a phone
    opens it), else the bare token."""
    return status_url(public_base_url, token) or token
