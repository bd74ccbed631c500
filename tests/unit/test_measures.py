"""The measures of DESIGN §3: the waiting standard and first-contact resolution."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frontdesk.queue.measures import (
    AVOIDABLE_CATEGORIES,
    LoggedEvent,
    Standard,
    TicketOutcome,
    standard_figures,
    ticket_outcome,
)
from frontdesk.queue.states import TRANSITIONS, Status, Step, next_status

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
STD = Standard()  # 10 minutes, 95%
S, C, R, N, ST = Step.ISSUED, Step.CALLED, Step.RECALLED, Step.NO_SHOW, Step.STARTED
TR, CO, FI = Step.TRANSFERRED, Step.COMPLETED, Step.FINISHED
CA, LE, RE = Step.CANCELLED, Step.LEFT, Step.RETURNED


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def outcome(*steps: tuple[Any, ...]) -> TicketOutcome:
    """Steps as (step, minute[, resolved[, avoidable]]) after an issue at minute 0."""
    events = [LoggedEvent(s[0], at(s[1]), None, *s[2:]) for s in steps]
    return ticket_outcome(at(0), events)


def seen_after(minutes: float) -> TicketOutcome:
    return outcome((C, minutes), (ST, minutes + 1), (CO, minutes + 5, True), (FI, minutes + 6))


def unseen_after(minutes: float) -> TicketOutcome:
    return outcome((LE, minutes))


# --- wait to be seen ------------------------------------------------------------------


def test_wait_runs_from_issue_to_the_answered_call() -> None:
    o = outcome((C, 4), (ST, 5), (CO, 9, True), (FI, 10))
    assert o.seen_wait == 240
    assert o.unseen_wait is None
    assert o.handling == (360,)


def test_call_announced_again_counts_the_call_that_was_answered() -> None:
    assert outcome((C, 2), (R, 6), (ST, 7)).seen_wait == 360


def test_no_show_recalled_and_answered_counts_the_answered_call() -> None:
    o = outcome((C, 3), (N, 5), (C, 12), (ST, 13))
    assert o.seen_wait == 720
    assert o.unseen_wait is None


def test_no_show_returned_to_queue_then_answered_counts_the_answered_call() -> None:
    o = outcome((C, 3), (N, 5), (RE, 6), (C, 14), (ST, 15))
    assert o.seen_wait == 840
    assert o.unseen_wait is None


def test_no_show_ends_unseen_with_wait_to_the_unanswered_call() -> None:
    o = outcome((C, 12), (N, 14))
    assert o.seen_wait is None
    assert o.unseen_wait == 720


def test_no_show_back_in_the_queue_has_not_ended() -> None:
    o = outcome((C, 12), (N, 14), (RE, 15))
    assert o.seen_wait is None and o.unseen_wait is None


def test_left_ends_unseen_with_wait_to_that_moment() -> None:
    assert outcome((LE, 15)).unseen_wait == 900


def test_cancelled_ends_unseen_with_wait_to_that_moment() -> None:
    assert outcome((CA, 7)).unseen_wait == 420


def test_left_after_being_called_waits_to_the_moment_they_left() -> None:
    assert outcome((C, 3), (LE, 11)).unseen_wait == 660


def test_still_waiting_is_neither_seen_nor_unseen() -> None:
    o = outcome()
    assert o.seen_wait is None and o.unseen_wait is None


def test_transfer_wait_is_separate_from_the_wait_to_be_seen() -> None:
    o = outcome((C, 2), (ST, 3), (TR, 8), (C, 20), (ST, 21), (CO, 30, True), (FI, 31))
    assert o.seen_wait == 120
    assert o.transfer_waits == (720,)
    assert o.handling == (360, 660)  # call to transfer, call to finish


def test_handling_needs_a_completion_in_that_stint() -> None:
    assert outcome((C, 1), (ST, 2), (CO, 5, True), (TR, 6), (C, 9), (ST, 10)).handling == (300,)
    assert outcome((C, 1), (ST, 2), (CO, 4, True), (CO, 6, False)).handling == (300,)


def test_customer_who_leaves_after_being_seen_counts_as_seen() -> None:
    o = outcome((C, 2), (ST, 3), (TR, 8), (LE, 40))
    assert o.seen_wait == 120 and o.unseen_wait is None


# --- seen within standard ---------------------------------------------------------------


def test_walk_outs_within_threshold_are_counted_but_not_breaches() -> None:
    f = standard_figures([seen_after(2), unseen_after(4), outcome((C, 5), (N, 7))], STD)
    assert (f.ended_unseen, f.walkouts, f.breached_unseen) == (2, 2, 0)
    assert f.share_within_standard == 1.0


def test_unseen_beyond_threshold_is_a_breach() -> None:
    f = standard_figures([seen_after(2), unseen_after(25)], STD)
    assert (f.ended_unseen, f.walkouts, f.breached_unseen) == (1, 0, 1)
    assert f.share_within_standard == 0.5


def test_wait_exactly_at_threshold_is_within() -> None:
    f = standard_figures([seen_after(10), unseen_after(10)], STD)
    assert f.seen_within_threshold == 1
    assert f.breached_unseen == 0 and f.walkouts == 1
    assert f.share_within_standard == 1.0


def test_a_second_over_threshold_is_a_breach() -> None:
    f = standard_figures([seen_after(10 + 1 / 60), unseen_after(10 + 1 / 60)], STD)
    assert f.seen_within_threshold == 0 and f.breached_unseen == 1


def test_share_denominator_is_seen_plus_breached_unseen() -> None:
    outcomes = [seen_after(1), seen_after(9), seen_after(15), unseen_after(30), unseen_after(3)]
    f = standard_figures(outcomes, STD)
    assert (f.seen, f.seen_within_threshold, f.breached_unseen) == (3, 2, 1)
    assert f.share_within_standard == pytest.approx(2 / 4)


def test_shares_are_none_when_denominators_are_zero() -> None:
    f = standard_figures([], STD)
    shares = (f.share_within_standard, f.first_contact_resolution, f.resolved_in_one_visit)
    assert shares == (None, None, None)
    assert (f.average_wait_seconds, f.avoidable_contact_share, f.met) == (None, None, None)
    assert (f.seen, f.ended_unseen, f.queries_completed) == (0, 0, 0)


def test_only_walk_outs_leave_the_share_undefined() -> None:
    f = standard_figures([unseen_after(3)], STD)
    assert (f.share_within_standard, f.met, f.walkouts) == (None, None, 1)


def test_average_wait_is_over_tickets_seen_only() -> None:
    outcomes = [seen_after(2), seen_after(6), unseen_after(50)]
    assert standard_figures(outcomes, STD).average_wait_seconds == 240


def test_threshold_of_the_standard_in_force_is_used() -> None:
    five = Standard(threshold_minutes=5)
    assert standard_figures([seen_after(4), seen_after(6)], five).seen_within_threshold == 1


# --- met ----------------------------------------------------------------------------


def test_met_when_share_reaches_target() -> None:
    many = [seen_after(1)] * 19
    assert standard_figures([*many, seen_after(11)], STD).met is True  # exactly 95%
    assert standard_figures([*many[:18], seen_after(11)], STD).met is False  # 94.7%


def test_met_without_average_target_ignores_the_average() -> None:
    assert standard_figures([seen_after(9.5)], Standard(target_share=0.9)).met is True


def test_met_with_average_target_needs_both() -> None:
    std = Standard(target_share=0.5, average_wait_minutes=5)
    assert standard_figures([seen_after(9), seen_after(9)], std).met is False
    assert standard_figures([seen_after(2), seen_after(8)], std).met is True  # average 5
    assert standard_figures([seen_after(1), seen_after(30)], std).met is False  # share ok


BAD = [("threshold_minutes", 0), ("target_share", 0), ("target_share", 1.1)]


@pytest.mark.parametrize(("key", "value"), [*BAD, ("average_wait_minutes", 0)])
def test_bad_standard_refused(key: str, value: float) -> None:
    with pytest.raises(ValueError, match=key):
        Standard(**{key: value})


# --- first-contact resolution ----------------------------------------------------------


def test_resolved_with_no_transfer_before_is_fcr() -> None:
    o = outcome((C, 1), (ST, 2), (CO, 5, True))
    assert [q.first_contact for q in o.queries] == [True]


def test_query_completed_after_a_transfer_is_never_fcr() -> None:
    o = outcome((C, 1), (ST, 2), (TR, 4), (C, 6), (ST, 7), (CO, 9, True))
    assert [(q.resolved, q.first_contact) for q in o.queries] == [(True, False)]


def test_not_resolved_is_never_fcr() -> None:
    o = outcome((C, 1), (ST, 2), (CO, 5, False))
    assert [(q.resolved, q.first_contact) for q in o.queries] == [(False, False)]


def test_resolved_in_one_visit_counts_resolved_queries_incl_after_transfer() -> None:
    visit = outcome((C, 1), (ST, 2), (CO, 3, False), (TR, 4), (C, 6), (ST, 7), (CO, 9, True))
    f = standard_figures([visit, seen_after(1)], STD)
    assert f.queries_completed == 3
    assert f.first_contact_resolution == pytest.approx(1 / 3)
    assert f.resolved_in_one_visit == pytest.approx(2 / 3)


def test_several_queries_per_visit_each_count() -> None:
    o = outcome((C, 1), (ST, 2), (CO, 3, True), (CO, 4, False), (CO, 5, True), (FI, 6))
    assert [q.first_contact for q in o.queries] == [True, False, True]
    f = standard_figures([o], STD)
    assert f.queries_completed == 3
    assert f.first_contact_resolution == pytest.approx(2 / 3)
    assert f.seen == 1


def test_queries_before_a_transfer_keep_their_fcr() -> None:
    o = outcome((C, 1), (ST, 2), (CO, 3, True), (TR, 4), (C, 5), (ST, 6), (CO, 8, True))
    assert [q.first_contact for q in o.queries] == [True, False]


def test_avoidable_contact_share() -> None:
    o = outcome(
        (C, 1), (ST, 2), (CO, 3, True, "chasing"), (CO, 4, True), (CO, 5, False, "wrong-place")
    )
    f = standard_figures([o, seen_after(1)], STD)
    assert f.avoidable_contact_share == pytest.approx(2 / 4)
    assert AVOIDABLE_CATEGORIES == ("chasing", "council-error", "could-self-serve", "wrong-place")


# --- property: random histories that follow the state machine ---------------------------


@st.composite
def history(draw: st.DrawFn) -> TicketOutcome:
    status: Status | None = next_status("X", None, S)
    minute = 0.0
    events: list[LoggedEvent] = []
    for _ in range(draw(st.integers(0, 14))):
        allowed = sorted(s for (st_, s) in TRANSITIONS if st_ == status)
        if not allowed:
            break
        step = draw(st.sampled_from(allowed))
        minute += draw(st.floats(0, 20, allow_nan=False))
        resolved = draw(st.booleans()) if step is CO else None
        avoidable = draw(st.sampled_from((None, *AVOIDABLE_CATEGORIES))) if step is CO else None
        events.append(LoggedEvent(step, at(minute), resolved=resolved, avoidable=avoidable))
        status = next_status("X", status, step)
    o, steps = ticket_outcome(at(0), events), [e.step for e in events]
    assert (o.seen_wait is not None) == (ST in steps)
    if status in (Status.CANCELLED, Status.LEFT, Status.NO_SHOW) and ST not in steps:
        assert o.unseen_wait is not None
    assert len(o.queries) == steps.count(CO)
    return o


@settings(max_examples=300, deadline=None)
@given(outcomes=st.lists(history(), max_size=25), threshold=st.sampled_from([1, 5, 10, 30]))
def test_figures_are_consistent_for_any_history(
    outcomes: list[TicketOutcome], threshold: int
) -> None:
    f = standard_figures(outcomes, Standard(threshold_minutes=threshold))
    shares = [f.share_within_standard, f.first_contact_resolution, f.resolved_in_one_visit]
    for share in [*shares, f.avoidable_contact_share]:
        assert share is None or 0 <= share <= 1
    assert f.seen_within_threshold <= f.seen
    assert f.walkouts + f.breached_unseen == f.ended_unseen
    assert f.seen + f.ended_unseen <= len(outcomes)
    assert f.queries_completed == sum(len(o.queries) for o in outcomes)
    if f.first_contact_resolution is not None:
        assert f.resolved_in_one_visit is not None
        assert f.first_contact_resolution <= f.resolved_in_one_visit
    assert f.average_wait_seconds is None or f.average_wait_seconds >= 0
