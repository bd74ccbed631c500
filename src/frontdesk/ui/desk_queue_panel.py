"""The desk console's live queue panel: waiting per service against the standard, who
this desk could call next, checked-in appointments and device alerts."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from frontdesk.ui.desk_queue_view import DeskQueueView

NEXT_SHOWN = 8


def minutes(seconds: int) -> str:
    """Waiting time as people say it: 45s, 7m, 1h05."""
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}"


def wait_style(seconds: int, threshold_minutes: float) -> str:
    """Red past the standard's threshold, amber in its last quarter."""
    limit = threshold_minutes * 60
    if seconds > limit:
        return "bold red"
    if seconds > 0.75 * limit:
        return "bold yellow"
    return ""


class QueuePanel(Static):
    """Shows `view`; the console sets it after every change in the store."""

    DEFAULT_CSS = """
    QueuePanel { height: auto; padding: 0 1; }
    """

    view: reactive[DeskQueueView | None] = reactive(None, layout=True)

    def __init__(self, timezone: str = "Europe/London", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.zone = ZoneInfo(timezone)

    def render(self) -> RenderableType:
        view = self.view
        if view is None:
            return Text("Reading the queue…", style="dim")
        parts: list[RenderableType] = []
        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column("Service", ratio=1)
        table.add_column("Waiting", justify="right")
        table.add_column("Longest", justify="right")
        for line in view.lines:
            table.add_row(
                line.service,
                str(line.waiting),
                Text(
                    minutes(line.longest_seconds) if line.waiting else "–",
                    style=wait_style(line.longest_seconds, line.threshold_minutes),
                ),
            )
        parts.append(Text("Service   waiting · longest", style="bold"))
        parts.append(table)
        if view.others_waiting:
            parts.append(Text(f"+{view.others_waiting} waiting for other services", style="dim"))
        parts.append(Text("\nNext for this desk", style="bold"))
        if not view.next_up:
            parts.append(Text("nobody waiting", style="dim"))
        thresholds = {line.service: line.threshold_minutes for line in view.lines}
        for entry in view.next_up[:NEXT_SHOWN]:
            detail = view.details.get(entry.id)
            flags = []
            if entry.priority:
                flags.append("priority")
            if entry.needs:
                flags.append("needs")
            if entry.transferred:
                flags.append("transfer")
            if detail is not None and detail.quick:
                flags.append("quick")
            row = Text.assemble(
                (f"{entry.ticket:<5}", "bold"),
                " ",
                (
                    f"{minutes(entry.waiting_seconds):>5}",
                    wait_style(entry.waiting_seconds, thresholds.get(entry.service, 10)),
                ),
                " ",
                (" ".join(flags), "italic"),
            )
            row.truncate(self.size.width or 40, overflow="ellipsis")
            parts.append(row)
        if len(view.next_up) > NEXT_SHOWN:
            parts.append(Text(f"… and {len(view.next_up) - NEXT_SHOWN} more", style="dim"))
        if view.due:
            parts.append(Text("\nAppointments checked in", style="bold"))
            for due in view.due:
                at = due.due_at.astimezone(self.zone).strftime("%H:%M")
                parts.append(Text(f"{due.ticket:<5} {due.service:<5} due {at}"))
        if view.alerts:
            parts.append(Text("\nDevice alerts", style="bold red"))
            parts.extend(Text(alert, style="red") for alert in view.alerts)
        return Group(*parts)
