"""The one-statement desk steps move a ticket only from statuses the state machine
allows, to where it says."""

from __future__ import annotations

import pytest

from frontdesk.errors import IllegalStep
from frontdesk.queue.states import AT_DESK_STATES, Status, Step, next_status
from frontdesk.services.queue.tickets import legal_moves


@pytest.mark.parametrize("step", list(Step))
def test_legal_moves_agree_with_the_state_machine(step: Step) -> None:
    moves = legal_moves(step)
    for status in AT_DESK_STATES:
        try:
            expected = next_status("T", status, step)
        except IllegalStep:
            assert status not in moves
        else:
            assert moves[status] == expected


def test_start_moves_only_a_called_ticket_and_complete_finishes_it() -> None:
    assert legal_moves(Step.STARTED) == {Status.CALLED: Status.SERVING}
    done = legal_moves(Step.COMPLETED, Step.FINISHED)
    assert done and set(done.values()) == {Status.DONE}
