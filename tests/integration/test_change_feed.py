"""The change feed wakes live screens for every kind of write, on both backends.

On PostgreSQL most writes no longer send their own NOTIFY: the event log's trigger
(migration 0007) does it, and the claim statement notifies itself. Each step below must
still wake a watcher, and a quiet store must not."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from frontdesk.services.results import Query
from frontdesk.services.wiring import Services
from frontdesk.store.changes import ChangeWatcher

CIVIC = "CIVIC"


@pytest.fixture
def watcher(services: Services) -> Iterator[ChangeWatcher]:
    w = ChangeWatcher(services.engine)
    yield w
    w.close()


def _wakes(watcher: ChangeWatcher, action: Callable[[], object]) -> bool:
    watcher.wait(0.05)  # forget anything earlier
    action()
    return watcher.wait(2.0)


def test_every_step_wakes_the_live_screens(services: Services, watcher: ChangeWatcher) -> None:
    q = services.queue
    assert not watcher.wait(0.3), "nothing happened, so nothing to see"
    assert _wakes(watcher, lambda: q.issue(CIVIC, "CTAX"))
    assert _wakes(watcher, lambda: q.call_next(CIVIC, "1"))
    assert _wakes(watcher, lambda: q.start(CIVIC, "1"))
    assert _wakes(watcher, lambda: q.complete(CIVIC, "1", [Query(resolved=True)]))
    # A write that logs no ticket event still notifies.
    assert _wakes(
        watcher, lambda: services.desks.set_status(CIVIC, "1", "paused", None, reason="break")
    )
