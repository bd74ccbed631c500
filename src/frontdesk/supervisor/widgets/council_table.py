"""The council view: one row per centre, the riskiest first."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from frontdesk.services.oversight import CentreRow, CouncilView
from frontdesk.supervisor.widgets.words import against, level_text, longest, minutes, pct

COLUMNS = (
    "Next 30 min",
    "Next 60 min",
    "Centre",
    "Open",
    "Waiting",
    "Longest/limit",
    "Today",
    "Week",
    "Avg wait",
    "FCR",
    "Desks o/p/c",
    "Devices",
    "Alerts",
)


class CouncilTable(DataTable[object]):
    """Enter on a row opens that centre (DataTable.RowSelected carries its code)."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)  # type: ignore[arg-type]
        self.contrast = False

    def on_mount(self) -> None:
        self.add_columns(*COLUMNS)

    def show(self, view: CouncilView) -> None:
        keep = self.cursor_row
        self.clear()
        for row in view.centres:
            self.add_row(*self.cells(row), key=row.code)
        if self.row_count:
            self.move_cursor(row=min(keep, self.row_count - 1))

    def cells(self, r: CentreRow) -> tuple[object, ...]:
        c = self.contrast
        if r.open_now:
            opened: object = "open"
        elif r.next_opens is not None:
            opened = Text(f"opens {r.next_opens.strftime('%a %H:%M')}")
        else:
            opened = "closed"
        devices = "; ".join(r.device_alerts)
        return (
            level_text(r.outlook.next_30, c),
            level_text(r.outlook.next_60, c),
            Text(r.name, style="bold"),
            opened,
            str(r.waiting),
            longest(r.longest_wait_seconds, r.threshold_minutes, c),
            against(r.share_today, r.target_share, c),
            against(r.share_week, r.target_share, c),
            minutes(r.average_wait_seconds),
            Text.assemble(against(r.fcr_today, r.fcr_target, c), f" / {pct(r.fcr_target)}"),
            f"{r.desks_open}/{r.desks_paused}/{r.desks_closed}",
            Text(devices or "—", style="bold" if devices else ""),
            Text(f"{r.open_alerts} breach ahead" if r.open_alerts else "—"),
        )
