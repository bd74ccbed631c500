"""The kiosk's widgets: the big numbered touch buttons and the QR code phones scan."""

from frontdesk.kiosk.widgets.choice_button import ChoiceButton
from frontdesk.kiosk.widgets.qr_code import QRCode

__all__ = ["ChoiceButton", "QRCode"]
