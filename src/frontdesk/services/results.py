"""What services hand back to the apps and the CLI: frozen plain values, never ORM rows."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime

from frontdesk.queue.measures import StandardFigures

FEEDBACK_KINDS = ("complaint", "compliment", "comment")
NEEDS = ("private-room", "interpreter", "bsl", "hearing-loop", "step-free")


@dataclass(frozen=True, slots=True)
class IssuedTicket:
    id: int
    ticket: str
    centre: str
    service: str
    issued_at: datetime
    estimated_wait_seconds: int | None  # None: no open desk served the service
    token: str
    priority: str | None = None
    needs: tuple[str, ...] = ()
    estimated_wait_low_seconds: int | None = None  # the estimate's 80% interval
    estimated_wait_high_seconds: int | None = None


@dataclass(frozen=True, slots=True)
class WaitEstimate:
    """The wait a newcomer would have: the median of the predictor's runs and its 80%
    interval, or None for all three when no open desk serves the service (then
    `desks_serving` is 0 and nothing is promised)."""

    centre: str
    service: str
    ahead: int
    estimated_wait_seconds: int | None
    threshold_minutes: float
    over_standard: bool
    estimated_wait_low_seconds: int | None = None
    estimated_wait_high_seconds: int | None = None
    desks_serving: int = 0


@dataclass(frozen=True, slots=True)
class TicketAtDesk:
    """The customer a desk holds: called or being served."""

    id: int
    ticket: str
    service: str
    desk: str
    status: str
    waited_seconds: int
    priority: str | None = None
    needs: tuple[str, ...] = ()
    note: str | None = None
    transfers: int = 0


@dataclass(frozen=True, slots=True)
class Query:
    """One query's outcome, as the adviser records it."""

    resolved: bool
    topic: str | None = None
    handoff: str | None = None  # back-office team, follow-up booked … when not resolved
    avoidable: str | None = None
    feedback: str | None = None  # complaint | compliment | comment
    feedback_text: str | None = None
    seen_before: bool = False  # the adviser's mark: seen before about this (repeats)


@dataclass(frozen=True, slots=True)
class Completed:
    id: int
    ticket: str
    desk: str
    queries_completed: int


@dataclass(frozen=True, slots=True)
class Transferred:
    id: int
    ticket: str
    from_desk: str
    to_service: str
    to_desk: str | None
    note: str | None


@dataclass(frozen=True, slots=True)
class Closed:
    """A ticket that ended unseen (cancelled, left) or was marked a no-show."""

    id: int
    ticket: str
    status: str


@dataclass(frozen=True, slots=True)
class WaitingEntry:
    id: int
    ticket: str
    service: str
    waiting_seconds: int
    priority: str | None = None
    needs: tuple[str, ...] = ()
    transferred: bool = False


@dataclass(frozen=True, slots=True)
class ServingEntry:
    id: int
    ticket: str
    desk: str
    service: str
    status: str


@dataclass(frozen=True, slots=True)
class QueueSnapshot:
    centre: str
    at: datetime
    waiting: tuple[WaitingEntry, ...]
    serving: tuple[ServingEntry, ...]


@dataclass(frozen=True, slots=True)
class StandardReport:
    """The waiting standard for a centre and period: the standard in force and the
    figures measured against it (`StandardFigures`, DESIGN §3)."""

    centre: str
    date_from: date
    date_to: date
    threshold_minutes: float
    target_share: float
    figures: StandardFigures
    fcr_target: float = 0.8
    average_wait_minutes: float | None = None
    by_service: dict[str, dict[str, float | int | None]] = field(default_factory=dict)
    # Visitors' answers to "how was your visit?" for the period (services.reports.ratings).
    satisfaction: dict[str, int | float | None] = field(
        default_factory=lambda: {
            "visits_rated": 0,
            "average_rating": None,
            "satisfied_share": None,
        }
    )

    def as_json(self) -> dict[str, object]:
        """The stable JSON shape of DESIGN §4, and the visitors' ratings beside it
        (`visits_rated`, `average_rating`, `satisfied_share`: additions)."""
        return {
            "centre": self.centre,
            "from": self.date_from.isoformat(),
            "to": self.date_to.isoformat(),
            "threshold_minutes": self.threshold_minutes,
            "target_share": self.target_share,
            **asdict(self.figures),
            **self.satisfaction,
        }
