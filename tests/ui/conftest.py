"""Set-up shared by the app tests: the sample council on a fresh SQLite store."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from frontdesk import sample
from frontdesk.clock import VirtualClock
from frontdesk.services.wiring import Services, initialise, open_services
from frontdesk.ui.i18n import set_language


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """The SQLite file the app tests' store lives in (tests read it directly)."""
    return tmp_path / "t.db"


@pytest.fixture
def council(sqlite_template: Path, db: Path, clock: VirtualClock) -> Iterator[Services]:
    """Services on a fresh store with the sample council, on the tests' clock."""
    shutil.copyfile(sqlite_template, db)
    services = open_services(f"sqlite:///{db}", clock)
    initialise(services, sample.council())
    yield services
    services.close()


@pytest.fixture
def services(council: Services) -> Services:
    """The council with an adviser who can log in to a desk (AB, PIN 1234)."""
    council.staff.add("AB", "Alice", "adviser", "1234")
    return council


@pytest.fixture
def store(council: Services) -> Iterator[Services]:
    """The kiosk's store, the Civic Centre's desks open (so every service has a wait to
    promise); English again afterwards."""
    open_centre(council, "CIVIC")
    yield council
    set_language("en")


def open_centre(services: Services, centre: str) -> None:
    """Every desk of a centre open, as a reception in the middle of the morning."""
    for desk in services.queue.centre(centre).desks:
        services.desks.set_status(centre, desk, "open", None)


@pytest.fixture
def open_desks() -> Callable[[Services, str], None]:
    """`open_desks(services, centre)`: every desk of the centre open."""
    return open_centre
