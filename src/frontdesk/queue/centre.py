"""A centre's live state as the wait predictor and the projection see it: plain values.

Times are seconds from the state's moment `at`. The services build it from the store
(`frontdesk.services.waits.CentreReader`); tests and the staffing plan build it by hand.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from frontdesk.queue.handling import HandlingModel, prior_model

# A service nobody configured gets this typical time (six minutes).
DEFAULT_HANDLING_SECONDS = 360.0
OPEN, PAUSED, CLOSED = "open", "paused", "closed"


@dataclass(frozen=True, slots=True)
class Activity:
    """The customer a desk holds now: their service and seconds since the call."""

    service: str
    elapsed_seconds: float


@dataclass(frozen=True, slots=True)
class DeskState:
    """A desk as the predictor sees it.

    `services` are the desk's services today in its order. A paused or closed desk takes
    no part, unless `returns_in_seconds` says when it will be serving again."""

    name: str
    services: tuple[str, ...]
    status: str = OPEN
    busy: Activity | None = None
    returns_in_seconds: float | None = None

    def __post_init__(self) -> None:
        if self.status not in (OPEN, PAUSED, CLOSED):
            raise ValueError(f"desk {self.name}: status is open, paused or closed")

    @property
    def takes_part(self) -> bool:
        return self.status == OPEN or self.returns_in_seconds is not None

    @property
    def starts_in(self) -> float:
        return 0.0 if self.status == OPEN else max(0.0, self.returns_in_seconds or 0.0)


@dataclass(frozen=True, slots=True)
class WaitingTicket:
    """A waiting ticket. `desk`: sent to a desk by name (a transfer, or a checked-in
    appointment at the specialist's desk); `due_in_seconds`: a checked-in appointment's
    booked time from now (it is called then, ahead of walk-ins)."""

    id: int
    service: str
    waited_seconds: float = 0.0
    priority: bool = False
    desk: str | None = None
    due_in_seconds: float | None = None


@dataclass(frozen=True, slots=True)
class AppointmentDue:
    """A booked appointment not checked in yet, at a specialist's desk."""

    desk: str
    service: str
    due_in_seconds: float
    duration_seconds: float


@dataclass(frozen=True, slots=True)
class CentreState:
    """Everything the predictor knows about a centre at `at` (times are seconds from it).

    `arrivals_per_hour`: walk-ins per service expected now (recent rate or forecast);
    `walkout_per_second`: the hazard of a waiting visitor leaving unseen;
    `walkout_share`: the share of waiting tickets that end unseen (for other queues);
    `priority_share`: the share of walk-ins given priority;
    `appointment_no_show_share`: booked appointments nobody checks in for."""

    at: datetime
    desks: tuple[DeskState, ...]
    waiting: tuple[WaitingTicket, ...] = ()
    handling: Mapping[str, HandlingModel] = field(default_factory=dict)
    appointments: tuple[AppointmentDue, ...] = ()
    arrivals_per_hour: Mapping[str, float] = field(default_factory=dict)
    walkout_per_second: float = 0.0
    walkout_share: float = 0.0
    priority_share: float = 0.0
    appointment_no_show_share: float = 0.0

    def model(self, service: str) -> HandlingModel:
        found = self.handling.get(service)
        return found if found is not None else prior_model(service, DEFAULT_HANDLING_SECONDS)

    def serving(self, service: str) -> tuple[DeskState, ...]:
        """Open desks that serve `service` now."""
        return tuple(d for d in self.desks if d.status == OPEN and service in d.services)

    def ahead_of_newcomer(self, service: str, priority: bool = False) -> int:
        """People a newcomer would have ahead in the service's queue now."""
        return sum(1 for t in self.waiting if _ahead(t, service, priority))


def _ahead(t: WaitingTicket, service: str, priority: bool) -> bool:
    return t.service == service and t.desk is None and (t.priority or not priority)
