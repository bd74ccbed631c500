"""Set-up shared by the app tests: the sample council on a fresh SQLite store."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from frontdesk.clock import VirtualClock
from frontdesk.services.wiring import Services, initialise, open_services
from frontdesk.ui.i18n import set_language

COUNCIL = Path(__file__).resolve().parents[2] / "examples" / "council.toml"


@pytest.fixture
def store(sqlite_template: Path, tmp_path: Path, clock: VirtualClock) -> Iterator[Services]:
    """Services on a fresh store with the sample council; English again afterwards."""
    path = tmp_path / "kiosk.db"
    shutil.copyfile(sqlite_template, path)
    services = open_services(f"sqlite:///{path}", clock)
    initialise(services, COUNCIL)
    yield services
    services.close()
    set_language("en")
