"""The queue services against a real store: the same suite on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import store_workers
from sqlmodel import select

from frontdesk.clock import VirtualClock
from frontdesk.errors import DeskBusy, IllegalStep, InvalidInput, NotFound, StoreUnavailable
from frontdesk.services.results import Query
from frontdesk.services.wiring import Services, open_services
from frontdesk.store import engine as store_engine
from frontdesk.store import queue_store as qs
from frontdesk.store.tables import Desk, NumberCounter, Ticket, TicketEvent

CIVIC = "CIVIC"
LONDON = ZoneInfo("Europe/London")
START = datetime(2026, 3, 2, 9, 0, tzinfo=LONDON)  # the `clock` fixture's start


# -- helpers --------------------------------------------------------------------------


def events(svc: Services, ticket_id: int) -> list[Any]:
    with svc.uow.read() as s:
        stmt = (
            select(TicketEvent).where(TicketEvent.ticket_id == ticket_id).order_by(TicketEvent.id)
        )
        rows = list(s.exec(stmt))  # type: ignore[call-overload]
        s.expunge_all()  # plain values after the read session closes
        return rows


def steps(svc: Services, ticket_id: int) -> list[str]:
    return [e.step for e in events(svc, ticket_id)]


def ticket_row(svc: Services, ticket_id: int) -> Ticket:
    with svc.uow.read() as s:
        row = s.get(Ticket, ticket_id)
        assert row is not None
        s.expunge_all()
        return row


def desk_row(svc: Services, centre: str, name: str) -> Desk:
    desk_id = svc.queue.centre(centre).desks[name].id
    with svc.uow.read() as s:
        row = s.get(Desk, desk_id)
        assert row is not None
        s.expunge_all()
        return row


def counters(svc: Services) -> dict[tuple[str, date], int]:
    with svc.uow.read() as s:
        return {(c.prefix, c.business_day): c.last for c in s.exec(select(NumberCounter))}


def serve(svc: Services, desk: str, centre: str = CIVIC) -> str | None:
    """Call the next customer at `desk`, start and complete them; the ticket label."""
    called = svc.queue.call_next(centre, desk)
    if called is None:
        return None
    svc.queue.start(centre, desk)
    svc.queue.complete(centre, desk, [Query(resolved=True)])
    return called.ticket


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)  # type: ignore[misc]


# -- numbering ------------------------------------------------------------------------


def test_numbers_count_per_prefix_and_centre(services: Services) -> None:
    q = services.queue
    assert [q.issue(CIVIC, "CTAX").ticket for _ in range(3)] == ["C001", "C002", "C003"]
    assert q.issue(CIVIC, "GENQ").ticket == "G001"
    assert q.issue(CIVIC, "CTAX").ticket == "C004"
    # Another centre has its own counter for the same prefix.
    assert q.issue("GATEFIELD", "CTAX").ticket == "C001"
    day = START.date()
    with services.uow.read() as s:
        rows = {
            (r.centre_id, r.prefix, r.business_day): r.last for r in s.exec(select(NumberCounter))
        }
    civic = q.centre(CIVIC).id
    gate = q.centre("GATEFIELD").id
    assert rows == {(civic, "C", day): 4, (civic, "G", day): 1, (gate, "C", day): 1}


def test_issue_records_ticket_and_event(services: Services) -> None:
    issued = services.queue.issue(
        CIVIC, "ctax", priority="assist", needs=["interpreter:polish", "bsl"], note="hello"
    )
    assert (issued.ticket, issued.centre, issued.service) == ("C001", CIVIC, "CTAX")
    assert issued.issued_at == START
    assert issued.priority == "ASSIST"
    assert issued.needs == ("interpreter:polish", "bsl")
    row = ticket_row(services, issued.id)
    assert (row.status, row.label, row.number, row.business_day) == (
        "waiting",
        "C001",
        1,
        START.date(),
    )
    assert row.issued_at == START
    assert steps(services, issued.id) == ["issued"]


@pytest.mark.parametrize(
    ("before", "after"),
    [
        # Spring forward: 01:00 GMT becomes 02:00 BST on Sunday 29 March 2026.
        (local(2026, 3, 28, 23, 30), local(2026, 3, 29, 0, 30)),
        # The first midnight in summer time: still 29 March in UTC, already the 30th here.
        (local(2026, 3, 29, 23, 30), local(2026, 3, 30, 0, 30)),
        # Fall back: 02:00 BST becomes 01:00 GMT on Sunday 25 October 2026.
        (local(2026, 10, 24, 23, 30), local(2026, 10, 25, 0, 30)),
        (local(2026, 10, 25, 23, 30), local(2026, 10, 26, 0, 30)),
    ],
    ids=["eve-of-spring", "first-bst-midnight", "eve-of-autumn", "first-gmt-midnight"],
)
def test_numbers_restart_each_local_day_across_clock_changes(
    services: Services, clock: VirtualClock, before: datetime, after: datetime
) -> None:
    q = services.queue
    clock.set(before)
    assert [q.issue(CIVIC, "CTAX").ticket for _ in range(2)] == ["C001", "C002"]
    # Advance the clock itself over local midnight (an hour of elapsed time).
    clock.advance((after - before).total_seconds())
    assert clock.now().astimezone(LONDON).date() == after.date()
    nxt = q.issue(CIVIC, "CTAX")
    assert nxt.ticket == "C001"
    assert q.issue(CIVIC, "CTAX").ticket == "C002"
    assert ticket_row(services, nxt.id).business_day == after.date()
    assert counters(services) == {("C", before.date()): 2, ("C", after.date()): 2}


def test_numbers_within_the_25_hour_day(services: Services, clock: VirtualClock) -> None:
    """The autumn day is 25 hours long and keeps one counter throughout."""
    clock.set(local(2026, 10, 25, 0, 10))
    labels = []
    for _ in range(26):
        labels.append(services.queue.issue(CIVIC, "GENQ").ticket)
        clock.advance(3600)
    # 00:10 … 23:10 local is 25 hours: 25 tickets on the 25th, then the 26th restarts.
    assert labels[:25] == [f"G{n:03d}" for n in range(1, 26)]
    assert labels[25] == "G001"


# -- calling --------------------------------------------------------------------------


def test_call_next_follows_the_desks_service_order(services: Services, clock: VirtualClock) -> None:
    q = services.queue
    # Desk 2 serves CTAX, PARK, WAST, GENQ in that order; arrivals come the other way.
    q.issue(CIVIC, "GENQ")
    clock.advance(10)
    q.issue(CIVIC, "PARK")
    clock.advance(10)
    q.issue(CIVIC, "CTAX")
    clock.advance(60)
    assert [serve(services, "2") for _ in range(4)] == ["C001", "R001", "G001", None]


def test_call_next_is_fifo_within_a_service(services: Services, clock: VirtualClock) -> None:
    q = services.queue
    for _ in range(3):
        q.issue(CIVIC, "CTAX")
        clock.advance(5)
    first = q.call_next(CIVIC, "1")
    assert first is not None
    assert (first.ticket, first.service, first.desk, first.status) == (
        "C001",
        "CTAX",
        "1",
        "called",
    )
    assert first.waited_seconds == 15
    others = [q.call_next(CIVIC, d) for d in ("2", "3")]
    assert [t.ticket for t in others if t is not None] == ["C002", "C003"]
    assert q.call_next(CIVIC, "4") is None


def test_priority_goes_first_but_not_for_ever(services: Services, clock: VirtualClock) -> None:
    q = services.queue
    assert q.fairness().priority_run_limit == 2
    q.issue(CIVIC, "CTAX")  # C001 normal, the longest waiting
    for _ in range(3):
        clock.advance(10)
        q.issue(CIVIC, "CTAX", priority="ASSIST")  # C002..C004
    clock.advance(10)
    q.issue(CIVIC, "CTAX")  # C005 normal
    clock.advance(60)
    order = [serve(services, "1") for _ in range(6)]
    # Two priority calls in a row, then the longest-waiting normal ticket, and so on.
    assert order == ["C002", "C003", "C001", "C004", "C005", None]


def test_desk_must_finish_before_calling_next(services: Services) -> None:
    q = services.queue
    q.issue(CIVIC, "CTAX")
    q.issue(CIVIC, "CTAX")
    q.call_next(CIVIC, "1")
    with pytest.raises(DeskBusy, match=r"desk 1 still holds ticket C001 \(called\)"):
        q.call_next(CIVIC, "1")
    q.start(CIVIC, "1")
    with pytest.raises(DeskBusy, match=r"C001 \(serving\)"):
        q.call_next(CIVIC, "1")
    with pytest.raises(DeskBusy, match="C001"):
        q.call_ticket(CIVIC, "1", "C002")
    q.complete(CIVIC, "1", [Query(resolved=True)])
    nxt = q.call_next(CIVIC, "1")
    assert nxt is not None and nxt.ticket == "C002"
    assert desk_row(services, CIVIC, "1").current_ticket_id == nxt.id


def test_a_busy_desk_claims_nothing_and_says_what_it_holds(services: Services) -> None:
    q = services.queue
    q.issue(CIVIC, "CTAX")
    first = q.call_next(CIVIC, "1")
    assert first is not None
    waiting = q.issue(CIVIC, "CTAX")
    with pytest.raises(DeskBusy, match=r"desk 1 still holds ticket C001 \(called\)"):
        q.call_next(CIVIC, "1")
    # The claim found the desk taken and wrote nothing: C002 still waits, uncalled.
    assert ticket_row(services, waiting.id).status == "waiting"
    assert steps(services, waiting.id) == ["issued"]
    assert desk_row(services, CIVIC, "1").current_ticket_id == first.id
    # Nobody waiting for it: still refused, not "nobody to call".
    q.call_next(CIVIC, "2")
    with pytest.raises(DeskBusy, match="C001"):
        q.call_next(CIVIC, "1")


def test_a_hold_on_a_ticket_that_left_the_desk_is_let_go(services: Services) -> None:
    q = services.queue
    gone = q.issue(CIVIC, "CTAX")
    nxt = q.issue(CIVIC, "CTAX")
    # A hold left behind by some other way out (an old release, a hand edit): the desk
    # points at a ticket that is no longer at any desk.
    with services.uow.write() as s:
        t = s.get(Ticket, gone.id)
        d = s.get(Desk, q.centre(CIVIC).desks["1"].id)
        assert t is not None and d is not None
        t.status = "cancelled"
        d.current_ticket_id = gone.id
    called = q.call_next(CIVIC, "1")
    assert called is not None and called.id == nxt.id
    assert desk_row(services, CIVIC, "1").current_ticket_id == nxt.id


def test_call_a_specific_ticket(services: Services) -> None:
    q = services.queue
    tickets = [q.issue(CIVIC, "CTAX") for _ in range(3)]
    picked = q.call_ticket(CIVIC, "1", "c003")
    assert (picked.id, picked.ticket, picked.status) == (tickets[2].id, "C003", "called")
    # By id, at another desk.
    by_id = q.call_ticket(CIVIC, "2", str(tickets[1].id))
    assert by_id.ticket == "C002"
    # Someone already at a desk cannot be called again by another.
    with pytest.raises(IllegalStep, match="C003 is already called at desk 1"):
        q.call_ticket(CIVIC, "3", "C003")
    # A desk that does not serve the service may not comb it.
    g = q.issue(CIVIC, "GENQ")
    with pytest.raises(InvalidInput, match="desk Interview 1 does not serve GENQ"):
        q.call_ticket(CIVIC, "Interview 1", g.ticket)
    with pytest.raises(NotFound, match="no ticket C999 at CIVIC today"):
        q.call_ticket(CIVIC, "3", "C999")
    with pytest.raises(InvalidInput, match="not a ticket number"):
        q.call_ticket(CIVIC, "3", "hello")
    assert q.call_next(CIVIC, "3").ticket == "C001"  # type: ignore[union-attr]


def test_recall(services: Services, clock: VirtualClock) -> None:
    q = services.queue
    t = q.issue(CIVIC, "CTAX")
    q.call_next(CIVIC, "1")
    clock.advance(45)
    again = q.recall(CIVIC, "1")
    assert (again.id, again.status, again.desk) == (t.id, "called", "1")
    assert steps(services, t.id) == ["issued", "called", "recalled"]
    assert ticket_row(services, t.id).called_at == START + timedelta(seconds=45)
    q.start(CIVIC, "1")
    with pytest.raises(IllegalStep, match="C001 is serving: cannot 'recalled'"):
        q.recall(CIVIC, "1")


def test_no_show_and_return_within_grace(services: Services, clock: VirtualClock) -> None:
    q = services.queue
    first = q.issue(CIVIC, "CTAX")
    clock.advance(30)
    q.issue(CIVIC, "CTAX")
    clock.advance(60)
    q.call_next(CIVIC, "1")
    clock.advance(60)  # a no-show is marked no sooner than a minute after the call
    gone = q.no_show(CIVIC, "1")
    assert (gone.id, gone.ticket, gone.status) == (first.id, "C001", "no_show")
    assert desk_row(services, CIVIC, "1").current_ticket_id is None
    assert ticket_row(services, first.id).desk_id is None
    clock.advance(14 * 60)  # inside the 15 minutes' grace
    back = q.return_to_queue(CIVIC, "C001")
    assert back.status == "waiting"
    # They keep their place: called before C002, who arrived later.
    again = q.call_next(CIVIC, "1")
    assert again is not None and again.id == first.id
    assert steps(services, first.id) == ["issued", "called", "no_show", "returned", "called"]


def test_no_show_called_straight_back_within_grace(services: Services, clock: VirtualClock) -> None:
    q = services.queue
    t = q.issue(CIVIC, "CTAX")
    q.call_next(CIVIC, "1")
    clock.advance(60)
    q.no_show(CIVIC, "1")
    clock.advance(5 * 60)
    assert q.call_ticket(CIVIC, "2", "C001").id == t.id


def test_no_show_refused_after_grace(services: Services, clock: VirtualClock) -> None:
    q = services.queue
    t = q.issue(CIVIC, "CTAX")
    q.call_next(CIVIC, "1")
    clock.advance(60)
    q.no_show(CIVIC, "1")
    clock.advance(16 * 60)
    with pytest.raises(IllegalStep, match="C001 was marked a no-show more than 15 minutes ago"):
        q.return_to_queue(CIVIC, "C001")
    with pytest.raises(IllegalStep, match="more than 15 minutes ago"):
        q.call_ticket(CIVIC, "1", "C001")
    assert ticket_row(services, t.id).status == "no_show"
    assert steps(services, t.id) == ["issued", "called", "no_show"]
    assert desk_row(services, CIVIC, "1").current_ticket_id is None


def test_start_and_complete_with_several_queries(services: Services, clock: VirtualClock) -> None:
    q = services.queue
    t = q.issue(CIVIC, "CTAX")
    clock.advance(120)
    q.call_next(CIVIC, "1")
    clock.advance(30)
    started = q.start(CIVIC, "1", staff="adviser7")
    assert (started.id, started.status) == (t.id, "serving")
    clock.advance(400)
    done = q.complete(
        CIVIC,
        "1",
        [
            Query(resolved=True, topic="CTAX-PAY"),
            Query(resolved=False, topic="CTAX-MOVE", handoff="revenues back office"),
            Query(
                resolved=True,
                avoidable="could-self-serve",
                feedback="compliment",
                feedback_text="quick",
            ),
        ],
        staff="adviser7",
    )
    assert (done.id, done.ticket, done.desk, done.queries_completed) == (t.id, "C001", "1", 3)
    assert ticket_row(services, t.id).status == "done"
    assert desk_row(services, CIVIC, "1").current_ticket_id is None
    log = events(services, t.id)
    assert [e.step for e in log] == [
        "issued",
        "called",
        "started",
        "completed",
        "completed",
        "completed",
        "finished",
    ]
    completed = [e for e in log if e.step == "completed"]
    assert [e.resolved for e in completed] == [True, False, True]
    assert [e.handoff for e in completed] == [None, "revenues back office", None]
    assert [e.avoidable for e in completed] == [None, None, "could-self-serve"]
    assert completed[2].feedback == "compliment" and completed[2].text == "quick"
    assert {e.staff for e in log[1:]} == {None, "adviser7"}
    assert log[-1].at == START + timedelta(seconds=550)
    with pytest.raises(InvalidInput, match="at least one query"):
        q.complete(CIVIC, "1", [])
    with pytest.raises(InvalidInput, match="desk 1 has no customer"):
        q.complete(CIVIC, "1", [Query(resolved=True)])


def test_transfer_to_a_service_keeps_the_visit(services: Services, clock: VirtualClock) -> None:
    q = services.queue
    t = q.issue(CIVIC, "CTAX", note="from kiosk")
    q.call_next(CIVIC, "1")
    q.start(CIVIC, "1")
    clock.advance(300)
    moved = q.transfer(
        CIVIC,
        "1",
        service="HBEN",
        note="needs a CTS claim",
        queries=[Query(resolved=True, topic="CTAX-BILL")],
    )
    assert (moved.id, moved.to_service, moved.to_desk, moved.note) == (
        t.id,
        "HBEN",
        None,
        "needs a CTS claim",
    )
    assert desk_row(services, CIVIC, "1").current_ticket_id is None
    snap = q.snapshot(CIVIC)
    assert [(w.id, w.ticket, w.service, w.transferred) for w in snap.waiting] == [
        (t.id, "C001", "HBEN", True)
    ]
    clock.advance(60)
    # Desk 3 serves HBEN first: the same ticket, with the note, no re-keying.
    there = q.call_next(CIVIC, "3")
    assert there is not None
    assert (there.id, there.ticket, there.service, there.transfers) == (t.id, "C001", "HBEN", 1)
    assert there.note is not None and "needs a CTS claim" in there.note
    assert "from kiosk" in there.note
    assert there.waited_seconds == 60  # the wait in the new queue
    q.start(CIVIC, "3")
    q.complete(CIVIC, "3", [Query(resolved=True)])
    log = events(services, t.id)
    assert [e.step for e in log] == [
        "issued",
        "called",
        "started",
        "completed",
        "transferred",
        "called",
        "started",
        "completed",
        "finished",
    ]
    hben = services.queue.catalogue().services["HBEN"].id
    transfer = log[4]
    assert (transfer.text, transfer.service_id) == ("needs a CTS claim", hben)
    assert ticket_row(services, t.id).status == "done"


def test_transfer_to_a_named_desk(services: Services, clock: VirtualClock) -> None:
    q = services.queue
    waiting_hopt = q.issue(CIVIC, "HOPT")
    t = q.issue(CIVIC, "HBEN")
    q.call_ticket(CIVIC, "3", t.ticket)
    q.start(CIVIC, "3")
    moved = q.transfer(CIVIC, "3", to_desk="Interview 2", note="private room please")
    assert (moved.id, moved.to_desk, moved.note) == (t.id, "Interview 2", "private room please")
    # Another desk serving HBEN does not get it …
    assert q.call_next(CIVIC, "1") is None
    # … and the named desk calls it before its own longer-waiting queue.
    there = q.call_next(CIVIC, "Interview 2")
    assert there is not None
    assert (there.id, there.ticket, there.desk) == (t.id, "B001", "Interview 2")
    assert there.note == "private room please"
    assert ticket_row(services, t.id).target_desk_id is None
    q.start(CIVIC, "Interview 2")
    q.complete(CIVIC, "Interview 2", [Query(resolved=True)])
    assert q.call_next(CIVIC, "Interview 2").id == waiting_hopt.id  # type: ignore[union-attr]
    with pytest.raises(NotFound, match="unknown desk 'Nowhere' at CIVIC"):
        q.transfer(CIVIC, "Interview 2", to_desk="Nowhere")
    with pytest.raises(InvalidInput, match="needs a service or a desk"):
        q.transfer(CIVIC, "Interview 2")


def test_cancel_and_left(services: Services) -> None:
    q = services.queue
    a = q.issue(CIVIC, "CTAX")
    b = q.issue(CIVIC, "CTAX")
    c = q.issue(CIVIC, "CTAX")
    assert q.cancel(CIVIC, "C001", reason="changed my mind").status == "cancelled"
    assert ticket_row(services, a.id).status == "cancelled"
    assert events(services, a.id)[-1].text == "changed my mind"
    # A called customer who walks away frees the desk.
    assert q.call_next(CIVIC, "1").id == b.id  # type: ignore[union-attr]
    assert q.left(CIVIC, str(b.id)).status == "left"
    assert desk_row(services, CIVIC, "1").current_ticket_id is None
    assert q.call_next(CIVIC, "1").id == c.id  # type: ignore[union-attr]
    assert steps(services, b.id) == ["issued", "called", "left"]
    with pytest.raises(IllegalStep, match="C001 is cancelled: cannot 'called'"):
        q.call_ticket(CIVIC, "2", "C001")
    with pytest.raises(NotFound, match="no ticket 999999 at CIVIC"):
        q.cancel(CIVIC, "999999")


@pytest.mark.parametrize(
    ("action", "message"),
    [
        ("complete_called", r"ticket C001 is called: cannot 'completed' \(allowed: "),
        ("cancel_done", r"ticket C001 is done: cannot 'cancelled' \(it is closed\)"),
        ("return_waiting", r"ticket C001 is waiting: cannot 'returned' \(allowed: "),
        ("start_serving", r"ticket C001 is serving: cannot 'started' \(allowed: "),
        ("noshow_serving", r"ticket C001 is serving: cannot 'no_show'"),
        ("transfer_called", r"ticket C001 is called: cannot 'transferred'"),
    ],
)
def test_illegal_steps_name_ticket_state_and_step(
    services: Services, action: str, message: str
) -> None:
    q = services.queue
    t = q.issue(CIVIC, "CTAX")
    if action == "return_waiting":
        call: Any = lambda: q.return_to_queue(CIVIC, "C001")  # noqa: E731
    else:
        q.call_next(CIVIC, "1")
        if action == "complete_called":
            call = lambda: q.complete(CIVIC, "1", [Query(resolved=True)])  # noqa: E731
        elif action == "transfer_called":
            call = lambda: q.transfer(CIVIC, "1", service="HBEN")  # noqa: E731
        else:
            q.start(CIVIC, "1")
            if action == "cancel_done":
                q.complete(CIVIC, "1", [Query(resolved=True)])
                call = lambda: q.cancel(CIVIC, "C001")  # noqa: E731
            elif action == "start_serving":
                call = lambda: q.start(CIVIC, "1")  # noqa: E731
            else:
                call = lambda: q.no_show(CIVIC, "1")  # noqa: E731
    before = steps(services, t.id)
    status = ticket_row(services, t.id).status
    with pytest.raises(IllegalStep, match=message):
        call()
    # Nothing was written by the refused step.
    assert steps(services, t.id) == before
    assert ticket_row(services, t.id).status == status


def test_unknown_codes_list_the_known_ones(services: Services) -> None:
    q = services.queue
    with pytest.raises(NotFound, match=r"unknown centre 'NOWHERE' \(known: .*CIVIC.*GATEFIELD"):
        q.issue("NOWHERE", "CTAX")
    with pytest.raises(NotFound, match=r"unknown service 'XYZ' \(known: .*CTAX.*GENQ"):
        q.issue(CIVIC, "XYZ")
    with pytest.raises(NotFound, match=r"'PLAN' is not offered at GATEFIELD \(offered: .*CTAX"):
        q.issue("GATEFIELD", "PLAN")
    with pytest.raises(NotFound, match=r"unknown desk '9' at CIVIC \(desks: 1, 2, .*Interview 1"):
        q.call_next(CIVIC, "9")
    with pytest.raises(NotFound, match="unknown centre 'NOWHERE'"):
        q.snapshot("NOWHERE")
    with pytest.raises(InvalidInput, match=r"unknown priority 'VIP' \(configured: ASSIST"):
        q.issue(CIVIC, "CTAX", priority="VIP")
    with pytest.raises(InvalidInput, match="unknown need 'jetpack'"):
        q.issue(CIVIC, "CTAX", needs=["jetpack"])
    # Nothing half-written by any of them.
    assert counters(services) == {}
    assert q.snapshot(CIVIC).waiting == ()


def test_snapshot(services: Services, clock: VirtualClock) -> None:
    q = services.queue
    a = q.issue(CIVIC, "CTAX")
    clock.advance(60)
    b = q.issue(CIVIC, "GENQ", priority="ASSIST", needs=["hearing-loop"])
    clock.advance(60)
    c = q.issue(CIVIC, "HBEN")
    d = q.issue(CIVIC, "PARK")
    q.issue("GATEFIELD", "CTAX")  # another centre's queue is not in this one
    clock.advance(30)
    q.call_ticket(CIVIC, "3", c.ticket)
    q.start(CIVIC, "3")
    q.call_ticket(CIVIC, "4", d.ticket)
    snap = q.snapshot(CIVIC)
    assert snap.centre == CIVIC and snap.at == clock.now()
    assert [(w.id, w.ticket, w.service, w.waiting_seconds) for w in snap.waiting] == [
        (a.id, "C001", "CTAX", 150),
        (b.id, "G001", "GENQ", 90),
    ]
    assert snap.waiting[1].priority == "ASSIST"
    assert snap.waiting[1].needs == ("hearing-loop",)
    assert not snap.waiting[0].transferred
    assert sorted((s.ticket, s.desk, s.service, s.status) for s in snap.serving) == [
        ("B001", "3", "HBEN", "serving"),
        ("R001", "4", "PARK", "called"),
    ]
    other = q.snapshot("GATEFIELD")
    assert [w.ticket for w in other.waiting] == ["C001"] and other.serving == ()


def test_standard_report_after_a_small_day(services: Services, clock: VirtualClock) -> None:
    q = services.queue
    q.issue(CIVIC, "CTAX")  # C001: seen after 5 minutes, two queries
    q.issue(CIVIC, "CTAX")  # C002: seen after 12 minutes, transferred, one query
    q.issue(CIVIC, "GENQ")  # G001: leaves after 15 minutes unseen (a breach)
    q.issue(CIVIC, "CTAX")  # C003: cancels after 2 minutes (a walk-out)
    clock.advance(120)
    q.cancel(CIVIC, "C003")
    clock.advance(180)  # 09:05
    assert q.call_next(CIVIC, "1").ticket == "C001"  # type: ignore[union-attr]
    q.start(CIVIC, "1")
    clock.advance(300)
    q.complete(
        CIVIC,
        "1",
        [Query(resolved=True), Query(resolved=False, handoff="back office", avoidable="chasing")],
    )
    clock.advance(120)  # 09:12
    assert q.call_next(CIVIC, "1").ticket == "C002"  # type: ignore[union-attr]
    q.start(CIVIC, "1")
    clock.advance(60)
    q.transfer(CIVIC, "1", service="HBEN", note="benefit query")
    clock.advance(60)  # 09:14
    assert q.call_next(CIVIC, "3").ticket == "C002"  # type: ignore[union-attr]
    q.start(CIVIC, "3")
    clock.advance(60)  # 09:15
    q.left(CIVIC, "G001")
    clock.advance(240)
    q.complete(CIVIC, "3", [Query(resolved=True)])
    # Another centre's and another day's tickets are not counted.
    q.issue("GATEFIELD", "CTAX")
    clock.advance(24 * 3600)
    q.issue(CIVIC, "CTAX")

    report = services.reports.standard(CIVIC, START.date(), START.date())
    assert report.as_json() == {
        "centre": CIVIC,
        "from": "2026-03-02",
        "to": "2026-03-02",
        "threshold_minutes": 10,
        "target_share": 0.95,
        "seen": 2,
        "seen_within_threshold": 1,
        "ended_unseen": 2,
        "breached_unseen": 1,
        "walkouts": 1,
        "share_within_standard": pytest.approx(1 / 3),
        "average_wait_seconds": pytest.approx(510),
        "queries_completed": 3,
        "first_contact_resolution": pytest.approx(1 / 3),
        "resolved_in_one_visit": pytest.approx(2 / 3),
        "avoidable_contact_share": pytest.approx(1 / 3),
        "met": False,
        # The visitors' ratings stand beside the standard (nobody rated this day).
        "visits_rated": 0,
        "average_rating": None,
        "satisfied_share": None,
    }
    assert report.by_service["CTAX"]["seen"] == 2
    assert report.by_service["GENQ"]["seen"] == 0
    empty = services.reports.standard(CIVIC, date(2026, 3, 4), date(2026, 3, 5)).figures
    assert (empty.seen, empty.share_within_standard, empty.met) == (0, None, None)


def test_desk_resumes_its_customer_after_restart(
    services: Services, backend: Any, clock: VirtualClock
) -> None:
    q = services.queue
    q.issue(CIVIC, "CTAX")
    t = q.issue(CIVIC, "HBEN")
    q.call_next(CIVIC, "1")  # C001 called at desk 1
    q.call_next(CIVIC, "3")  # B001 at desk 3, then started
    q.start(CIVIC, "3")
    services.close()

    clock.advance(90)
    again = open_services(backend.url, clock)
    try:
        current = again.queue.current(CIVIC, "3")
        assert current is not None
        assert (current.id, current.ticket, current.status, current.desk) == (
            t.id,
            "B001",
            "serving",
            "3",
        )
        called = again.queue.current(CIVIC, "1")
        assert called is not None and (called.ticket, called.status) == ("C001", "called")
        assert again.queue.current(CIVIC, "2") is None
        # The restarted console carries on where it was.
        done = again.queue.complete(CIVIC, "3", [Query(resolved=True)])
        assert done.id == t.id
        assert again.queue.current(CIVIC, "3") is None
        assert again.queue.issue(CIVIC, "CTAX").ticket == "C002"
    finally:
        again.close()


@pytest.mark.parametrize("by", ["label", "id"])
def test_cancel_racing_a_desk_call_stays_consistent(
    services: Services, backend: Any, monkeypatch: pytest.MonkeyPatch, by: str
) -> None:
    """A kiosk cancels while a desk in another process calls the same ticket: whoever
    wins, the ticket's status and its event log agree."""
    q = services.queue
    t = q.issue(CIVIC, "CTAX")
    # The rival desk's engine gives up quickly when SQLite's write lock is held.
    monkeypatch.setattr(store_engine, "SQLITE_BUSY_TIMEOUT_MS", 200)
    rival = open_services(backend.url, services.clock)
    rival.queue.catalogue()
    real_update = qs.update_ticket
    raced: list[Any] = []

    def update_after_rival(*args: Any, **kwargs: Any) -> bool:
        # Between the cancel's read of the ticket and its write, the rival desk calls.
        if not raced:
            try:
                raced.append(rival.queue.call_next(CIVIC, "1"))
            except StoreUnavailable as exc:  # SQLite: the cancel holds the write lock
                raced.append(exc)
        return real_update(*args, **kwargs)

    monkeypatch.setattr(qs, "update_ticket", update_after_rival)
    try:
        try:
            q.cancel(CIVIC, t.ticket if by == "label" else str(t.id))
            cancelled = True
        except IllegalStep:
            cancelled = False
    finally:
        monkeypatch.setattr(qs, "update_ticket", real_update)
        rival.close()
    assert len(raced) == 1
    rival_called = raced[0] is not None and not isinstance(raced[0], StoreUnavailable)
    assert cancelled != rival_called  # exactly one of them had the ticket
    status = ticket_row(services, t.id).status
    assert status == ("cancelled" if cancelled else "called")
    assert store_workers.consistency_problems(services.engine) == []


