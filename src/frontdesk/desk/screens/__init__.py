"""The desk console's screens: log-in, today's services, the console itself, and the
dialogs it opens (each a `ModalScreen[T]` that returns a typed result)."""

from frontdesk.desk.screens.appointments import AppointmentsScreen
from frontdesk.desk.screens.choose import ChooseServicesScreen
from frontdesk.desk.screens.confirm import ConfirmScreen
from frontdesk.desk.screens.console import ConsoleScreen
from frontdesk.desk.screens.follow_up import FollowUpScreen
from frontdesk.desk.screens.login import LoggedIn, LoginScreen
from frontdesk.desk.screens.pause import PauseScreen
from frontdesk.desk.screens.pick_ticket import PickTicketScreen
from frontdesk.desk.screens.transfer import TransferChoice, TransferScreen

__all__ = [
    "AppointmentsScreen",
    "ChooseServicesScreen",
    "ConfirmScreen",
    "ConsoleScreen",
    "FollowUpScreen",
    "LoggedIn",
    "LoginScreen",
    "PauseScreen",
    "PickTicketScreen",
    "TransferChoice",
    "TransferScreen",
]
