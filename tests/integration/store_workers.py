"""Process bodies for the multi-process tests, and the store's consistency check.

They live in their own importable module because the tests start processes with the
'spawn' context: a child imports this module afresh and opens its own services (its own
engine), exactly as a separate kiosk or desk console would.
"""

from __future__ import annotations

import random
import time
import traceback
from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import Engine, text

from frontdesk.clock import SystemClock
from frontdesk.errors import FrontdeskError, StoreUnavailable
from frontdesk.queue.states import Status, Step, next_status
from frontdesk.services.results import Query
from frontdesk.services.wiring import open_services

CENTRE = "CIVIC"
# Every service offered at the Civic Centre; each is served by at least one desk.
SERVICES = ("CTAX", "HBEN", "HOPT", "TENR", "PLAN", "WAST", "PARK", "GENQ")
DESKS = ("1", "2", "3", "4", "5", "6", "Interview 1", "Interview 2")


def _report(results: Any, kind: str, payload: Any) -> None:
    results.put((kind, payload))


def issuer(url: str, seed: int, count: int, go: Any, results: Any) -> None:
    """Issue `count` tickets as fast as possible once everyone is ready."""
    try:
        rng = random.Random(seed)
        svc = open_services(url, SystemClock())
        svc.queue.catalogue()  # connect and read the reference data before the start
        go.wait(60)
        issued = []
        for _ in range(count):
            prio = "ASSIST" if rng.random() < 0.2 else None
            t = svc.queue.issue(CENTRE, rng.choice(SERVICES), priority=prio)
            issued.append((t.id, t.ticket))
        svc.close()
        _report(results, "issued", issued)
    except BaseException:
        _report(results, "error", f"issuer {seed}: {traceback.format_exc()}")
        raise


def caller(url: str, desk: str, go: Any, issuing_done: Any, results: Any) -> None:
    """Call next, start and complete until the issuers are done and nobody is left."""
    try:
        svc = open_services(url, SystemClock())
        q = svc.queue
        q.catalogue()
        go.wait(60)
        served = []
        while True:
            finished = issuing_done.is_set()  # read before looking at the queue
            called = q.call_next(CENTRE, desk)
            if called is None:
                if finished:
                    break
                time.sleep(0.005)  # let the kiosks at the write lock
                continue
            served.append(called.id)
            q.start(CENTRE, desk)
            q.complete(CENTRE, desk, [Query(resolved=True)])
        svc.close()
        _report(results, "served", (desk, served))
    except BaseException:
        _report(results, "error", f"desk {desk}: {traceback.format_exc()}")
        raise


def churn(url: str, seed: int, ready: Any) -> None:
    """Loop for ever issuing, calling, serving and ending tickets (to be killed -9)."""
    rng = random.Random(seed)
    svc = open_services(url, SystemClock())
    q = svc.queue
    announced = False
    while True:
        try:
            roll = rng.random()
            if roll < 0.4:
                q.issue(CENTRE, rng.choice(SERVICES), priority="ASSIST" if roll < 0.05 else None)
                if not announced:
                    ready.set()
                    announced = True
                continue
            desk = rng.choice(DESKS)
            held = q.current(CENTRE, desk)
            if held is None:
                called = q.call_next(CENTRE, desk)
                if called is None and rng.random() < 0.5:
                    snap = q.snapshot(CENTRE)
                    if snap.waiting:
                        q.cancel(CENTRE, rng.choice(snap.waiting).ticket)
            elif held.status == Status.CALLED.value:
                r = rng.random()
                if r < 0.75:
                    q.start(CENTRE, desk)
                elif r < 0.85:
                    q.recall(CENTRE, desk)
                elif r < 0.95:
                    q.no_show(CENTRE, desk)
                    if rng.random() < 0.5:
                        q.return_to_queue(CENTRE, held.ticket)
                else:
                    q.left(CENTRE, held.ticket)
            else:
                r = rng.random()
                if r < 0.8:
                    q.complete(
                        CENTRE, desk, [Query(resolved=rng.random() < 0.7)] * rng.randint(1, 3)
                    )
                else:
                    q.transfer(CENTRE, desk, service=rng.choice(SERVICES), note="over to you")
        except StoreUnavailable:
            continue
        except FrontdeskError:
            # An ordinary refusal (e.g. a ticket label from yesterday): carry on.
            continue


