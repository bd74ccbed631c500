"""The centre view's tables: per service and per desk."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.widgets import DataTable

from frontdesk.services.oversight import CentreView, DeskRow, ServiceRow
from frontdesk.supervisor.widgets.words import against, level_text, longest, minutes, pct


class ServiceTable(DataTable[object]):
    """Per service; the cursor row is the service the keys act on (q, k)."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", **kwargs)  # type: ignore[arg-type]
        self.contrast = False

    def on_mount(self) -> None:
        self.add_columns(
            "Service", "Waiting", "Longest / limit", "Newcomer told", "Today", "By close",
            "Next 30", "Quick", "Kiosk",
        )  # fmt: skip

    def show(self, view: CentreView) -> None:
        keep = self.cursor_row
        self.clear()
        for s in view.services:
            self.add_row(*self.cells(s), key=s.code)
        if self.row_count:
            self.move_cursor(row=min(keep, self.row_count - 1))

    def cells(self, s: ServiceRow) -> tuple[object, ...]:
        c = self.contrast
        told = "no desk open" if s.estimate_seconds is None else minutes(s.estimate_seconds)
        o = s.outlook
        return (
            Text(s.name, style="bold"),
            str(s.waiting),
            longest(s.longest_wait_seconds, s.threshold_minutes, c),
            told,
            Text.assemble(against(s.share_today, s.target_share, c), f" ({s.seen_today})"),
            against(o.projected_share, s.target_share, c) if o else Text("—"),
            level_text(o.next_30, c) if o else Text("—"),
            str(s.quick_waiting),
            "alternatives first" if s.kiosk_offers_alternatives else "tickets",
        )

    @property
    def chosen(self) -> str | None:
        if not self.row_count:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        return str(key.value)


def _since(then: datetime | None, now: datetime) -> str:
    return "" if then is None else f" {minutes((now - then).total_seconds())}"


class DeskTable(DataTable[object]):
    """Per desk: who, status (serving which ticket for how long, paused why), services."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", **kwargs)  # type: ignore[arg-type]

    def on_mount(self) -> None:
        self.add_columns("Desk", "Who", "Status", "Services today, in order")

    def show(self, view: CentreView) -> None:
        keep = self.cursor_row
        self.clear()
        for d in view.desks:
            self.add_row(*self.cells(d, view.at), key=d.name)
        if self.row_count:
            self.move_cursor(row=min(keep, self.row_count - 1))

    def cells(self, d: DeskRow, now: datetime) -> tuple[object, ...]:
        if d.status == "open" and d.serving:
            status = f"{d.serving_status} {d.serving}{_since(d.serving_since, now)}"
        elif d.status == "open":
            status = "open, free"
        elif d.status == "paused":
            status = f"paused ({d.reason or 'no reason'}){_since(d.since, now)}"
        else:
            status = "closed"
        moved = " (moved)" if d.services != d.configured and d.staff else ""
        return (
            Text(d.name, style="bold"),
            d.staff or "—",
            status,
            " › ".join(d.services) + moved,
        )

    @property
    def chosen(self) -> str | None:
        if not self.row_count:
            return None
        return str(self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value)


def outlook_line(view: CentreView, contrast: bool = False) -> Text:
    o = view.row.outlook
    state = "open" if view.open_now else "closed"
    return Text.assemble(
        Text(view.name, style="bold"),
        f" · {state} · standard {pct(view.target_share)} within {view.threshold_minutes:g} min"
        " · next 30 min ",
        level_text(o.next_30, contrast),
        " · next 60 min ",
        level_text(o.next_60, contrast),
        f" · lowest projection by close {pct(o.projected_share)}",
    )
