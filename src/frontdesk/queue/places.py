"""A waiting visitor's place in their queue: how many will be called before them.

Within a service queue, priority tickets are called before the others (the fairness rule
lets a normal ticket through now and then, which only ever brings a normal ticket's turn
forward), and each group in arrival order. The place is what the visitor's phone shows;
the routing policy itself stays in `routing`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Waiting:
    id: int
    service: str
    queued_at: datetime
    priority: bool


def people_ahead(waiting: Iterable[Waiting]) -> dict[int, int]:
    """Ticket id → how many in the same service queue are called before it."""
    queues: dict[str, list[Waiting]] = {}
    for w in waiting:
        queues.setdefault(w.service, []).append(w)
    ahead: dict[int, int] = {}
    for tickets in queues.values():
        ordered = sorted(tickets, key=lambda w: (not w.priority, w.queued_at, w.id))
        for place, w in enumerate(ordered):
            ahead[w.id] = place
    return ahead
