"""The benchmark's worker processes (multiprocessing, spawn).

A worker lives for the whole run and takes tasks from its own inbox. For each store it
keeps one `open_services(url)` (the product, as a desk console would) and one raw DBAPI
connection (the baseline), opened and warmed before anything is timed. Only the measured
call is timed; releasing the customer afterwards is not.
"""

from __future__ import annotations

import contextlib
import random
import time
import traceback
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import fdbench_store as st

CENTRE = "CIVIC"


@dataclass
class _Conns:
    services: Any = None
    raw: st.Raw | None = None
    claim_sql: dict[int, str] | None = None


def _conns(cache: dict[str, _Conns], url: str) -> _Conns:
    c = cache.get(url)
    if c is None:
        from frontdesk.services.wiring import open_services

        c = cache[url] = _Conns(claim_sql={})
        c.services = open_services(url)
        c.services.queue.catalogue()  # reference data, read once per process
        c.raw = st.connect_raw(url)
    return c


def _close(cache: dict[str, _Conns], url: str) -> None:
    c = cache.pop(url, None)
    if c is None:
        return
    if c.raw is not None:
        c.raw.close()
    if c.services is not None:
        c.services.close()


def _wait_until(at: float) -> None:
    delay = at - time.time()
    if delay > 0:
        time.sleep(delay)


def _task_open(cache: dict[str, _Conns], msg: dict[str, Any]) -> dict[str, Any]:
    c = _conns(cache, msg["url"])
    # Warm the product's paths once (statement caches, pool) without touching tickets.
    c.services.queue.snapshot(CENTRE)
    return {"ok": True}


def _task_call(cache: dict[str, _Conns], msg: dict[str, Any]) -> dict[str, Any]:
    """Call the desk's next customer until the queue has nobody for this desk or the
    deadline passes; time only the call itself."""
    from frontdesk.services.results import Query

    c = _conns(cache, msg["url"])
    impl: str = msg["impl"]
    desk: str = msg["desk"]
    desk_id: int = msg["desk_id"]
    centre_id: int = msg["centre_id"]
    service_ids: list[int] = msg["service_ids"]
    pause: float = msg.get("pause", 0.0)
    # "raw": the customer is let go by the same hand-written SQL as the baseline's;
    # "product": through the product's start and complete, as a desk would.
    release_by: str = msg.get("release", "raw")
    deadline: float = msg["deadline"]
    rng = random.Random(msg.get("seed"))
    q = c.services.queue
    raw = c.raw
    assert raw is not None and c.claim_sql is not None
    claim = c.claim_sql.get(len(service_ids)) or c.claim_sql.setdefault(
        len(service_ids), st.claim_sql(raw, len(service_ids))
    )
    done = [Query(resolved=True)]
    durations: list[float] = []
    ids: list[int] = []
    errors: list[str] = []
    release = 0.0
    perf = time.perf_counter
    _wait_until(msg["start_at"])
    begin = time.time()
    while time.time() < deadline:
        if pause:
            time.sleep(rng.uniform(0.0, pause))
        try:
            if impl == "product":
                t0 = perf()
                got = q.call_next(CENTRE, desk)
                dt = perf() - t0
                if got is None:
                    break
                durations.append(dt)
                ids.append(got.id)
                t1 = perf()
                if release_by == "product":
                    q.start(CENTRE, desk)
                    q.complete(CENTRE, desk, done)
                else:
                    st.raw_release(raw, got.id, desk_id)
                release += perf() - t1
            else:
                t0 = perf()
                tid = st.baseline_call(raw, claim, desk_id, centre_id, service_ids)
                dt = perf() - t0
                if tid is None:
                    break
                durations.append(dt)
                ids.append(tid)
                t1 = perf()
                st.raw_release(raw, tid, desk_id)
                release += perf() - t1
        except Exception as exc:  # counted and reported
            errors.append(f"{type(exc).__name__}: {exc}")
            if len(errors) > 20:
                break
            time.sleep(0.01)
    return {
        "durations": durations,
        "ids": ids,
        "errors": errors,
        "release": release,
        "begin": begin,
        "end": time.time(),
    }


def _task_issue(cache: dict[str, _Conns], msg: dict[str, Any]) -> dict[str, Any]:
    """Issue tickets (a mix of services) until the deadline; time each issue."""
    from frontdesk.queue.numbering import business_day

    c = _conns(cache, msg["url"])
    impl: str = msg["impl"]
    mix: list[tuple[str, int, str]] = msg["mix"]  # (code, service id, prefix)
    centre_id: int = msg["centre_id"]
    tz: str = msg["timezone"]
    deadline: float = msg["deadline"]
    q = c.services.queue
    raw = c.raw
    assert raw is not None
    durations: list[float] = []
    errors: list[str] = []
    perf = time.perf_counter
    i = msg.get("offset", 0)
    _wait_until(msg["start_at"])
    begin = time.time()
    while time.time() < deadline:
        code, service_id, prefix = mix[i % len(mix)]
        i += 1
        try:
            if impl == "product":
                t0 = perf()
                q.issue(CENTRE, code)
                durations.append(perf() - t0)
            else:
                t0 = perf()
                day = business_day(datetime.now(UTC), tz)
                st.baseline_issue(raw, centre_id, service_id, prefix, day)
                durations.append(perf() - t0)
        except Exception as exc:  # counted and reported
            errors.append(f"{type(exc).__name__}: {exc}")
            if len(errors) > 20:
                break
            time.sleep(0.01)
    return {
        "durations": durations,
        "ids": [],
        "errors": errors,
        "release": 0.0,
        "begin": begin,
        "end": time.time(),
    }


TASKS = {"open": _task_open, "call": _task_call, "issue": _task_issue}


def worker_main(idx: int, inbox: Any, outbox: Any) -> None:
    cache: dict[str, _Conns] = {}
    while True:
        msg = inbox.get()
        task = msg["task"]
        if task == "stop":
            break
        if task == "close":
            with contextlib.suppress(Exception):
                _close(cache, msg["url"])
            outbox.put((idx, {"ok": True}))
            continue
        try:
            result = TASKS[task](cache, msg)
        except BaseException as exc:  # the parent reports it
            result = {"fatal": f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"}
        outbox.put((idx, result))
    for url in list(cache):
        _close(cache, url)
