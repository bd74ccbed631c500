"""The supervisor's line in the desk console keeps to three rows at 80×24, however many
and however long the alerts and notices: the outcome form below keeps its room."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult

from frontdesk.desk.widgets.supervisor_line import SupervisorLine
from frontdesk.services.oversight import DeskNotice

LONG = (
    "▲ Breach ahead: Council Tax (projected 71%) — open desk 4 for Council Tax now, and "
    "ask desk 2 to take Council Tax before General enquiries until 11:30"
)


class _Host(App[None]):
    def compose(self) -> ComposeResult:
        yield SupervisorLine(services=None, centre="CIVIC", desk="1")  # type: ignore[arg-type]


async def test_long_and_many_lines_keep_to_three_rows() -> None:
    app = _Host()
    async with app.run_test(size=(80, 24)) as pilot:
        line = app.query_one(SupervisorLine)
        notice = DeskNotice(
            lines=(LONG, "Supervisor: comb the quick queries", "Supervisor: a", "Supervisor: b"),
            services=None,
        )
        line.show(notice)
        await pilot.pause()
        await pilot.pause()
        assert line.region.height == 3
        shown = str(line.render()).splitlines()
        assert shown[0].startswith("▲ Breach ahead: Council Tax")
        assert shown[2] == "… and 2 more from the supervisor"
        tip: Any = line.tooltip
        assert "Supervisor: b" in str(tip)  # the whole text on hover
        # Quiet again: the line takes no room at all.
        line.show(DeskNotice(lines=(), services=None))
        await pilot.pause()
        await pilot.pause()
        assert line.region.height == 0
