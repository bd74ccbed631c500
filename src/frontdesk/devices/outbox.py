"""The outbox: messages wait here until a notifier has delivered them, retried with back-off.

Delivery is at least once: a message is marked sent only after its notifier returned, so a crash
in between sends it again (its idempotency key travels with it for the receiver to de-duplicate).
The policy is pure; `OutboxRepository` is the persistence port, with an in-memory fake here.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Literal, Protocol

from frontdesk.devices.notify import DeliveryFailed, Notifier
from frontdesk.devices.outgoing import OutgoingMessage

EntryState = Literal["pending", "sent", "dead"]
Jitter = Callable[[float], float]


def equal_jitter(delay_seconds: float) -> float:
    """Somewhere between half the delay and the whole of it, so retries from many kiosks spread."""
    return delay_seconds / 2 + random.uniform(0, delay_seconds / 2)


def no_jitter(delay_seconds: float) -> float:
    return delay_seconds


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential back-off: first retry after `first_delay_seconds`, doubling, up to a cap."""

    first_delay_seconds: float = 30.0
    multiplier: float = 2.0
    max_delay_seconds: float = 30 * 60.0
    max_attempts: int = 8

    def delay_after(self, attempts: int, jitter: Jitter = equal_jitter) -> timedelta:
        """How long to wait after the `attempts`-th failed attempt (1-based)."""
        raw = self.first_delay_seconds * self.multiplier ** max(attempts - 1, 0)
        return timedelta(seconds=jitter(min(raw, self.max_delay_seconds)))

    def schedule(self, jitter: Jitter = no_jitter) -> list[timedelta]:
        """Every wait between attempts, in order (`max_attempts - 1` of them)."""
        return [self.delay_after(attempt, jitter) for attempt in range(1, self.max_attempts)]


@dataclass(frozen=True)
class OutboxEntry:
    """A message and its delivery state; `last_error` never contains contact details."""

    message: OutgoingMessage
    created_at: datetime
    state: EntryState = "pending"
    attempts: int = 0
    next_attempt_at: datetime | None = None
    last_error: str = ""
    sent_at: datetime | None = None

    @property
    def key(self) -> str:
        return self.message.idempotency_key

    def is_due(self, now: datetime) -> bool:
        return self.state == "pending" and (
            self.next_attempt_at is None or self.next_attempt_at <= now
        )


def after_success(entry: OutboxEntry, now: datetime) -> OutboxEntry:
    return replace(
        entry, state="sent", attempts=entry.attempts + 1, sent_at=now, next_attempt_at=None
    )


def after_failure(
    entry: OutboxEntry,
    failure: DeliveryFailed,
    now: datetime,
    policy: RetryPolicy,
    jitter: Jitter = equal_jitter,
) -> OutboxEntry:
    """Schedule the next attempt, or give up: permanent failure or out of attempts."""
    attempts = entry.attempts + 1
    if not failure.retryable or attempts >= policy.max_attempts:
        return replace(
            entry, state="dead", attempts=attempts, last_error=failure.reason, next_attempt_at=None
        )
    return replace(
        entry,
        attempts=attempts,
        last_error=failure.reason,
        next_attempt_at=now + policy.delay_after(attempts, jitter),
    )


class OutboxRepository(Protocol):
    def add(self, message: OutgoingMessage, now: datetime) -> OutboxEntry:
        """Store a message once per idempotency key; a repeat returns the existing entry."""
        ...

    def due(self, now: datetime, limit: int = 100) -> list[OutboxEntry]:
        """Pending entries whose next attempt is due, oldest first."""
        ...

    def save(self, entry: OutboxEntry) -> None:
        """Record an entry's new delivery state."""
        ...

    def get(self, key: str) -> OutboxEntry | None: ...

    def dead_letters(self) -> list[OutboxEntry]:
        """Messages given up on, for a person to look at."""
        ...


@dataclass
class InMemoryOutbox:
    """The outbox for tests and demos; the SQL one keeps the same behaviour."""

    _entries: dict[str, OutboxEntry] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, message: OutgoingMessage, now: datetime) -> OutboxEntry:
        with self._lock:
            existing = self._entries.get(message.idempotency_key)
            if existing is not None:
                return existing
            entry = OutboxEntry(message=message, created_at=now)
            self._entries[message.idempotency_key] = entry
            return entry

    def due(self, now: datetime, limit: int = 100) -> list[OutboxEntry]:
        with self._lock:
            ready = [entry for entry in self._entries.values() if entry.is_due(now)]
        return sorted(ready, key=lambda entry: entry.created_at)[:limit]

    def save(self, entry: OutboxEntry) -> None:
        with self._lock:
            self._entries[entry.key] = entry

    def get(self, key: str) -> OutboxEntry | None:
        with self._lock:
            return self._entries.get(key)

    def dead_letters(self) -> list[OutboxEntry]:
        with self._lock:
            return [entry for entry in self._entries.values() if entry.state == "dead"]

    def pending(self) -> list[OutboxEntry]:
        with self._lock:
            return [entry for entry in self._entries.values() if entry.state == "pending"]


@dataclass(frozen=True)
class DeliveryReport:
    sent: tuple[str, ...] = ()
    retrying: tuple[str, ...] = ()
    dead: tuple[str, ...] = ()


def deliver_due(
    outbox: OutboxRepository,
    notifiers: Mapping[str, Notifier],
    clock_now: datetime,
    *,
    policy: RetryPolicy | None = None,
    jitter: Jitter = equal_jitter,
    limit: int = 100,
) -> DeliveryReport:
    """Try every message that is due once; returns the idempotency keys by outcome."""
    policy = policy or RetryPolicy()
    sent: list[str] = []
    retrying: list[str] = []
    dead: list[str] = []
    for entry in outbox.due(clock_now, limit):
        notifier = notifiers.get(entry.message.channel)
        try:
            if notifier is None:
                # Retryable: the settings may be fixed before the attempts run out.
                raise DeliveryFailed(
                    f"no notifier is set up for {entry.message.channel}", retryable=True
                )
            notifier.send(entry.message)
        except DeliveryFailed as failure:
            updated = after_failure(entry, failure, clock_now, policy, jitter)
            outbox.save(updated)
            (dead if updated.state == "dead" else retrying).append(updated.key)
            continue
        outbox.save(after_success(entry, clock_now))
        sent.append(entry.key)
    return DeliveryReport(tuple(sent), tuple(retrying), tuple(dead))
