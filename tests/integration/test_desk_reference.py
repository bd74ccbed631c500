"""The desk's call of a particular ticket: another desk being quicker is a typed error
(`TicketTaken`) that the console answers by calling the next customer; any other refusal
reaches the adviser as it is."""

from __future__ import annotations

import pytest

from frontdesk.desk.reference import call_particular
from frontdesk.errors import IllegalStep, TicketTaken
from frontdesk.services.wiring import Services

CIVIC = "CIVIC"


def test_a_ticket_another_desk_called_is_taken(services: Services) -> None:
    ticket = services.queue.issue(CIVIC, "CTAX").ticket
    services.queue.call_ticket(CIVIC, "2", ticket)
    with pytest.raises(TicketTaken, match=f"{ticket} is already called at desk 2"):
        services.queue.call_ticket(CIVIC, "1", ticket)


def test_the_desk_calls_the_next_one_when_its_pick_was_taken(services: Services) -> None:
    taken = services.queue.issue(CIVIC, "CTAX").ticket
    waiting = services.queue.issue(CIVIC, "CTAX").ticket
    services.queue.call_ticket(CIVIC, "2", taken)
    called = call_particular(services, CIVIC, "1", taken, "AB", ("CTAX",))
    assert called.ticket is not None and called.ticket.ticket == waiting
    assert called.note == f"{taken} was already called by another desk: called {waiting} instead."


def test_nobody_else_waiting_is_said(services: Services) -> None:
    taken = services.queue.issue(CIVIC, "CTAX").ticket
    services.queue.call_ticket(CIVIC, "2", taken)
    called = call_particular(services, CIVIC, "1", taken, "AB", ("CTAX",))
    assert called.ticket is None
    assert called.note.endswith("nobody else is waiting.")


def test_any_other_refusal_is_not_mistaken_for_a_taken_ticket(services: Services) -> None:
    ticket = services.queue.issue(CIVIC, "CTAX").ticket
    services.queue.cancel(CIVIC, ticket)
    with pytest.raises(IllegalStep) as refused:
        call_particular(services, CIVIC, "1", ticket, "AB", ("CTAX",))
    assert not isinstance(refused.value, TicketTaken)
    assert services.queue.current(CIVIC, "1") is None
