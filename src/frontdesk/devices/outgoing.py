"""Messages we send to visitors (e-mail, SMS) and how contact details appear in logs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Channel = Literal["email", "sms"]


@dataclass(frozen=True)
class OutgoingMessage:
    """One message to one recipient.

    `idempotency_key` names the event it reports (e.g. "next:<ticket id>"): the outbox holds one
    message per key, and the key travels with the message so a receiver can drop duplicates.
    """

    channel: Channel
    recipient: str
    subject: str
    body: str
    idempotency_key: str

    def __repr__(self) -> str:
        # Keep contact details out of tracebacks and debug logs.
        masked = mask_recipient(self.recipient)
        return (
            f"OutgoingMessage(channel={self.channel!r}, recipient={masked!r}, "
            f"subject={self.subject!r}, idempotency_key={self.idempotency_key!r})"
        )


def mask_phone(number: str) -> str:
    """Mask a phone number: 07123456789 -> 07*******89, enough to recognise, not to call."""
    compact = "".join(number.split())
    if len(compact) <= 6:
        return "*" * len(compact)
    return compact[:2] + "*" * (len(compact) - 4) + compact[-2:]


def mask_email(address: str) -> str:
    """Mask an e-mail address: jane@example.org -> j***@example.org."""
    local, at, domain = address.strip().rpartition("@")
    if not at or not local:
        return "***"
    return f"{local[0]}***@{domain}"


def mask_recipient(recipient: str) -> str:
    """Mask an e-mail address or a phone number for logs and screens."""
    return mask_email(recipient) if "@" in recipient else mask_phone(recipient)


def you_are_next(
    channel: Channel, recipient: str, *, ticket: str, desk: str, centre_name: str, key: str
) -> OutgoingMessage:
    """Tell a visitor to go to the desk now."""
    return OutgoingMessage(
        channel=channel,
        recipient=recipient,
        subject=f"You're next — desk {desk}",
        body=f"{centre_name}: ticket {ticket}, you're next. Please go to desk {desk} now.",
        idempotency_key=key,
    )


def turn_is_near(
    channel: Channel, recipient: str, *, ticket: str, ahead: int, centre_name: str, key: str
) -> OutgoingMessage:
    """Tell a visitor who stepped away that K people are ahead of them."""
    people = "nobody" if ahead == 0 else "1 person" if ahead == 1 else f"{ahead} people"
    return OutgoingMessage(
        channel=channel,
        recipient=recipient,
        subject=f"Your turn is near — {people} ahead",
        body=(
            f"{centre_name}: ticket {ticket}, your turn is near — {people} ahead of you. "
            "Please come back to the waiting area."
        ),
        idempotency_key=key,
    )


def appointment_confirmation(
    channel: Channel,
    recipient: str,
    *,
    reference: str,
    service_name: str,
    centre_name: str,
    starts_at_text: str,
    key: str,
) -> OutgoingMessage:
    """Sent when an appointment is booked."""
    return OutgoingMessage(
        channel=channel,
        recipient=recipient,
        subject=f"Appointment booked: {service_name}, {starts_at_text}",
        body=(
            f"Your {service_name} appointment at {centre_name} is booked for {starts_at_text}. "
            f"Reference {reference}. Check in at the kiosk with this reference when you arrive."
        ),
        idempotency_key=key,
    )


def appointment_reminder(
    channel: Channel,
    recipient: str,
    *,
    reference: str,
    service_name: str,
    centre_name: str,
    starts_at_text: str,
    key: str,
) -> OutgoingMessage:
    """Sent the day before an appointment."""
    return OutgoingMessage(
        channel=channel,
        recipient=recipient,
        subject=f"Reminder: {service_name} appointment, {starts_at_text}",
        body=(
            f"A reminder of your {service_name} appointment at {centre_name}, "
            f"{starts_at_text}. Reference {reference}. If you cannot come, please let us know."
        ),
        idempotency_key=key,
    )
