"""Queries by query type (the topic the adviser chose): how many, how long they took,
how many were settled at first contact, how many were avoidable, and what people said."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from frontdesk.queue.figures import avoidable_by_category, mean_seconds, share
from frontdesk.queue.measures import AVOIDABLE_CATEGORIES
from frontdesk.queue.tally import QueryTally, merge, percentile
from frontdesk.services.reports.common import (
    APPOINTMENT,
    Column,
    Report,
    Source,
    check_period,
    standards_of,
)
from frontdesk.store.catalogue import Catalogue, CentreRef

NO_TYPE = "(no type)"

COLUMNS = (
    Column("service", "service", "text"),
    Column("query_type", "query type", "text"),
    Column("name", "name", "text", brief=False),
    Column("queries", "queries"),
    Column("share_of_queries", "share", "share", brief=False),
    Column("handling_mean_seconds", "handling mean", "seconds"),
    Column("handling_median_seconds", "median", "seconds"),
    Column("handling_p90_seconds", "90% up to", "seconds"),
    Column("first_contact_resolution", "FCR", "share"),
    Column("resolved_in_one_visit", "resolved", "share", brief=False),
    Column("avoidable_contact_share", "avoidable", "share"),
    *(
        Column(f"avoidable_{c.replace('-', '_')}", c.replace("-", " "), "share", brief=False)
        for c in AVOIDABLE_CATEGORIES
    ),
    Column("complaints", "complaints", "int", brief=False),
    Column("compliments", "compliments", "int", brief=False),
    Column("comments", "comments", "int", brief=False),
    Column("seen_before", "seen before", "int", brief=False),
)


def queries(
    source: Source, cat: Catalogue, centres: Sequence[CentreRef], day_from: date, day_to: date
) -> Report:
    check_period(day_from, day_to)
    by_type: dict[tuple[int, int], QueryTally] = {}
    for _cid, _day, _hour, (service_id, topic_id, channel), t in source.tallies(
        QueryTally, [c.id for c in centres], day_from, day_to, "auto"
    ):
        if channel != APPOINTMENT:
            merge(by_type.setdefault((service_id, topic_id), QueryTally()), t)
    total = QueryTally()
    for t in by_type.values():
        merge(total, t)
    topics = {t.id: t for t in cat.topics.values()}
    rows = []
    for (service_id, topic_id), t in by_type.items():
        svc = cat.service_by_id.get(service_id)
        topic = topics.get(topic_id)
        rows.append(
            {
                "service": svc.code if svc else str(service_id),
                "query_type": topic.code if topic else NO_TYPE,
                "name": topic.name if topic else "",
                **_figures(t, total.queries),
            }
        )
    rows.sort(key=lambda r: (-r["queries"], r["service"], r["query_type"]))
    if rows:
        rows.append(
            {"service": "all", "query_type": "", "name": "", **_figures(total, total.queries)}
        )
    return Report(
        name="queries",
        title="Queries by type",
        date_from=day_from,
        date_to=day_to,
        centres=tuple(c.code for c in centres),
        standards=standards_of(centres),
        denominators={
            "share, FCR, resolved, avoidable": "queries completed of that type",
            "handling": "queries timed (a stint's time shared among its queries)",
        },
        columns=COLUMNS,
        rows=tuple(rows),
        notes=(
            "walk-in visits; a visit's time at a desk is shared equally among its queries",
            "median and 90% handling times are to the 30 seconds above",
        ),
    )


def _figures(t: QueryTally, all_queries: int) -> dict[str, Any]:
    return {
        "queries": t.queries,
        "share_of_queries": share(t.queries, all_queries),
        "handled": t.handled,
        "handling_mean_seconds": mean_seconds(t.handling_us, t.handled),
        "handling_median_seconds": percentile(t.handling_hist, 0.5),
        "handling_p90_seconds": percentile(t.handling_hist, 0.9),
        "first_contact_resolution": share(t.fcr, t.queries),
        "resolved_in_one_visit": share(t.resolved, t.queries),
        "avoidable_contact_share": share(t.avoidable, t.queries),
        **{f"avoidable_{k.replace('-', '_')}": v for k, v in avoidable_by_category(t).items()},
        "complaints": t.complaints,
        "compliments": t.compliments,
        "comments": t.comments,
        "seen_before": t.seen_before,
    }
