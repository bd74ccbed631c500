"""What the visitor and website services hand back: frozen plain values with no personal
data — ticket numbers, service and desk names, places and waits."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

# The visit is over for these: the phone page stops following and may ask its question.
ENDED = frozenset({"done", "left", "cancelled", "no_show"})
# Which ended visits are asked "how was your visit?" (a no-show may still come back).
RATED = frozenset({"done", "left", "cancelled"})


@dataclass(frozen=True, slots=True)
class WaitFigure:
    """An estimated wait in seconds, with its interval when the estimate has one."""

    seconds: int | None
    low_seconds: int | None = None
    high_seconds: int | None = None


@dataclass(frozen=True, slots=True)
class FollowedTicket:
    """A ticket as its holder's phone shows it (the id stays on the server)."""

    id: int
    token: str
    ticket: str
    centre: str
    service: str
    status: str  # waiting | called | serving | done | left | cancelled | no_show
    issued_at: datetime
    ahead: int | None = None  # people called before them, while waiting
    wait: WaitFigure | None = None  # while waiting
    desk: str | None = None  # while called or serving
    survey: str = "not_yet"  # not_yet | open | given | closed

    @property
    def ended(self) -> bool:
        return self.status in ENDED


@dataclass(frozen=True, slots=True)
class ServiceWait:
    service: str
    waiting: int
    desks_open: int
    wait: WaitFigure


@dataclass(frozen=True, slots=True)
class CentreWaits:
    """A centre as the council's website shows it."""

    centre: str
    name: str
    address: str
    open_now: bool
    next_opens: datetime | None  # local time
    hours_today: str
    threshold_minutes: float
    target_share: float
    services: tuple[ServiceWait, ...]


@dataclass(frozen=True, slots=True)
class LiveState:
    """Every open ticket (by token), and the followed ones that ended, read at one moment."""

    at: datetime
    tickets: dict[str, FollowedTicket] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Satisfaction:
    """Visitors' answers to "how was your visit?" (1-5) for a centre and period."""

    centre: str
    date_from: date
    date_to: date
    visits: int  # visits that ended in the period (the denominator of the response rate)
    responses: int
    response_rate: float | None
    average_rating: float | None
    satisfied_share: float | None  # rated 4 or 5
    ratings: dict[int, int]  # 1..5 → how many
    comments: tuple[str, ...]  # newest first

    def as_json(self) -> dict[str, object]:
        return {
            "centre": self.centre,
            "from": self.date_from.isoformat(),
            "to": self.date_to.isoformat(),
            "visits": self.visits,
            "responses": self.responses,
            "response_rate": self.response_rate,
            "average_rating": self.average_rating,
            "satisfied_share": self.satisfied_share,
            "ratings": {str(k): v for k, v in sorted(self.ratings.items())},
            "comments": list(self.comments),
        }
