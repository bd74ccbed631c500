"""Time advisers spent at desks, open or paused (by reason), from the desks' log of
opening, pausing and closing. Pure.

A desk left open (a console that crashed, a laptop closed) counts until the end of the
local day it was opened on at the latest, never overnight.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class DeskChange:
    at: datetime
    desk: str  # centre code and desk name, e.g. "CIVIC/1"
    status: str  # open | paused | closed
    staff: str | None
    reason: str | None = None


@dataclass(slots=True)
class DeskTime:
    open_seconds: float = 0.0  # logged in: open or paused
    paused_seconds: dict[str, float] = field(default_factory=dict)

    @property
    def paused_total(self) -> float:
        return sum(self.paused_seconds.values())


def parse_change(at: datetime, action: str, staff: str | None, detail: str) -> DeskChange | None:
    """A desk change from an audit entry (`desk.paused`, "CIVIC/1: break"), or None."""
    if not action.startswith("desk."):
        return None
    status = action.removeprefix("desk.")
    if status not in ("open", "paused", "closed"):
        return None
    desk, _, reason = detail.partition(": ")
    return DeskChange(at, desk, status, staff, reason.strip() or None)


def desk_time(
    changes: Iterable[DeskChange],
    start: datetime,
    end: datetime,
    day_end: Callable[[str, datetime], datetime],
) -> dict[str, DeskTime]:
    """Staff code → time at desks within [start, end). `changes` in time order;
    `day_end(desk, at)` is the end of the local day holding `at` at that desk's centre
    (and no later than now)."""
    out: dict[str, DeskTime] = {}
    current: dict[str, DeskChange] = {}

    def close(was: DeskChange, until: datetime) -> None:
        if was.status == "closed" or was.staff is None:
            return
        lo = max(was.at, start)
        hi = min(until, day_end(was.desk, was.at), end)
        if hi <= lo:
            return
        seconds = (hi - lo).total_seconds()
        t = out.setdefault(was.staff, DeskTime())
        t.open_seconds += seconds
        if was.status == "paused":
            why = was.reason or "not given"
            t.paused_seconds[why] = t.paused_seconds.get(why, 0.0) + seconds

    for change in changes:
        was = current.get(change.desk)
        if was is not None:
            close(was, change.at)
        current[change.desk] = change
    for was in current.values():
        close(was, end)
    return out
