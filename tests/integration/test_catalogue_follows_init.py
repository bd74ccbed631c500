"""A re-run `frontdesk init` reaches every running process: another Services on the same
store sees a centre's changed hours and a new desk within a second, without a restart."""

from __future__ import annotations

import time
import tomllib
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from frontdesk import sample
from frontdesk.clock import VirtualClock
from frontdesk.config import CentresFile, parse_centres
from frontdesk.services.wiring import Services, initialise, open_services
from tests.conftest import Backend


def changed_council() -> CentresFile:
    """The sample council with the Civic Centre open late on Mondays and a desk 9."""
    raw: dict[str, Any] = tomllib.loads(sample.council_text())
    civic = next(c for c in raw["centre"] if c["code"] == "CIVIC")
    civic["hours"]["mon"] = "08:30-19:00"
    civic["desk"].append({"name": "9", "services": ["CTAX", "GENQ"]})
    return parse_centres(raw, source="changed council")


def eventually(check: Callable[[], bool], timeout: float = 30.0) -> None:
    """Poll until `check()` holds (generous: a loaded CI machine)."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "not seen in time"
        time.sleep(0.05)


@pytest.fixture
def other(backend: Backend, services: Services, clock: VirtualClock) -> Iterator[Services]:
    """A second process's services on the same store (say, a running kiosk)."""
    svc = open_services(backend.url, clock)
    try:
        yield svc
    finally:
        svc.close()


def test_another_process_sees_new_hours_and_a_new_desk_after_init(
    services: Services, other: Services
) -> None:
    before = other.queue.centre("CIVIC")
    assert before.hours["mon"] == "08:30-17:00" and "9" not in before.desks
    other.appointments.types("CIVIC")  # its appointment reference is cached too
    watcher = other.watch()  # what a live app's change feed runs on
    try:
        initialise(services, changed_council())
        eventually(lambda: watcher.wait(1.0))
    finally:
        watcher.close()
    # Told by the change feed, it reads the catalogue again (as `follow_store` does).
    assert other.queue.reload_if_changed() is True
    civic = other.queue.centre("CIVIC")
    assert civic.hours["mon"] == "08:30-19:00" and "9" in civic.desks
    # The new desk can be used at once from the other process.
    other.desks.set_status("CIVIC", "9", "open", None)
    issued = other.queue.issue("CIVIC", "CTAX")
    called = other.queue.call_next("CIVIC", "9")
    assert called is not None and called.ticket == issued.ticket


def test_a_catalogue_nobody_changed_is_not_read_again(services: Services, other: Services) -> None:
    first = other.queue.catalogue()
    services.queue.issue("CIVIC", "CTAX")  # the store moved, the centres file did not
    assert other.queue.reload_if_changed() is False
    assert other.queue.catalogue() is first
    initialise(services, changed_council())
    assert other.queue.reload_if_changed() is True
    assert other.queue.catalogue() is not first
    assert other.queue.reload_if_changed() is False


def test_the_appointment_reference_follows_the_catalogue(
    services: Services, other: Services
) -> None:
    assert other.appointments.kind("CALLBACK").duration_minutes == 15
    raw: dict[str, Any] = tomllib.loads(sample.council_text())
    next(t for t in raw["appointment_type"] if t["code"] == "CALLBACK")["duration_minutes"] = 20
    initialise(services, parse_centres(raw, source="longer callbacks"))
    assert other.queue.reload_if_changed() is True
    assert other.appointments.kind("CALLBACK").duration_minutes == 20


@pytest.mark.parametrize("command", [["housekeeping"], ["notify", "deliver"]])
def test_a_daemon_loop_starts_each_round_from_a_rerun_init(
    backend: Backend, services: Services, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    """`housekeeping --loop` and `notify deliver --loop` run for months: a round after a
    re-run `init` uses the new centres file, without a restart."""
    from frontdesk.cli import admin, main

    opened: list[Services] = []
    real = admin.services

    def spy(args: Any) -> Services:
        svc = real(args)
        opened.append(svc)
        return svc

    seen: list[str] = []

    def between_rounds(seconds: float) -> None:
        seen.append(opened[-1].queue.centre("CIVIC").hours["mon"])
        if len(seen) == 1:
            initialise(services, changed_council())  # another process re-runs init
            return
        raise KeyboardInterrupt  # the operator stops the daemon

    monkeypatch.setattr(admin, "services", spy)
    monkeypatch.setattr(time, "sleep", between_rounds)
    main([*command, "--db", backend.url, "--loop", "60", "--json"])
    assert seen == ["08:30-17:00", "08:30-19:00"]
