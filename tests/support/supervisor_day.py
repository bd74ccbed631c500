"""A day at a small centre driven through the real services with a virtual clock, the
supervisor's view evaluated every minute: when did the first breach alert come, and when
did the first visitor really pass the threshold? Used by the tests and bench/supervisor.py.
"""

from __future__ import annotations

import heapq
import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from frontdesk.clock import VirtualClock
from frontdesk.services.results import Query
from frontdesk.services.staff import StaffMember
from frontdesk.services.wiring import Services, initialise, open_services

CONFIG = """
[[service]]
code = "CTAX"
name = "Council Tax"
prefix = "C"
mean_handling_minutes = 6.0
demand_share = 0.6

[[service.topic]]
code = "CTAX-PAY"
name = "Pay my Council Tax"
quick = true

[[service]]
code = "GENQ"
name = "General enquiries"
prefix = "G"
mean_handling_minutes = 4.0
demand_share = 0.4

[[centre]]
code = "TOWN"
name = "Town Hall"
timezone = "Europe/London"
services = ["CTAX", "GENQ"]
standard = {{ threshold_minutes = 10, target_share = 0.95 }}
hours = {{ {hours} }}
daily_visitors = {visitors}
supervisor_emails = ["duty.supervisor@example.org"]

[[centre.desk]]
name = "1"
services = ["CTAX", "GENQ"]

[[centre.desk]]
name = "2"
services = ["GENQ", "CTAX"]

[[centre.desk]]
name = "3"
services = ["CTAX", "GENQ"]

[[centre.desk]]
name = "4"
services = ["GENQ", "CTAX"]
"""
HOURS = ", ".join(f'{d} = "09:00-17:00"' for d in ("mon", "tue", "wed", "thu", "fri"))
LONDON = ZoneInfo("Europe/London")
MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=LONDON)
HANDLING = {"CTAX": 360.0, "GENQ": 240.0}
SHARE = {"CTAX": 0.6, "GENQ": 0.4}


@dataclass(frozen=True)
class Rush:
    """Extra Council Tax walk-ins: `visitors` spread over `minutes` from `at` (local)."""

    at: datetime
    visitors: int
    minutes: float


@dataclass
class DayOutcome:
    first_alert: datetime | None
    first_breach: datetime | None
    first_advice: str | None  # the advice the first alert came with
    alerts: int
    emails: int
    visitors: int


def make_store(path: Path, clock: VirtualClock, visitors: int = 80) -> Services:
    config = path.parent / "town.toml"
    config.write_text(CONFIG.format(visitors=visitors, hours=HOURS))
    services = open_services(f"sqlite:///{path}", clock)
    initialise(services, config)
    return services


def run_day(
    services: Services,
    clock: VirtualClock,
    start: datetime,
    *,
    desks: int = 2,
    visitors: int = 80,
    rush: Rush | None = None,
    seed: int = 1,
    until: datetime | None = None,
) -> DayOutcome:
    """Run 09:00–17:00 (or to `until`); the supervisor's view is refreshed every minute."""
    rng = random.Random(seed)
    q = services.queue
    end = until or start.replace(hour=17, minute=0)
    clock.set(start)
    for n in range(1, desks + 1):
        member = StaffMember(f"A{n}", f"Adviser {n}", "adviser")
        services.desks.open("TOWN", str(n), member, f"console-{n}")
    events: list[tuple[datetime, int, str, str]] = []
    order = 0

    def push(at: datetime, kind: str, what: str) -> None:
        nonlocal order
        order += 1
        heapq.heappush(events, (at, order, kind, what))

    rate = visitors / (8 * 3600)
    t = start
    while True:
        t += timedelta(seconds=rng.expovariate(rate))
        if t >= end:
            break
        push(t, "arrive", "CTAX" if rng.random() < SHARE["CTAX"] else "GENQ")
    if rush is not None:
        for _ in range(rush.visitors):
            push(rush.at + timedelta(seconds=rng.uniform(0, rush.minutes * 60)), "arrive", "CTAX")
    minute = start
    while minute <= end:
        push(minute, "look", "")
        minute += timedelta(minutes=1)
    for n in range(1, desks + 1):
        push(start, "try", str(n))
    idle: set[str] = set()
    holding: dict[str, str] = {}
    first_alert: datetime | None = None
    first_advice: str | None = None
    issued = 0
    while events:
        when, _, kind, what = heapq.heappop(events)
        if when > end + timedelta(hours=2):
            break
        clock.set(when)
        if kind == "arrive" and when < end:
            q.issue("TOWN", what, channel="kiosk")
            issued += 1
            for name in sorted(idle):
                push(when, "try", name)
            idle.clear()
        elif kind == "look" and first_alert is None:
            services.oversight.council()
            feed = services.oversight.centre("TOWN").alerts
            if feed:
                first = min(feed, key=lambda a: a.opened_at)
                first_alert, first_advice = first.opened_at, first.advice
        elif kind == "try":
            called = q.call_next("TOWN", what)
            if called is None:
                idle.add(what)
                continue
            holding[what] = called.service
            q.start("TOWN", what)
            mean = HANDLING[called.service]
            took = rng.lognormvariate(math.log(mean) - 0.55**2 / 2, 0.55)
            push(when + timedelta(seconds=took), "finish", what)
        elif kind == "finish":
            q.complete("TOWN", what, [Query(resolved=True)])
            push(when, "try", what)
    report = services.oversight.centre("TOWN")
    return DayOutcome(
        first_alert=first_alert,
        first_breach=first_breach(services, start),
        first_advice=first_advice,
        alerts=len(report.alerts),
        emails=len(services.devices.outbox.due(clock.now() + timedelta(days=1), 1000)),
        visitors=issued,
    )


def first_breach(services: Services, day: datetime) -> datetime | None:
    """When the first visitor of the day passed the threshold (seen late, or still
    waiting past it), from the event log."""
    found: datetime | None = None
    limit = timedelta(minutes=10)
    snapshot = services.queue.snapshot("TOWN")
    now = services.clock.now()
    for w in snapshot.waiting:
        if w.waiting_seconds > limit.total_seconds():
            at = now - timedelta(seconds=w.waiting_seconds) + limit
            found = at if found is None or at < found else found
    for row in _late_tickets(services, day):
        found = row if found is None or row < found else found
    return found


def _late_tickets(services: Services, day: datetime) -> list[datetime]:
    from frontdesk.queue.measures import LoggedEvent, ticket_outcome
    from frontdesk.queue.states import Step
    from frontdesk.store import queue_store as qs

    where = services.queue.centre("TOWN")
    with services.uow.read() as s:
        tickets = qs.tickets_issued(s, [where.id], day.date(), day.date())
        events = qs.events_of_tickets_issued(s, [where.id], day.date(), day.date())
    per: dict[int, list[LoggedEvent]] = {}
    for e in events:
        per.setdefault(e.ticket_id, []).append(LoggedEvent(step=Step(e.step), at=e.at))
    out = []
    for t in tickets:
        o = ticket_outcome(t.issued_at, per.get(t.id, []))
        wait = o.seen_wait if o.seen_wait is not None else o.unseen_wait
        if wait is not None and wait > 600:
            out.append(t.issued_at + timedelta(minutes=10))
    return out
