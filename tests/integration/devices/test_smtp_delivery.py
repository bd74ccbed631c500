"""E-mail through smtplib to an aiosmtpd server on 127.0.0.1, and the outbox around it."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from frontdesk.devices.notify import DeliveryFailed, SmtpEmailNotifier
from frontdesk.devices.outbox import InMemoryOutbox, RetryPolicy, deliver_due, no_jitter
from frontdesk.devices.outgoing import OutgoingMessage, appointment_confirmation, you_are_next

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class Mailbox:
    """An aiosmtpd handler that keeps what it receives; refuses recipients at `refused.`"""

    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address.endswith("@refused.example"):
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    handler = Mailbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield handler, controller.port
    finally:
        controller.stop()


def notifier(port: int) -> SmtpEmailNotifier:
    return SmtpEmailNotifier(
        host="127.0.0.1", port=port, sender="frontdesk@council.example", timeout_seconds=5
    )


def booking(recipient: str = "jane@example.org", key: str = "booked:AP-7Q2K") -> OutgoingMessage:
    return appointment_confirmation(
        "email",
        recipient,
        reference="AP-7Q2K",
        service_name="Housing Options",
        centre_name="Civic Centre",
        starts_at_text="Tue 3 Mar at 14:30",
        key=key,
    )


def test_email_is_delivered_with_its_key(mailbox: tuple[Mailbox, int]) -> None:
    handler, port = mailbox

    notifier(port).send(booking())

    [received] = handler.messages
    assert received["To"] == "jane@example.org"
    assert received["Subject"] == "Appointment booked: Housing Options, Tue 3 Mar at 14:30"
    assert received["X-Frontdesk-Key"] == "booked:AP-7Q2K"
    assert "booked-AP-7Q2K" in received["Message-ID"]
    assert "Reference AP-7Q2K" in received.get_payload()


def test_refused_recipient_is_permanent_and_not_named(mailbox: tuple[Mailbox, int]) -> None:
    _, port = mailbox

    with pytest.raises(DeliveryFailed) as caught:
        notifier(port).send(booking("jo@refused.example"))

    assert caught.value.retryable is False
    assert "jo@refused.example" not in str(caught.value)


def test_server_down_is_retryable() -> None:
    with pytest.raises(DeliveryFailed) as caught:
        notifier(free_port()).send(booking())

    assert caught.value.retryable is True


def test_smtp_down_then_back_messages_wait_in_the_outbox_and_go() -> None:
    port = free_port()
    outbox = InMemoryOutbox()
    outbox.add(booking(), NOW)
    outbox.add(
        you_are_next(
            "email", "sam@example.org", ticket="C042", desk="3", centre_name="Civic", key="next:42"
        ),
        NOW,
    )
    policy = RetryPolicy(first_delay_seconds=60)
    notifiers = {"email": notifier(port)}

    while_down = deliver_due(outbox, notifiers, NOW, policy=policy, jitter=no_jitter)

    assert set(while_down.retrying) == {"booked:AP-7Q2K", "next:42"}
    assert len(outbox.pending()) == 2

    handler = Mailbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        too_early = deliver_due(
            outbox, notifiers, NOW + timedelta(seconds=30), policy=policy, jitter=no_jitter
        )
        received_too_early = len(handler.messages)
        back_up = deliver_due(
            outbox, notifiers, NOW + timedelta(seconds=60), policy=policy, jitter=no_jitter
        )
    finally:
        controller.stop()

    assert too_early.sent == () and received_too_early == 0
    assert set(back_up.sent) == {"booked:AP-7Q2K", "next:42"}
    assert sorted(message["To"] for message in handler.messages) == [
        "jane@example.org",
        "sam@example.org",
    ]
    assert outbox.pending() == []
