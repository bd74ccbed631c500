"""The plain values staffing plans are made of: a day's opening slots, its forecast
demand, the desks and their skills, and the standard a plan must keep.

A *slot* is one local clock hour of opening, cut to the opening hours: a centre open
08:30-17:00 has the slots 08:30 (half an hour), 09:00, 10:00 … 16:00. Desks are planned
per slot and desk-hours are desks × the slot's length.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from frontdesk.queue.measures import Standard

# Lognormal spread of handling times when history gives none (the day simulator's).
DEFAULT_HANDLING_SIGMA = 0.55
# Mean patience of an unseen visitor, in minutes, when history has too few walk-outs to
# measure it (the day simulator's assumption).
DEFAULT_PATIENCE_MINUTES = 35.0


@dataclass(frozen=True, slots=True)
class Slot:
    """Part of one local clock hour when the centre is open."""

    start: int  # minutes after local midnight
    end: int

    @property
    def label(self) -> str:
        return f"{self.start // 60:02d}:{self.start % 60:02d}"

    @property
    def hour(self) -> int:
        return self.start // 60

    @property
    def hours(self) -> float:
        return (self.end - self.start) / 60


def opening_slots(ranges: Sequence[tuple[time, time]]) -> tuple[Slot, ...]:
    """Cut opening ranges (08:30-12:30, 13:30-17:00) into slots at each clock hour."""
    slots: list[Slot] = []
    for opens, closes in ranges:
        start = opens.hour * 60 + opens.minute
        end = closes.hour * 60 + closes.minute
        while start < end:
            cut = min(end, (start // 60 + 1) * 60)
            slots.append(Slot(start, cut))
            start = cut
    return tuple(sorted(slots, key=lambda s: s.start))


@dataclass(frozen=True, slots=True)
class HandlingTime:
    """A service's handling time (call to finish): its mean and lognormal spread."""

    mean_seconds: float
    sigma: float = DEFAULT_HANDLING_SIGMA
    samples: int = 0  # how many finished tickets it was measured from (0: configured)


@dataclass(frozen=True, slots=True)
class DeskSkills:
    """A desk and the services it serves, in its order (main skill first)."""

    name: str
    services: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PlanningCentre:
    """What the planner knows of a centre: its desks, standard and visitors' habits."""

    code: str
    desks: tuple[DeskSkills, ...]  # in the centres file's order
    standard: Standard
    handling: Mapping[str, HandlingTime]
    patience_seconds: float | None = DEFAULT_PATIENCE_MINUTES * 60  # None: nobody leaves

    @property
    def services(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for desk in self.desks:
            for code in desk.services:
                seen.setdefault(code, None)
        return tuple(seen)


@dataclass(frozen=True, slots=True)
class DayDemand:
    """One opening day's forecast: expected arrivals per slot and service."""

    day: date
    slots: tuple[Slot, ...]
    arrivals: tuple[Mapping[str, float], ...]  # one mapping per slot
    source: str = "configuration"  # "history" or "configuration"

    def total(self, k: int) -> float:
        return sum(self.arrivals[k].values())

    def mean_handling(self, k: int, handling: Mapping[str, HandlingTime]) -> float:
        """The slot's mean handling time, weighted by its service mix."""
        mix = self.arrivals[k]
        total = sum(mix.values())
        if total <= 0:
            return sum(h.mean_seconds for h in handling.values()) / max(len(handling), 1)
        return sum(n * handling[s].mean_seconds for s, n in mix.items()) / total


@dataclass(frozen=True, slots=True)
class HourPlan:
    """One slot of a plan, with the Erlang C figure beside the simulated one."""

    slot: Slot
    desks: int
    open_desks: tuple[str, ...]
    erlang_desks: int
    forecast_arrivals: float
    forecast_handling_seconds: float
    projected_share: float | None
    projected_average_wait_seconds: float | None
    erlang_projected_share: float | None
    meets_standard: bool


@dataclass(frozen=True, slots=True)
class DayPlan:
    day: date
    hours: tuple[HourPlan, ...]
    source: str  # where the forecast came from: "history" or "configuration"
    replications: int = 0

    @property
    def desk_hours(self) -> float:
        return sum(h.desks * h.slot.hours for h in self.hours)

    @property
    def erlang_desk_hours(self) -> float:
        return sum(h.erlang_desks * h.slot.hours for h in self.hours)


@dataclass(frozen=True, slots=True)
class WeekPlan:
    centre: str
    week: str  # ISO week, 2026-W50
    standard: Standard
    days: tuple[DayPlan, ...]
    replications: int
    what_if: bool = False
    notes: tuple[str, ...] = field(default=())
    opening_order: tuple[str, ...] = field(default=())

    @property
    def desk_hours(self) -> float:
        return sum(d.desk_hours for d in self.days)

    @property
    def erlang_desk_hours(self) -> float:
        return sum(d.erlang_desk_hours for d in self.days)

    def as_json(self) -> dict[str, Any]:
        """The `frontdesk staffing --json` object (DESIGN §4), plus extra keys."""
        return {
            "centre": self.centre,
            "week": self.week,
            "standard": {
                "threshold_minutes": self.standard.threshold_minutes,
                "target_share": self.standard.target_share,
                "average_wait_minutes": self.standard.average_wait_minutes,
            },
            "desk_hours": round(self.desk_hours, 2),
            "erlang_desk_hours": round(self.erlang_desk_hours, 2),
            "what_if": self.what_if,
            "replications": self.replications,
            "opening_order": list(self.opening_order),
            "notes": list(self.notes),
            "days": [
                {
                    "date": d.day.isoformat(),
                    "forecast_source": d.source,
                    "desk_hours": round(d.desk_hours, 2),
                    "erlang_desk_hours": round(d.erlang_desk_hours, 2),
                    "hours": [
                        {
                            "hour": h.slot.label,
                            "minutes": h.slot.end - h.slot.start,
                            "desks": h.desks,
                            "erlang_desks": h.erlang_desks,
                            "forecast_arrivals": round(h.forecast_arrivals, 2),
                            "forecast_handling_seconds": round(h.forecast_handling_seconds),
                            "projected_share_within_standard": _round(h.projected_share),
                            "projected_average_wait_seconds": _round(
                                h.projected_average_wait_seconds, 1
                            ),
                            "erlang_projected_share_within_standard": _round(
                                h.erlang_projected_share
                            ),
                            "meets_standard": h.meets_standard,
                            "open_desks": list(h.open_desks),
                        }
                        for h in d.hours
                    ],
                }
                for d in self.days
            ],
        }


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)
