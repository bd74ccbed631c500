"""Sending messages to visitors: the `Notifier` protocol, SMTP e-mail, an HTTP SMS gateway, a log.

Every notifier raises `DeliveryFailed` with `retryable` set, and never puts the recipient in an
error message or a log line, so the outbox can store errors and logs stay free of contact data.
"""

from __future__ import annotations

import json
import logging
import smtplib
import ssl
import urllib.error
import urllib.request
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Protocol

from frontdesk.devices.outgoing import (
    Channel,
    OutgoingMessage,
    appointment_confirmation,
    appointment_reminder,
    mask_recipient,
    turn_is_near,
    you_are_next,
)

__all__ = [
    "DeliveryFailed",
    "HttpSmsGateway",
    "LogNotifier",
    "Notifier",
    "OutgoingMessage",
    "SmtpEmailNotifier",
    "appointment_confirmation",
    "appointment_reminder",
    "mask_recipient",
    "turn_is_near",
    "you_are_next",
]

logger = logging.getLogger(__name__)


class DeliveryFailed(Exception):
    """The message was not delivered. `retryable` says whether trying again may help."""

    def __init__(self, reason: str, *, retryable: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable


class Notifier(Protocol):
    @property
    def channel(self) -> Channel:
        """Which kind of contact detail this notifier delivers to."""
        ...

    def send(self, message: OutgoingMessage) -> None:
        """Deliver one message or raise `DeliveryFailed`."""
        ...


class SmtpEmailNotifier:
    """E-mail through an SMTP relay (the council's mail server)."""

    channel: Channel = "email"

    def __init__(
        self,
        *,
        host: str,
        port: int = 25,
        sender: str,
        starttls: bool = False,
        username: str | None = None,
        password: str | None = None,
        timeout_seconds: float = 10.0,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self._host = host
        self._port = port
        self._sender = sender
        self._starttls = starttls
        self._username = username
        self._password = password
        self._timeout_seconds = timeout_seconds
        self._ssl_context = ssl_context

    def send(self, message: OutgoingMessage) -> None:
        email = EmailMessage()
        email["From"] = self._sender
        email["To"] = message.recipient
        email["Subject"] = message.subject
        # The same key gives the same Message-ID, so a resend after a crash can be de-duplicated.
        email["Message-ID"] = make_msgid(idstring=_safe_id(message.idempotency_key))
        email["X-Frontdesk-Key"] = message.idempotency_key
        email.set_content(message.body)
        try:
            with smtplib.SMTP(self._host, self._port, timeout=self._timeout_seconds) as smtp:
                if self._starttls:
                    smtp.starttls(context=self._ssl_context or ssl.create_default_context())
                if self._username is not None:
                    smtp.login(self._username, self._password or "")
                smtp.send_message(email)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = sorted({code for code, _ in exc.recipients.values()})
            retryable = all(400 <= code < 500 for code in codes)
            raise DeliveryFailed(
                f"mail server refused the recipient ({codes})", retryable=retryable
            ) from None
        except smtplib.SMTPResponseException as exc:
            # 4xx is "try later"; 5xx is permanent (bad address, message rejected).
            raise DeliveryFailed(
                f"mail server answered {exc.smtp_code}", retryable=exc.smtp_code < 500
            ) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryFailed(
                f"mail server unreachable: {type(exc).__name__}", retryable=True
            ) from None


class HttpSmsGateway:
    """SMS through a provider's HTTP API: one JSON POST per message.

    Body: {"to", "message", "reference"} plus `sender` when configured; extra headers carry the
    provider's API key. 2xx is delivered, 5xx, 429 and timeouts are retried, other 4xx are not.
    """

    channel: Channel = "sms"

    def __init__(
        self,
        *,
        url: str,
        timeout_seconds: float = 5.0,
        headers: Mapping[str, str] | None = None,
        sender: str | None = None,
    ) -> None:
        if not url.startswith(("http://", "https://")):
            raise ValueError("the SMS gateway URL must start with http:// or https://")
        self._url = url
        self._timeout_seconds = timeout_seconds
        self._headers = dict(headers or {})
        self._sender = sender

    def send(self, message: OutgoingMessage) -> None:
        payload: dict[str, str] = {
            "to": message.recipient,
            "message": message.body,
            "reference": message.idempotency_key,
        }
        if self._sender:
            payload["sender"] = self._sender
        request = urllib.request.Request(
            self._url,
            data=json.dumps(payload).encode("utf-8"),
            headers={"Content-Type": "application/json", **self._headers},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self._timeout_seconds) as response:
                response.read()
        except urllib.error.HTTPError as exc:
            exc.close()  # it holds the response's socket
            retryable = exc.code >= 500 or exc.code == 429
            raise DeliveryFailed(
                f"SMS gateway answered HTTP {exc.code}", retryable=retryable
            ) from None
        except (urllib.error.URLError, OSError) as exc:
            raise DeliveryFailed(
                f"SMS gateway unreachable or too slow: {type(exc).__name__}", retryable=True
            ) from None


class LogNotifier:
    """Writes what would be sent to the log, with the recipient masked (demos, dry runs)."""

    def __init__(self, channel: Channel, log: logging.Logger | None = None) -> None:
        self.channel: Channel = channel
        self._log = log or logger
        self.sent: list[OutgoingMessage] = []

    def send(self, message: OutgoingMessage) -> None:
        self.sent.append(message)
        self._log.info(
            "%s to %s: %s [%s]",
            message.channel,
            mask_recipient(message.recipient),
            message.subject,
            message.idempotency_key,
        )


def _safe_id(key: str) -> str:
    return "".join(
        character if character.isalnum() or character in "-." else "-" for character in key
    )