def test_the_store_claims_the_first_offered_choice_still_free(services: Services) -> None:
    from frontdesk.store.sql import claims

    q = services.queue
    where = q.centre(CIVIC)
    ctax = q.catalogue().services["CTAX"].id
    first, second, third = (q.issue(CIVIC, "CTAX") for _ in range(3))
    q.call_ticket(CIVIC, "2", first.ticket)  # another desk got there first
    desk = where.desks["1"].id
    offered = [claims.Choice(t.id, ctax, run) for t, run in ((first, 5), (second, 2), (third, 7))]
    with claims.claim_session(services.uow) as session, session.writing():
        got = session.claim_first_of(offered, desk, where.id, services.clock.now(), "S1")
    assert got == (claims.Claim.CLAIMED, second.id)
    assert ticket_row(services, second.id).status == "called"
    assert ticket_row(services, third.id).status == "waiting"
    assert steps(services, second.id) == ["issued", "called"]
    # The fairness counter moves as the claimed choice said, not the others.
    with services.uow.read_core() as conn:
        assert qs.priority_runs(conn, where.id) == {ctax: 2}


def test_a_no_show_waits_for_the_configured_time_after_the_call(
    services: Services, clock: VirtualClock
) -> None:
    q = services.queue
    q.issue(CIVIC, "CTAX")
    q.call_next(CIVIC, "1")
    clock.advance(59)
    with pytest.raises(
        IllegalStep, match=r"C001 was called 59 s ago.*60 s after the call \(in 1 s\)"
    ):
        q.no_show(CIVIC, "1")
    q.recall(CIVIC, "1")  # a recall starts the minute again
    clock.advance(30)
    with pytest.raises(IllegalStep, match="in 30 s"):
        q.no_show(CIVIC, "1")
    clock.advance(30)
    assert q.no_show(CIVIC, "1").status == "no_show"
