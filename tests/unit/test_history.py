"""Replaying a recorded visit: same-instant events ordered by the state machine."""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frontdesk.errors import IllegalStep
from frontdesk.queue.history import MAX_VISIT_EVENTS, VisitRefused, replay
from frontdesk.queue.states import TRANSITIONS, Status, Step


@dataclass(frozen=True)
class Ev:
    at: str
    step: Step
    line: int


def visit(*steps: tuple[int, str]) -> list[Ev]:
    """Events from (second, step) pairs, numbered as rows 2, 3, … in the order given."""
    return [
        Ev(f"2026-03-02 09:00:{sec:02d}.000000", Step(step), n)
        for n, (sec, step) in enumerate(steps, start=2)
    ]


def steps_of(events: tuple[object, ...]) -> list[str]:
    return [e.step.value for e in events]  # type: ignore[attr-defined]


def test_issued_and_called_in_the_same_second_in_any_row_order() -> None:
    rows = visit((5, "completed"), (0, "called"), (0, "issued"), (1, "started"))
    done = replay("V1", rows)
    assert steps_of(done.events) == ["issued", "called", "started", "completed"]
    assert done.status is Status.DONE


def test_a_whole_visit_in_one_second_is_ordered_by_the_state_machine() -> None:
    rows = visit((0, "completed"), (0, "started"), (0, "issued"), (0, "called"))
    assert steps_of(replay("V1", rows).events) == ["issued", "called", "started", "completed"]


def test_a_transfer_called_in_the_same_second_needs_the_search() -> None:
    # The preferred order puts `called` before `transferred`; only the reverse is legal.
    rows = visit(
        (0, "issued"),
        (1, "called"),
        (2, "started"),
        (3, "called"),
        (3, "transferred"),
        (3, "completed"),
        (4, "started"),
        (9, "completed"),
    )
    done = replay("V1", rows)
    assert steps_of(done.events) == [
        "issued",
        "called",
        "started",
        "completed",
        "transferred",
        "called",
        "started",
        "completed",
    ]


def test_a_no_show_called_again_in_the_same_second() -> None:
    rows = visit((0, "issued"), (1, "called"), (1, "no_show"), (1, "called"), (2, "started"))
    rows += visit((9, "completed"))
    done = replay("V1", rows)
    assert steps_of(done.events)[:5] == ["issued", "called", "no_show", "called", "started"]


def test_the_end_state_decides_between_orders_of_one_instant() -> None:
    # called, called, no_show would end the visit as a no-show; the visit goes on, so
    # the second call must come after the no-show.
    rows = visit((0, "issued"), (1, "called"), (1, "called"), (1, "no_show"), (2, "started"))
    rows += visit((9, "completed"))
    assert steps_of(replay("V1", rows).events)[1:4] == ["called", "no_show", "called"]


def test_rows_of_one_kind_keep_their_file_order() -> None:
    rows = visit((0, "issued"), (0, "called"), (0, "started"), (5, "completed"), (5, "completed"))
    done = replay("V1", rows)
    assert [e.line for e in done.events][-2:] == [5, 6]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("steps", "status"),
    [
        ([(0, "issued"), (9, "left")], Status.LEFT),
        ([(0, "issued"), (9, "cancelled")], Status.CANCELLED),
        ([(0, "issued"), (1, "called"), (3, "no_show")], Status.NO_SHOW),
    ],
)
def test_visits_that_end_unseen(steps: list[tuple[int, str]], status: Status) -> None:
    assert replay("V1", visit(*steps)).status is status


def test_an_illegal_visit_is_refused_naming_its_rows_and_the_row_that_breaks() -> None:
    rows = visit((0, "issued"), (5, "started"), (9, "completed"))
    with pytest.raises(VisitRefused) as caught:
        replay("V7", rows)
    message = str(caught.value)
    assert message.startswith("visit V7 (rows 2, 3, 4): row 3:")
    assert "cannot 'started'" in message
    assert isinstance(caught.value, IllegalStep)


def test_an_unfinished_visit_is_refused() -> None:
    with pytest.raises(VisitRefused, match=r"visit V2 \(rows 2, 3\) is not finished \(called\)"):
        replay("V2", visit((0, "issued"), (1, "called")))


def test_a_visit_with_too_many_rows_is_refused() -> None:
    rows = [Ev("2026-03-02 09:00:00.000000", Step.COMPLETED, n) for n in range(300)]
    with pytest.raises(VisitRefused, match=f"more than {MAX_VISIT_EVENTS} rows"):
        replay("V3", rows)


def test_a_hopeless_instant_gives_up_within_its_budget() -> None:
    # 150 calls and no-shows in one second with nothing legal at the end: refused,
    # quickly, rather than searched for ever.
    rows = visit((0, "issued"), *[(1, "called")] * 75, *[(1, "no_show")] * 75, (2, "completed"))
    with pytest.raises(VisitRefused):
        replay("V4", rows)


# -- property: any legal visit, at coarse times and in any row order, replays ------------

_LEGAL_FROM: dict[Status | None, list[Step]] = {}
for (_status, _step), _ in TRANSITIONS.items():
    if _step in (Step.RECALLED, Step.RETURNED, Step.FINISHED):
        continue
    _LEGAL_FROM.setdefault(_status, []).append(_step)


@st.composite
def legal_visits(draw: st.DrawFn) -> list[tuple[int, Step]]:
    """A finished visit as (second, step), its times coarse enough to tie often."""
    status: Status | None = None
    out: list[tuple[int, Step]] = []
    second = 0
    while True:
        step = draw(st.sampled_from(_LEGAL_FROM[status]))
        second += draw(st.sampled_from([0, 0, 1]))
        out.append((second, step))
        status = TRANSITIONS[(status, step)]
        if status not in _LEGAL_FROM or len(out) > 12:
            break
        if status is Status.NO_SHOW and draw(st.booleans()):
            break
        if status is Status.SERVING and step is Step.COMPLETED and draw(st.booleans()):
            break
    if status in (Status.WAITING, Status.CALLED) or (
        status is Status.SERVING and out[-1][1] is not Step.COMPLETED
    ):
        # Finish it: end the visit unseen (left is allowed from every open state).
        out.append((second, Step.LEFT))
    return out


@settings(max_examples=300, deadline=None)
@given(legal_visits(), st.randoms(use_true_random=False))
def test_any_legal_visit_in_any_row_order_replays(
    steps: list[tuple[int, Step]], rng: random.Random
) -> None:
    rows = [Ev(f"2026-03-02 09:00:{s:02d}.000000", step, n) for n, (s, step) in enumerate(steps)]
    rng.shuffle(rows)
    done = replay("V", rows)
    status: Status | None = None
    for e in done.events:
        status = TRANSITIONS[(status, e.step)]  # type: ignore[attr-defined]
    assert sorted(e.at for e in done.events) == [e.at for e in done.events]  # type: ignore[attr-defined]
    assert sorted(e.line for e in done.events) == list(range(len(rows)))  # type: ignore[attr-defined]
