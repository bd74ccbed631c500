"""The phone's estimated wait: the live point estimate, and the interval stored on the
ticket at issue counted down to now — once tickets carry one (the estimate issue)."""

from __future__ import annotations

from collections import namedtuple
from datetime import UTC, datetime, timedelta

from frontdesk.services.visitor_results import WaitFigure
from frontdesk.services.visitors import wait_figure

ISSUED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
Plain = namedtuple("Plain", "issued_at estimated_wait_seconds")
Ranged = namedtuple(
    "Ranged",
    "issued_at estimated_wait_seconds estimated_wait_low_seconds estimated_wait_high_seconds",
)


def test_without_a_stored_interval_the_point_estimate_alone() -> None:
    assert wait_figure(300, Plain(ISSUED, 600), ISSUED) == WaitFigure(300)


def test_the_stored_interval_counts_down_while_the_visitor_waits() -> None:
    ticket = Ranged(ISSUED, 900, 600, 1200)
    later = ISSUED + timedelta(minutes=5)
    assert wait_figure(700, ticket, later) == WaitFigure(700, 300, 900)
    # Waited past the bottom of the interval: it starts at nothing.
    assert wait_figure(100, ticket, ISSUED + timedelta(minutes=15)) == WaitFigure(100, 0, 300)


def test_an_interval_the_live_estimate_has_left_is_not_shown() -> None:
    ticket = Ranged(ISSUED, 900, 600, 1200)
    assert wait_figure(2000, ticket, ISSUED) == WaitFigure(2000)  # longer than promised
    assert wait_figure(60, ticket, ISSUED + timedelta(minutes=25)) == WaitFigure(60)  # past it
    assert wait_figure(60, Ranged(ISSUED, None, None, None), ISSUED) == WaitFigure(60)
