"""The kiosk's idle timer: plain arithmetic, driven by whoever owns the clock.

The app ticks it once a second; tests call `elapse` directly so they never sleep.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class IdleState(Enum):
    ACTIVE = "active"
    WARNING = "warning"  # the last `warn_seconds`: show a countdown
    EXPIRED = "expired"


@dataclass
class IdleTimer:
    limit_seconds: float = 45.0
    warn_seconds: float = 10.0
    idle_seconds: float = 0.0
    enabled: bool = True

    def reset(self) -> None:
        self.idle_seconds = 0.0

    @property
    def left_seconds(self) -> int:
        return max(0, round(self.limit_seconds - self.idle_seconds))

    @property
    def state(self) -> IdleState:
        if not self.enabled:
            return IdleState.ACTIVE
        left = self.limit_seconds - self.idle_seconds
        if left <= 0:
            return IdleState.EXPIRED
        if left <= self.warn_seconds:
            return IdleState.WARNING
        return IdleState.ACTIVE

    def elapse(self, seconds: float) -> IdleState:
        if self.enabled:
            self.idle_seconds += seconds
        return self.state
