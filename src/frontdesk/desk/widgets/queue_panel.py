"""The desk console's live queue panel: waiting per service against the standard, who
this desk could call next, checked-in appointments and device alerts."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from rich.console import Group, RenderableType
from rich.text import Text
from textual.widgets import Static

from frontdesk.desk.queue_view import DeskQueueView

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


@dataclass(frozen=True, slots=True)
class _Shown:
    """What the panel draws for a view, as plain values: two reads that draw the same
    (waiting times move on every read, but are shown to the minute) cost no redraw."""

    lines: tuple[tuple[str, str, str, str], ...]  # service, waiting, longest, its style
    others: int
    next_up: tuple[tuple[str, str, str, str], ...]  # ticket, waited, its style, flags
    more: int
    due: tuple[str, ...]
    alerts: tuple[str, ...]

    def shape(self) -> tuple[int, ...]:
        """What decides the panel's height (text rows are cut to the width)."""
        return (
            len(self.lines),
            bool(self.others),
            len(self.next_up),
            bool(self.more),
            len(self.due),
            *(len(a) for a in self.alerts),
        )


def shown(view: DeskQueueView, zone: ZoneInfo) -> _Shown:
    thresholds = {line.service: line.threshold_minutes for line in view.lines}
    next_up = []
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
        waited = entry.waiting_seconds
        style = wait_style(waited, thresholds.get(entry.service, 10))
        next_up.append((entry.ticket, minutes(waited), style, " ".join(flags)))
    return _Shown(
        lines=tuple(
            (
                line.service,
                str(line.waiting),
                minutes(line.longest_seconds) if line.waiting else "–",
                wait_style(line.longest_seconds, line.threshold_minutes),
            )
            for line in view.lines
        ),
        others=view.others_waiting,
        next_up=tuple(next_up),
        more=max(0, len(view.next_up) - NEXT_SHOWN),
        due=tuple(
            f"{due.ticket:<5} {due.service:<5} due {due.due_at.astimezone(zone).strftime('%H:%M')}"
            for due in view.due
        ),
        alerts=view.alerts,
    )


class QueuePanel(Static):
    """Shows `view`; the console sets it after every change in the store."""

    DEFAULT_CSS = """
    QueuePanel { height: auto; padding: 0 1; }
    """

    def __init__(self, timezone: str = "Europe/London", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.zone = ZoneInfo(timezone)
        self._view: DeskQueueView | None = None
        self._shown: _Shown | None = None

    @property
    def view(self) -> DeskQueueView | None:
        return self._view

    @view.setter
    def view(self, view: DeskQueueView | None) -> None:
        self._view = view
        now = shown(view, self.zone) if view is not None else None
        if now == self._shown:
            return
        # A repaint of this panel alone, unless its height changes: laying out the
        # whole console again on every change elsewhere costs every console CPU.
        relayout = now is None or self._shown is None or now.shape() != self._shown.shape()
        self._shown = now
        self.refresh(layout=relayout)

    def render(self) -> RenderableType:
        view = self._shown
        if view is None:
            return Text("Reading the queue…", style="dim")
        parts: list[RenderableType] = []
        width = self.size.width or 40
        parts.append(Text("Service   waiting · longest", style="bold"))
        # Three columns laid out by hand (as a rich grid would: the service takes what the
        # two right-aligned counts leave), a fraction of the cost of measuring a Table on
        # every repaint.
        counts = max((len(w) for _, w, _, _ in view.lines), default=0)
        longest_width = max((len(lg) for _, _, lg, _ in view.lines), default=0)
        name_width = max(1, width - counts - longest_width - 2)
        for service, waiting, longest, style in view.lines:
            row = Text.assemble(
                f"{service:<{name_width}} {waiting:>{counts}} ",
                (f"{longest:>{longest_width}}", style),
            )
            row.truncate(width, overflow="ellipsis")
            parts.append(row)
        if view.others:
            parts.append(Text(f"+{view.others} waiting for other services", style="dim"))
        parts.append(Text("\nNext for this desk", style="bold"))
        if not view.next_up:
            parts.append(Text("nobody waiting", style="dim"))
        for ticket, waited, style, flags in view.next_up:
            row = Text.assemble(
                (f"{ticket:<5}", "bold"), " ", (f"{waited:>5}", style), " ", (flags, "italic")
            )
            row.truncate(self.size.width or 40, overflow="ellipsis")
            parts.append(row)
        if view.more:
            parts.append(Text(f"… and {view.more} more", style="dim"))
        if view.due:
            parts.append(Text("\nAppointments checked in", style="bold"))
            parts.extend(Text(line) for line in view.due)
        if view.alerts:
            parts.append(Text("\nDevice alerts", style="bold red"))
            parts.extend(Text(alert, style="red") for alert in view.alerts)
        return Group(*parts)
