"""Set-up shared by the app tests: the sample council on a fresh SQLite store."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from frontdesk.clock import VirtualClock
from frontdesk.services.wiring import Services, initialise, open_services
from frontdesk.ui.i18n import set_language

COUNCIL = Path(__file__).resolve().parents[2] / "examples" / "council.toml"
# The supervisor's tests share supervisor_support.py (importlib import mode).
if str(Path(__file__).parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """The SQLite file the app tests' store lives in (tests read it directly)."""
    return tmp_path / "t.db"


@pytest.fixture
def council(sqlite_template: Path, db: Path, clock: VirtualClock) -> Iterator[Services]:
    """Services on a fresh store with the sample council, on the tests' clock."""
    shutil.copyfile(sqlite_template, db)
    services = open_services(f"sqlite:///{db}", clock)
    initialise(services, COUNCIL)
    yield services
    services.close()


@pytest.fixture
def services(council: Services) -> Services:
    """The council with an adviser who can log in to a desk (AB, PIN 1234)."""
    council.staff.add("AB", "Alice", "adviser", "1234")
    return council


@pytest.fixture
def store(council: Services) -> Iterator[Services]:
    """The kiosk's store; English again afterwards."""
    yield council
    set_language("en")
