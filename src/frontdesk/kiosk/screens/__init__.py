"""The kiosk's screens, one step of the visitor's way each.

A screen opens a screen of another module by name (`KioskHost.show`); `BY_NAME` says
what each name opens. Textual's own `SCREENS` would keep one instance per name, but every
visitor gets fresh screens.
"""

from collections.abc import Callable

from frontdesk.kiosk.host import ScreenName
from frontdesk.kiosk.screens.appointments import CheckinScreen, LateScreen
from frontdesk.kiosk.screens.base import KioskScreen
from frontdesk.kiosk.screens.booking import BookTypeScreen, ContactScreen, SlotScreen
from frontdesk.kiosk.screens.estimate import EstimateScreen
from frontdesk.kiosk.screens.flow import (
    InterpreterScreen,
    NeedsScreen,
    PriorityScreen,
    ServicesScreen,
    TopicsScreen,
)
from frontdesk.kiosk.screens.language import (
    ClosedScreen,
    LanguageScreen,
    StartingScreen,
    WelcomeScreen,
)
from frontdesk.kiosk.screens.quick import QuickQueryScreen
from frontdesk.kiosk.screens.staff import AdminExitScreen, GreeterHomeScreen, StaffLoginScreen
from frontdesk.kiosk.screens.ticket import OnlineScreen, OtherCentreScreen, TicketScreen

BY_NAME: dict[ScreenName, Callable[..., KioskScreen]] = {
    "language": LanguageScreen,
    "services": ServicesScreen,
    "needs": NeedsScreen,
    "estimate": EstimateScreen,
    "checkin": CheckinScreen,
    "book-type": BookTypeScreen,
    "slots": SlotScreen,
    "ticket": TicketScreen,
    "other-centre": OtherCentreScreen,
    "online": OnlineScreen,
    "quick-query": QuickQueryScreen,
}

__all__ = [
    "BY_NAME",
    "AdminExitScreen",
    "BookTypeScreen",
    "CheckinScreen",
    "ClosedScreen",
    "ContactScreen",
    "EstimateScreen",
    "GreeterHomeScreen",
    "InterpreterScreen",
    "KioskScreen",
    "LanguageScreen",
    "LateScreen",
    "NeedsScreen",
    "OnlineScreen",
    "OtherCentreScreen",
    "PriorityScreen",
    "QuickQueryScreen",
    "ServicesScreen",
    "SlotScreen",
    "StaffLoginScreen",
    "StartingScreen",
    "TicketScreen",
    "TopicsScreen",
    "WelcomeScreen",
]
