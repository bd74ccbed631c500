"""Many kiosks and desks at once, each its own process with its own engine.

Two desks must never call the same ticket and two kiosks must never print the same
number (DESIGN §2: BEGIN IMMEDIATE on SQLite, SKIP LOCKED on PostgreSQL).
"""

from __future__ import annotations

import multiprocessing as mp
import queue
from collections import Counter
from typing import Any

import pytest
import store_workers
from sqlalchemy import text

from frontdesk.services.wiring import Services

pytestmark = pytest.mark.slow

ISSUERS = 4
PER_ISSUER = 25
JOIN_SECONDS = 120  # a safety net against a hung child, not a performance threshold


def _collect(results: Any, expected: int) -> tuple[list[Any], list[str]]:
    got: list[Any] = []
    errors: list[str] = []
    while len(got) + len(errors) < expected:
        try:
            kind, payload = results.get(timeout=JOIN_SECONDS)
        except queue.Empty:
            errors.append(f"only {len(got) + len(errors)} of {expected} processes reported")
            break
        (errors if kind == "error" else got).append(payload)
    return got, errors


def test_issuers_and_desks_in_parallel(services: Services, backend: Any) -> None:
    ctx = mp.get_context("spawn")
    procs = ISSUERS + len(store_workers.DESKS)
    # Everyone connects first, then all start together.
    go, issuing_done, results = ctx.Barrier(procs + 1), ctx.Event(), ctx.Queue()
    issuers = [
        ctx.Process(
            target=store_workers.issuer,
            args=(backend.url, seed, PER_ISSUER, go, results),
            daemon=True,
        )
        for seed in range(ISSUERS)
    ]
    callers = [
        ctx.Process(
            target=store_workers.caller,
            args=(backend.url, desk, go, issuing_done, results),
            daemon=True,
        )
        for desk in store_workers.DESKS
    ]
    try:
        for p in issuers + callers:
            p.start()
        go.wait(JOIN_SECONDS)
        issued_lists, errors = _collect(results, ISSUERS)
        issuing_done.set()
        served_lists, more_errors = _collect(results, len(callers))
        errors += more_errors
        for p in issuers + callers:
            p.join(JOIN_SECONDS)
    finally:
        for p in issuers + callers:
            if p.is_alive():
                p.kill()
                p.join()
    assert not errors, "\n".join(errors)
    assert [p.exitcode for p in issuers + callers] == [0] * (ISSUERS + len(callers))

    issued = [t for batch in issued_lists for t in batch]
    assert len(issued) == ISSUERS * PER_ISSUER
    served = [tid for _desk, ids in served_lists for tid in ids]
    # Every ticket was called by exactly one desk, once.
    assert Counter(served) == Counter(tid for tid, _label in issued)

    with services.engine.connect() as conn:
        calls = dict(
            conn.execute(
                text(
                    "SELECT ticket_id, count(*) FROM ticket_event"
                    " WHERE step = 'called' GROUP BY ticket_id"
                )
            ).all()
        )
        tickets = conn.execute(
            text("SELECT id, centre_id, business_day, label, status FROM ticket")
        ).all()
        held = conn.execute(
            text("SELECT count(*) FROM desk WHERE current_ticket_id IS NOT NULL")
        ).scalar_one()
    assert len(tickets) == ISSUERS * PER_ISSUER
    assert {t.id: calls.get(t.id, 0) for t in tickets} == {t.id: 1 for t in tickets}
    numbers = Counter((t.centre_id, str(t.business_day), t.label) for t in tickets)
    assert [k for k, n in numbers.items() if n > 1] == []
    assert {t.status for t in tickets} == {"done"}
    assert held == 0
    assert store_workers.consistency_problems(services.engine) == []
