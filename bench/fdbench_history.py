"""The generated history for bench/reports.py: years of visits at the sample council's
centres, written with bulk SQL (executemany on SQLite, COPY on PostgreSQL) rather than
through the services, which would take hours for a million visits."""

from __future__ import annotations

import argparse
import math
import random
import sqlite3
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import text

from frontdesk.config import load_centres
from frontdesk.services.wiring import Services
from frontdesk.store.types import stamp

ROOT = Path(__file__).resolve().parents[1]
COUNCIL = ROOT / "examples" / "council.toml"
GENERATION = 2  # bump when the generator changes: the cache key changes with it
CATEGORIES = ("chasing", "council-error", "could-self-serve", "wrong-place")
LAST_DAY = date(2025, 12, 31)
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


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
