"""Errors a user can act on. Each message names the thing that was wrong and what is accepted."""

from __future__ import annotations


class FrontdeskError(Exception):
    """Base for errors shown to users as one line."""


class NotFound(FrontdeskError):
    """An unknown code or id (centre, service, desk, ticket…)."""


class InvalidInput(FrontdeskError):
    """A value that is malformed or out of range."""


class IllegalStep(FrontdeskError):
    """A state-machine step that is not allowed from the ticket's current state."""


class TicketTaken(IllegalStep):
    """Another desk has called the ticket first (or is serving it)."""


class DeskBusy(FrontdeskError):
    """The desk still holds a customer and must finish with them first."""


class StoreUnavailable(FrontdeskError):
    """The store is locked or unreachable; nothing was written."""