def issue_batch(url: str, count: int, results: Any) -> None:
    """A fresh process (after the crashes) issues more tickets."""
    try:
        svc = open_services(url, SystemClock())
        labels = [svc.queue.issue(CENTRE, SERVICES[i % len(SERVICES)]).ticket for i in range(count)]
        svc.close()
        _report(results, "issued", labels)
    except BaseException:
        _report(results, "error", traceback.format_exc())
        raise


def consistency_problems(engine: Engine) -> list[str]:
    """Everything that would show the store is inconsistent; [] when it is sound."""
    problems: list[str] = []
    with engine.connect() as conn:
        tickets = conn.execute(
            text(
                "SELECT t.id, t.centre_id, t.business_day, t.label, t.number, t.status,"
                " t.desk_id, s.prefix FROM ticket t JOIN service s ON s.id = t.service_id"
            )
        ).all()
        issued_prefix = dict(
            conn.execute(
                text(
                    "SELECT e.ticket_id, s.prefix FROM ticket_event e"
                    " JOIN service s ON s.id = e.service_id WHERE e.step = 'issued'"
                )
            ).all()
        )
        counters = {
            (c, p, str(d)): last
            for c, p, d, last in conn.execute(
                text("SELECT centre_id, prefix, business_day, last FROM number_counter")
            ).all()
        }
        events = conn.execute(text("SELECT ticket_id, step FROM ticket_event ORDER BY id")).all()
        desks = conn.execute(text("SELECT id, name, current_ticket_id FROM desk")).all()

    labels = Counter((t.centre_id, str(t.business_day), t.label) for t in tickets)
    problems += [f"label {k} printed {n} times" for k, n in labels.items() if n > 1]

    # The counter row is the last number handed out per (centre, prefix, day). The
    # prefix is the one the ticket was issued under (a transfer changes its service).
    numbers: dict[tuple[int, str, str], list[int]] = defaultdict(list)
    for t in tickets:
        prefix = t.label.rstrip("0123456789")
        if issued_prefix.get(t.id) not in (None, prefix):
            problems.append(f"ticket {t.id} {t.label} issued under prefix {issued_prefix[t.id]}")
        numbers[(t.centre_id, prefix, str(t.business_day))].append(t.number)
    for key, nums in numbers.items():
        if counters.get(key) != max(nums):
            problems.append(f"counter {key} is {counters.get(key)} but max(number) is {max(nums)}")
        if sorted(nums) != list(range(1, len(nums) + 1)):
            problems.append(f"numbers of {key} are not 1..{len(nums)}: {sorted(nums)}")
    problems += [f"counter {k} has no tickets" for k in counters if k not in numbers]

    # Replay each ticket's event log through the state machine.
    by_ticket: dict[int, list[str]] = defaultdict(list)
    for ticket_id, step in events:
        by_ticket[ticket_id].append(step)
    for t in tickets:
        status: Status | None = None
        try:
            for step in by_ticket.get(t.id, []):
                status = next_status(t.label, status, Step(step))
        except FrontdeskError as exc:
            problems.append(f"ticket {t.id}: log {by_ticket.get(t.id)} does not replay: {exc}")
            continue
        if status is None or status.value != t.status:
            problems.append(
                f"ticket {t.id} {t.label} is {t.status} but its log {by_ticket.get(t.id)}"
                f" ends in {status}"
            )
    problems += [
        f"events for missing ticket {k}" for k in by_ticket.keys() - {t.id for t in tickets}
    ]

    # Desks and the customers they hold agree both ways.
    by_id = {t.id: t for t in tickets}
    holding = {}
    for d in desks:
        if d.current_ticket_id is None:
            continue
        t = by_id.get(d.current_ticket_id)
        if t is None or t.status not in ("called", "serving") or t.desk_id != d.id:
            problems.append(
                f"desk {d.name} points at ticket {d.current_ticket_id}"
                f" ({t.status if t else 'missing'}, desk {t.desk_id if t else None})"
            )
        holding[d.current_ticket_id] = d.id
    for t in tickets:
        if t.status in ("called", "serving") and holding.get(t.id) != t.desk_id:
            problems.append(f"ticket {t.id} {t.label} is {t.status} but no desk holds it")
    return problems
