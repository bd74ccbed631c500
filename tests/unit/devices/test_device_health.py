from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from frontdesk.devices.health import (
    DeviceHealth,
    DeviceStatus,
    InMemoryDeviceHealth,
    describe,
    device_label,
)
from frontdesk.devices.printer_status import PrinterStatus

LONDON = ZoneInfo("Europe/London")


def test_describe_uses_local_time() -> None:
    # 09:42 UTC in summer is 10:42 in London.
    health = DeviceHealth(
        "CIVIC/kiosk-1/printer", DeviceStatus.PAPER_OUT, datetime(2026, 6, 1, 9, 42, tzinfo=UTC)
    )

    assert describe(health, LONDON) == "Kiosk 1 printer: paper out since 10:42"


def test_describe_shows_the_date_of_an_older_reading() -> None:
    since = datetime(2026, 3, 2, 16, 5, tzinfo=UTC)
    health = DeviceHealth("CIVIC/kiosk-2/printer", DeviceStatus.OFFLINE, since)

    text = describe(health, LONDON, now=since + timedelta(days=1))

    assert text == "Kiosk 2 printer: offline since Mon 2 Mar 16:05"


@pytest.mark.parametrize(
    ("device_id", "label"),
    [
        ("CIVIC/kiosk-1/printer", "Kiosk 1 printer"),
        ("CIVIC/board/speaker", "Board speaker"),
        ("CIVIC/notifications/sms", "Notifications SMS gateway"),
    ],
)
def test_device_labels(device_id: str, label: str) -> None:
    assert device_label(device_id) == label


def test_since_is_kept_while_the_status_is_unchanged() -> None:
    repository = InMemoryDeviceHealth()
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    repository.record("CIVIC/kiosk-1/printer", DeviceStatus.PAPER_LOW, start)
    same = repository.record(
        "CIVIC/kiosk-1/printer", DeviceStatus.PAPER_LOW, start + timedelta(minutes=5)
    )
    changed = repository.record(
        "CIVIC/kiosk-1/printer", DeviceStatus.PAPER_OUT, start + timedelta(minutes=9), "no paper"
    )

    assert same.since == start
    assert changed.since == start + timedelta(minutes=9) and changed.detail == "no paper"
    assert repository.get("CIVIC/kiosk-1/printer") == changed


def test_for_centre_lists_only_that_centre() -> None:
    repository = InMemoryDeviceHealth()
    now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    repository.record("CIVIC/kiosk-2/printer", DeviceStatus.ONLINE, now)
    repository.record("CIVIC/kiosk-1/printer", DeviceStatus.ONLINE, now)
    repository.record("LIBRARY/kiosk-1/printer", DeviceStatus.OFFLINE, now)

    ids = [health.device_id for health in repository.for_centre("CIVIC")]

    assert ids == ["CIVIC/kiosk-1/printer", "CIVIC/kiosk-2/printer"]


def test_printer_status_maps_to_device_status() -> None:
    assert DeviceStatus.from_printer(PrinterStatus.COVER_OPEN) is DeviceStatus.COVER_OPEN
    assert DeviceStatus.from_printer(PrinterStatus.UNKNOWN).needs_attention
    assert not DeviceStatus.ONLINE.needs_attention


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        DeviceHealth("CIVIC/kiosk-1/printer", DeviceStatus.ONLINE, datetime(2026, 3, 2, 9, 0))
