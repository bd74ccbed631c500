"""The visit fold and the additive tallies behind the rollups (pure)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from frontdesk.queue.desk_time import desk_time, parse_change
from frontdesk.queue.figures import share, standard_of
from frontdesk.queue.measures import (
    AVOIDABLE_CATEGORIES,
    Standard,
    standard_figures,
    ticket_outcome,
)
from frontdesk.queue.states import TRANSITIONS, Status, Step, next_status
from frontdesk.queue.tally import (
    BUCKET_SECONDS,
    Slot,
    Told,
    VisitTally,
    add_visit,
    bucket,
    decode_into,
    encode_hist,
    merge,
    percentile,
    values_of,
)
from frontdesk.queue.visit_facts import VisitEvent, visit_facts

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def at(minute: float) -> datetime:
    return T0 + timedelta(minutes=minute)


def ev(step: Step, minute: float, **kw: object) -> VisitEvent:
    return VisitEvent(step, at(minute), **kw)  # type: ignore[arg-type]


# -- the fold ----------------------------------------------------------------------------


def test_a_visit_with_a_transfer_has_two_stints_and_shares_handling_among_queries() -> None:
    facts = visit_facts(
        T0,
        [
            ev(Step.ISSUED, 0, service_id=1),
            ev(Step.CALLED, 4, staff="ann", desk_id=1),
            ev(Step.STARTED, 5, staff="ann", desk_id=1),
            ev(Step.COMPLETED, 9, staff="ann", topic_id=7, resolved=True, service_id=1),
            ev(Step.COMPLETED, 9, staff="ann", topic_id=8, resolved=False, service_id=1),
            ev(Step.TRANSFERRED, 10, staff="ann", service_id=2),
            ev(Step.CALLED, 12, staff="bob", desk_id=2),
            ev(Step.STARTED, 12, staff="bob", desk_id=2),
            ev(Step.COMPLETED, 20, staff="bob", topic_id=9, resolved=True, service_id=2),
            ev(Step.FINISHED, 20, staff="bob"),
        ],
    )
    assert facts.seen_wait == 4 * 60  # issue to the answered call
    assert facts.transfers == 1 and facts.transfer_waits == (120.0,)
    assert [(s.staff, s.handling, s.queries) for s in facts.stints] == [
        ("ann", 360.0, 2),  # call at 4 to transfer at 10
        ("bob", 480.0, 1),
    ]
    by_topic = {q.topic_id: q for q in facts.queries}
    assert by_topic[7].handling_share == by_topic[8].handling_share == 180.0
    assert by_topic[7].first_contact and not by_topic[8].first_contact
    assert by_topic[9].resolved and not by_topic[9].first_contact  # after a transfer
    assert by_topic[9].service_id == 2


def test_ended_by_says_how_an_unseen_visit_ended() -> None:
    no_show = [ev(Step.ISSUED, 0), ev(Step.CALLED, 3), ev(Step.NO_SHOW, 5)]
    assert visit_facts(T0, no_show).ended_by == "no_show"
    left = [ev(Step.ISSUED, 0), ev(Step.LEFT, 7)]
    assert visit_facts(T0, left).ended_by == "left"
    seen_then_left = [ev(Step.ISSUED, 0), ev(Step.CALLED, 1), ev(Step.STARTED, 1), ev(Step.LEFT, 3)]
    assert visit_facts(T0, seen_then_left).ended_by is None
    assert visit_facts(T0, [ev(Step.ISSUED, 0)]).ended_by is None  # still waiting


def test_the_tally_counts_against_centre_and_service_thresholds() -> None:
    slot = Slot()
    seen_7 = visit_facts(T0, [ev(Step.ISSUED, 0), ev(Step.CALLED, 7), ev(Step.STARTED, 7)])
    left_8 = visit_facts(T0, [ev(Step.ISSUED, 0), ev(Step.LEFT, 8)])
    for facts in (seen_7, left_8):
        add_visit(
            slot,
            facts,
            service_id=1,
            channel="kiosk",
            threshold_seconds=600,
            own_threshold_seconds=300,
            told=Told(estimate=120, low=60, high=600),
        )
    v = slot.visits[(1, "kiosk")]
    assert (v.issued, v.seen, v.seen_within, v.own_seen_within) == (2, 1, 1, 0)
    assert (v.ended_unseen, v.breached, v.own_breached) == (1, 0, 1)
    assert v.wait_hist == {bucket(420): 1} and v.wait_us == 420_000_000
    # Told 2 minutes, waited 7: 5 minutes longer (not *more* than 5), inside 1–10 minutes.
    assert (v.estimated, v.estimate_error_us, v.under_estimated) == (1, 300_000_000, 0)
    assert (v.interval_told, v.inside_interval) == (1, 1)


# -- histograms ----------------------------------------------------------------------------


def test_buckets_are_half_minutes_to_two_hours() -> None:
    assert [bucket(s) for s in (0, 29.9, 30, 599.9, 600, 7199, 7200, 99999, -3)] == [
        0,
        0,
        1,
        19,
        20,
        239,
        240,
        240,
        0,
    ]


def test_percentiles_are_the_upper_edge_of_the_bucket_holding_the_rank() -> None:
    hist = {bucket(w): 0 for w in ()}
    for w in (10, 40, 50, 70, 400):  # buckets 0, 1, 1, 2, 13
        b = bucket(w)
        hist[b] = hist.get(b, 0) + 1
    assert percentile(hist, 0.5) == 60.0  # third of five: in [30, 60)
    assert percentile(hist, 0.9) == 420.0  # fifth: in [390, 420)
    assert percentile({}, 0.5) is None
    assert percentile({240: 3}, 0.9) == 7200.0


@given(st.dictionaries(st.integers(0, 240), st.integers(1, 10**6), max_size=40))
def test_histograms_survive_encoding(hist: dict[int, int]) -> None:
    back: dict[int, int] = {}
    decode_into(back, encode_hist(hist))
    assert back == hist
    decode_into(back, encode_hist(hist))
    assert back == {b: 2 * n for b, n in hist.items()}


# -- property: tallies agree with the measures, and add up in any order ---------------


@st.composite
def visit(draw: st.DrawFn) -> tuple[list[VisitEvent], str]:
    status: Status | None = next_status("X", None, Step.ISSUED)
    minute = 0.0
    events = [VisitEvent(Step.ISSUED, at(0), service_id=1)]
    for _ in range(draw(st.integers(0, 12))):
        allowed = sorted(s for (st_, s) in TRANSITIONS if st_ == status)
        if not allowed:
            break
        step = draw(st.sampled_from(allowed))
        minute += draw(st.floats(0, 20, allow_nan=False))
        completed = step is Step.COMPLETED
        events.append(
            VisitEvent(
                step,
                at(minute),
                service_id=draw(st.sampled_from((1, 2))),
                staff=draw(st.sampled_from((None, "ann", "bob"))),
                topic_id=draw(st.sampled_from((None, 5, 6))) if completed else None,
                resolved=draw(st.booleans()) if completed else None,
                avoidable=draw(st.sampled_from((None, *AVOIDABLE_CATEGORIES)))
                if completed
                else None,
                feedback=draw(st.sampled_from((None, "complaint", "comment")))
                if completed
                else None,
            )
        )
        status = next_status("X", status, step)
    return events, draw(st.sampled_from(("kiosk", "greeter")))


@settings(max_examples=200, deadline=None)
@given(visits=st.lists(visit(), max_size=20), threshold=st.sampled_from([1, 5, 10]))
def test_tallies_give_the_measures_figures_and_add_up_in_any_order(
    visits: list[tuple[list[VisitEvent], str]], threshold: int
) -> None:
    standard = Standard(threshold_minutes=threshold)
    whole, halves = Slot(), (Slot(), Slot())
    for i, (events, channel) in enumerate(visits):
        facts = visit_facts(T0, events)
        outcome = ticket_outcome(T0, events)  # type: ignore[arg-type]
        # The fold's stints time the visit exactly as the measures do.
        timed = sorted(s.handling for s in facts.stints if s.handling is not None)
        assert timed == sorted(outcome.handling)
        assert len(facts.queries) == len(outcome.queries)
        assert (facts.seen_wait, facts.unseen_wait) == (outcome.seen_wait, outcome.unseen_wait)
        assert facts.transfer_waits == outcome.transfer_waits
        assert sorted((q.resolved, q.first_contact, q.avoidable) for q in facts.queries) == sorted(
            (q.resolved, q.first_contact, q.avoidable) for q in outcome.queries
        )
        for into in (whole, halves[i % 2]):
            add_visit(
                into,
                facts,
                service_id=1,
                channel=channel,
                threshold_seconds=standard.threshold_seconds,
                own_threshold_seconds=standard.threshold_seconds,
            )
    total = VisitTally()
    for t in whole.visits.values():
        merge(total, t)
    expected = standard_figures((ticket_outcome(T0, e) for e, _ in visits), standard)  # type: ignore[arg-type]
    got = standard_of(total, standard)
    for name in ("seen", "seen_within_threshold", "ended_unseen", "breached_unseen", "walkouts"):
        assert getattr(got, name) == getattr(expected, name)
    for name in ("share_within_standard", "first_contact_resolution", "avoidable_contact_share"):
        a, b = getattr(got, name), getattr(expected, name)
        assert (a is None) == (b is None) and (a is None or abs(a - b) < 1e-12)
    if expected.average_wait_seconds is not None:
        assert got.average_wait_seconds is not None
        assert abs(got.average_wait_seconds - expected.average_wait_seconds) < 1e-6
    merged = Slot().merge(halves[1]).merge(halves[0])
    assert {k: values_of(t) for k, t in merged.visits.items()} == {
        k: values_of(t) for k, t in whole.visits.items()
    }
    assert {k: t.wait_hist for k, t in merged.visits.items()} == {
        k: t.wait_hist for k, t in whole.visits.items()
    }
    assert {k: values_of(t) for k, t in merged.queries.items()} == {
        k: values_of(t) for k, t in whole.queries.items()
    }
    assert {k: values_of(t) for k, t in merged.advisers.items()} == {
        k: values_of(t) for k, t in whole.advisers.items()
    }
    assert sum(t.queries for t in whole.queries.values()) == total.queries
    assert sum(t.queries for t in whole.advisers.values()) == total.queries


# -- time at desks -------------------------------------------------------------------------


def test_desk_time_splits_open_and_paused_and_stops_at_the_end_of_the_day() -> None:
    rows = [
        (at(0), "desk.open", "ann", "CIVIC/1"),
        (at(60), "desk.paused", "ann", "CIVIC/1: break"),
        (at(75), "desk.open", "ann", "CIVIC/1"),
        (at(120), "desk.closed", "ann", "CIVIC/1"),
        (at(130), "desk.open", "bob", "CIVIC/2"),  # never closed
        (at(140), "ticket.quick", "bob", "CIVIC C001"),  # not a desk change
    ]
    changes = [c for c in (parse_change(*r) for r in rows) if c is not None]
    assert len(changes) == 5 and changes[1].reason == "break"
    midnight = datetime.combine(date(2026, 3, 3), datetime.min.time(), tzinfo=UTC)
    got = desk_time(changes, T0, T0 + timedelta(days=2), lambda desk, when: midnight)
    assert got["ann"].open_seconds == 120 * 60
    assert got["ann"].paused_seconds == {"break": 15 * 60}
    assert got["bob"].open_seconds == (midnight - at(130)).total_seconds()
    # Within a shorter period only its part counts.
    part = desk_time(changes, at(30), at(70), lambda desk, when: midnight)
    assert part["ann"].open_seconds == 40 * 60 and part["ann"].paused_seconds == {"break": 600}


def test_share_is_none_without_a_denominator() -> None:
    assert share(0, 0) is None and share(1, 4) == 0.25
    assert BUCKET_SECONDS == 30
