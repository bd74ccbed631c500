"""Web benchmark: 200 phones following tickets at one centre through `serve web`.

    .venv/bin/python bench/web.py [--quick] [--phones 200] [--poll 5] [--seconds 30]
                                  [--port 18710] [--pg-url URL] [--json]

Not part of the test run. Method:
- A fresh store (SQLite temp file, or a PostgreSQL database given by --pg-url, whose
  tables are emptied) with examples/council.toml. The web app runs on uvicorn in a
  process of its own (spawned), which counts its store reads with a SQLAlchemy event
  listener (statements beginning with SELECT on its engine; BEGIN/COMMIT are not reads)
  and its change-feed checks (PRAGMA data_version / LISTEN, outside SQLAlchemy).
- The crowd: `--phones` async httpx clients, each a phone with its own connection and
  its own address (X-Forwarded-For, which uvicorn trusts from 127.0.0.1, so each phone
  has its own rate-limit bucket). A phone opens its ticket's page, then asks
  /t/{token}/status every `--poll` seconds (the page's own interval is 5 s), loads the
  page again when the ticket moves on (as phone.js does), and when the visit has ended
  takes a new ticket (issued through the services, as a kiosk would) and follows that:
  the crowd stays at `--phones` throughout.
- The desks: 8 desks at CIVIC call, start and complete customers through the services in
  a thread (about 4 calls a second), so the store changes all the time.
- Measured over the run after a warm-up: requests/s, latency p50/p99/max (client side,
  from sending the request to the whole answer), the server's store reads/s.
- Baseline, same run, same crowd and desks: the app with `refresh_seconds=0`, i.e. the
  snapshot re-read on any request after any change — what following tickets would cost
  the store without the once-a-second snapshot.
Targets: p99 <= 100 ms; store reads <= 5/s for the whole crowd.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import multiprocessing as mp
import os
import random
import shutil
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "examples" / "council.toml"
CENTRE = "CIVIC"
DESKS = ("1", "2", "3", "4", "5", "6")
SERVICES = ("CTAX", "GENQ", "CTAX", "HBEN", "GENQ")
CALLS_PER_SECOND = 4.0
TARGET_P99_MS = 100.0
TARGET_READS = 5.0


# -- the server process ----------------------------------------------------------------


def serve(url: str, port: int, refresh: float, reads: Any, checks: Any, ready: Any) -> None:
    """In a spawned process: the web app on uvicorn, counting its store reads."""
    import uvicorn
    from sqlalchemy import event

    from frontdesk.services.wiring import open_services
    from frontdesk.store.changes import ChangeWatcher
    from frontdesk.web import WebSettings, create_app

    services = open_services(url)

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip()[:6].upper() == "SELECT":
            with reads.get_lock():
                reads.value += 1

    event.listen(services.engine, "before_cursor_execute", count)
    wait = ChangeWatcher.wait

    def counted_wait(self: ChangeWatcher, timeout: float) -> bool:
        with checks.get_lock():
            checks.value += 1
        return wait(self, timeout)

    ChangeWatcher.wait = counted_wait  # type: ignore[method-assign]
    app = create_app(services, WebSettings(refresh_seconds=refresh))
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", access_log=False, lifespan="on"
    )
    server = uvicorn.Server(config)
    ready.set()
    server.run()
    services.close()


# -- the desks ---------------------------------------------------------------------------


class Desks(threading.Thread):
    """Call, start and complete at CIVIC's desks, about CALLS_PER_SECOND calls a second."""

    def __init__(self, services: Any) -> None:
        super().__init__(daemon=True)
        self.services = services
        self.stop = threading.Event()
        self.calls = 0

    def run(self) -> None:
        from frontdesk.errors import FrontdeskError
        from frontdesk.services.results import Query

        q = self.services.queue
        holding: dict[str, bool] = dict.fromkeys(DESKS, False)
        pause = 1.0 / CALLS_PER_SECOND
        while not self.stop.is_set():
            for desk in DESKS:
                if self.stop.wait(pause):
                    return
                try:
                    if holding[desk]:
                        q.start(CENTRE, desk)
                        q.complete(CENTRE, desk, [Query(resolved=True)])
                    holding[desk] = q.call_next(CENTRE, desk) is not None
                    self.calls += holding[desk]
                except FrontdeskError:
                    holding[desk] = False


