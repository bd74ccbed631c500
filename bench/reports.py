"""Reports at scale: the rollups against today's direct scan of the event log.

    .venv/bin/python bench/reports.py [--years 5] [--centres 4] [--per-day 320]
        [--pg-url URL] [--only sqlite|postgresql] [--full-baseline] [--json]

Not part of the test run. Method:

- History: `--years` of opening days (the sample council's hours and closures) at the
  first `--centres` centres of examples/council.toml, ~`--per-day` visitors a day each
  (5 × 4 × 320 ≈ 1.6 million visits, ~9 million events). It is written with bulk SQL
  (executemany on SQLite, COPY on PostgreSQL), not through the services: issuing and
  serving 1.6 M visits one unit of work at a time would take hours. Visits follow a
  late-morning peak; ~88% are seen and complete one or two queries (with query types,
  avoidable contact, feedback, advisers), 3% are transferred and seen again, 3% are
  no-shows, 3% leave unseen, some still waiting at the end of the day.
- The rollups are then rebuilt from those events by `frontdesk report rebuild`'s own
  code (timed: the rebuild rate). The generated store is kept under /tmp (SQLite) or as
  a database beside the one named (PostgreSQL), keyed by the parameters, and reused.
- Figures, in-process at the service level (`ReportService`), median of repeated runs:
  a 5-year `summary --by month` for all centres, a day's `standard` (20 different days),
  and each other report over the whole history; peak memory by tracemalloc (Python
  allocations) in a separate run. Beside them, today's direct scan (the event log folded
  in Python): the same day's `standard_from_events`, and `summary --by month` over one
  centre-year, scaled to the whole history (`--full-baseline` runs it whole: slow).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CACHE = Path("/tmp/frontdesk-bench-reports")
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from fdbench_history import COUNCIL, LAST_DAY, generate, key_of  # noqa: E402
from frontdesk.clock import VirtualClock  # noqa: E402
from frontdesk.errors import DeskBusy  # noqa: E402
from frontdesk.services.wiring import initialise, open_services  # noqa: E402

# -- the stores ------------------------------------------------------------------------------


def prepare(url: str, args: argparse.Namespace, say: Callable[[str], None]) -> dict[str, Any]:
    """Open (generating if new) the store for these parameters; what it took to make."""
    svc = open_services(url, VirtualClock(datetime(2026, 1, 5, 9, 0, tzinfo=UTC)))
    try:
        with svc.engine.connect() as conn:
            made = (
                conn.execute(
                    text("SELECT value FROM setting WHERE key = 'bench.generated'")
                ).scalar()
                if _has_settings(conn)
                else None
            )
        if made is not None:
            say(f"reusing {url}")
            return json.loads(made)
        initialise(svc, COUNCIL)
        started = time.perf_counter()
        visits = generate(svc, url, args, say)
        generated = time.perf_counter() - started
        say(f"rebuilding the rollups of {visits:,} visits …")
        done = svc.reports.rebuild()
        made_info = {
            "visits": visits,
            "generate_seconds": round(generated, 1),
            "rebuild_seconds": round(done.seconds, 1),
            "rebuild_visits_per_second": round(visits / done.seconds),
        }
        with svc.engine.begin() as conn:
            conn.execute(
                text("INSERT INTO setting (key, value) VALUES ('bench.generated', :v)"),
                {"v": json.dumps(made_info)},
            )
        return made_info
    finally:
        svc.close()


def _has_settings(conn: Any) -> bool:
    from sqlalchemy import inspect

    return "setting" in inspect(conn).get_table_names()


def sqlite_url(args: argparse.Namespace) -> str:
    CACHE.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{CACHE / (key_of(args) + '.db')}"


def postgres_url(base: str, args: argparse.Namespace) -> str:
    """A database beside the one named, kept between runs (drop it by hand to redo)."""
    from sqlalchemy.engine import make_url

    name = "fdbench_reports_" + key_of(args).replace("-", "_")
    admin = create_engine(make_url(base).set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            there = conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
            ).scalar()
            if not there:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return make_url(base).set(database=name).render_as_string(hide_password=False)


# -- measuring -------------------------------------------------------------------------------


CPU_MS: dict[str, float] = {}  # the same calls' median CPU time, by the last name timed


def timed(fn: Callable[[], Any], runs: int, name: str = "") -> float:
    """Median wall time of `runs` calls, in milliseconds (after one warm-up call).

    The median CPU time of the process over the same calls goes to CPU_MS[name]: on a
    busy machine it is the fairer figure (the reports run in-process and single-threaded,
    so on a quiet machine wall and CPU time are about the same)."""
    fn()
    times, cpu = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    if name:
        CPU_MS[name] = statistics.median(cpu)
    return statistics.median(times)


def peak_mb(fn: Callable[[], Any]) -> float:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def measure(url: str, args: argparse.Namespace, made: dict[str, Any]) -> dict[str, Any]:
    svc = open_services(url, VirtualClock(datetime(2026, 1, 5, 9, 0, tzinfo=UTC)))
    try:
        reports = svc.reports
        reports.catch_up()
        codes = list(svc.queue.catalogue().centres)[: args.centres]
        every = ",".join(codes)
        first = LAST_DAY.replace(year=LAST_DAY.year - args.years + 1, month=1, day=1)
        rng = random.Random(7)
        days = [first + timedelta(days=rng.randrange((LAST_DAY - first).days)) for _ in range(20)]
        days = [d - timedelta(days=d.weekday() % 5) for d in days]  # weekdays
        day_iter = iter(days * 100)
        out: dict[str, Any] = {"history": made, "centres": codes}

        def summary() -> Any:
            return reports.summary(every, first, LAST_DAY, "month")

        def standard_one_day() -> Any:
            d = next(day_iter)
            return reports.standard(codes[0], d, d)

        def standard_scan() -> Any:
            d = next(day_iter)
            return reports.standard_from_events(codes[0], d, d)

        year = date(LAST_DAY.year, 1, 1)

        def summary_scan_year() -> Any:
            return reports.summary(codes[0], year, LAST_DAY, "month", direct=True)

        out["summary_month_all_ms"] = timed(summary, 5, "summary")
        out["summary_month_all_cpu_ms"] = CPU_MS["summary"]
        out["summary_month_all_mb"] = peak_mb(summary)
        out["standard_day_ms"] = timed(standard_one_day, 20, "standard")
        out["standard_day_cpu_ms"] = CPU_MS["standard"]
        out["standard_day_mb"] = peak_mb(standard_one_day)
        out["scan_standard_day_ms"] = timed(standard_scan, 5)
        out["scan_standard_day_mb"] = peak_mb(standard_scan)
        t0 = time.perf_counter()
        summary_scan_year()
        one = time.perf_counter() - t0
        out["scan_summary_centre_year_ms"] = one * 1000
        out["scan_summary_centre_year_mb"] = peak_mb(summary_scan_year)
        scale = args.years * len(codes)
        out["scan_summary_month_all_ms_scaled"] = one * 1000 * scale
        if args.full_baseline:
            t0 = time.perf_counter()
            reports.summary(every, first, LAST_DAY, "month", direct=True)
            out["scan_summary_month_all_ms"] = (time.perf_counter() - t0) * 1000
        for name, fn in (
            ("summary_week_all", lambda: reports.summary(every, first, LAST_DAY, "week")),
            ("hours_all", lambda: reports.hours(every, first, LAST_DAY)),
            ("queries_all", lambda: reports.queries(every, first, LAST_DAY)),
            ("advisers_all", lambda: reports.advisers(every, first, LAST_DAY)),
            ("repeats_all", lambda: reports.repeats(every, first, LAST_DAY)),
        ):
            out[f"{name}_ms"] = timed(fn, 1)
            out[f"{name}_mb"] = peak_mb(fn)
        # A visit served through the services, then the day's standard: the catch-up.
        svc.clock.set(datetime.combine(days[0], dtime(10, 0), tzinfo=UTC))  # type: ignore[attr-defined]
        where = svc.queue.centre(codes[0])
        service = where.services[0]
        t = svc.queue.issue(codes[0], service)
        for desk, info in where.desks.items():  # a free desk that serves it (a reused
            if service not in info.services:  # store keeps the visits earlier runs called)
                continue
            try:
                svc.queue.call_ticket(codes[0], desk, t.ticket)
                break
            except DeskBusy:
                continue
        t0 = time.perf_counter()
        standard_one_day_after = reports.standard(codes[0], days[0], days[0])
        out["standard_day_after_new_events_ms"] = (time.perf_counter() - t0) * 1000
        del standard_one_day_after
        return out
    finally:
        svc.close()


def show(console: Console, backend: str, r: dict[str, Any]) -> None:
    h = r["history"]
    table = Table(title=f"Reports at scale — {backend}: {h['visits']:,} visits")
    table.add_column("what")
    table.add_column("rollups", justify="right")
    table.add_column("direct scan (today's)", justify="right")
    table.add_column("target", justify="right")
    table.add_row(
        "summary --by month, all centres, whole history",
        f"{r['summary_month_all_ms']:.1f} ms (CPU {r['summary_month_all_cpu_ms']:.1f}) · "
        f"{r['summary_month_all_mb']:.1f} MB",
        (
            f"{r['scan_summary_month_all_ms'] / 1000:.0f} s"
            if "scan_summary_month_all_ms" in r
            else f"~{r['scan_summary_month_all_ms_scaled'] / 1000:.0f} s (one centre-year: "
            f"{r['scan_summary_centre_year_ms'] / 1000:.1f} s, "
            f"{r['scan_summary_centre_year_mb']:.0f} MB)"
        ),
        "≤ 100 ms",
    )
    table.add_row(
        "standard, one day",
        f"{r['standard_day_ms']:.2f} ms (CPU {r['standard_day_cpu_ms']:.2f}) · "
        f"{r['standard_day_mb']:.2f} MB",
        f"{r['scan_standard_day_ms']:.1f} ms · {r['scan_standard_day_mb']:.1f} MB",
        "≤ 20 ms",
    )
    table.add_row(
        "standard, one day, after new events (catch-up)",
        f"{r['standard_day_after_new_events_ms']:.1f} ms",
        "",
        "",
    )
    for name in ("summary_week_all", "hours_all", "queries_all", "advisers_all", "repeats_all"):
        table.add_row(
            name.replace("_all", "").replace("_", " ") + ", whole history",
            f"{r[name + '_ms']:.0f} ms · {r[name + '_mb']:.1f} MB",
            "",
            "≤ 100 MB",
        )
    table.caption = (
        f"history generated in {h['generate_seconds']} s; rollups rebuilt in "
        f"{h['rebuild_seconds']} s ({h['rebuild_visits_per_second']:,} visits/s); "
        "median of repeated runs; memory: tracemalloc peak"
    )
    console.print(table)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--centres", type=int, default=4)
    parser.add_argument("--per-day", type=int, default=320)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pg-url", default=os.environ.get("FRONTDESK_BENCH_PG_URL"))
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument("--full-baseline", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    console = Console(stderr=args.json)
    say = console.print if not args.json else (lambda m: print(m, file=sys.stderr))
    results: dict[str, Any] = {"parameters": vars(args) | {"pg_url": None}}
    backends = []
    if args.only != "postgresql":
        backends.append(("sqlite", sqlite_url(args)))
    if args.only != "sqlite" and args.pg_url:
        backends.append(("postgresql", postgres_url(args.pg_url, args)))
    for name, url in backends:
        made = prepare(url, args, say)
        results[name] = measure(url, args, made)
        if not args.json:
            show(console, name, results[name])
    if args.json:
        print(json.dumps(results, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
