"""What the supervisor's council and centre views look like, normal and high contrast
(SVG snapshots). Update after an intended change with
`pytest tests/ui/test_supervisor_snapshots.py --snapshot-update` and look at the report."""

from __future__ import annotations

from typing import Any

import pytest

from frontdesk.clock import VirtualClock
from frontdesk.services.wiring import Services
from frontdesk.supervisor.app import SupervisorApp
from frontdesk.supervisor.screens.centre import CentreScreen
from frontdesk.supervisor.screens.council import CouncilScreen
from tests.support.supervisor import add_staff, log_in, open_desk, until


def _morning(council: Services, clock: VirtualClock) -> None:
    """Half an hour into a busy morning at the Civic Centre: three desks, a queue."""
    add_staff(council)
    for desk, code in (("1", "AB"), ("2", "BO"), ("3", "SU")):
        open_desk(council, desk, code)
    council.desks.set_status("CIVIC", "3", "paused", "SU", "phone")
    for n in range(9):
        council.queue.issue("CIVIC", "CTAX" if n % 3 else "HBEN", topic=None)
        clock.advance(150)
    council.queue.call_next("CIVIC", "1")
    council.queue.start("CIVIC", "1")
    clock.advance(240)


@pytest.mark.parametrize("contrast", [False, True])
@pytest.mark.parametrize("view", ["council", "centre"])
def test_view(
    snap_compare: Any, council: Services, clock: VirtualClock, view: str, contrast: bool
) -> None:
    _morning(council, clock)
    app = SupervisorApp(council, "CIVIC" if view == "centre" else None, high_contrast=contrast)
    kind = CentreScreen if view == "centre" else CouncilScreen

    async def run_before(pilot: Any) -> None:
        await log_in(pilot)
        await until(pilot, lambda: isinstance(app.screen, kind) and app.screen.view is not None)
        await pilot.pause(0.3)

    assert snap_compare(app, terminal_size=(150, 48), run_before=run_before)
