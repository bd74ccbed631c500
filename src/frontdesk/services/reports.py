"""Reports computed from the event log (DESIGN §3). Every report states its period, its
centre, its denominators and the standard in force."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from frontdesk.errors import InvalidInput
from frontdesk.queue.measures import (
    LoggedEvent,
    Standard,
    TicketOutcome,
    standard_figures,
    ticket_outcome,
)
from frontdesk.queue.states import Step
from frontdesk.services import lookup
from frontdesk.services.queue import QueueService
from frontdesk.services.results import StandardReport
from frontdesk.store import queue_store as qs

# Appointments have their own punctuality measure and are not mixed into the walk-in
# standard (DESIGN §3).
WALK_IN_EXCLUDED = frozenset({"appointment"})


class ReportService:
    def __init__(self, queue: QueueService) -> None:
        self.queue = queue

    def outcomes(
        self, centre: str, day_from: date, day_to: date
    ) -> list[tuple[str, str, TicketOutcome]]:
        """(service, channel, outcome) for every ticket issued at the centre in the period."""
        if day_to < day_from:
            raise InvalidInput(f"--to {day_to} is before --from {day_from}")
        where = self.queue.centre(centre)
        by_id = self.queue.catalogue().service_by_id
        with self.queue.uow.read() as s:
            tickets = qs.tickets_issued(s, [where.id], day_from, day_to)
            events = qs.events_of_tickets_issued(s, [where.id], day_from, day_to)
        per_ticket: dict[int, list[LoggedEvent]] = defaultdict(list)
        for e in events:
            per_ticket[e.ticket_id].append(
                LoggedEvent(step=Step(e.step), at=e.at, resolved=e.resolved, avoidable=e.avoidable)
            )
        first_service: dict[int, int] = {}
        for e in events:
            if e.step == Step.ISSUED.value:
                first_service[e.ticket_id] = e.service_id
        out = []
        for t in tickets:
            sid = first_service.get(t.id, t.service_id)
            code = by_id[sid].code if sid in by_id else "?"
            out.append((code, t.channel, ticket_outcome(t.issued_at, per_ticket.get(t.id, []))))
        return out

    def standard(self, centre: str, day_from: date, day_to: date) -> StandardReport:
        """The waiting standard report for walk-in tickets issued in the period."""
        where = self.queue.centre(centre)
        settings = self.queue.catalogue().settings
        standard = Standard(
            threshold_minutes=where.threshold_minutes,
            target_share=where.target_share,
            average_wait_minutes=where.average_wait_minutes,
        )
        rows = [
            (svc, o)
            for svc, channel, o in self.outcomes(where.code, day_from, day_to)
            if channel not in WALK_IN_EXCLUDED
        ]
        figures = standard_figures((o for _, o in rows), standard)
        by_service: dict[str, dict[str, float | int | None]] = {}
        for code in where.services:
            own = where.service_standards.get(code)
            svc_standard = (
                Standard(threshold_minutes=own[0], target_share=own[1]) if own else standard
            )
            f = standard_figures((o for svc, o in rows if svc == code), svc_standard)
            by_service[code] = {
                "threshold_minutes": svc_standard.threshold_minutes,
                "target_share": svc_standard.target_share,
                "seen": f.seen,
                "share_within_standard": f.share_within_standard,
                "average_wait_seconds": f.average_wait_seconds,
                "first_contact_resolution": f.first_contact_resolution,
            }
        return StandardReport(
            centre=where.code,
            date_from=day_from,
            date_to=day_to,
            threshold_minutes=standard.threshold_minutes,
            target_share=standard.target_share,
            average_wait_minutes=standard.average_wait_minutes,
            fcr_target=float(settings.get("queue.fcr_target", "0.8")),
            by_service=by_service,
            figures=figures,
        )


def parse_day(text: str, field: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{field} '{text}' is not a date like 2026-03-02") from None
    if not 2000 <= day.year <= 2999:
        # A far-off year overflows the local-day arithmetic (and is a typing slip anyway).
        raise InvalidInput(f"{field} '{text}' is not a year between 2000 and 2999")
    return day


__all__ = ["ReportService", "lookup", "parse_day"]
