"""Reports (DESIGN §3): the waiting standard, the summary by period, hours, query
types, advisers, repeat visits. Every report states its period, its centres, its
denominators and the standard in force.

Reports read the rollups (`frontdesk.services.rollups`), caught up with the event log
first; `standard_from_events` and `direct=True` fold the event log itself, as every
report did before the rollups (kept to check them and to measure them against).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from frontdesk.errors import InvalidInput
from frontdesk.queue.measures import (
    LoggedEvent,
    Standard,
    TicketOutcome,
    standard_figures,
    ticket_outcome,
)
from frontdesk.queue.numbering import business_day
from frontdesk.queue.states import Step
from frontdesk.services import lookup
from frontdesk.services.queue import QueueService
from frontdesk.services.reports import advisers as _advisers
from frontdesk.services.reports import hours as _hours
from frontdesk.services.reports import queries as _queries
from frontdesk.services.reports import ratings as _ratings
from frontdesk.services.reports import repeats as _repeats
from frontdesk.services.reports import summary as _summary
from frontdesk.services.reports.common import (
    DirectSource,
    Report,
    RollupSource,
    Source,
    select_centres,
)
from frontdesk.services.reports.standard import as_table, combined, standard_reports
from frontdesk.services.results import StandardReport
from frontdesk.services.rollups import Rebuilt, Rollups
from frontdesk.store import queue_store as qs

# Appointments have their own punctuality measure and are not mixed into the walk-in
# standard (DESIGN §3).
WALK_IN_EXCLUDED = frozenset({"appointment"})


class ReportService:
    def __init__(self, queue: QueueService) -> None:
        self.queue = queue
        self.rollups = Rollups(queue.uow)

    # -- the rollups ---------------------------------------------------------------------

    def catch_up(self, *, check_standards: bool = False) -> int:
        """Fold the events written since the last catch-up into the rollups."""
        return self.rollups.catch_up(check_standards=check_standards)

    def rebuild(
        self, centres: str | None = None, day_from: date | None = None, day_to: date | None = None
    ) -> Rebuilt:
        """Recompute the rollups from the event log (after an import, or to repair)."""
        if day_from and day_to and day_to < day_from:
            raise InvalidInput(f"--to {day_to} is before --from {day_from}")
        ids = [c.id for c in select_centres(self.queue, centres)] if centres else None
        return self.rollups.rebuild(ids, day_from, day_to)

    def source(self, direct: bool = False) -> Source:
        return (
            DirectSource(self.queue.uow) if direct else RollupSource(self.queue.uow, self.rollups)
        )

    # -- reports -------------------------------------------------------------------------

    def standard(
        self, centre: str, day_from: date, day_to: date, *, direct: bool = False
    ) -> StandardReport:
        """The waiting standard report for walk-in tickets issued in the period."""
        where = self.queue.centre(centre)
        return standard_reports(self.queue, self.source(direct), [where], day_from, day_to)[0]

    def board_figure(self, centre: str) -> tuple[str, StandardReport]:
        """The board's performance line: the centre's period (today, week or month, from
        its `board_period`) and the standard over it so far."""
        where = self.queue.centre(centre)
        period = self.queue.catalogue().settings.get(f"board.period.{where.code}", "today")
        today = business_day(self.queue.clock.now(), where.timezone)
        start = {"week": today - timedelta(days=today.weekday()), "month": today.replace(day=1)}
        return period, self.standard(where.code, start.get(period, today), today)

    def standards(
        self, centres: str, day_from: date, day_to: date, *, direct: bool = False
    ) -> tuple[dict[str, Any], Report, list[StandardReport]]:
        """The standard for one centre (DESIGN §4's JSON) or several (the same keys for
        them together, each under `by_centre`), the same as a table, and each centre's."""
        chosen = select_centres(self.queue, centres)
        reports = standard_reports(self.queue, self.source(direct), chosen, day_from, day_to)
        label = "ALL" if centres.strip().upper() == "ALL" else ",".join(c.code for c in chosen)
        payload = reports[0].as_json() if len(reports) == 1 else combined(reports, label)
        return payload, as_table(reports, chosen), reports

    def summary(
        self, centres: str, day_from: date, day_to: date, by: str = "month", *, direct: bool = False
    ) -> Report:
        chosen = select_centres(self.queue, centres)
        rated = _ratings.by_day(self.queue.uow, [c.id for c in chosen], day_from, day_to)
        return _summary.summary(self.source(direct), chosen, day_from, day_to, by, rated)

    def hours(self, centres: str, day_from: date, day_to: date, *, direct: bool = False) -> Report:
        chosen = select_centres(self.queue, centres)
        return _hours.hours(self.source(direct), chosen, day_from, day_to)

    def queries(
        self, centres: str, day_from: date, day_to: date, *, direct: bool = False
    ) -> Report:
        chosen = select_centres(self.queue, centres)
        cat = self.queue.catalogue()
        return _queries.queries(self.source(direct), cat, chosen, day_from, day_to)

    def advisers(
        self, centres: str, day_from: date, day_to: date, *, direct: bool = False
    ) -> Report:
        chosen = select_centres(self.queue, centres)
        now = self.queue.clock.now()
        src = self.source(direct)
        return _advisers.advisers(src, self.queue.uow, now, chosen, day_from, day_to)

    def repeats(
        self,
        centres: str,
        day_from: date,
        day_to: date,
        days: int | None = None,
        *,
        direct: bool = False,
    ) -> Report:
        chosen = select_centres(self.queue, centres)
        cat = self.queue.catalogue()
        src = self.source(direct)
        return _repeats.repeats(src, self.queue.uow, cat, chosen, day_from, day_to, days)

    # -- straight from the event log -----------------------------------------------------

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

    def standard_from_events(self, centre: str, day_from: date, day_to: date) -> StandardReport:
        """The waiting standard folded straight from the event log, with
        `measures.standard_figures`: the reference the rollups are checked against."""
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
            satisfaction=_ratings.per_centre(self.queue.uow, [where.id], day_from, day_to)[
                where.id
            ].figures(),
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


__all__ = ["Report", "ReportService", "lookup", "parse_day"]
