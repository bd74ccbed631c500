"""Notifications through the store's outbox: queued after the action commits, delivered
by SMTP to a local server, and kept through a mail server outage."""

from __future__ import annotations

import socket
from datetime import timedelta
from email import message_from_bytes
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from frontdesk.clock import VirtualClock
from frontdesk.errors import InvalidInput
from frontdesk.services.notifications import NotifySettings, contact_channel
from frontdesk.services.wiring import Services, open_services


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def settings(port: int) -> NotifySettings:
    return NotifySettings(
        smtp_host="127.0.0.1", smtp_port=port, smtp_from="frontdesk@council.example"
    )


def test_a_call_queues_next_and_near_messages(services: Services) -> None:
    first = services.queue.issue("CIVIC", "CTAX")
    second = services.queue.issue("CIVIC", "CTAX")
    services.notifications.subscribe(first.id, "first@example.org")
    services.notifications.subscribe(second.id, "07700 900123")
    services.queue.call_next("CIVIC", "1")
    services.queue.after_call.drain()
    due = {e.key: e for e in services.devices.outbox.due(services.clock.now())}
    assert f"next:{first.id}:1" in due
    assert "desk 1" in due[f"next:{first.id}:1"].message.body
    assert due[f"near:{second.id}"].message.channel == "sms"
    assert "nobody ahead" in due[f"near:{second.id}"].message.body


def test_a_subscription_made_elsewhere_is_noticed_within_a_second(
    services: Services, backend: Any, clock: VirtualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The desk's process believes "nobody subscribed" for a second, not for ever."""
    from frontdesk.services import notifications

    now = [1000.0]
    monkeypatch.setattr(notifications.time, "monotonic", lambda: now[0])
    q = services.queue
    tickets = [q.issue("CIVIC", "CTAX") for _ in range(4)]
    q.call_next("CIVIC", "1")  # nobody subscribed: believed for a second
    q.after_call.drain()
    kiosk = open_services(backend.url, clock)  # another process: the kiosk
    try:
        kiosk.notifications.subscribe(tickets[3].id, "last@example.org")
    finally:
        kiosk.close()
    q.call_next("CIVIC", "2")
    q.after_call.drain()
    assert not services.devices.outbox.due(services.clock.now())
    now[0] += notifications.NOBODY_RECHECK_SECONDS
    q.call_next("CIVIC", "3")
    q.after_call.drain()
    due = {e.key for e in services.devices.outbox.due(services.clock.now())}
    assert due == {f"near:{tickets[3].id}"}


def test_bad_contact_is_refused() -> None:
    with pytest.raises(InvalidInput, match="mobile number"):
        contact_channel("not a contact")
    assert contact_channel("a@b.org") == "email"
    assert contact_channel("+44 7700 900123") == "sms"


def test_messages_survive_a_mail_server_outage(services: Services, clock: VirtualClock) -> None:
    offers = services.appointments.slots("HB-INTERVIEW", centre="CIVIC", limit=1)
    booking = services.appointments.book(
        "HB-INTERVIEW", "CIVIC", offers[0].starts_at, email="visitor@example.org"
    )
    key = f"confirm:{booking.reference}:email"
    port = free_port()  # nothing listens here yet: the mail server is down
    report = services.notifications.deliver(settings(port))
    assert key in report.retrying
    entry = services.devices.outbox.get(key)
    assert entry is not None and entry.state == "pending" and entry.attempts == 1

    handler = Mailbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        clock.advance(3600)  # past the back-off
        report = services.notifications.deliver(settings(port))
    finally:
        controller.stop()
    assert key in report.sent
    assert len(handler.messages) == 1
    assert booking.reference in handler.messages[0].get_payload()
    # Delivered once: the next round sends nothing again.
    assert services.notifications.deliver(settings(port)).sent == ()


def test_reminders_are_queued_once(services: Services, clock: VirtualClock) -> None:
    offers = services.appointments.slots("HB-INTERVIEW", centre="CIVIC", limit=1)
    booking = services.appointments.book(
        "HB-INTERVIEW", "CIVIC", offers[0].starts_at, phone="07700 900123"
    )
    assert services.notifications.remind(hours_ahead=48) == 1
    services.notifications.remind(hours_ahead=48)
    keys = [e.key for e in services.devices.outbox.due(clock.now())]
    assert keys.count(f"remind:{booking.reference}:sms") == 1


def test_ticket_contacts_are_purged(services: Services, clock: VirtualClock) -> None:
    ticket = services.queue.issue("CIVIC", "CTAX")
    services.notifications.subscribe(ticket.id, "a@example.org")
    clock.advance(timedelta(hours=25).total_seconds())
    assert services.notifications.purge() == 1


def test_housekeeping_marks_missed_appointments_and_sends(
    services: Services, clock: VirtualClock
) -> None:
    from frontdesk.cli import main

    offers = services.appointments.slots("HB-INTERVIEW", centre="CIVIC", limit=1)
    booking = services.appointments.book(
        "HB-INTERVIEW", "CIVIC", offers[0].starts_at, phone="07700 900123"
    )
    clock.set(booking.starts_at + timedelta(minutes=30))
    url = services.engine.url.render_as_string(hide_password=False)
    import frontdesk.services.wiring as wiring

    original = wiring.SystemClock
    wiring.SystemClock = lambda: clock  # type: ignore[assignment,misc]
    try:
        assert main(["housekeeping", "--db", url, "--json"]) == 0
    finally:
        wiring.SystemClock = original  # type: ignore[misc]
    assert services.appointments.find(booking.reference).status == "no_show"
