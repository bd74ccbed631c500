"""Who is called next: the routing policy (queue/routing.py docstring)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frontdesk.queue.routing import (
    Candidate,
    DeskView,
    Fairness,
    base_choice,
    choose_next,
    eligible,
    next_priority_run,
    ranked,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
NOW = T0 + timedelta(hours=1)
DESK = DeskView(name="1", services=("CTAX", "HBEN", "GENQ"))
FAIR = Fairness(priority_run_limit=2)


def cand(
    id: int, service: str = "CTAX", minute: int = 0, priority: bool = False, to: str | None = None
) -> Candidate:
    return Candidate(
        id=id,
        service=service,
        queued_at=T0 + timedelta(minutes=minute),
        priority=priority,
        target_desk=to,
    )


def pick(cands: Sequence[Candidate], runs: dict[str, int] | None = None, **kw) -> int | None:
    chosen = choose_next(cands, DESK, NOW, runs or {}, kw.pop("fairness", FAIR), **kw)
    return None if chosen is None else chosen.id


def test_nobody_waiting() -> None:
    assert pick([]) is None


def test_tickets_for_other_services_are_not_eligible() -> None:
    assert pick([cand(1, "PLAN"), cand(2, "HOPT")]) is None


def test_service_order_primary_skill_first() -> None:
    cands = [cand(1, "GENQ", 0), cand(2, "HBEN", 1), cand(3, "CTAX", 2)]
    assert pick(cands) == 3
    assert pick(cands[:2]) == 2


def test_fifo_within_a_service() -> None:
    assert pick([cand(1, minute=5), cand(2, minute=1), cand(3, minute=3)]) == 2


def test_equal_queue_times_break_by_id() -> None:
    assert pick([cand(9, minute=1), cand(4, minute=1)]) == 4


def test_priority_goes_first_within_its_service() -> None:
    assert pick([cand(1, minute=0), cand(2, minute=9, priority=True)]) == 2


def test_priority_does_not_jump_the_service_order() -> None:
    assert pick([cand(1, "CTAX", 5), cand(2, "HBEN", 0, priority=True)]) == 1


def test_fifo_among_priority_tickets() -> None:
    cands = [cand(1, minute=0), cand(2, minute=7, priority=True), cand(3, minute=4, priority=True)]
    assert pick(cands) == 3


def test_fairness_bound_calls_a_normal_ticket_after_the_run_limit() -> None:
    cands = [cand(1, minute=0), cand(2, minute=7, priority=True)]
    assert pick(cands, {"CTAX": 1}) == 2
    assert pick(cands, {"CTAX": 2}) == 1
    # The run counts per service queue.
    assert pick(cands, {"HBEN": 5}) == 2


def test_fairness_only_applies_when_a_normal_ticket_waits() -> None:
    assert pick([cand(2, priority=True)], {"CTAX": 10}) == 2


def test_zero_run_limit_never_lets_priority_overtake() -> None:
    cands = [cand(1, minute=5), cand(2, minute=0, priority=True)]
    assert pick(cands, fairness=Fairness(0)) == 1


def test_negative_run_limit_refused() -> None:
    with pytest.raises(ValueError, match="priority_run_limit"):
        Fairness(-1)


def test_next_priority_run() -> None:
    assert next_priority_run(0, True) == 1
    assert next_priority_run(2, True) == 3
    assert next_priority_run(3, False) == 0


def test_ticket_transferred_to_this_desk_comes_first() -> None:
    cands = [cand(1, "CTAX", 0, priority=True), cand(2, "PLAN", 9, to="1")]
    assert pick(cands) == 2


def test_transferred_tickets_oldest_first() -> None:
    assert pick([cand(1, minute=9, to="1"), cand(2, "HOPT", minute=3, to="1")]) == 2


def test_ticket_transferred_to_another_desk_is_not_eligible() -> None:
    cands = [cand(1, "CTAX", 0, to="2"), cand(2, "GENQ", 5)]
    assert [c.id for c in eligible(cands, DESK)] == [2]
    assert pick(cands) == 2


def test_rules_are_tried_in_order_before_the_base_policy() -> None:
    seen: list[str] = []

    def passes(cands: Sequence[Candidate], desk: DeskView, now: datetime) -> Candidate | None:
        seen.append("passes")
        assert desk is DESK and now == NOW
        return None

    def appointment(cands: Sequence[Candidate], desk: DeskView, now: datetime) -> Candidate | None:
        seen.append("appointment")
        return next((c for c in cands if c.id == 3), None)

    def never(cands: Sequence[Candidate], desk: DeskView, now: datetime) -> Candidate | None:
        seen.append("never")
        return cands[0]

    cands = [cand(1, minute=0), cand(2, minute=1, to="1"), cand(3, "GENQ", 8)]
    assert pick(cands, rules=[passes, appointment, never]) == 3
    assert seen == ["passes", "appointment"]
    # A rule that passes leaves the base policy in charge.
    assert pick(cands, rules=[passes]) == 2


def test_rules_see_only_eligible_candidates() -> None:
    received: list[int] = []

    def spy(cands: Sequence[Candidate], desk: DeskView, now: datetime) -> Candidate | None:
        received.extend(c.id for c in cands)
        return None

    pick([cand(1), cand(2, "PLAN"), cand(3, "PLAN", to="1"), cand(4, to="9")], rules=[spy])
    assert sorted(received) == [1, 3]


def test_base_choice_without_candidates() -> None:
    assert base_choice([], DESK, {}, FAIR) is None


def test_ranked_yields_each_eligible_candidate_once_in_policy_order() -> None:
    cands = [
        cand(1, "GENQ", 0),
        cand(2, "CTAX", 3),
        cand(3, "CTAX", 1, priority=True),
        cand(4, "PLAN", 0),
        cand(5, "HBEN", 2, to="1"),
        cand(6, "HBEN", 0),
    ]
    order = [c.id for c in ranked(cands, DESK, NOW, {}, FAIR)]
    assert order == [5, 3, 2, 6, 1]
    assert len(order) == len(set(order))


def test_ranked_is_lazy_and_empty_when_nobody_waits() -> None:
    assert list(ranked([cand(1, "PLAN")], DESK, NOW, {}, FAIR)) == []
    it = ranked([cand(1), cand(2, minute=1)], DESK, NOW, {}, FAIR)
    assert next(it).id == 1


def test_ranked_with_a_rule_still_yields_each_once() -> None:
    def latest(cands: Sequence[Candidate], desk: DeskView, now: datetime) -> Candidate | None:
        return max(cands, key=lambda c: c.queued_at) if cands else None

    order = [
        c.id for c in ranked([cand(i, minute=i) for i in range(5)], DESK, NOW, {}, FAIR, [latest])
    ]
    assert order == [4, 3, 2, 1, 0]


# --- property: a desk calling repeatedly from a random queue -------------------------

SERVICES = ("CTAX", "HBEN", "GENQ", "PLAN")  # PLAN is not served by DESK
arrival = st.tuples(
    st.sampled_from(SERVICES), st.booleans(), st.sampled_from([None, None, "1", "2"])
)
op = st.one_of(st.just("call"), arrival)


@settings(max_examples=300, deadline=None)
@given(ops=st.lists(op, max_size=60), limit=st.integers(min_value=0, max_value=3))
def test_simulated_desk_is_fair_and_complete(ops: list, limit: int) -> None:
    fairness = Fairness(limit)
    waiting: list[Candidate] = []
    issued: list[Candidate] = []
    called: list[Candidate] = []
    runs: dict[str, int] = {}
    # per service: priority calls made while a normal ticket waited since the last normal call
    overtakes: dict[str, int] = {}

    def call() -> bool:
        chosen = choose_next(waiting, DESK, NOW, runs, fairness)
        if chosen is None:
            return False
        assert chosen in waiting
        in_service = [c for c in waiting if c.service == chosen.service and c.target_desk is None]
        normal_waiting = any(not c.priority for c in in_service)
        if chosen.target_desk is None:
            if chosen.priority:
                if normal_waiting:
                    overtakes[chosen.service] = overtakes.get(chosen.service, 0) + 1
                    assert overtakes[chosen.service] <= limit
            else:
                overtakes[chosen.service] = 0
            runs[chosen.service] = next_priority_run(runs.get(chosen.service, 0), chosen.priority)
        waiting.remove(chosen)
        called.append(chosen)
        return True

    for i, o in enumerate(ops):
        if o == "call":
            call()
        else:
            service, priority, to = o
            c = cand(i, service, i, priority, to)
            waiting.append(c)
            issued.append(c)
    while call():
        pass

    ids = [c.id for c in called]
    assert len(ids) == len(set(ids)), "a ticket was called twice"
    should = {
        c.id
        for c in issued
        if c.target_desk == "1" or (c.target_desk is None and c.service in DESK.services)
    }
    assert set(ids) == should, "every eligible ticket is called, and only those"
    # FIFO among tickets of equal priority, service and destination.
    for key in {(c.service, c.priority, c.target_desk) for c in called}:
        group = [c.queued_at for c in called if (c.service, c.priority, c.target_desk) == key]
        assert group == sorted(group)
