"""How accurate the estimated waits were (DESIGN §3 "Estimated wait"): pure arithmetic over
the tickets seen, each with the estimate and interval it was given at issue.

Error = waited − told: positive when the visitor waited longer than they were told.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# Told this much too little is a broken promise worth counting on its own.
UNDER_BY_SECONDS = 300.0


@dataclass(frozen=True, slots=True)
class EstimateOutcome:
    """One ticket seen: what it was told at issue and how long it waited to be seen."""

    ticket_id: int
    service: str
    hour: int  # local hour of issue
    waited_seconds: float
    estimate_seconds: float
    low_seconds: float | None
    high_seconds: float | None


@dataclass(frozen=True, slots=True)
class AccuracyFigures:
    """Accuracy over a set of tickets seen with an estimate; shares are fractions in
    [0, 1], every figure None when there are no tickets."""

    tickets: int
    mean_absolute_error_seconds: float | None
    mean_error_seconds: float | None
    share_inside_interval: float | None
    share_under_by_more_than_5_minutes: float | None

    def as_json(self) -> dict[str, float | int | None]:
        return {
            "tickets": self.tickets,
            "mean_absolute_error_seconds": self.mean_absolute_error_seconds,
            "mean_error_seconds": self.mean_error_seconds,
            "share_inside_interval": self.share_inside_interval,
            "share_under_by_more_than_5_minutes": self.share_under_by_more_than_5_minutes,
        }


def accuracy(outcomes: Iterable[EstimateOutcome]) -> AccuracyFigures:
    """Mean absolute error, mean error (bias), share inside the interval, share told more
    than 5 minutes too little. A ticket stored without an interval counts as outside it."""
    rows = list(outcomes)
    n = len(rows)
    if n == 0:
        return AccuracyFigures(0, None, None, None, None)
    errors = [r.waited_seconds - r.estimate_seconds for r in rows]
    inside = sum(
        1
        for r in rows
        if r.low_seconds is not None
        and r.high_seconds is not None
        and r.low_seconds <= r.waited_seconds <= r.high_seconds
    )
    return AccuracyFigures(
        tickets=n,
        mean_absolute_error_seconds=round(sum(abs(e) for e in errors) / n, 1),
        mean_error_seconds=round(sum(errors) / n, 1),
        share_inside_interval=inside / n,
        share_under_by_more_than_5_minutes=sum(1 for e in errors if e > UNDER_BY_SECONDS) / n,
    )
