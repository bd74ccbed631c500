"""The kiosk as the demo shows it: its lockdown kept, the demo's keys its only way out."""

from __future__ import annotations

from frontdesk.demo.line import DemoMixin, bindings, stylesheet
from frontdesk.kiosk.app import KioskApp


class DemoKiosk(DemoMixin, KioskApp):
    """The centre's kiosk; the demo's keys are its only way out."""

    BINDINGS = bindings(KioskApp)
    CSS_PATH = stylesheet(KioskApp)
    demo_name = "kiosk"

    def on_mount(self) -> None:
        # The app's own on_mount runs after this one (Textual calls every class's
        # handler along the hierarchy): calling it here too would run it twice.
        self._demo_start()