# -- the crowd ---------------------------------------------------------------------------


class Crowd:
    def __init__(self, services: Any, base: str, phones: int, poll: float) -> None:
        self.services = services
        self.base = base
        self.phones = phones
        self.poll = poll
        self.samples: list[tuple[float, float, int]] = []  # (at, seconds, status)
        self.tickets_followed = 0
        self.stopping = False

    def issue(self) -> str:
        t = self.services.queue.issue(CENTRE, random.choice(SERVICES))
        self.tickets_followed += 1
        return str(t.token)

    async def timed(self, client: Any, path: str) -> Any:
        started = time.perf_counter()
        response = await client.get(path)
        await response.aread()
        self.samples.append((time.monotonic(), time.perf_counter() - started, response.status_code))
        return response

    async def phone(self, n: int) -> None:
        import httpx

        address = f"10.{n // 250}.{n % 250}.{1 + n % 200}"
        async with httpx.AsyncClient(
            base_url=self.base, headers={"X-Forwarded-For": address}, timeout=30
        ) as client:
            token = await asyncio.to_thread(self.issue)
            await self.timed(client, f"/t/{token}")
            phase = "waiting"
            await asyncio.sleep(random.uniform(0, self.poll))
            while not self.stopping:
                r = await self.timed(client, f"/t/{token}/status")
                now = r.json().get("phase") if r.status_code == 200 else "ended"
                if now != phase:
                    phase = now
                    await self.timed(client, f"/t/{token}")  # the page reloads
                if phase == "ended":  # the visit is over: another visitor, another ticket
                    token = await asyncio.to_thread(self.issue)
                    await self.timed(client, f"/t/{token}")
                    phase = "waiting"
                await asyncio.sleep(self.poll)

    async def run(self, seconds: float) -> None:
        tasks = [asyncio.create_task(self.phone(n)) for n in range(self.phones)]
        await asyncio.sleep(seconds)
        self.stopping = True
        await asyncio.gather(*tasks, return_exceptions=True)


# -- one measured run --------------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    if not values:
        return math.nan
    s = sorted(values)
    k = (len(s) - 1) * q
    lo, hi = math.floor(k), math.ceil(k)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def measure(url: str, port: int, refresh: float, args: argparse.Namespace) -> dict[str, Any]:
    from frontdesk.services.wiring import open_services

    ctx = mp.get_context("spawn")
    reads, checks, ready = ctx.Value("q", 0), ctx.Value("q", 0), ctx.Event()
    server = ctx.Process(target=serve, args=(url, port, refresh, reads, checks, ready))
    server.start()
    services = open_services(url)
    desks = Desks(services)
    try:
        ready.wait(60)
        _wait_for_port(port)
        crowd = Crowd(services, f"http://127.0.0.1:{port}", args.phones, args.poll)
        desks.start()
        warmup = min(10.0, args.seconds / 3)
        marks: dict[str, Any] = {}

        async def go() -> None:
            async def mark() -> None:
                await asyncio.sleep(warmup)
                marks["start"] = (time.monotonic(), reads.value, checks.value, desks.calls)

            await asyncio.gather(crowd.run(warmup + args.seconds), mark())
            marks["end"] = (time.monotonic(), reads.value, checks.value, desks.calls)

        asyncio.run(go())
    finally:
        desks.stop.set()
        desks.join(10)
        if server.pid is not None:
            os.kill(server.pid, signal.SIGTERM)
        server.join(20)
        if server.is_alive():
            server.kill()
        services.close()
    (t0, r0, c0, k0), (t1, r1, c1, k1) = marks["start"], marks["end"]
    window = [(d, s) for at, d, s in crowd.samples if t0 <= at <= t1]
    took = [d for d, _ in window]
    span = t1 - t0
    return {
        "refresh_seconds": refresh,
        "phones": args.phones,
        "poll_seconds": args.poll,
        "seconds": round(span, 1),
        "requests": len(window),
        "requests_per_s": round(len(window) / span, 1),
        "errors": sum(1 for _, s in window if s >= 400),
        "p50_ms": round(pct(took, 0.5) * 1000, 1),
        "p99_ms": round(pct(took, 0.99) * 1000, 1),
        "max_ms": round(max(took) * 1000, 1) if took else math.nan,
        "store_reads_per_s": round((r1 - r0) / span, 2),
        "change_checks_per_s": round((c1 - c0) / span, 2),
        "desk_calls_per_s": round((k1 - k0) / span, 2),
        "tickets_followed": crowd.tickets_followed,
    }


