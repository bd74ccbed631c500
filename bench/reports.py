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
import math
import os
import random
import sqlite3
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CACHE = Path("/tmp/frontdesk-bench-reports")
GENERATION = 2  # bump when the generator changes: the cache key changes with it
CATEGORIES = ("chasing", "council-error", "could-self-serve", "wrong-place")
LAST_DAY = date(2025, 12, 31)

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from frontdesk.clock import VirtualClock  # noqa: E402
from frontdesk.config import load_centres  # noqa: E402
from frontdesk.services.wiring import Services, initialise, open_services  # noqa: E402
from frontdesk.store.sqlite_claims import stamp  # noqa: E402

COUNCIL = ROOT / "examples" / "council.toml"
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


# -- the generated history ----------------------------------------------------------------


def key_of(args: argparse.Namespace) -> str:
    return f"g{GENERATION}-y{args.years}-c{args.centres}-v{args.per_day}-s{args.seed}"


class Writer:
    """Rows out to one backend in bulk."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.sqlite = url.startswith("sqlite")

    def __enter__(self) -> Writer:
        if self.sqlite:
            self.db: Any = sqlite3.connect(self.url.removeprefix("sqlite:///"))
            self.db.execute("PRAGMA synchronous=OFF")
            self.db.execute("BEGIN")
        else:
            import psycopg

            self.db = psycopg.connect(self.url.replace("postgresql+psycopg", "postgresql"))
        return self

    def __exit__(self, *exc: object) -> None:
        self.db.commit()
        self.db.close()

    def rows(self, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
        if self.sqlite:
            rows = [_for_sqlite(r, SQLITE_CASTS[table]) for r in rows]
            marks = ", ".join("?" * len(columns))
            self.db.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows
            )
            return
        with (
            self.db.cursor() as cur,
            cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            for r in rows:
                copy.write_row(r)

    def commit(self) -> None:
        self.db.commit()
        if self.sqlite:
            self.db.execute("BEGIN")


TICKET = (
    "id",
    "centre_id",
    "service_id",
    "topic_id",
    "label",
    "number",
    "business_day",
    "channel",
    "needs",
    "status",
    "issued_at",
    "queued_at",
    "called_at",
    "desk_id",
    "estimated_wait_seconds",
    "transfers",
    "token",
    "quick",
)
EVENT = (
    "id",
    "ticket_id",
    "centre_id",
    "step",
    "at",
    "service_id",
    "desk_id",
    "staff",
    "topic_id",
    "resolved",
    "handoff",
    "avoidable",
    "feedback",
    "text",
    "seen_before",
)


def generate(svc: Services, url: str, args: argparse.Namespace, say: Callable[[str], None]) -> int:
    """Write the history; the number of visits."""
    cat = svc.queue.catalogue()
    cfg = load_centres(COUNCIL)
    centres = [cat.centres[c.code] for c in cfg.centre[: args.centres]]
    topics: dict[str, list[int]] = {}
    for t in cat.topics.values():
        topics.setdefault(t.service_code, []).append(t.id)
    first_day = LAST_DAY.replace(year=LAST_DAY.year - args.years + 1, month=1, day=1)
    tid = eid = 0
    visits = 0
    started = time.perf_counter()
    with Writer(url) as out:
        for c in centres:
            tz = ZoneInfo(c.timezone)
            services = [cat.services[s] for s in c.services]
            weights = [max(s.demand_share, 0.01) for s in services]
            desks = [d.id for d in c.desks.values()]
            staff = [f"{c.code[:3]}{k:02d}" for k in range(10)]
            tickets: list[tuple[Any, ...]] = []
            events: list[tuple[Any, ...]] = []
            day = first_day
            while day <= LAST_DAY:
                hours = c.hours.get(DAYS[day.weekday()])
                if hours and day.isoformat() not in c.closures:
                    rng = random.Random(f"{args.seed}-{c.code}-{day.isoformat()}")
                    lo_s, hi_s = hours.split(",")[0].split("-")
                    lo = datetime.combine(day, dtime.fromisoformat(lo_s), tzinfo=tz)
                    hi = datetime.combine(day, dtime.fromisoformat(hi_s), tzinfo=tz)
                    span = (hi - lo).total_seconds() - 1800
                    share = 1.0 if day.weekday() < 5 else 0.4
                    n = max(0, int(rng.gauss(args.per_day * share, args.per_day * share * 0.1)))
                    for k in range(n):
                        tid += 1
                        visits += 1
                        issued = lo + timedelta(seconds=rng.triangular(0, span, span * 0.35))
                        svc_ref = rng.choices(services, weights)[0]
                        topic = rng.choice([*topics.get(svc_ref.code, []), None])
                        row, evs = _visit(
                            rng, tid, eid, c.id, svc_ref.id, topic, issued, desks, staff, services
                        )
                        eid += len(evs)
                        tickets.append(
                            (tid, c.id, svc_ref.id, topic, f"X{k + 1}", k + 1, day, *row)
                        )
                        events.extend(evs)
                if len(events) > 400_000 or (day == LAST_DAY and events):
                    out.rows("ticket", TICKET, tickets)
                    out.rows("ticket_event", EVENT, events)
                    out.commit()
                    tickets, events = [], []
                    took = time.perf_counter() - started
                    say(f"  {c.code} to {day}: {visits:,} visits, {took:.0f} s")
                day += timedelta(days=1)
    if not out.sqlite:
        with svc.engine.begin() as conn:
            for table in ("ticket", "ticket_event"):
                top = f"(SELECT max(id) FROM {table})"
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {top})"))
            conn.execute(text("ANALYZE"))
    return visits


def _visit(
    rng: random.Random,
    tid: int,
    eid: int,
    centre_id: int,
    service_id: int,
    topic: int | None,
    issued: datetime,
    desks: list[int],
    staff: list[str],
    services: list[Any],
) -> tuple[tuple[Any, ...], list[tuple[Any, ...]]]:
    """One visit: the ticket's columns after its day, and its events."""
    evs: list[tuple[Any, ...]] = []

    def event(step: str, at: datetime, **kw: Any) -> None:
        evs.append(
            (
                eid + len(evs) + 1,
                tid,
                centre_id,
                step,
                at.astimezone(UTC),
                kw.get("service", service_id),
                kw.get("desk"),
                kw.get("staff"),
                kw.get("topic"),
                kw.get("resolved"),
                kw.get("handoff"),
                kw.get("avoidable"),
                kw.get("feedback"),
                None,
                kw.get("seen_before"),
            )
        )

    event("issued", issued)
    wait = min(rng.expovariate(1 / 240), 3 * 3600)
    called = issued + timedelta(seconds=wait)
    desk, adviser = rng.choice(desks), rng.choice(staff)
    r = rng.random()
    status, transfers, called_at, at_desk = "done", 0, called, desk
    if r < 0.03:
        event("left", called)
        status, called_at, at_desk = "left", None, None
    elif r < 0.06:
        event("called", called, desk=desk, staff=adviser)
        event("no_show", called + timedelta(seconds=120), desk=desk, staff=adviser)
        status = "no_show"
    else:
        event("called", called, desk=desk, staff=adviser)
        event("started", called + timedelta(seconds=20), desk=desk, staff=adviser)
        at = called
        if r < 0.09:
            at += timedelta(seconds=rng.uniform(60, 300))
            moved = rng.choice(services).id
            event("transferred", at, desk=desk, staff=adviser, service=moved)
            desk, adviser, transfers = rng.choice(desks), rng.choice(staff), 1
            at += timedelta(seconds=rng.expovariate(1 / 180))
            event("called", at, desk=desk, staff=adviser, service=moved)
            event("started", at + timedelta(seconds=20), desk=desk, staff=adviser, service=moved)
            service_now = moved
        else:
            service_now = service_id
        handling = max(30.0, rng.lognormvariate(math.log(360), 0.5))
        at += timedelta(seconds=handling)
        for _ in range(2 if rng.random() < 0.1 else 1):
            resolved = rng.random() < 0.85
            event(
                "completed",
                at,
                desk=desk,
                staff=adviser,
                service=service_now,
                topic=topic,
                resolved=resolved,
                handoff=None if resolved else "back-office",
                avoidable=rng.choice(CATEGORIES) if rng.random() < 0.12 else None,
                feedback="complaint" if rng.random() < 0.02 else None,
                seen_before=True if rng.random() < 0.03 else None,
            )
        event("finished", at, desk=desk, staff=adviser, service=service_now)
        at_desk = None
    row = (
        "kiosk" if rng.random() < 0.85 else "greeter",
        "",
        status,
        issued.astimezone(UTC),
        issued.astimezone(UTC),
        called_at.astimezone(UTC) if called_at else None,
        at_desk,
        rng.randint(0, 900),
        transfers,
        f"b{tid:x}",
        False,
    )
    return row, evs


