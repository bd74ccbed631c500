"""Who is called next: the routing policy.

A desk serves a list of services in its *service order* (primary skill first). Among the
waiting tickets it may serve, the policy picks:

1. tickets transferred to this desk by name, longest-waiting first;
2. otherwise the first service in the desk's order that has anyone waiting;
3. within that service, a priority ticket (configured reasons such as "needs
   assistance") goes first — but after ``priority_run_limit`` priority calls in a row in
   that service queue, the longest-waiting normal ticket is called, so nobody starves;
4. then longest wait (time the ticket joined this queue; FIFO).

Other rules (booked appointments due now, added by the appointments room) plug in
through ``rules``: each is tried in order before the base policy and may claim a ticket.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Candidate:
    """A waiting ticket as the policy sees it."""

    id: int
    service: str
    queued_at: datetime
    priority: bool = False
    target_desk: str | None = None
    # Set for checked-in appointments: the booked time and the specialist's desk.
    due_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class DeskView:
    name: str
    services: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Fairness:
    """At most ``priority_run_limit`` priority calls in a row per service queue."""

    priority_run_limit: int = 2

    def __post_init__(self) -> None:
        if self.priority_run_limit < 0:
            raise ValueError("priority_run_limit must be 0 or more")


# A rule sees the desk's eligible candidates and may pick one; None passes to the next.
Rule = Callable[[Sequence[Candidate], DeskView, datetime], Candidate | None]


def eligible(candidates: Sequence[Candidate], desk: DeskView) -> list[Candidate]:
    """The tickets this desk may call: its services, or transferred to it by name."""
    services = set(desk.services)
    return [
        c
        for c in candidates
        if c.target_desk == desk.name or (c.target_desk is None and c.service in services)
    ]


def _oldest(cands: Sequence[Candidate]) -> Candidate:
    return min(cands, key=lambda c: (c.queued_at, c.id))


def base_choice(
    cands: Sequence[Candidate],
    desk: DeskView,
    priority_runs: Mapping[str, int],
    fairness: Fairness,
    now: datetime | None = None,
) -> Candidate | None:
    """The base policy over already-eligible candidates (see the module docstring).

    A checked-in appointment whose time has not come yet waits for it while there are
    walk-ins to serve; a desk with nobody else to call may take it early."""
    if not cands:
        return None
    early = [c for c in cands if c.due_at is not None and now is not None and c.due_at > now]
    if early:
        held = {c.id for c in early}
        chosen = base_choice([c for c in cands if c.id not in held], desk, priority_runs, fairness)
        return chosen if chosen is not None else min(early, key=lambda c: (c.due_at, c.id))
    directed = [c for c in cands if c.target_desk == desk.name]
    if directed:
        return _oldest(directed)
    for service in desk.services:
        in_service = [c for c in cands if c.service == service]
        if not in_service:
            continue
        prio = [c for c in in_service if c.priority]
        normal = [c for c in in_service if not c.priority]
        run = priority_runs.get(service, 0)
        if prio and (not normal or run < fairness.priority_run_limit):
            return _oldest(prio)
        return _oldest(normal)
    return None


def choose_next(
    candidates: Sequence[Candidate],
    desk: DeskView,
    now: datetime,
    priority_runs: Mapping[str, int],
    fairness: Fairness,
    rules: Sequence[Rule] = (),
) -> Candidate | None:
    """The ticket this desk should call now, or None when nobody is waiting for it."""
    cands = eligible(candidates, desk)
    for rule in rules:
        chosen = rule(cands, desk, now)
        if chosen is not None:
            return chosen
    return base_choice(cands, desk, priority_runs, fairness, now)


def ranked(
    candidates: Sequence[Candidate],
    desk: DeskView,
    now: datetime,
    priority_runs: Mapping[str, int],
    fairness: Fairness,
    rules: Sequence[Rule] = (),
) -> Iterator[Candidate]:
    """The policy's choices in order, lazily: if another desk claims the first choice
    at the same moment (PostgreSQL skips locked rows), the store tries the next."""
    remaining = list(candidates)
    while True:
        chosen = choose_next(remaining, desk, now, priority_runs, fairness, rules)
        if chosen is None:
            return
        left = [c for c in remaining if c.id != chosen.id]
        if len(left) == len(remaining):
            # A rule picked a ticket that is not a candidate: a bug in the rule.
            raise ValueError(f"routing rule chose ticket {chosen.id}, which is not waiting")
        yield chosen
        remaining = left


def next_priority_run(run: int, called_priority: bool) -> int:
    """The service queue's run of consecutive priority calls after one more call."""
    return run + 1 if called_priority else 0
