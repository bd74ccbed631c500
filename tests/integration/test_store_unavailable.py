"""Store unreachable or locked: a clear one-line StoreUnavailable, nothing written."""

from __future__ import annotations

import socket
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from frontdesk import sample
from frontdesk.clock import SystemClock, VirtualClock
from frontdesk.errors import StoreUnavailable
from frontdesk.services.wiring import Services, initialise, open_services
from frontdesk.store import engine as store_engine


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_postgres_nobody_listening() -> None:
    port = _free_port()
    svc = open_services(f"postgresql+psycopg://postgres@127.0.0.1:{port}/frontdesk", SystemClock())
    try:
        with pytest.raises(StoreUnavailable) as caught:
            svc.queue.issue("CIVIC", "CTAX")
    finally:
        svc.close()
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("the store cannot be reached; nothing was saved")
    assert str(port) in message


@pytest.fixture
def locked_sqlite(tmp_path: Path, sqlite_template: Path) -> Iterator[tuple[str, Any]]:
    """A migrated SQLite file and a raw connection to hold its write lock."""
    path = tmp_path / "locked.db"
    path.write_bytes(sqlite_template.read_bytes())
    other = sqlite3.connect(path, isolation_level=None, timeout=0)
    try:
        yield f"sqlite:///{path}", other
    finally:
        other.close()


def test_sqlite_locked_longer_than_the_busy_timeout(
    locked_sqlite: tuple[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, other = locked_sqlite
    # Keep the test quick: the engine reads the busy timeout when it is made.
    monkeypatch.setattr(store_engine, "SQLITE_BUSY_TIMEOUT_MS", 200)
    svc = open_services(url, VirtualClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC)))
    try:
        initialise(svc, sample.council())
        assert svc.queue.issue("CIVIC", "CTAX").ticket == "C001"
        before = _counts(svc)

        other.execute("BEGIN IMMEDIATE")  # another process holds the write lock …
        try:
            with pytest.raises(StoreUnavailable) as caught:
                svc.queue.issue("CIVIC", "CTAX")
            with pytest.raises(StoreUnavailable):
                svc.queue.call_next("CIVIC", "1")
            # … reads still work (WAL) while the writers are refused.
            assert [w.ticket for w in svc.queue.snapshot("CIVIC").waiting] == ["C001"]
        finally:
            other.execute("ROLLBACK")

        message = str(caught.value)
        assert "\n" not in message
        assert message == "the store is busy (locked by another process); nothing was saved"
        assert _counts(svc) == before
        assert svc.queue.current("CIVIC", "1") is None
        # No number was used up by the refused attempt.
        assert svc.queue.issue("CIVIC", "CTAX").ticket == "C002"
    finally:
        svc.close()


def _counts(svc: Services) -> tuple[int, int, int]:
    with svc.engine.connect() as conn:
        return tuple(  # type: ignore[return-value]
            int(conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one())
            for t in ("ticket", "ticket_event", "number_counter")
        )
