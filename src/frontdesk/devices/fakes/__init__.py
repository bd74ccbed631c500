"""Devices that pretend, for tests, benchmarks and demonstrations without hardware: a
ticket printer in memory, and a network receipt printer on 127.0.0.1 that speaks ESC/POS
and its status replies."""

from frontdesk.devices.fakes.network_printer import FAKE_MODES, FakeMode, FakeNetworkPrinter
from frontdesk.devices.fakes.ticket_printer import FakeTicketPrinter

__all__ = ["FAKE_MODES", "FakeMode", "FakeNetworkPrinter", "FakeTicketPrinter"]
