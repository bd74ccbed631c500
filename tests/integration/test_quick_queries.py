"""Quick queries: a greeter marks a waiting ticket; desks see it when combing."""

from __future__ import annotations

import pytest

from frontdesk.errors import IllegalStep, NotFound
from frontdesk.services.wiring import Services
from frontdesk.store import audit as audit_log


def test_a_marked_ticket_is_quick_for_the_desks(services: Services) -> None:
    first = services.queue.issue("CIVIC", "CTAX")
    second = services.queue.issue("CIVIC", "CTAX", topic="CTAX-MOVE")
    services.queue.mark_quick("CIVIC", second.ticket, staff="ADV1")
    details = services.queue.waiting_details("CIVIC")
    assert details[second.id].quick is True
    assert details[first.id].quick is False
    with services.uow.read_core() as conn:
        audit = audit_log.audit_entries(conn, services.clock.now())
    assert [(a.action, a.staff) for a in audit] == [("ticket.quick", "ADV1")]


def test_only_waiting_tickets_can_be_marked(services: Services) -> None:
    ticket = services.queue.issue("CIVIC", "CTAX")
    services.queue.call_next("CIVIC", "1")
    with pytest.raises(IllegalStep, match=f"ticket {ticket.ticket} is called"):
        services.queue.mark_quick("CIVIC", ticket.ticket)
    with pytest.raises(NotFound):
        services.queue.mark_quick("CIVIC", "C999")
