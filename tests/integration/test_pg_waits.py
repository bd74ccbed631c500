"""PostgreSQL waits are bounded like SQLite's busy timeout: while another connection
holds a lock, issue and call-next give up after the lock timeout with the same clear
"busy" message (StoreUnavailable), and nothing is written."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text

from frontdesk import sample
from frontdesk.clock import SystemClock
from frontdesk.errors import InvalidInput, StoreUnavailable
from frontdesk.services.wiring import Services, initialise, open_services
from frontdesk.store.engine import make_engine
from tests.conftest import truncate_all

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_services(pg_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[Services]:
    truncate_all(pg_engine)
    monkeypatch.setenv("FRONTDESK_PG_LOCK_TIMEOUT", "0.5")
    svc = open_services(pg_engine.url.render_as_string(hide_password=False), SystemClock())
    try:
        initialise(svc, sample.council())
        svc.queue.issue("CIVIC", "CTAX")
        yield svc
    finally:
        svc.close()


def _terminate(engine: Engine, pid: int) -> None:
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})


def test_a_held_lock_makes_issue_and_call_next_say_busy(
    pg_services: Services, pg_engine: Engine
) -> None:
    with pg_engine.connect() as holder:
        holder.execute(text("LOCK TABLE ticket IN ACCESS EXCLUSIVE MODE"))
        pid = holder.execute(text("SELECT pg_backend_pid()")).scalar_one()
        # Without a lock timeout the actions would wait for as long as the lock is held:
        # end the holder after a minute, so such a wait ends in success (and the test
        # fails) rather than hanging.
        release = threading.Timer(60, _terminate, (pg_engine, pid))
        release.start()
        for action in (
            lambda: pg_services.queue.issue("CIVIC", "CTAX"),
            lambda: pg_services.queue.call_next("CIVIC", "1"),
        ):
            with pytest.raises(StoreUnavailable) as caught:
                action()
            assert str(caught.value) == (
                "the store is busy (locked by another process); nothing was saved"
            )
        release.cancel()
        holder.rollback()
    with pg_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM ticket")).scalar_one() == 1
    assert pg_services.queue.issue("CIVIC", "CTAX").ticket  # free again


def test_the_timeouts_are_settable_and_checked(
    pg_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = pg_engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("FRONTDESK_PG_LOCK_TIMEOUT", "2.5")
    monkeypatch.setenv("FRONTDESK_PG_STATEMENT_TIMEOUT", "40")
    engine = make_engine(url, pool_size=1)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SHOW lock_timeout")).scalar_one() == "2500ms"
            assert conn.execute(text("SHOW statement_timeout")).scalar_one() == "40s"
    finally:
        engine.dispose()
    monkeypatch.setenv("FRONTDESK_PG_LOCK_TIMEOUT", "nan")
    with pytest.raises(InvalidInput, match="FRONTDESK_PG_LOCK_TIMEOUT"):
        make_engine(url)
