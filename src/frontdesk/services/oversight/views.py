"""What the supervisor's view is made of: frozen plain values handed to the dashboard.

`CouncilView` is one row per centre, sorted by risk; `CentreView` the detail of one
centre (per service, per desk, today by hour, alerts, accuracy); `Outlook` the words for
the next 30 and 60 minutes and the share projected by close; `Advice` the ranked actions
with the projected effect of each.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum


class Level(Enum):
    """An outlook in words, with a symbol so it never rests on colour alone."""

    ON_TRACK = "on track"
    AT_RISK = "at risk"
    WILL_BREACH = "will breach"
    CLOSED = "closed"

    @property
    def symbol(self) -> str:
        return {"on track": "✓", "at risk": "▲", "will breach": "✗", "closed": "·"}[self.value]

    @property
    def rank(self) -> int:
        """Higher is worse (for sorting centres by risk)."""
        return {"will breach": 3, "at risk": 2, "on track": 1, "closed": 0}[self.value]

    def words(self) -> str:
        return f"{self.symbol} {self.value}"


def level_of_risk(chance_over_threshold: float) -> Level:
    """The words for the chance that a visitor arriving now waits past the threshold."""
    if chance_over_threshold >= 0.5:
        return Level.WILL_BREACH
    if chance_over_threshold >= 0.2:
        return Level.AT_RISK
    return Level.ON_TRACK


@dataclass(frozen=True, slots=True)
class ServiceOutlookView:
    service: str
    projected_share: float | None
    target_share: float
    risk_30: float
    risk_60: float
    first_breach_minutes: float | None
    waiting: int | None = None  # visitors waiting for the service now (None: not said)

    @property
    def quiet(self) -> bool:
        """Nobody waiting for the service: no breach is foreseen yet, whatever the runs
        say of a visitor who may come (a desk could take them, be moved or be opened).
        A queue must build first — the outlook and the alert follow as soon as one
        visitor waits, minutes before they could reach the threshold."""
        return self.waiting == 0

    def _level(self, chance: float) -> Level:
        level = level_of_risk(chance)
        return Level.AT_RISK if self.quiet and level is Level.WILL_BREACH else level

    @property
    def next_30(self) -> Level:
        return self._level(self.risk_30)

    @property
    def next_60(self) -> Level:
        return self._level(self.risk_60)

    @property
    def below_target(self) -> bool:
        return self.projected_share is not None and self.projected_share < self.target_share


@dataclass(frozen=True, slots=True)
class Outlook:
    """A centre's outlook: per service, and the worst of them for the centre."""

    centre: str
    computed_at: datetime | None
    services: tuple[ServiceOutlookView, ...] = ()
    closed: bool = False

    def _worst(self, attr: str) -> Level:
        if self.closed:
            return Level.CLOSED
        levels = [getattr(s, attr) for s in self.services]
        return max(levels, key=lambda lv: lv.rank, default=Level.ON_TRACK)

    @property
    def next_30(self) -> Level:
        return self._worst("next_30")

    @property
    def next_60(self) -> Level:
        return self._worst("next_60")

    @property
    def projected_share(self) -> float | None:
        """The lowest service projection by close."""
        shares = [s.projected_share for s in self.services if s.projected_share is not None]
        return min(shares) if shares else None

    def of(self, service: str) -> ServiceOutlookView | None:
        return next((s for s in self.services if s.service == service), None)


@dataclass(frozen=True, slots=True)
class Action:
    """One advised action and its projected effect (the state run forward with it)."""

    kind: str  # open-desk | move-desk | reorder-desk | comb-quick | kiosk-offer
    title: str  # "Open desk 4 for Council Tax"
    detail: str  # who could, how many are marked, what is assumed
    service: str
    projected_share: float | None  # the service's share by close with the action
    risk_30: float
    effect: str  # "Council Tax by close 71% → 93%; Benefits 97% → 95%"
    applicable: bool  # the dashboard can apply it (else it is advice)
    desk: str | None = None
    desk_services: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Advice:
    centre: str
    service: str
    baseline_share: float | None
    actions: tuple[Action, ...]


@dataclass(frozen=True, slots=True)
class AlertEntry:
    """A breach episode (predicted), for the centre's alert feed and the desks."""

    id: int
    centre: str
    service: str
    service_name: str
    opened_at: datetime
    closed_at: datetime | None
    level: str
    projected_share: float | None
    advice: str

    @property
    def open(self) -> bool:
        return self.closed_at is None


@dataclass(frozen=True, slots=True)
class CentreRow:
    """One centre in the council view."""

    code: str
    name: str
    open_now: bool
    next_opens: datetime | None
    waiting: int
    longest_wait_seconds: int
    threshold_minutes: float
    target_share: float
    share_today: float | None
    share_week: float | None
    average_wait_seconds: float | None
    fcr_today: float | None
    fcr_target: float
    desks_open: int
    desks_paused: int
    desks_closed: int
    device_alerts: tuple[str, ...]
    outlook: Outlook
    open_alerts: int

    @property
    def risk(self) -> tuple[int, int, float, int]:
        """Sort key, worst first: outlook, open alerts, longest wait against threshold."""
        over = self.longest_wait_seconds / max(self.threshold_minutes * 60, 1)
        return (
            -max(self.outlook.next_30.rank, self.outlook.next_60.rank),
            -self.open_alerts,
            -over,
            -self.waiting,
        )


@dataclass(frozen=True, slots=True)
class CouncilView:
    at: datetime
    centres: tuple[CentreRow, ...]


@dataclass(frozen=True, slots=True)
class ServiceRow:
    code: str
    name: str
    waiting: int
    longest_wait_seconds: int
    estimate_seconds: int | None  # what a newcomer would be told now (None: no desk)
    threshold_minutes: float
    target_share: float
    share_today: float | None
    seen_today: int
    quick_waiting: int
    kiosk_offers_alternatives: bool
    outlook: ServiceOutlookView | None


@dataclass(frozen=True, slots=True)
class DeskRow:
    name: str
    status: str  # open | paused | closed
    staff: str | None  # "Alice (AB)"
    since: datetime | None
    reason: str | None
    serving: str | None  # ticket label
    serving_status: str | None  # called | serving
    serving_since: datetime | None
    services: tuple[str, ...]  # today's, in order
    configured: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class HourFigures:
    hour: int  # local hour of day
    arrivals: int
    seen: int
    share_within: float | None
    p90_wait_seconds: float | None


@dataclass(frozen=True, slots=True)
class CentreView:
    code: str
    name: str
    at: datetime
    open_now: bool
    next_opens: datetime | None
    threshold_minutes: float
    target_share: float
    row: CentreRow
    services: tuple[ServiceRow, ...]
    desks: tuple[DeskRow, ...]
    hours: tuple[HourFigures, ...]
    alerts: tuple[AlertEntry, ...]
    accuracy: str  # the estimate accuracy line
    advice: tuple[Advice, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class DeskNotice:
    """What a desk console shows from the supervisor: lines, and its services today (as
    the supervisor may have moved it)."""

    lines: tuple[str, ...]
    services: tuple[str, ...] | None