def _wait_for_port(port: int, timeout: float = 30.0) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit(f"the web server did not listen on port {port}")


def fresh_store(url: str) -> None:
    from frontdesk.services.wiring import initialise, open_services

    services = open_services(url)
    try:
        if services.engine.dialect.name == "postgresql":
            from sqlalchemy import inspect, text

            from frontdesk.store import migrate

            migrate.upgrade(services.engine)
            tables = inspect(services.engine).get_table_names()
            names = [t for t in tables if t != "alembic_version"]
            with services.engine.begin() as conn:
                conn.execute(text(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE"))
        initialise(services, CONFIG)
    finally:
        services.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="12 s per run instead of 30")
    ap.add_argument("--phones", type=int, default=200)
    ap.add_argument("--poll", type=float, default=5.0, help="seconds between a phone's asks")
    ap.add_argument("--seconds", type=float, default=30.0, help="measured seconds per run")
    ap.add_argument("--port", type=int, default=18710, help="the server's port (127.0.0.1)")
    ap.add_argument("--pg-url", help="a PostgreSQL database to use (its tables are emptied)")
    ap.add_argument("--json", action="store_true", help="end with one line of JSON")
    args = ap.parse_args(argv)
    if args.quick:
        args.seconds = 12.0
    tmp = Path(tempfile.mkdtemp(prefix="frontdesk-web-bench-"))
    results: dict[str, Any] = {}
    try:
        for name, refresh in (("product", 1.0), ("baseline", 0.0)):
            url = args.pg_url or f"sqlite:///{tmp / f'{name}.db'}"
            fresh_store(url)
            print(f"running {name} (refresh_seconds={refresh:g}) …", file=sys.stderr)
            results[name] = measure(url, args.port, refresh, args)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    backend = "postgresql" if args.pg_url else "sqlite"
    product, baseline = results["product"], results["baseline"]
    print(
        f"\n{args.phones} phones following tickets at {CENTRE} ({backend}), each asking every "
        f"{args.poll:g} s; desks calling ~{CALLS_PER_SECOND:g}/s; {product['seconds']} s measured"
    )
    rows = (
        ("requests/s", "requests_per_s", None),
        ("latency p50 ms", "p50_ms", None),
        ("latency p99 ms", "p99_ms", f"<= {TARGET_P99_MS:g}"),
        ("latency max ms", "max_ms", None),
        ("store reads/s", "store_reads_per_s", f"<= {TARGET_READS:g}"),
        ("change-feed checks/s", "change_checks_per_s", None),
        ("desk calls/s", "desk_calls_per_s", None),
        ("errors (4xx/5xx)", "errors", "0"),
    )
    print(f"{'measure':<22}{'product':>12}{'baseline':>12}  target")
    for label, key, target in rows:
        print(f"{label:<22}{product[key]:>12}{baseline[key]:>12}  {target or ''}")
    ok = product["p99_ms"] <= TARGET_P99_MS and product["store_reads_per_s"] <= TARGET_READS
    print("targets met" if ok and product["errors"] == 0 else "TARGETS NOT MET")
    if args.json:
        print(json.dumps({"backend": backend, **results}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
