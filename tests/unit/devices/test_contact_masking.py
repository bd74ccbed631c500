from __future__ import annotations

import logging

import pytest

from frontdesk.devices.notify import LogNotifier
from frontdesk.devices.outgoing import (
    appointment_confirmation,
    appointment_reminder,
    mask_email,
    mask_phone,
    mask_recipient,
    turn_is_near,
    you_are_next,
)


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("07123456789", "07*******89"),
        ("07123 456789", "07*******89"),
        ("+447123456789", "+4*********89"),
        ("12345", "*****"),
    ],
)
def test_phone_numbers_keep_two_digits_each_end(number: str, masked: str) -> None:
    assert mask_phone(number) == masked


@pytest.mark.parametrize(
    ("address", "masked"),
    [
        ("jane@example.org", "j***@example.org"),
        ("j@example.org", "j***@example.org"),
        ("nope", "***"),
    ],
)
def test_email_keeps_first_letter_and_domain(address: str, masked: str) -> None:
    assert mask_email(address) == masked


def test_recipient_masking_picks_the_kind() -> None:
    assert mask_recipient("jane@example.org") == "j***@example.org"
    assert mask_recipient("07123456789") == "07*******89"


def test_log_notifier_never_logs_the_contact_in_clear(caplog: pytest.LogCaptureFixture) -> None:
    notifier = LogNotifier("sms", logging.getLogger("frontdesk.test.notify"))
    message = you_are_next(
        "sms", "07123456789", ticket="C042", desk="3", centre_name="Civic Centre", key="next:9"
    )

    with caplog.at_level(logging.INFO, logger="frontdesk.test.notify"):
        notifier.send(message)

    assert "07*******89" in caplog.text
    assert "07123456789" not in caplog.text
    assert "07123456789" not in repr(message)
    assert notifier.sent == [message]


def test_message_wording() -> None:
    next_up = you_are_next(
        "email", "j@example.org", ticket="C042", desk="3", centre_name="Civic Centre", key="k1"
    )
    near = turn_is_near(
        "sms", "07123456789", ticket="C042", ahead=2, centre_name="Civic Centre", key="k2"
    )
    one_ahead = turn_is_near("sms", "0", ticket="C042", ahead=1, centre_name="Civic", key="k3")
    booked = appointment_confirmation(
        "email",
        "j@example.org",
        reference="AP-7Q2K",
        service_name="Housing Options",
        centre_name="Civic Centre",
        starts_at_text="Tue 3 Mar at 14:30",
        key="k4",
    )
    reminder = appointment_reminder(
        "sms",
        "07123456789",
        reference="AP-7Q2K",
        service_name="Housing Options",
        centre_name="Civic Centre",
        starts_at_text="Tue 3 Mar at 14:30",
        key="k5",
    )

    assert next_up.subject == "You're next — desk 3"
    assert "go to desk 3" in next_up.body
    assert near.subject == "Your turn is near — 2 people ahead"
    assert "1 person ahead" in one_ahead.body
    assert "AP-7Q2K" in booked.body and "Tue 3 Mar at 14:30" in booked.body
    assert reminder.subject.startswith("Reminder: Housing Options")
