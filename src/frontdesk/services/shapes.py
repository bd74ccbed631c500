"""The stable JSON shapes of DESIGN §4, made from the services' results: one definition
shared by the CLI's `--json` and the HTTP API, so the two never drift apart.

Every value is plain JSON (times as ISO 8601 strings with their UTC offset).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from frontdesk.services.results import (
    Completed,
    IssuedTicket,
    QueueSnapshot,
    TicketAtDesk,
    Transferred,
)


def issued_ticket(t: IssuedTicket, status_url: str | None) -> dict[str, Any]:
    """`ticket issue`: `status_url` is the visitor's page, null without `public_base_url`."""
    return {
        "id": t.id,
        "ticket": t.ticket,
        "centre": t.centre,
        "service": t.service,
        "issued_at": t.issued_at.isoformat(),
        "estimated_wait_seconds": t.estimated_wait_seconds,
        "estimated_wait_low_seconds": t.estimated_wait_low_seconds,
        "estimated_wait_high_seconds": t.estimated_wait_high_seconds,
        "status_url": status_url,
    }


def called(t: TicketAtDesk | None) -> dict[str, Any]:
    """`call-next` and `call`: the called ticket, or `{"ticket": null}` when nobody waits."""
    if t is None:
        return {"ticket": None}
    return {
        "id": t.id,
        "ticket": t.ticket,
        "service": t.service,
        "waited_seconds": t.waited_seconds,
    }


def at_desk(t: TicketAtDesk) -> dict[str, Any]:
    """`start` and `recall`."""
    return {"id": t.id, "ticket": t.ticket, "desk": t.desk}


def completed(c: Completed) -> dict[str, Any]:
    return asdict(c)


def transferred(t: Transferred) -> dict[str, Any]:
    return asdict(t)


def queue(snap: QueueSnapshot) -> dict[str, Any]:
    return {
        "centre": snap.centre,
        "waiting": [
            {
                "id": w.id,
                "ticket": w.ticket,
                "service": w.service,
                "waiting_seconds": w.waiting_seconds,
            }
            for w in snap.waiting
        ],
        "serving": [
            {"id": s.id, "ticket": s.ticket, "desk": s.desk, "service": s.service}
            for s in snap.serving
        ],
    }
