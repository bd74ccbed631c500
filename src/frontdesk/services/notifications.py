"""Notifications to visitors: "you're next", "your turn is near", appointment
confirmations and reminders. Messages go into the outbox (at-least-once, one per
idempotency key) after the action that caused them has committed, and are sent by
`deliver`, never inside a queue transaction."""

from __future__ import annotations

import logging
import re
import time
from datetime import timedelta
from zoneinfo import ZoneInfo

from pydantic_settings import BaseSettings, SettingsConfigDict

from frontdesk.devices import outgoing
from frontdesk.devices.notify import HttpSmsGateway, LogNotifier, Notifier, SmtpEmailNotifier
from frontdesk.devices.outbox import DeliveryReport
from frontdesk.errors import InvalidInput
from frontdesk.services import identities
from frontdesk.services.appointments import AppointmentService, Booking
from frontdesk.services.devices import DeviceService
from frontdesk.services.queue import QueueService
from frontdesk.services.results import TicketAtDesk
from frontdesk.store import appointment_store as aps
from frontdesk.store import outbox as ob
from frontdesk.store import queue_store as qs

log = logging.getLogger(__name__)
NEAR_AHEAD = 3  # "your turn is near" when this many or fewer are ahead
NOBODY_RECHECK_SECONDS = 1.0  # see NotificationService.on_called
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9 ]{10,16}$")


class NotifySettings(BaseSettings):
    """Where messages go (FRONTDESK_SMTP_*, FRONTDESK_SMS_*). Unset: logged, masked."""

    model_config = SettingsConfigDict(env_prefix="FRONTDESK_", extra="ignore")

    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_from: str = "frontdesk@localhost"
    smtp_starttls: bool = False
    smtp_user: str | None = None
    smtp_password: str | None = None
    sms_url: str | None = None
    sms_token: str | None = None
    sms_sender: str | None = None

    def notifiers(self) -> dict[str, Notifier]:
        email: Notifier = (
            SmtpEmailNotifier(
                host=self.smtp_host,
                port=self.smtp_port,
                sender=self.smtp_from,
                starttls=self.smtp_starttls,
                username=self.smtp_user,
                password=self.smtp_password,
            )
            if self.smtp_host
            else LogNotifier("email")
        )
        headers = {"Authorization": f"Bearer {self.sms_token}"} if self.sms_token else None
        sms: Notifier = (
            HttpSmsGateway(url=self.sms_url, headers=headers, sender=self.sms_sender)
            if self.sms_url
            else LogNotifier("sms")
        )
        return {"email": email, "sms": sms}


def _ch(value: str) -> outgoing.Channel:
    return "email" if value == "email" else "sms"


def contact_channel(recipient: str) -> str:
    """'sms' for a phone number, 'email' for an address; InvalidInput otherwise."""
    text = recipient.strip()
    if _EMAIL.match(text):
        return "email"
    if _PHONE.match(text):
        return "sms"
    raise InvalidInput("give a mobile number (07…) or an e-mail address")


def _label(queue: QueueService, ticket_id: int) -> str:
    with queue.uow.read() as s:
        row = qs.ticket(s, ticket_id)
    return row.label if row is not None else "?"


