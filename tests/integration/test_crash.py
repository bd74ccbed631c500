"""kill -9 mid-action: the store stays consistent and numbering carries on (DESIGN §5)."""

from __future__ import annotations

import multiprocessing as mp
import queue
import random
import time
from typing import Any

import pytest
import store_workers
from sqlalchemy import text

from frontdesk.services.wiring import Services

pytestmark = pytest.mark.slow

KILLS = 4
WAIT_SECONDS = 120  # a safety net against a hung child, not a performance threshold


def _tickets(services: Services) -> int:
    with services.engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM ticket")).scalar_one())


def test_kill_9_leaves_the_store_consistent(services: Services, backend: Any) -> None:
    ctx = mp.get_context("spawn")
    rng = random.Random()
    before = 0
    for round_ in range(KILLS):
        ready = ctx.Event()
        p = ctx.Process(target=store_workers.churn, args=(backend.url, round_, ready), daemon=True)
        p.start()
        try:
            assert ready.wait(WAIT_SECONDS), "the churning process never issued a ticket"
            time.sleep(rng.uniform(0.05, 0.8))
            assert p.is_alive(), f"the churning process died by itself ({p.exitcode})"
        finally:
            p.kill()  # SIGKILL
            p.join(WAIT_SECONDS)
        assert p.exitcode == -9
        assert store_workers.consistency_problems(services.engine) == [], f"after kill {round_ + 1}"
        now = _tickets(services)
        assert now > before  # it did work each time
        before = now

    # A new process carries on numbering where the killed ones stopped.
    results = ctx.Queue()
    p = ctx.Process(target=store_workers.issue_batch, args=(backend.url, 16, results), daemon=True)
    p.start()
    try:
        kind, payload = results.get(timeout=WAIT_SECONDS)
    except queue.Empty:
        kind, payload = "error", "the issuing process did not report"
    p.join(WAIT_SECONDS)
    assert kind == "issued", payload
    assert p.exitcode == 0
    assert len(payload) == 16
    assert _tickets(services) == before + 16
    assert store_workers.consistency_problems(services.engine) == []
