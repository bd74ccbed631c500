"""The waiting standard report (DESIGN §4's JSON contract) from tallies, for one centre
or several together."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from frontdesk.queue.figures import standard_of
from frontdesk.queue.measures import Standard
from frontdesk.queue.tally import VisitTally, merge
from frontdesk.services.queue import QueueService
from frontdesk.services.reports import ratings
from frontdesk.services.reports.common import (
    APPOINTMENT,
    Column,
    Report,
    Source,
    check_period,
    standards_of,
)
from frontdesk.services.reports.ratings import Ratings
from frontdesk.services.results import StandardReport
from frontdesk.store.catalogue import CentreRef


def centre_standard(where: CentreRef) -> Standard:
    return Standard(
        threshold_minutes=where.threshold_minutes,
        target_share=where.target_share,
        average_wait_minutes=where.average_wait_minutes,
    )


def walk_in_tallies(
    source: Source, centres: Sequence[CentreRef], day_from: date, day_to: date
) -> dict[int, dict[int, VisitTally]]:
    """centre id → issue service id → the walk-in tally of the period."""
    out: dict[int, dict[int, VisitTally]] = {c.id: {} for c in centres}
    ids = [c.id for c in centres]
    for cid, _day, _hour, (service_id, channel), t in source.tallies(
        VisitTally, ids, day_from, day_to, "auto"
    ):
        if channel != APPOINTMENT:
            merge(out[cid].setdefault(service_id, VisitTally()), t)
    return out


def standard_report(
    queue: QueueService,
    where: CentreRef,
    day_from: date,
    day_to: date,
    per_service: dict[int, VisitTally],
    rated: Ratings | None = None,
) -> StandardReport:
    cat = queue.catalogue()
    standard = centre_standard(where)
    total = VisitTally()
    for t in per_service.values():
        merge(total, t)
    f = standard_of(total, standard)
    by_service: dict[str, dict[str, float | int | None]] = {}
    for code in where.services:
        own = where.service_standards.get(code)
        svc_standard = Standard(threshold_minutes=own[0], target_share=own[1]) if own else standard
        sid = cat.services[code].id if code in cat.services else -1
        fs = standard_of(per_service.get(sid, VisitTally()), svc_standard, own=True)
        by_service[code] = {
            "threshold_minutes": svc_standard.threshold_minutes,
            "target_share": svc_standard.target_share,
            "seen": fs.seen,
            "share_within_standard": fs.share_within_standard,
            "average_wait_seconds": fs.average_wait_seconds,
            "first_contact_resolution": fs.first_contact_resolution,
        }
    return StandardReport(
        centre=where.code,
        date_from=day_from,
        date_to=day_to,
        threshold_minutes=standard.threshold_minutes,
        target_share=standard.target_share,
        average_wait_minutes=standard.average_wait_minutes,
        fcr_target=float(cat.settings.get("queue.fcr_target", "0.8")),
        by_service=by_service,
        figures=f,
        satisfaction=(rated or Ratings()).figures(),
    )


def standard_reports(
    queue: QueueService, source: Source, centres: Sequence[CentreRef], day_from: date, day_to: date
) -> list[StandardReport]:
    check_period(day_from, day_to)
    tallies = walk_in_tallies(source, centres, day_from, day_to)
    rated = ratings.per_centre(queue.uow, [c.id for c in centres], day_from, day_to)
    return [
        standard_report(queue, c, day_from, day_to, tallies[c.id], rated[c.id]) for c in centres
    ]


FIGURES = (
    "seen",
    "seen_within_threshold",
    "ended_unseen",
    "breached_unseen",
    "walkouts",
    "share_within_standard",
    "average_wait_seconds",
    "queries_completed",
    "first_contact_resolution",
    "resolved_in_one_visit",
    "avoidable_contact_share",
    "met",
)


def combined(reports: Sequence[StandardReport], label: str) -> dict[str, Any]:
    """Several centres' standard reports as one: the JSON contract's keys (a common
    standard, or null where the centres' differ) and each centre under `by_centre`."""
    seen = sum(r.figures.seen for r in reports)
    within = sum(r.figures.seen_within_threshold for r in reports)
    breached = sum(r.figures.breached_unseen for r in reports)
    queries = sum(r.figures.queries_completed for r in reports)

    def weighted(name: str, weight: str) -> float | None:
        total = sum(getattr(r.figures, weight) for r in reports)
        if not total:
            return None
        return (
            sum((getattr(r.figures, name) or 0) * getattr(r.figures, weight) for r in reports)
            / total
        )

    first = reports[0]
    same = all(
        (r.threshold_minutes, r.target_share, r.average_wait_minutes)
        == (first.threshold_minutes, first.target_share, first.average_wait_minutes)
        for r in reports
    )
    rate = within / (seen + breached) if seen + breached else None
    average = weighted("average_wait_seconds", "seen")
    met: bool | None = None
    if same and rate is not None:
        met = rate >= first.target_share
        if first.average_wait_minutes is not None and average is not None:
            met = met and average <= first.average_wait_minutes * 60
    return {
        "centre": label,
        "from": first.date_from.isoformat(),
        "to": first.date_to.isoformat(),
        "threshold_minutes": first.threshold_minutes if same else None,
        "target_share": first.target_share if same else None,
        "seen": seen,
        "seen_within_threshold": within,
        "ended_unseen": sum(r.figures.ended_unseen for r in reports),
        "breached_unseen": breached,
        "walkouts": sum(r.figures.walkouts for r in reports),
        "share_within_standard": rate,
        "average_wait_seconds": average,
        "queries_completed": queries,
        "first_contact_resolution": weighted("first_contact_resolution", "queries_completed"),
        "resolved_in_one_visit": weighted("resolved_in_one_visit", "queries_completed"),
        "avoidable_contact_share": weighted("avoidable_contact_share", "queries_completed"),
        "met": met,
        **_satisfaction(reports),
        "by_centre": {r.centre: r.as_json() for r in reports},
    }


def _satisfaction(reports: Sequence[StandardReport]) -> dict[str, Any]:
    """The centres' ratings together: averages weighted by the visits rated."""
    rated = sum(int(r.satisfaction["visits_rated"] or 0) for r in reports)

    def weighted(name: str) -> float | None:
        if not rated:
            return None
        return (
            sum(
                float(r.satisfaction[name] or 0) * int(r.satisfaction["visits_rated"] or 0)
                for r in reports
            )
            / rated
        )

    return {
        "visits_rated": rated,
        "average_rating": weighted("average_rating"),
        "satisfied_share": weighted("satisfied_share"),
    }


def as_table(reports: Sequence[StandardReport], centres: Sequence[CentreRef]) -> Report:
    """The standard report as rows (one per centre and service, and a total for several
    centres) for the table, CSV and spreadsheet outputs."""
    rows: list[dict[str, Any]] = []
    for r in reports:
        rows.append(
            {
                "centre": r.centre,
                "service": "",
                **{k: getattr(r.figures, k) for k in FIGURES},
                **r.satisfaction,
            }
        )
        for code, f in r.by_service.items():
            rows.append({"centre": r.centre, "service": code, **f})
    if len(reports) > 1:
        total = combined(reports, "ALL")
        rows.append(
            {
                "centre": "ALL",
                "service": "",
                **{k: total[k] for k in (*FIGURES, *(c.key for c in ratings.COLUMNS))},
            }
        )
    columns = (
        Column("centre", "centre", "text"),
        Column("service", "service", "text"),
        Column("seen", "seen"),
        Column("seen_within_threshold", "seen in time", "int", brief=False),
        Column("breached_unseen", "unseen over", "int", brief=False),
        Column("walkouts", "walk-outs", "int", brief=False),
        Column("share_within_standard", "within standard", "share"),
        Column("average_wait_seconds", "average wait", "seconds"),
        Column("queries_completed", "queries"),
        Column("first_contact_resolution", "FCR", "share"),
        Column("resolved_in_one_visit", "resolved", "share", brief=False),
        Column("avoidable_contact_share", "avoidable", "share"),
        Column("met", "met", "text"),
        *ratings.COLUMNS,
    )
    first = reports[0]
    return Report(
        name="standard",
        title="Waiting standard",
        date_from=first.date_from,
        date_to=first.date_to,
        centres=tuple(r.centre for r in reports),
        standards=standards_of(centres),
        denominators={
            "within standard": "seen + ended unseen over the threshold (walk-ins)",
            "average wait": "tickets seen",
            "FCR, resolved, avoidable": "queries completed",
            **ratings.DENOMINATOR,
        },
        columns=columns,
        rows=tuple(rows),
        notes=(
            "service rows use the service's own standard where it has one",
            "ratings are the visitors' answers on their phones, per centre (not per service)",
        ),
    )
