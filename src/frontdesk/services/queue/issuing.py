"""Issuing tickets and estimating the wait: what a visitor meets at the kiosk.

The policy (which number, what the wait is) comes from `frontdesk.queue`; this reads
what the policy needs, applies it, and commits atomically.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from frontdesk.errors import InvalidInput
from frontdesk.queue.numbering import business_day, ticket_label
from frontdesk.queue.predict import WaitPrediction
from frontdesk.queue.states import Status, Step
from frontdesk.services import lookup
from frontdesk.services.queue.context import QueueArea
from frontdesk.services.queue.tickets import event
from frontdesk.services.results import IssuedTicket, WaitEstimate
from frontdesk.services.tokens import TICKET_TOKEN_BYTES, scan_token
from frontdesk.store import queue_store as qs
from frontdesk.store.catalogue import CentreRef
from frontdesk.store.dialect import Executor

CHANNELS = ("kiosk", "greeter", "desk", "appointment", "cli", "import", "api")


class Issuing(QueueArea):
    def estimate(self, centre: str, service: str, *, priority: bool = False) -> WaitEstimate:
        """The wait a newcomer would have, before they take a ticket."""
        where = self.ctx.centre(centre)
        svc = lookup.service(self.ctx.catalogue(), where, service)
        with self.ctx.uow.read_core() as s:
            guess, ahead = self._estimate(s, where, svc.code, priority)
        threshold = where.service_standards.get(svc.code, (where.threshold_minutes, 0))[0]
        return WaitEstimate(
            centre=where.code,
            service=svc.code,
            ahead=ahead,
            estimated_wait_seconds=guess.seconds if guess else None,
            threshold_minutes=threshold,
            over_standard=guess is not None and guess.seconds > threshold * 60,
            estimated_wait_low_seconds=guess.low_seconds if guess else None,
            estimated_wait_high_seconds=guess.high_seconds if guess else None,
            desks_serving=guess.desks if guess else 0,
        )

    def _estimate(
        self, s: Executor, where: CentreRef, service: str, priority: bool = False
    ) -> tuple[WaitPrediction | None, int]:
        """The predictor's answer for a newcomer (frontdesk.queue.predict), and the people
        they would have ahead."""
        return self.ctx.centre_reader.predict(
            s, self.ctx.catalogue(), where, service, self.ctx.clock.now(), priority
        )

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
        wanted = lookup.needs(needs, lookup.interpreter_languages(cat))
        topic_id = lookup.topic_id(cat, topic)
        if channel not in CHANNELS:
            raise InvalidInput(f"unknown channel '{channel}' (accepted: {', '.join(CHANNELS)})")
        with self.ctx.uow.read_core() as s:
            wait, _ = self._estimate(s, where, svc.code, reason is not None)
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
            estimated_wait_seconds=wait.seconds if wait else None,
            token=token,
            priority=reason,
            needs=wanted,
            estimated_wait_low_seconds=wait.low_seconds if wait else None,
            estimated_wait_high_seconds=wait.high_seconds if wait else None,
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
        estimate: WaitPrediction | None = None,
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
        token = scan_token(TICKET_TOKEN_BYTES)
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
            estimated_wait_seconds=estimate.seconds if estimate else None,
            estimated_wait_low_seconds=estimate.low_seconds if estimate else None,
            estimated_wait_high_seconds=estimate.high_seconds if estimate else None,
            transfers=0,
            token=token,
            due_at=due_at,
            target_desk_id=target_desk_id,
        )
        qs.append_events(
            s, [event(ticket_id, where.id, Step.ISSUED, now, svc.id, staff=staff, text=note)]
        )
        return ticket_id, label, token
