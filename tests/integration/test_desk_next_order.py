"""The desk console's "Next for this desk" lists tickets in the order F2 calls them
(issue 18, item 4): a checked-in appointment that is due goes above a priority walk-in."""

from __future__ import annotations

from datetime import UTC, datetime

from frontdesk.clock import VirtualClock
from frontdesk.desk.reference import read_queue, read_reference
from frontdesk.services.wiring import Services

DESK = "Interview 1"


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, 2, hour, minute, tzinfo=UTC)


def test_next_for_this_desk_is_in_the_order_f2_calls(
    services: Services, clock: VirtualClock
) -> None:
    booking = services.appointments.book("HB-INTERVIEW", "CIVIC", at(11))
    clock.set(at(10, 50))
    appointment = services.appointments.checkin("CIVIC", booking.reference).ticket
    clock.set(at(10, 55))
    walk_in = services.queue.issue("CIVIC", "HBEN", priority="ASSIST").ticket
    clock.set(at(11, 0))
    ref = read_reference(services, "CIVIC", DESK)
    view = read_queue(services, "CIVIC", ref.desk_services, ref, DESK)
    listed = [w.ticket for w in view.next_up]
    assert listed == [appointment, walk_in]
    order = services.queue.call_order("CIVIC", DESK)
    assert [w.id for w in view.next_up] == order
    called = services.queue.call_next("CIVIC", DESK)
    assert called is not None and called.ticket == listed[0]
