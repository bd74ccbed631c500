"""What the queue's actions share about a ticket: the event row of a step, the result a
desk sees, which steps at a desk are legal from where, and the refusals worded once (the
desk still holds a customer, the desk has none, someone else changed the ticket)."""

from __future__ import annotations

from functools import cache
from typing import Any

from frontdesk.errors import DeskBusy, IllegalStep, InvalidInput
from frontdesk.queue.states import AT_DESK_STATES, Status, Step, next_status
from frontdesk.services.results import TicketAtDesk
from frontdesk.store.catalogue import DeskRef


def event(
    ticket_id: int,
    centre_id: int,
    step: Step,
    at: Any,
    service_id: int,
    desk_id: int | None = None,
    staff: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """The event log's row for one step of a ticket."""
    return {
        "ticket_id": ticket_id,
        "centre_id": centre_id,
        "step": step.value,
        "at": at,
        "service_id": service_id,
        "desk_id": desk_id,
        "staff": staff,
        "topic_id": extra.get("topic_id"),
        "resolved": extra.get("resolved"),
        "handoff": extra.get("handoff"),
        "avoidable": extra.get("avoidable"),
        "feedback": extra.get("feedback"),
        "text": extra.get("text"),
        "seen_before": extra.get("seen_before"),
    }


def needs_of(text: str | None) -> tuple[str, ...]:
    """A ticket's needs, stored comma-separated."""
    return tuple(x for x in (text or "").split(",") if x)


def join_notes(old: str | None, new: str | None) -> str | None:
    """A transfer's note added under the notes the visit already carries."""
    if not new:
        return old
    return f"{old}\n{new}" if old else new


def at_desk(row: Any, code: str, desk: str, status: Status, now: Any) -> TicketAtDesk:
    """The customer a desk holds, as the desk sees them."""
    return TicketAtDesk(
        id=row.id,
        ticket=row.label,
        service=code,
        desk=desk,
        status=status.value,
        waited_seconds=max(0, int((now - row.queued_at).total_seconds())),
        priority=row.priority,
        needs=needs_of(row.needs),
        note=row.note,
        transfers=row.transfers,
    )


def refuse_if_holding(counter: DeskRef, label: str, status: str) -> None:
    """A desk must finish with its customer before it calls another."""
    if Status(status) in AT_DESK_STATES:
        raise DeskBusy(
            f"desk {counter.name} still holds ticket {label} ({status}): "
            "complete it, mark a no-show or transfer it first"
        )


def held_or_refuse(row: Any, counter: DeskRef) -> Any:
    """The ticket a desk holds, or a refusal when it holds nobody."""
    if row is None or Status(row.status) not in AT_DESK_STATES:
        raise InvalidInput(f"desk {counter.name} has no customer: call one first")
    return row


def changed(label: str) -> IllegalStep:
    """A conditional update found the ticket no longer in the state just read: another
    desk or kiosk acted on it at the same moment. Raising rolls the action back."""
    return IllegalStep(f"ticket {label} was changed by someone else just now: look again")


def step_values(step: Step, new: Status, now: Any) -> tuple[dict[str, Any], bool]:
    """What a step at a desk sets on the ticket, and whether it leaves the desk."""
    values: dict[str, Any] = {"status": new.value}
    if step is Step.RECALLED:
        values["called_at"] = now
    leaves = new not in AT_DESK_STATES
    if leaves:
        values["desk_id"] = None
    return values, leaves


@cache
def legal_moves(*steps: Step) -> dict[Status, Status]:
    """From which statuses at a desk all of `steps` may be taken, and where the last
    leaves the ticket."""
    moves: dict[Status, Status] = {}
    for status in AT_DESK_STATES:
        try:
            for step in steps:
                new = next_status("", status, step)
        except IllegalStep:
            continue
        moves[status] = new
    return moves
