"""Device health: what each kiosk printer, speaker or gateway last reported, and since when.

Desk consoles and the supervisor dashboard show these as alerts ("Kiosk 1 printer: paper out
since 10:42"). The repository is a port; an in-memory fake lives here.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo
from enum import StrEnum
from typing import Protocol

from frontdesk.devices.printer_status import PrinterStatus


class DeviceStatus(StrEnum):
    ONLINE = "online"
    OFFLINE = "offline"
    PAPER_OUT = "paper out"
    PAPER_LOW = "paper low"
    COVER_OPEN = "cover open"
    FAILING = "failing"
    UNKNOWN = "status unknown"

    @classmethod
    def from_printer(cls, status: PrinterStatus) -> DeviceStatus:
        return cls(status.value)

    @property
    def needs_attention(self) -> bool:
        return self is not DeviceStatus.ONLINE


@dataclass(frozen=True)
class DeviceHealth:
    """`device_id` is "<centre>/<station>/<device>", e.g. "CIVIC/kiosk-1/printer"."""

    device_id: str
    status: DeviceStatus
    since: datetime
    detail: str = ""

    def __post_init__(self) -> None:
        if self.since.tzinfo is None:
            raise ValueError("DeviceHealth.since must be timezone-aware (UTC)")

    @property
    def centre(self) -> str:
        return self.device_id.split("/", 1)[0]


def next_health(
    previous: DeviceHealth | None,
    device_id: str,
    status: DeviceStatus,
    now: datetime,
    detail: str = "",
) -> DeviceHealth:
    """The new reading; `since` stays put while the status is unchanged."""
    if previous is not None and previous.status == status:
        return replace(previous, detail=detail or previous.detail)
    return DeviceHealth(device_id, status, now, detail)


class DeviceHealthRepository(Protocol):
    def record(
        self, device_id: str, status: DeviceStatus, now: datetime, detail: str = ""
    ) -> DeviceHealth:
        """Store a reading; returns the health as now known (with `since` kept if unchanged)."""
        ...

    def get(self, device_id: str) -> DeviceHealth | None: ...

    def for_centre(self, centre: str) -> list[DeviceHealth]:
        """Every device of a centre, ordered by device id."""
        ...


class InMemoryDeviceHealth:
    def __init__(self) -> None:
        self._latest: dict[str, DeviceHealth] = {}
        self._lock = threading.Lock()

    def record(
        self, device_id: str, status: DeviceStatus, now: datetime, detail: str = ""
    ) -> DeviceHealth:
        with self._lock:
            health = next_health(self._latest.get(device_id), device_id, status, now, detail)
            self._latest[device_id] = health
            return health

    def get(self, device_id: str) -> DeviceHealth | None:
        with self._lock:
            return self._latest.get(device_id)

    def for_centre(self, centre: str) -> list[DeviceHealth]:
        with self._lock:
            found = [health for health in self._latest.values() if health.centre == centre]
        return sorted(found, key=lambda health: health.device_id)


_DEVICE_NAMES = {
    "printer": "printer",
    "speaker": "speaker",
    "sms": "SMS gateway",
    "email": "e-mail",
    "screen": "screen",
}


def device_label(device_id: str) -> str:
    """Name a device for people: CIVIC/kiosk-1/printer -> "Kiosk 1 printer"."""
    parts = device_id.split("/")
    station = parts[1] if len(parts) > 1 else parts[0]
    device = parts[2] if len(parts) > 2 else ""
    station_words = station.replace("-", " ").replace("_", " ").strip()
    station_words = station_words[:1].upper() + station_words[1:]
    device_words = _DEVICE_NAMES.get(device, device.replace("-", " "))
    return f"{station_words} {device_words}".strip()


def describe(health: DeviceHealth, tz: tzinfo, now: datetime | None = None) -> str:
    """One line such as "Kiosk 1 printer: paper out since 10:42", in the centre's local time.

    With `now`, a reading from an earlier local day also shows its date.
    """
    local = health.since.astimezone(tz)
    when = local.strftime("%H:%M")
    if now is not None and now.astimezone(tz).date() != local.date():
        when = f"{local.strftime('%a')} {local.day} {local.strftime('%b')} {when}"
    return f"{device_label(health.device_id)}: {health.status.value} since {when}"
