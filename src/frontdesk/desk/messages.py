"""Messages the desk console's workers and widgets post upwards. Payloads are the
services' frozen values (or plain text), never ORM rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message

from frontdesk.services.results import TicketAtDesk


@dataclass(frozen=True, slots=True)
class DeskContext:
    """Who is logged in at which desk, serving what today."""

    centre: str
    desk: str
    console: str
    staff: str
    staff_name: str
    specialist: str | None
    services: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Resumed:
    """What a (re)started console finds: the customer the desk holds and the draft."""

    ticket: TicketAtDesk | None
    draft: dict[str, Any] | None


class ActionDone(Message):
    """A console action reached the store; `result` is what the service handed back."""

    def __init__(self, action: str, result: object, note: str = "") -> None:
        super().__init__()
        self.action = action
        self.result = result
        self.note = note


class ActionFailed(Message):
    """A console action was refused (`reason` says why) or the store was unreachable."""

    def __init__(self, action: str, reason: str, *, unavailable: bool = False) -> None:
        super().__init__()
        self.action = action
        self.reason = reason
        self.unavailable = unavailable


class QueueRead(Message):
    """A fresh view of the queue for the queue panel."""

    def __init__(self, view: object) -> None:
        super().__init__()
        self.view = view


class DraftSaved(Message):
    def __init__(self, draft: dict[str, object], ok: bool, reason: str = "") -> None:
        super().__init__()
        self.draft = draft
        self.ok = ok
        self.reason = reason


class Moved(Message):
    """The desk's customer was moved by someone else; `text` says what became of them."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
