"""Shared fixtures: a migrated store on each backend and services wired to it.

* ``backend`` runs a test on SQLite and on PostgreSQL. SQLite gets a fresh file per test,
  copied from a template migrated once per session. PostgreSQL uses the server at
  ``FRONTDESK_TEST_PG_URL`` (see ``scripts/pgtest.sh``), migrated once per session and
  truncated before each test. Without that server the PostgreSQL cases are skipped —
  except in CI (``CI=true``), where a missing server is a failure.
* ``services`` is ``open_services(url, clock)`` with the sample council (``frontdesk.sample``)
  loaded.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, inspect, text

from frontdesk import sample
from frontdesk.clock import VirtualClock
from frontdesk.services.wiring import Services, initialise, open_services
from frontdesk.store import migrate
from frontdesk.store.engine import make_engine

ROOT = Path(__file__).resolve().parents[1]
# tests/integration/store_workers.py holds the bodies of the multi-process tests. The
# children are started with 'spawn' and import it by name, so its folder must be on
# sys.path (which spawn hands down) whatever pytest's import mode.
WORKERS_DIR = str(ROOT / "tests" / "integration")
if WORKERS_DIR not in sys.path:
    sys.path.insert(0, WORKERS_DIR)
PG_ENV = "FRONTDESK_TEST_PG_URL"
SESSION_LOCK = 0x66726F6E74  # advisory lock key: one pytest session per test database
LONDON = ZoneInfo("Europe/London")
# A Monday morning in the winter (GMT), well inside the Civic Centre's opening hours.
START = datetime(2026, 3, 2, 9, 0, tzinfo=LONDON)


@dataclass(frozen=True)
class Backend:
    name: str  # "sqlite" | "postgresql"
    url: str

    @property
    def is_postgres(self) -> bool:
        return self.name == "postgresql"


# -- SQLite ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite file migrated to head once per session; each test gets a copy."""
    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    try:
        migrate.upgrade(engine)
        with engine.connect() as conn:
            # Fold the WAL into the main file so a plain copy is the whole database.
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        engine.dispose()
    return path


# -- PostgreSQL -----------------------------------------------------------------------


def _no_postgres(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(
            f"PostgreSQL tests cannot run in CI: {reason}. Start a server with "
            f"`export {PG_ENV}=$(scripts/pgtest.sh start)`.",
            pytrace=False,
        )
    pytest.skip(f"PostgreSQL not available: {reason} (set {PG_ENV}; see scripts/pgtest.sh)")


@pytest.fixture(scope="session")
def pg_engine() -> Iterator[Engine]:
    """The test server's engine, migrated once per session."""
    url = os.environ.get(PG_ENV, "").strip()
    if not url:
        _no_postgres(f"{PG_ENV} is not set")
    engine = make_engine(url, pool_size=2)
    problem = None
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # unreachable server, bad credentials, missing database
        first = str(getattr(exc, "orig", exc)).strip().splitlines()
        problem = f"cannot connect to {url}: {first[0] if first else type(exc).__name__}"
    if problem is not None:
        engine.dispose()
        _no_postgres(problem)
    # One test session at a time per database: another session's TRUNCATE would pull
    # the rows from under this one. The lock is held on its own connection until the end.
    guard = engine.connect()
    try:
        guard.execute(text("SELECT pg_advisory_lock(:key)"), {"key": SESSION_LOCK})
        guard.commit()
        migrate.upgrade(engine)
        yield engine
    finally:
        guard.close()
        engine.dispose()


def truncate_all(engine: Engine) -> None:
    tables = [t for t in inspect(engine).get_table_names() if t != "alembic_version"]
    if tables:
        names = ", ".join(f'"{t}"' for t in tables)
        with engine.begin() as conn:
            conn.execute(text("SET LOCAL lock_timeout = '10s'"))
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


# -- the parametrised backend and the services on it ----------------------------------


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    """A migrated, empty store on each backend."""
    if request.param == "sqlite":
        path = tmp_path / "frontdesk.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return Backend("sqlite", f"sqlite:///{path}")
    engine: Engine = request.getfixturevalue("pg_engine")
    truncate_all(engine)
    return Backend("postgresql", engine.url.render_as_string(hide_password=False))


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock(START)


@pytest.fixture
def services(backend: Backend, clock: VirtualClock) -> Iterator[Services]:
    """Services on the backend's store with the sample council loaded."""
    svc = open_services(backend.url, clock)
    try:
        initialise(svc, sample.council())
        yield svc
    finally:
        svc.close()
