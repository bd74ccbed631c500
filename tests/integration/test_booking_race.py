"""Two (or more) people booking the last slot at once: exactly one succeeds, the others
are offered the next slots. Each booker is its own process with its own engine
('spawn'), as separate kiosks or web sessions would be, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import multiprocessing as mp
import queue
import traceback
from datetime import datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from frontdesk.clock import VirtualClock
from frontdesk.services.wiring import Services, open_services
from frontdesk.store import appointment_store as aps

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
BOOKERS = 6
TYPE, CENTRE = "HB-INTERVIEW", "CIVIC"
JOIN_SECONDS = 120  # a safety net against a hung child, not a performance threshold


def booker(url: str, now: datetime, slot: datetime, go: Any, results: Any) -> None:
    """Connect and load the reference data, wait for everyone, then book `slot`."""
    from frontdesk.services.appointments import SlotTaken

    try:
        svc = open_services(url, VirtualClock(now))
        svc.appointments.kind(TYPE)  # connect and read the reference data first
        go.wait(60)
        try:
            b = svc.appointments.book(TYPE, CENTRE, slot, name="Racer")
        except SlotTaken as exc:
            results.put(("taken", (str(exc), [o.starts_at for o in exc.alternatives])))
        else:
            results.put(("booked", b.reference))
        svc.close()
    except BaseException:
        results.put(("error", traceback.format_exc()))
        raise


def _last_slot_of_the_day(services: Services) -> datetime:
    """Book the Civic Centre's interview slots one by one until whoever books the first
    free one takes the last of the day (the others left overlap it)."""
    ap = services.appointments
    buffer = timedelta(minutes=ap.kind(TYPE).buffer_minutes)
    while True:
        offers = ap.slots(TYPE, centre=CENTRE, limit=20)
        first = offers[0]
        today = [o for o in offers if o.starts_at.date() == first.starts_at.date()]
        if all(o.starts_at < first.ends_at + buffer for o in today):
            return first.starts_at
        ap.book(TYPE, CENTRE, first.starts_at)


def test_exactly_one_booking_for_the_last_slot(
    services: Services, clock: VirtualClock, backend: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The children import this module by its name (tests.integration.test_booking_race).
    monkeypatch.syspath_prepend(str(ROOT))
    slot = _last_slot_of_the_day(services)
    today = slot.date()
    ctx = mp.get_context("spawn")
    go, results = ctx.Barrier(BOOKERS + 1), ctx.Queue()
    procs = [
        ctx.Process(target=booker, args=(backend.url, clock.now(), slot, go, results), daemon=True)
        for _ in range(BOOKERS)
    ]
    outcomes: list[tuple[str, Any]] = []
    try:
        for p in procs:
            p.start()
        go.wait(JOIN_SECONDS)
        for _ in procs:
            try:
                outcomes.append(results.get(timeout=JOIN_SECONDS))
            except queue.Empty:
                outcomes.append(("error", "a booker did not report"))
                break
    finally:
        for p in procs:
            p.join(JOIN_SECONDS)
            if p.is_alive():
                p.kill()
    errors = [payload for kind, payload in outcomes if kind == "error"]
    assert not errors, "\n".join(errors)
    booked = [payload for kind, payload in outcomes if kind == "booked"]
    taken = [payload for kind, payload in outcomes if kind == "taken"]
    assert len(booked) == 1, outcomes
    assert len(taken) == BOOKERS - 1
    for message, alternatives in taken:
        assert "has just been taken" in message
        assert alternatives, "the others are offered the next slots"
        assert all(a > slot for a in alternatives)
        assert alternatives[0].date() != today, "it was the last slot of the day"

    with services.uow.read() as s:
        rows = aps.bookings_between(s, slot - timedelta(hours=12), slot + timedelta(hours=12))
    live = [r for r in rows if r.status in ("booked", "checked_in")]
    assert [r.reference for r in live if r.starts_at == slot] == [booked[0].replace("-", "")]
    spans = sorted((r.starts_at, r.busy_until) for r in live)
    assert all(a[1] <= b[0] for a, b in pairwise(spans)), "no overlapping bookings"
    winner = services.appointments.find(booked[0])
    assert winner.starts_at == slot and winner.status == "booked"
