"""The ticket state machine (DESIGN §2 "Every state change is an event")."""

from __future__ import annotations

import pytest

from frontdesk.errors import FrontdeskError, IllegalStep
from frontdesk.queue.states import (
    AT_DESK_STATES,
    INTERCHANGE_STEPS,
    TRANSITIONS,
    Status,
    Step,
    next_status,
)

ALLOWED = [
    (None, Step.ISSUED, Status.WAITING),
    (Status.WAITING, Step.CALLED, Status.CALLED),
    (Status.WAITING, Step.CANCELLED, Status.CANCELLED),
    (Status.WAITING, Step.LEFT, Status.LEFT),
    (Status.CALLED, Step.RECALLED, Status.CALLED),
    (Status.CALLED, Step.CALLED, Status.CALLED),
    (Status.CALLED, Step.STARTED, Status.SERVING),
    (Status.CALLED, Step.NO_SHOW, Status.NO_SHOW),
    (Status.CALLED, Step.CANCELLED, Status.CANCELLED),
    (Status.CALLED, Step.LEFT, Status.LEFT),
    (Status.NO_SHOW, Step.RETURNED, Status.WAITING),
    (Status.NO_SHOW, Step.CALLED, Status.CALLED),
    (Status.SERVING, Step.COMPLETED, Status.SERVING),
    (Status.SERVING, Step.TRANSFERRED, Status.WAITING),
    (Status.SERVING, Step.FINISHED, Status.DONE),
    (Status.SERVING, Step.LEFT, Status.LEFT),
]
ALLOWED_PAIRS = {(status, step) for status, step, _ in ALLOWED}
CLOSED = [Status.DONE, Status.CANCELLED, Status.LEFT]
ALL_STATES: list[Status | None] = [None, *Status]
ILLEGAL = [
    (status, step) for status in ALL_STATES for step in Step if (status, step) not in ALLOWED_PAIRS
]


@pytest.mark.parametrize(("status", "step", "after"), ALLOWED)
def test_allowed_transition(status: Status | None, step: Step, after: Status) -> None:
    assert next_status("C001", status, step) is after


def test_table_is_exactly_the_documented_transitions() -> None:
    assert set(TRANSITIONS) == ALLOWED_PAIRS
    assert {(st, sp, to) for (st, sp), to in TRANSITIONS.items()} == set(ALLOWED)


@pytest.mark.parametrize(("status", "step"), ILLEGAL)
def test_illegal_step_is_refused_naming_ticket_state_and_step(
    status: Status | None, step: Step
) -> None:
    with pytest.raises(IllegalStep) as info:
        next_status("H017", status, step)
    message = str(info.value)
    assert "H017" in message
    assert (status.value if status is not None else "not yet issued") in message
    assert f"'{step.value}'" in message


def test_illegal_step_is_a_user_facing_error() -> None:
    assert issubclass(IllegalStep, FrontdeskError)


def test_illegal_step_lists_what_is_allowed() -> None:
    with pytest.raises(
        IllegalStep, match=r"allowed: called, cancelled, left, no_show, recalled, started\)"
    ):
        next_status("C001", Status.CALLED, Step.ISSUED)


@pytest.mark.parametrize("status", CLOSED)
@pytest.mark.parametrize("step", list(Step))
def test_closed_states_refuse_every_step(status: Status, step: Step) -> None:
    with pytest.raises(IllegalStep, match=r"\(it is closed\)") as info:
        next_status("C042", status, step)
    assert "C042" in str(info.value)
    assert status.value in str(info.value)


def test_only_issue_starts_a_ticket() -> None:
    with pytest.raises(IllegalStep, match="C001 is not yet issued: cannot 'called'"):
        next_status("C001", None, Step.CALLED)


@pytest.mark.parametrize("status", list(Status))
def test_a_ticket_is_never_issued_twice(status: Status) -> None:
    with pytest.raises(IllegalStep):
        next_status("C001", status, Step.ISSUED)


def test_waiting_ticket_cannot_be_started_or_completed_before_a_call() -> None:
    for step in (Step.STARTED, Step.COMPLETED, Step.FINISHED, Step.NO_SHOW, Step.TRANSFERRED):
        with pytest.raises(IllegalStep):
            next_status("C001", Status.WAITING, step)


def test_serving_customer_cannot_be_cancelled_or_marked_no_show() -> None:
    for step in (Step.CANCELLED, Step.NO_SHOW, Step.CALLED, Step.RECALLED, Step.STARTED):
        with pytest.raises(IllegalStep):
            next_status("C001", Status.SERVING, step)


def test_a_full_visit_with_several_queries_and_a_transfer() -> None:
    steps = [
        Step.ISSUED,
        Step.CALLED,
        Step.NO_SHOW,
        Step.CALLED,
        Step.RECALLED,
        Step.STARTED,
        Step.COMPLETED,
        Step.TRANSFERRED,
        Step.CALLED,
        Step.STARTED,
        Step.COMPLETED,
        Step.COMPLETED,
        Step.FINISHED,
    ]
    status: Status | None = None
    for step in steps:
        status = next_status("B007", status, step)
    assert status is Status.DONE


def test_state_groups() -> None:
    assert {Status.CALLED, Status.SERVING} == AT_DESK_STATES
    assert not AT_DESK_STATES & set(CLOSED)


def test_interchange_vocabulary_is_the_eight_csv_events() -> None:
    assert [s.value for s in INTERCHANGE_STEPS] == [
        "issued",
        "called",
        "no_show",
        "started",
        "transferred",
        "completed",
        "cancelled",
        "left",
    ]
