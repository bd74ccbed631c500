"""Every centre against its standard, the riskiest first; Enter opens a centre."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static

from frontdesk.services.oversight import CouncilView
from frontdesk.supervisor.screens.base import LiveScreen
from frontdesk.supervisor.widgets.council_table import CouncilTable


class CouncilScreen(LiveScreen):
    BINDINGS = [
        Binding("o", "open_centre", "Open centre (or Enter)"),
        Binding("r", "app.reports", "Reports"),
        Binding("s", "app.staffing", "Staffing"),
        Binding("c", "app.contrast", "High contrast"),
        Binding("ctrl+q", "app.quit", "Quit"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="council-title")
        yield CouncilTable(id="council")
        yield Static(
            "✓ on track · ▲ at risk · ✗ will breach — the chance a visitor arriving in the "
            "next 30/60 minutes waits past the limit. ▼ below target.",
            id="legend",
        )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(CouncilTable).contrast = getattr(self.app, "high_contrast", False)
        super().on_mount()

    def read(self) -> CouncilView:
        return self.services.oversight.council()

    def show(self, view: CouncilView) -> None:
        table = self.query_one(CouncilTable)
        table.contrast = getattr(self.app, "high_contrast", False)
        table.show(view)
        at_risk = sum(1 for c in view.centres if c.outlook.next_30.rank >= 2)
        self.query_one("#council-title", Static).update(
            f"[b]All centres[/b] · {len(view.centres)} centres · "
            f"{at_risk} at risk in the next 30 minutes"
        )

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.app.open_centre(str(event.row_key.value))  # type: ignore[attr-defined]

    def action_open_centre(self) -> None:
        table = self.query_one(CouncilTable)
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
            self.app.open_centre(str(key.value))  # type: ignore[attr-defined]
