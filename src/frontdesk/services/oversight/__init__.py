"""The supervisor's live view: every centre against its standard, breaches foreseen,
actions advised and applied. `OversightService` is the face; the views are frozen
dataclasses (`frontdesk.services.oversight.views`)."""

from frontdesk.services.oversight.actions import NotASupervisor
from frontdesk.services.oversight.service import OversightService
from frontdesk.services.oversight.views import (
    Action,
    Advice,
    AlertEntry,
    CentreRow,
    CentreView,
    CouncilView,
    DeskNotice,
    DeskRow,
    HourFigures,
    Level,
    Outlook,
    ServiceOutlookView,
    ServiceRow,
)

__all__ = [
    "Action",
    "Advice",
    "AlertEntry",
    "CentreRow",
    "CentreView",
    "CouncilView",
    "DeskNotice",
    "DeskRow",
    "HourFigures",
    "Level",
    "NotASupervisor",
    "Outlook",
    "OversightService",
    "ServiceOutlookView",
    "ServiceRow",
]
