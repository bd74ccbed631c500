"""The ticket state machine.

A ticket is one visit's place in the queue. It moves
``waiting → called → serving → done`` and may also end ``no_show``, ``cancelled`` or
``left``. Steps are the event kinds written to the log; a step that the current state
does not allow is refused with a message naming the ticket, its state and the step.
"""

from __future__ import annotations

from enum import StrEnum

from frontdesk.errors import IllegalStep


class Status(StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    DONE = "done"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"
    LEFT = "left"


class Step(StrEnum):
    """Event kinds. The first eight are the interchange vocabulary (DESIGN §4)."""

    ISSUED = "issued"
    CALLED = "called"
    NO_SHOW = "no_show"
    STARTED = "started"
    TRANSFERRED = "transferred"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    LEFT = "left"
    # Internal steps, not in the CSV vocabulary:
    RECALLED = "recalled"  # the same call announced again; exported as `called`
    RETURNED = "returned"  # a no-show back in the queue within the grace period
    FINISHED = "finished"  # the desk finished with the customer; implied in the CSV


INTERCHANGE_STEPS = (
    Step.ISSUED,
    Step.CALLED,
    Step.NO_SHOW,
    Step.STARTED,
    Step.TRANSFERRED,
    Step.COMPLETED,
    Step.CANCELLED,
    Step.LEFT,
)

# Which step is allowed from which state, and where it leads. A `completed` step
# records one query and keeps the customer at the desk: a visit may carry several
# queries, and the desk may still transfer the customer afterwards.
TRANSITIONS: dict[tuple[Status | None, Step], Status] = {
    (None, Step.ISSUED): Status.WAITING,
    (Status.WAITING, Step.CALLED): Status.CALLED,
    (Status.WAITING, Step.CANCELLED): Status.CANCELLED,
    (Status.WAITING, Step.LEFT): Status.LEFT,
    (Status.CALLED, Step.RECALLED): Status.CALLED,
    (Status.CALLED, Step.CALLED): Status.CALLED,
    (Status.CALLED, Step.STARTED): Status.SERVING,
    (Status.CALLED, Step.NO_SHOW): Status.NO_SHOW,
    (Status.CALLED, Step.CANCELLED): Status.CANCELLED,
    (Status.CALLED, Step.LEFT): Status.LEFT,
    (Status.NO_SHOW, Step.RETURNED): Status.WAITING,
    # A no-show who turns up again may be called straight back (the CSV's
    # "called, no_show, called, started").
    (Status.NO_SHOW, Step.CALLED): Status.CALLED,
    (Status.SERVING, Step.COMPLETED): Status.SERVING,
    (Status.SERVING, Step.TRANSFERRED): Status.WAITING,
    (Status.SERVING, Step.FINISHED): Status.DONE,
    (Status.SERVING, Step.LEFT): Status.LEFT,
}

AT_DESK_STATES = frozenset({Status.CALLED, Status.SERVING})


def next_status(ticket: str, status: Status | None, step: Step) -> Status:
    """Where `step` takes a ticket in `status`, or IllegalStep naming all three."""
    try:
        return TRANSITIONS[(status, step)]
    except KeyError:
        allowed = sorted(s.value for (st, s) in TRANSITIONS if st == status)
        where = status.value if status is not None else "not yet issued"
        raise IllegalStep(
            f"ticket {ticket} is {where}: cannot '{step.value}'"
            + (f" (allowed: {', '.join(allowed)})" if allowed else " (it is closed)")
        ) from None
