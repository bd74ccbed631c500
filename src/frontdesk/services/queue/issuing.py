"""Issuing tickets and estimating the wait: what a visitor meets at the kiosk.

The policy (which number, what the wait is) comes from `frontdesk.queue`; this reads
what the policy needs, applies it, and commits atomically.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import datetime

from frontdesk.errors import InvalidInput
from frontdesk.queue import estimate as estimator
from frontdesk.queue.numbering import business_day, ticket_label
from frontdesk.queue.states import Status, Step
from frontdesk.services import lookup
from frontdesk.services.queue.context import QueueArea, QueueContext
from frontdesk.services.queue.tickets import event
from frontdesk.services.results import IssuedTicket, WaitEstimate
from frontdesk.services.tokens import scan_token
from frontdesk.store import queue_store as qs
from frontdesk.store.catalogue import CentreRef
from frontdesk.store.dialect import Executor

HANDLING_CACHE_SECONDS = 30.0
CHANNELS = ("kiosk", "greeter", "desk", "appointment", "cli", "import")


class Issuing(QueueArea):
    def __init__(self, ctx: QueueContext) -> None:
        super().__init__(ctx)
        self._handling: dict[tuple[int, int], tuple[float, float]] = {}

    def estimate(self, centre: str, service: str) -> WaitEstimate:
        """The wait a newcomer would have, before they take a ticket."""
        where = self.ctx.centre(centre)
        svc = lookup.service(self.ctx.catalogue(), where, service)
        with self.ctx.uow.read_core() as s:
            seconds, ahead = self._estimate(s, where, svc.code)
        threshold = where.service_standards.get(svc.code, (where.threshold_minutes, 0))[0]
        return WaitEstimate(
            centre=where.code,
            service=svc.code,
            ahead=ahead,
            estimated_wait_seconds=seconds,
            threshold_minutes=threshold,
            over_standard=seconds > threshold * 60,
        )

    def _estimate(self, s: Executor, where: CentreRef, service: str) -> tuple[int, int]:
        svc = self.ctx.catalogue().services[service]
        ahead = qs.count_waiting(s, where.id, svc.id)
        able = {d.id for d in where.desks.values() if service in d.services}
        live = [r for r in qs.desks_live(s, where.id) if r.id in able]
        open_desks = [r for r in live if r.status == "open"]
        desks = len(open_desks) or len(able)
        busy = sum(1 for r in open_desks if r.current_ticket_id is not None)
        handling = self._typical_handling(s, where.id, svc.id, svc.mean_handling_seconds)
        return estimator.estimate_wait_seconds(ahead, desks, busy, handling), ahead

    def _typical_handling(
        self, s: Executor, centre_id: int, service_id: int, configured: float
    ) -> float:
        """Recent handling time of a service queue, re-read at most every 30 seconds: an
        estimate needs no fresher figure, and the kiosk asks on every visitor."""
        key = (centre_id, service_id)
        cached = self._handling.get(key)
        now = time.monotonic()
        if cached is not None and cached[0] > now:
            return cached[1]
        value = estimator.typical_handling_seconds(
            qs.recent_handling_seconds(s, centre_id, service_id), configured
        )
        self._handling[key] = (now + HANDLING_CACHE_SECONDS, value)
        return value

    def issue(
        self,
        centre: str,
        service: str,
        *,
        priority: str | None = None,
        needs: Sequence[str] = (),
        note: str | None = None,
        topic: str | None = None,
        channel: str = "kiosk",
        staff: str | None = None,
    ) -> IssuedTicket:
        """Issue a ticket: the next number of the day, the estimate, the `issued` event."""
        cat = self.ctx.catalogue()
        where = self.ctx.centre(centre)
        svc = lookup.service(cat, where, service)
        reason = lookup.priority(cat, priority)
        wanted = lookup.needs(needs)
        topic_id = lookup.topic_id(cat, topic)
        if channel not in CHANNELS:
            raise InvalidInput(f"unknown channel '{channel}' (accepted: {', '.join(CHANNELS)})")
        with self.ctx.uow.read_core() as s:
            wait, _ = self._estimate(s, where, svc.code)
        with self.ctx.uow.write_core() as s:
            now = self.ctx.clock.now()
            ticket_id, label, token = self.create_ticket(
                s,
                where,
                svc.code,
                now,
                channel=channel,
                priority=reason,
                needs=wanted,
                note=note,
                topic_id=topic_id,
                estimate=wait,
                staff=staff,
            )
        return IssuedTicket(
            id=ticket_id,
            ticket=label,
            centre=where.code,
            service=svc.code,
            issued_at=now,
            estimated_wait_seconds=wait,
            token=token,
            priority=reason,
            needs=wanted,
        )

    def create_ticket(
        self,
        s: Executor,
        where: CentreRef,
        service: str,
        now: datetime,
        *,
        channel: str,
        priority: str | None = None,
        needs: Sequence[str] = (),
        note: str | None = None,
        topic_id: int | None = None,
        estimate: int | None = None,
        staff: str | None = None,
        due_at: datetime | None = None,
        target_desk_id: int | None = None,
    ) -> tuple[int, str, str]:
        """Number and insert a ticket with its `issued` event, inside the caller's write
        transaction (walk-ins here, checked-in appointments from the appointments room).
        Returns (id, printed number, token)."""
        svc = self.ctx.catalogue().services[service]
        day = business_day(now, where.timezone)
        number = qs.next_number(s, where.id, svc.prefix, day)
        label = ticket_label(svc.prefix, number)
        token = scan_token(12)
        ticket_id = qs.insert_ticket(
            s,
            centre_id=where.id,
            service_id=svc.id,
            topic_id=topic_id,
            label=label,
            number=number,
            business_day=day,
            channel=channel,
            priority=priority,
            needs=",".join(needs),
            note=note,
            status=Status.WAITING.value,
            issued_at=now,
            queued_at=now,
            estimated_wait_seconds=estimate,
            transfers=0,
            token=token,
            due_at=due_at,
            target_desk_id=target_desk_id,
        )
        qs.append_events(
            s, [event(ticket_id, where.id, Step.ISSUED, now, svc.id, staff=staff, text=note)]
        )
        return ticket_id, label, token
