"""Tokens printed in QR codes (tickets, bookings) and typed at the kiosk or the CLI."""

from __future__ import annotations

import secrets


def scan_token(nbytes: int) -> str:
    """A URL-safe random token that never starts with "-", which a command line would
    take for an option (`frontdesk checkin -xY…`)."""
    while True:
        token = secrets.token_urlsafe(nbytes)
        if not token.startswith("-"):
            return token