class NotificationService:
    def __init__(
        self, queue: QueueService, appointments: AppointmentService, devices: DeviceService
    ) -> None:
        self.queue = queue
        self.appointments = appointments
        self.devices = devices
        queue.after_call.append(self.on_called)
        appointments.after_booking.append(self.on_booked)
        # Until when "nobody has asked to be told" is taken as still true (monotonic).
        self._nobody_until = 0.0

    def subscribe(self, ticket_id: int, recipient: str) -> None:
        """ "Text me when it's nearly my turn": keep the contact until the day is purged."""
        channel = contact_channel(recipient)
        with self.queue.uow.write() as s:
            ob.put_ticket_contact(s, ticket_id, channel, recipient.strip(), self.queue.clock.now())
            identities.remember(s, ticket_id, "phone" if channel == "sms" else "email", recipient)
        self._nobody_until = 0.0

    def on_called(self, centre: str, called: TicketAtDesk) -> None:
        """After a call: "you're next" to the called visitor, "near" to those close behind.

        Runs after every call, so it first looks only at subscribed visitors of that
        queue — usually nobody — before working out anyone's place. "Nobody" is
        believed for a second (NOBODY_RECHECK_SECONDS) rather than asked on each of a busy
        centre's calls: a visitor who subscribes at a kiosk is told from the next call
        after that at the latest, and a subscription made in this process counts at once."""
        if time.monotonic() < self._nobody_until:
            return
        if not ob.any_ticket_contacts(self.queue.uow.engine):
            self._nobody_until = time.monotonic() + NOBODY_RECHECK_SECONDS
            return
        where = self.queue.centre(centre)
        service = self.queue.catalogue().services[called.service]
        with self.queue.uow.read_core() as s:
            subscribed = ob.contacts_in_queue(s, where.id, service.id)
            ahead = {
                r.ticket_id: qs.waiting_before(s, where.id, service.id, r.queued_at)
                for r in subscribed
                if r.status == "waiting"
            }
        for r in subscribed:
            channel = _ch(r.channel)
            if r.ticket_id == called.id:
                self.devices.notify(
                    outgoing.you_are_next(
                        channel,
                        r.recipient,
                        ticket=called.ticket,
                        desk=called.desk,
                        centre_name=where.name,
                        key=f"next:{called.id}:{called.desk}",
                    )
                )
            elif r.ticket_id in ahead and ahead[r.ticket_id] < NEAR_AHEAD:
                self.devices.notify(
                    outgoing.turn_is_near(
                        channel,
                        r.recipient,
                        ticket=_label(self.queue, r.ticket_id),
                        ahead=ahead[r.ticket_id],
                        centre_name=where.name,
                        key=f"near:{r.ticket_id}",
                    )
                )

    def _booking_message(self, booking: Booking, kind: str) -> None:
        with self.queue.uow.read() as s:
            row = aps.booking_by(s, reference=booking.reference.replace("-", ""))
        if row is None:
            return
        where = self.queue.centre(booking.centre)
        when = booking.starts_at.astimezone(ZoneInfo(where.timezone)).strftime("%a %d %b at %H:%M")
        build = (
            outgoing.appointment_confirmation
            if kind == "confirm"
            else outgoing.appointment_reminder
        )
        for channel, recipient in (
            (_ch("sms"), row.contact_phone),
            (_ch("email"), row.contact_email),
        ):
            if recipient:
                self.devices.notify(
                    build(
                        channel,
                        recipient,
                        reference=booking.reference,
                        service_name=booking.type_name,
                        centre_name=where.name,
                        starts_at_text=when,
                        key=f"{kind}:{booking.reference}:{channel}",
                    )
                )

    def on_booked(self, booking: Booking) -> None:
        if booking.has_contact:
            self._booking_message(booking, "confirm")

    def remind(self, hours_ahead: float = 24) -> int:
        """Queue reminders for appointments in the next `hours_ahead` hours (once each)."""
        now = self.queue.clock.now()
        with self.queue.uow.read() as s:
            rows = aps.bookings_between(
                s, now, now + timedelta(hours=hours_ahead), statuses=["booked"]
            )
        count = 0
        for r in rows:
            if r.contact_phone or r.contact_email:
                self._booking_message(self.appointments.find(str(r.id), by_id=True), "remind")
                count += 1
        return count

    def deliver(self, settings: NotifySettings | None = None) -> DeliveryReport:
        return self.devices.deliver((settings or NotifySettings()).notifiers())

    def purge(self, older_than_hours: float = 24) -> int:
        """Forget visitors' ticket contact details after the day is over."""
        with self.queue.uow.write() as s:
            return ob.purge_ticket_contacts(
                s, self.queue.clock.now() - timedelta(hours=older_than_hours)
            )
