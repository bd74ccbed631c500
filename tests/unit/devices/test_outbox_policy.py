from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from frontdesk.devices.notify import DeliveryFailed
from frontdesk.devices.outbox import (
    InMemoryOutbox,
    RetryPolicy,
    deliver_due,
    equal_jitter,
    no_jitter,
)
from frontdesk.devices.outgoing import Channel, OutgoingMessage, you_are_next

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def message(key: str = "next:1") -> OutgoingMessage:
    return you_are_next(
        "sms", "07123456789", ticket="C042", desk="3", centre_name="Civic Centre", key=key
    )


class ScriptedNotifier:
    channel: Channel = "sms"

    def __init__(self, outcomes: list[DeliveryFailed | None]) -> None:
        self.outcomes = list(outcomes)
        self.sent: list[OutgoingMessage] = []

    def send(self, message: OutgoingMessage) -> None:
        outcome = self.outcomes.pop(0) if self.outcomes else None
        if outcome is not None:
            raise outcome
        self.sent.append(message)


def test_backoff_doubles_up_to_the_cap() -> None:
    policy = RetryPolicy(
        first_delay_seconds=30, multiplier=2, max_delay_seconds=300, max_attempts=7
    )

    assert [delay.total_seconds() for delay in policy.schedule()] == [30, 60, 120, 240, 300, 300]


def test_jitter_is_injected() -> None:
    policy = RetryPolicy(first_delay_seconds=10)

    assert policy.delay_after(3, lambda delay: delay * 0.5) == timedelta(seconds=20)
    assert policy.delay_after(3, no_jitter) == timedelta(seconds=40)


def test_equal_jitter_stays_between_half_and_whole() -> None:
    for _ in range(200):
        assert 50 <= equal_jitter(100) <= 100


def test_same_idempotency_key_is_held_once() -> None:
    outbox = InMemoryOutbox()

    first = outbox.add(message("next:7"), NOW)
    again = outbox.add(message("next:7"), NOW + timedelta(seconds=5))

    assert again == first
    assert len(outbox.due(NOW + timedelta(seconds=5))) == 1


def test_retryable_failure_waits_then_goes() -> None:
    outbox = InMemoryOutbox()
    outbox.add(message(), NOW)
    notifier = ScriptedNotifier([DeliveryFailed("gateway answered HTTP 503", retryable=True)])
    policy = RetryPolicy(first_delay_seconds=30)

    first = deliver_due(outbox, {"sms": notifier}, NOW, policy=policy, jitter=no_jitter)
    too_soon = deliver_due(outbox, {"sms": notifier}, NOW + timedelta(seconds=29), policy=policy)
    later = deliver_due(outbox, {"sms": notifier}, NOW + timedelta(seconds=30), policy=policy)

    assert first.retrying == ("next:1",)
    assert too_soon.sent == too_soon.retrying == ()
    assert later.sent == ("next:1",)
    entry = outbox.get("next:1")
    assert entry is not None and entry.state == "sent" and entry.attempts == 2
    assert len(notifier.sent) == 1


def test_permanent_failure_is_a_dead_letter_at_once() -> None:
    outbox = InMemoryOutbox()
    outbox.add(message(), NOW)
    notifier = ScriptedNotifier([DeliveryFailed("gateway answered HTTP 400", retryable=False)])

    report = deliver_due(outbox, {"sms": notifier}, NOW)

    assert report.dead == ("next:1",)
    [dead] = outbox.dead_letters()
    assert dead.attempts == 1 and dead.last_error == "gateway answered HTTP 400"


def test_gives_up_after_max_attempts() -> None:
    outbox = InMemoryOutbox()
    outbox.add(message(), NOW)
    failure = DeliveryFailed("timeout", retryable=True)
    notifier = ScriptedNotifier([failure] * 10)
    policy = RetryPolicy(first_delay_seconds=1, max_attempts=4)
    now = NOW

    for _ in range(10):
        deliver_due(outbox, {"sms": notifier}, now, policy=policy, jitter=no_jitter)
        now += timedelta(hours=1)

    entry = outbox.get("next:1")
    assert entry is not None and entry.state == "dead" and entry.attempts == 4
    assert outbox.due(now) == []


def test_missing_notifier_keeps_the_message_waiting() -> None:
    outbox = InMemoryOutbox()
    outbox.add(message(), NOW)

    report = deliver_due(outbox, {}, NOW)

    assert report.retrying == ("next:1",)
    entry = outbox.get("next:1")
    assert entry is not None and "no notifier" in entry.last_error


@pytest.mark.parametrize("limit", [1, 2])
def test_oldest_first_up_to_the_limit(limit: int) -> None:
    outbox = InMemoryOutbox()
    for index in range(3):
        outbox.add(message(f"next:{index}"), NOW + timedelta(seconds=index))
    notifier = ScriptedNotifier([])

    report = deliver_due(outbox, {"sms": notifier}, NOW + timedelta(minutes=1), limit=limit)

    assert report.sent == tuple(f"next:{index}" for index in range(limit))
