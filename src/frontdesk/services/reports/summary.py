"""The monthly return (and its daily, weekly, quarterly and yearly kin): per period and
centre, visitors, the standard, waits, resolution, avoidable contact, what went wrong
and appointment punctuality."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from frontdesk.queue.figures import estimate_figures, mean_seconds, share, standard_of, wait_figures
from frontdesk.queue.tally import VisitTally, merge
from frontdesk.services.reports import ratings
from frontdesk.services.reports.common import (
    APPOINTMENT,
    PERIODS,
    Column,
    Report,
    Source,
    check_period,
    period_of,
    standards_of,
)
from frontdesk.services.reports.ratings import Ratings
from frontdesk.services.reports.standard import centre_standard
from frontdesk.store.catalogue import CentreRef

ALL = "ALL"
WAITS_NOTE = "median and 90% waits are to the 30 seconds above (2 h: two hours or more)"

COLUMNS = (
    Column("period", "period", "text"),
    Column("from", "from", "date", brief=False),
    Column("to", "to", "date", brief=False),
    Column("centre", "centre", "text"),
    Column("visitors", "visitors"),
    Column("walk_ins", "walk-ins", "int", brief=False),
    Column("appointments", "appointments", "int", brief=False),
    Column("seen", "seen", "int", brief=False),
    Column("seen_within_threshold", "seen in time", "int", brief=False),
    Column("breached_unseen", "unseen over", "int", brief=False),
    Column("share_within_standard", "within standard", "share"),
    Column("met", "met", "text", brief=False),
    Column("average_wait_seconds", "avg wait", "seconds"),
    Column("median_wait_seconds", "median wait", "seconds", brief=False),
    Column("p90_wait_seconds", "90% wait", "seconds"),
    Column("queries_completed", "queries", "int", brief=False),
    Column("first_contact_resolution", "FCR", "share"),
    Column("resolved_in_one_visit", "resolved in one visit", "share", brief=False),
    Column("avoidable_contact_share", "avoidable", "share"),
    Column("no_shows", "no-shows", "int", brief=False),
    Column("walkouts", "walk-outs", "int", brief=False),
    Column("transfers", "transfers", "int", brief=False),
    Column("complaints", "complaints", "int", brief=False),
    Column("compliments", "compliments", "int", brief=False),
    Column("comments", "comments", "int", brief=False),
    Column("appointments_called", "appointments called", "int", brief=False),
    Column("appointment_average_wait_seconds", "appointment wait", "seconds", brief=False),
    Column("appointment_share_within_threshold", "appointments on time", "share", brief=False),
    Column("estimate_mean_absolute_error_seconds", "estimate error", "seconds", brief=False),
    Column("estimate_under_by_5_minutes_share", "told 5+ min short", "share", brief=False),
    *ratings.COLUMNS,
)


def periods(day_from: date, day_to: date, by: str) -> list[tuple[str, date, date]]:
    """Every period of kind `by` that meets [day_from, day_to], clipped to it."""
    out = []
    day = day_from
    while day <= day_to:
        label, start, end = period_of(day, by)
        out.append((label, max(start, day_from), min(end, day_to)))
        day = end + timedelta(days=1)
    return out


def summary(
    source: Source,
    centres: Sequence[CentreRef],
    day_from: date,
    day_to: date,
    by: str,
    rated: Mapping[tuple[int, date], Ratings] | None = None,
) -> Report:
    """`rated`: the visitors' answers by (centre id, day) (`ratings.by_day`)."""
    check_period(day_from, day_to)
    period_of(day_from, by)  # checks `by`
    # Months, quarters and years are whole months: month rows serve them.
    grain = "auto" if by in ("month", "quarter", "year") else "d"
    code = {c.id: c.code for c in centres}
    walk: dict[tuple[str, str], VisitTally] = {}
    appt: dict[tuple[str, str], VisitTally] = {}
    several = len(centres) > 1
    for cid, day, _hour, (_service, channel), t in source.tallies(
        VisitTally, list(code), day_from, day_to, grain, services=False
    ):
        label = period_of(max(day, day_from), by)[0]
        into = appt if channel == APPOINTMENT else walk
        merge(into.setdefault((label, code[cid]), VisitTally()), t)
        if several:
            merge(into.setdefault((label, ALL), VisitTally()), t)

    answers: dict[tuple[str, str], Ratings] = {}
    for (cid, day), r in (rated or {}).items():
        if cid in code and day_from <= day <= day_to:
            label = period_of(day, by)[0]
            names_of = (code[cid], ALL) if several else (code[cid],)
            for name in names_of:
                answers[(label, name)] = answers.get((label, name), Ratings()) + r

    standards = {c.code: centre_standard(c) for c in centres}
    common = set(standards.values())
    names = [c.code for c in centres] + ([ALL] if several else [])
    rows = []
    for label, start, end in periods(day_from, day_to, by):
        for name in names:
            w = walk.get((label, name), VisitTally())
            a = appt.get((label, name), VisitTally())
            standard = standards.get(name) or (next(iter(common)) if len(common) == 1 else None)
            rows.append(
                _row(label, start, end, name, w, a, standard)
                | answers.get((label, name), Ratings()).figures()
            )
    return Report(
        name="summary",
        title=f"Summary by {by}",
        date_from=day_from,
        date_to=day_to,
        centres=tuple(c.code for c in centres),
        standards=standards_of(centres),
        denominators={
            "within standard": "seen + ended unseen over the threshold (walk-ins)",
            "waits": "walk-in tickets seen",
            "FCR, resolved in one visit, avoidable": "walk-in queries completed",
            "appointments on time": "appointments called (threshold: the centre's)",
            "estimate error, told 5+ min short": "tickets seen that were told an estimate",
            **ratings.DENOMINATOR,
        },
        columns=COLUMNS,
        rows=tuple(rows),
        notes=(WAITS_NOTE, f"{ALL}: the centres together") if several else (WAITS_NOTE,),
        extra={"by": by},
    )


def _row(
    label: str,
    start: date,
    end: date,
    centre: str,
    w: VisitTally,
    a: VisitTally,
    standard: Any,
) -> dict[str, Any]:
    f = standard_of(w, standard) if standard is not None else None
    est = estimate_figures(w)
    return {
        "period": label,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "centre": centre,
        "visitors": w.issued + a.issued,
        "walk_ins": w.issued,
        "appointments": a.issued,
        "seen": w.seen,
        "seen_within_threshold": w.seen_within,
        "breached_unseen": w.breached,
        "share_within_standard": share(w.seen_within, w.seen + w.breached),
        "met": f.met if f is not None else None,
        **wait_figures(w),
        "queries_completed": w.queries,
        "first_contact_resolution": share(w.fcr, w.queries),
        "resolved_in_one_visit": share(w.resolved, w.queries),
        "avoidable_contact_share": share(w.avoidable, w.queries),
        "no_shows": w.no_shows,
        "walkouts": w.ended_unseen - w.breached,
        "transfers": w.transfers,
        "complaints": w.complaints,
        "compliments": w.compliments,
        "comments": w.comments,
        "appointments_called": a.appointments_called,
        "appointment_average_wait_seconds": mean_seconds(
            a.appointment_wait_us, a.appointments_called
        ),
        "appointment_share_within_threshold": share(a.appointments_within, a.appointments_called),
        **est,
    }


__all__ = ["PERIODS", "summary"]
