"""Device health and the notification outbox, kept in the store so every console and the
supervisor see them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from frontdesk.clock import Clock
from frontdesk.devices.health import DeviceHealth, DeviceStatus, next_health
from frontdesk.devices.notify import Notifier
from frontdesk.devices.outbox import DeliveryReport, OutboxEntry, RetryPolicy, deliver_due
from frontdesk.devices.outgoing import OutgoingMessage
from frontdesk.store import device_health
from frontdesk.store import outbox as ob
from frontdesk.store.engine import UnitOfWork


class SqlDeviceHealth:
    """The DeviceHealthRepository protocol over the store."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow

    def record(
        self, device_id: str, status: DeviceStatus, now: datetime, detail: str = ""
    ) -> DeviceHealth:
        with self.uow.write() as s:
            row = device_health.health(s, device_id)
            health = next_health(_health(row) if row else None, device_id, status, now, detail)
            device_health.put_health(
                s, health.device_id, health.centre, health.status.value, health.since, health.detail
            )
        return health

    def get(self, device_id: str) -> DeviceHealth | None:
        with self.uow.read() as s:
            row = device_health.health(s, device_id)
        return _health(row) if row else None

    def for_centre(self, centre: str) -> list[DeviceHealth]:
        with self.uow.read() as s:
            return [_health(r) for r in device_health.health_for_centre(s, centre)]

    def alerts(self, centre: str) -> list[DeviceHealth]:
        """The centre's devices that need someone to look at them."""
        return [h for h in self.for_centre(centre) if h.status.needs_attention]


def _health(row: Any) -> DeviceHealth:
    return DeviceHealth(row.device_id, DeviceStatus(row.status), row.since, row.detail)


class SqlOutbox:
    """The OutboxRepository protocol over the store: at-least-once, one row per key."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow

    def add(self, message: OutgoingMessage, now: datetime) -> OutboxEntry:
        with self.uow.write() as s:
            ob.outbox_add(
                s,
                idempotency_key=message.idempotency_key,
                channel=message.channel,
                recipient=message.recipient,
                subject=message.subject,
                body=message.body,
                state="pending",
                attempts=0,
                next_attempt_at=now,
                created_at=now,
            )
            row = ob.outbox_get(s, message.idempotency_key)
        return _entry(row)

    def due(self, now: datetime, limit: int = 100) -> list[OutboxEntry]:
        with self.uow.read() as s:
            return [_entry(r) for r in ob.outbox_due(s, now, limit)]

    def save(self, entry: OutboxEntry) -> None:
        with self.uow.write() as s:
            ob.outbox_save(
                s,
                entry.key,
                state=entry.state,
                attempts=entry.attempts,
                next_attempt_at=entry.next_attempt_at,
                last_error=entry.last_error,
                sent_at=entry.sent_at,
            )

    def get(self, key: str) -> OutboxEntry | None:
        with self.uow.read() as s:
            row = ob.outbox_get(s, key)
        return _entry(row) if row else None

    def dead_letters(self) -> list[OutboxEntry]:
        with self.uow.read() as s:
            return [_entry(r) for r in ob.outbox_in_state(s, "dead")]


def _entry(row: Any) -> OutboxEntry:
    message = OutgoingMessage(
        channel=row.channel,
        recipient=row.recipient,
        subject=row.subject,
        body=row.body,
        idempotency_key=row.idempotency_key,
    )
    return OutboxEntry(
        message=message,
        created_at=row.created_at,
        state=row.state,
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        last_error=row.last_error,
        sent_at=row.sent_at,
    )


class DeviceService:
    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self.clock = clock
        self.health = SqlDeviceHealth(uow)
        self.outbox = SqlOutbox(uow)

    def record(self, device_id: str, status: DeviceStatus, detail: str = "") -> DeviceHealth:
        return self.health.record(device_id, status, self.clock.now(), detail)

    def notify(self, message: OutgoingMessage) -> OutboxEntry:
        """Queue a message; it is sent by `deliver` (never inside a queue transaction)."""
        return self.outbox.add(message, self.clock.now())

    def deliver(
        self, notifiers: Mapping[str, Notifier], policy: RetryPolicy | None = None
    ) -> DeliveryReport:
        return deliver_due(self.outbox, notifiers, self.clock.now(), policy=policy)