# Columns SQLite gets as the product stores them: timestamps as naive UTC text with
# microseconds, dates as ISO text, booleans as 0/1.
SQLITE_CASTS = {
    "ticket": {6: "date", 10: "at", 11: "at", 12: "at", 17: "bool"},
    "ticket_event": {4: "at", 9: "bool", 14: "bool"},
}


def _for_sqlite(row: tuple[Any, ...], casts: dict[int, str]) -> tuple[Any, ...]:
    out = list(row)
    for i, kind in casts.items():
        v = out[i]
        if v is None:
            continue
        if kind == "at":
            out[i] = stamp(v)
        elif kind == "date":
            out[i] = v.isoformat()
        else:
            out[i] = int(v)
    return tuple(out)


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


def timed(fn: Callable[[], Any], runs: int) -> float:
    """Median wall time of `runs` calls, in milliseconds (after one warm-up call)."""
    fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
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

        out["summary_month_all_ms"] = timed(summary, 5)
        out["summary_month_all_mb"] = peak_mb(summary)
        out["standard_day_ms"] = timed(standard_one_day, 20)
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
        t = svc.queue.issue(codes[0], svc.queue.centre(codes[0]).services[0])
        desk = next(iter(svc.queue.centre(codes[0]).desks))
        svc.queue.call_ticket(codes[0], desk, t.ticket)
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
        f"{r['summary_month_all_ms']:.1f} ms · {r['summary_month_all_mb']:.1f} MB",
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
        f"{r['standard_day_ms']:.2f} ms · {r['standard_day_mb']:.2f} MB",
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
