"""The visit fold and the additive tallies behind the rollups (pure)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from frontdesk.queue.desk_time import desk_time, parse_change
from frontdesk.queue.figures import share, standard_of
from frontdesk.queue.measures import (
    AVOIDABLE_CATEGORIES,
    LoggedEvent,
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
from frontdesk.queue.visit_facts import VisitEvent, micros_of, visit_facts

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def at(minute: float) -> datetime:
    return T0 + timedelta(minutes=minute)


def us(minute: float) -> int:
    return micros_of(at(minute))


def ev(step: Step, minute: float, **kw: object) -> VisitEvent:
    return VisitEvent(step.value, us(minute), **kw)  # type: ignore[arg-type]


ISSUE = us(0)
MIN = 60_000_000


# -- the fold ----------------------------------------------------------------------------


def test_a_visit_with_a_transfer_has_two_stints_and_shares_handling_among_queries() -> None:
    facts = visit_facts(
        ISSUE,
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
    assert facts.seen_wait_us == 4 * MIN  # issue to the answered call
    assert facts.transfers == 1 and facts.transfer_waits_us == (2 * MIN,)
    assert [(s.staff, s.handling_us, s.queries) for s in facts.stints] == [
        ("ann", 6 * MIN, 2),  # call at 4 to transfer at 10
        ("bob", 8 * MIN, 1),
    ]
    by_topic = {q.topic_id: q for q in facts.queries}
    assert by_topic[7].handling_share_us == by_topic[8].handling_share_us == 3 * MIN
    assert by_topic[7].first_contact and not by_topic[8].first_contact
    assert by_topic[9].resolved and not by_topic[9].first_contact  # after a transfer
    assert by_topic[9].service_id == 2


def test_ended_by_says_how_an_unseen_visit_ended() -> None:
    no_show = [ev(Step.ISSUED, 0), ev(Step.CALLED, 3), ev(Step.NO_SHOW, 5)]
    assert visit_facts(ISSUE, no_show).ended_by == "no_show"
    left = [ev(Step.ISSUED, 0), ev(Step.LEFT, 7)]
    assert visit_facts(ISSUE, left).ended_by == "left"
    seen_then_left = [ev(Step.ISSUED, 0), ev(Step.CALLED, 1), ev(Step.STARTED, 1), ev(Step.LEFT, 3)]
    assert visit_facts(ISSUE, seen_then_left).ended_by is None
    assert visit_facts(ISSUE, [ev(Step.ISSUED, 0)]).ended_by is None  # still waiting


def test_the_tally_counts_against_centre_and_service_thresholds() -> None:
    slot = Slot()
    seen_7 = visit_facts(ISSUE, [ev(Step.ISSUED, 0), ev(Step.CALLED, 7), ev(Step.STARTED, 7)])
    left_8 = visit_facts(ISSUE, [ev(Step.ISSUED, 0), ev(Step.LEFT, 8)])
    for facts in (seen_7, left_8):
        add_visit(
            slot,
            facts,
            service_id=1,
            channel="kiosk",
            threshold_us=10 * MIN,
            own_threshold_us=5 * MIN,
            told=Told(estimate=120, low=60, high=600),
        )
    v = slot.visits[(1, "kiosk")]
    assert (v.issued, v.seen, v.seen_within, v.own_seen_within) == (2, 1, 1, 0)
    assert (v.ended_unseen, v.breached, v.own_breached) == (1, 0, 1)
    assert v.wait_hist == {bucket(7 * MIN): 1} and v.wait_us == 7 * MIN
    # Told 2 minutes, waited 7: 5 minutes longer (not *more* than 5), inside 1–10 minutes.
    assert (v.estimated, v.estimate_error_us, v.under_estimated) == (1, 300_000_000, 0)
    assert (v.interval_told, v.inside_interval) == (1, 1)


# -- histograms ----------------------------------------------------------------------------


def test_buckets_are_half_minutes_to_two_hours() -> None:
    seconds = (0, 29.9, 30, 599.9, 600, 7199, 7200, 99999, -3)
    assert [bucket(round(s * 1_000_000)) for s in seconds] == [
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
    hist: dict[int, int] = {}
    for w in (10, 40, 50, 70, 400):  # buckets 0, 1, 1, 2, 13
        b = bucket(w * 1_000_000)
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
def visit(draw: st.DrawFn) -> tuple[list[VisitEvent], list[LoggedEvent], str]:
    status: Status | None = next_status("X", None, Step.ISSUED)
    minute = 0.0
    events = [VisitEvent(Step.ISSUED.value, ISSUE, service_id=1)]
    logged = [LoggedEvent(Step.ISSUED, T0)]
    for _ in range(draw(st.integers(0, 12))):
        allowed = sorted(s for (st_, s) in TRANSITIONS if st_ == status)
        if not allowed:
            break
        step = draw(st.sampled_from(allowed))
        minute += draw(st.sampled_from((0, 0.5, 1, 3, 7, 10, 12.5))) + draw(
            st.floats(0, 5, allow_nan=False)
        )
        when = at(minute)
        completed = step is Step.COMPLETED
        resolved = draw(st.booleans()) if completed else None
        avoidable = draw(st.sampled_from((None, *AVOIDABLE_CATEGORIES))) if completed else None
        events.append(
            VisitEvent(
                step.value,
                micros_of(when),
                service_id=draw(st.sampled_from((1, 2))),
                staff=draw(st.sampled_from((None, "ann", "bob"))),
                topic_id=draw(st.sampled_from((None, 5, 6))) if completed else None,
                # SQLite hands booleans over as 0/1.
                resolved=None
                if resolved is None
                else draw(st.sampled_from((resolved, int(resolved)))),
                avoidable=avoidable,
                feedback=draw(st.sampled_from((None, "complaint", "comment")))
                if completed
                else None,
            )
        )
        logged.append(LoggedEvent(step, when, resolved=resolved, avoidable=avoidable))
        status = next_status("X", status, step)
    return events, logged, draw(st.sampled_from(("kiosk", "greeter")))


def _us(seconds: float | None) -> int | None:
    return None if seconds is None else round(seconds * 1_000_000)


@settings(max_examples=200, deadline=None)
@given(visits=st.lists(visit(), max_size=20), threshold=st.sampled_from([1, 5, 10]))
def test_tallies_give_the_measures_figures_and_add_up_in_any_order(
    visits: list[tuple[list[VisitEvent], list[LoggedEvent], str]], threshold: int
) -> None:
    standard = Standard(threshold_minutes=threshold)
    limit = threshold * MIN
    whole, halves = Slot(), (Slot(), Slot())
    for i, (events, logged, channel) in enumerate(visits):
        facts = visit_facts(ISSUE, events)
        outcome = ticket_outcome(T0, logged)
        # The fold keeps the measures' rules exactly.
        assert facts.seen_wait_us == _us(outcome.seen_wait)
        assert facts.unseen_wait_us == _us(outcome.unseen_wait)
        assert facts.transfer_waits_us == tuple(_us(w) for w in outcome.transfer_waits)
        timed = sorted(s.handling_us for s in facts.stints if s.handling_us is not None)
        assert timed == sorted(_us(h) for h in outcome.handling)
        assert sorted(
            (q.resolved, q.first_contact, q.avoidable or "") for q in facts.queries
        ) == sorted((q.resolved, q.first_contact, q.avoidable or "") for q in outcome.queries)
        for into in (whole, halves[i % 2]):
            add_visit(
                into,
                facts,
                service_id=1,
                channel=channel,
                threshold_us=limit,
                own_threshold_us=limit,
            )
    total = VisitTally()
    for t in whole.visits.values():
        merge(total, t)
    expected = standard_figures((ticket_outcome(T0, lg) for _, lg, _ in visits), standard)
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
    for mine, theirs in (
        (merged.visits, whole.visits),
        (merged.queries, whole.queries),
        (merged.advisers, whole.advisers),
    ):
        assert {k: values_of(t) for k, t in mine.items()} == {
            k: values_of(t) for k, t in theirs.items()
        }
    assert {k: t.wait_hist for k, t in merged.visits.items()} == {
        k: t.wait_hist for k, t in whole.visits.items()
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
