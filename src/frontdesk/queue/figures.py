"""Report figures from tallies (DESIGN §3): shares, averages and percentiles. Pure.

A share is a fraction in [0, 1], or None when its denominator is 0; durations are in
seconds.
"""

from __future__ import annotations

from typing import Any

from frontdesk.queue.measures import AVOIDABLE_CATEGORIES, Standard, StandardFigures
from frontdesk.queue.tally import QueryTally, VisitTally, percentile


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def mean_seconds(micros: int, n: int) -> float | None:
    return micros / n / 1_000_000 if n else None


def standard_of(t: VisitTally, standard: Standard, *, own: bool = False) -> StandardFigures:
    """The waiting standard's figures of a tally, against the centre's threshold (or
    each service's own, with `own`), as `measures.standard_figures` gives them."""
    within = t.own_seen_within if own else t.seen_within
    breached = t.own_breached if own else t.breached
    rate = share(within, t.seen + breached)
    average = mean_seconds(t.wait_us, t.seen)
    met: bool | None = None
    if rate is not None:
        met = rate >= standard.target_share
        if standard.average_wait_minutes is not None and average is not None:
            met = met and average <= standard.average_wait_minutes * 60
    return StandardFigures(
        seen=t.seen,
        seen_within_threshold=within,
        ended_unseen=t.ended_unseen,
        breached_unseen=breached,
        walkouts=t.ended_unseen - breached,
        share_within_standard=rate,
        average_wait_seconds=average,
        queries_completed=t.queries,
        first_contact_resolution=share(t.fcr, t.queries),
        resolved_in_one_visit=share(t.resolved, t.queries),
        avoidable_contact_share=share(t.avoidable, t.queries),
        met=met,
    )


def wait_figures(t: VisitTally) -> dict[str, Any]:
    return {
        "average_wait_seconds": mean_seconds(t.wait_us, t.seen),
        "median_wait_seconds": percentile(t.wait_hist, 0.5),
        "p90_wait_seconds": percentile(t.wait_hist, 0.9),
    }


def estimate_figures(t: VisitTally) -> dict[str, Any]:
    """The accuracy of the waits told at issue, over tickets seen (DESIGN §3)."""
    return {
        "estimated": t.estimated,
        "estimate_mean_absolute_error_seconds": mean_seconds(t.estimate_abs_error_us, t.estimated),
        "estimate_mean_error_seconds": mean_seconds(t.estimate_error_us, t.estimated),
        "estimate_under_by_5_minutes_share": share(t.under_estimated, t.estimated),
        "estimate_inside_interval_share": share(t.inside_interval, t.interval_told),
    }


def avoidable_by_category(t: VisitTally | QueryTally) -> dict[str, float | None]:
    return {
        c: share(getattr(t, "avoidable_" + c.replace("-", "_")), t.queries)
        for c in AVOIDABLE_CATEGORIES
    }
