"""Event interchange benchmark: `import events` and `export events` at scale.

    .venv/bin/python bench/interchange.py [--visits N] [--pg-url URL] [--only BACKEND] [--json]
        [--old]

Not part of the test run. Generates a history of N visits (default 200,000) at the sample
council's four centres, ~320 a day per centre, at seconds resolution: the rows of each
visit are together but shuffled, and a visit is issued and called in the same second
whenever a desk was free (30 %). Each measurement runs in a fresh process on a fresh
store (SQLite file; PostgreSQL: a database created beside the one named, dropped after):

- import of N/4 and of N visits: visits/s and the process's peak resident memory (the
  two sizes show memory flat whatever the file's size), and that of the process reading
  the file beside it (on two cores or more);
- import of N/4 visits with the rows in time order (not grouped by visit), which takes
  the spool path;
- export of the N-visit store: rows/s and peak memory;
- baselines in the same run, in fresh processes: the same rows loaded by a bare loop
  (`csv.reader`, group by visit, sort, `executemany` into ticket and ticket_event, no
  checks), and exported by a bare cursor into `csv.writer`; with `--old`, the import
  before this change (from git, on N/20 visits: it holds the whole file in memory).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CONFIG = ROOT / "examples" / "council.toml"
PER_DAY = 320
OLD_COMMIT = "d80aec1"  # the import before the streaming one
_OPEN: list[Any] = []  # the bare loops' connections, open until measured
RANK = {"issued": 0, "called": 1, "no_show": 2, "started": 3, "completed": 4}
RANK.update({"transferred": 5, "cancelled": 6, "left": 7})


# -- the generated history ---------------------------------------------------------------


def centres() -> dict[str, tuple[list[str], list[str]]]:
    """centre → (services, desks) from the sample council."""
    from frontdesk.config import load_centres

    cfg = load_centres(CONFIG)
    return {c.code: (list(c.services), [d.name for d in c.desk]) for c in cfg.centre}


def visit_rows(
    rng: random.Random, ref: str, centre: str, info: Any, t: datetime
) -> list[list[str]]:
    services, desks = info
    svc = rng.choice(services)
    rows: list[list[str]] = []

    def add(event: str, at: datetime, desk: str = "", resolved: str = "", avoid: str = "") -> None:
        rows.append([ref, centre, svc, event, at.isoformat(), desk, resolved, avoid])

    def wait() -> timedelta:
        # A desk free: called in the same second as issued.
        return timedelta(0) if rng.random() < 0.3 else timedelta(seconds=rng.randint(1, 1200))

    def served(at: datetime, desk: str) -> datetime:
        at += timedelta(seconds=0 if rng.random() < 0.2 else rng.randint(1, 60))
        add("started", at, desk)
        for _ in range(2 if rng.random() < 0.25 else 1):
            at += timedelta(seconds=rng.randint(120, 900))
            avoid = rng.choice(("chasing", "wrong-place", "")) if rng.random() < 0.2 else ""
            add("completed", at, desk, rng.choice(("true", "true", "false")), avoid)
        return at

    add("issued", t)
    r = rng.random()
    if r < 0.03:
        add("left", t + timedelta(seconds=rng.randint(300, 1200)))
    elif r < 0.05:
        add("cancelled", t + timedelta(seconds=rng.randint(30, 600)))
    else:
        desk = rng.choice(desks)
        at = t + wait()
        add("called", at, desk)
        if r < 0.12:
            at += timedelta(seconds=120)
            add("no_show", at, desk)
            if r < 0.09:
                return rows
            at += timedelta(seconds=rng.randint(60, 600))
            add("called", at, desk)
        at = served(at, desk)
        if r > 0.92:
            svc = rng.choice(services)
            add("transferred", at, desk)
            desk = rng.choice(desks)
            at += wait()
            add("called", at, desk)
            served(at, desk)
    return rows


def generate(
    path: Path, visits: int, *, seed: int = 1, time_ordered: bool = False, legacy: bool = False
) -> int:
    """Write a history of `visits` visits; returns its rows. `legacy`: what the import
    before this change accepted (each visit's rows in order, no desk on no-shows and
    transfers)."""
    rng = random.Random(seed)
    info = centres()
    codes = sorted(info)
    start = datetime(2021, 1, 4, 8, 30, tzinfo=UTC)
    n = count = 0
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(["visit", "centre", "service", "event", "at", "desk", "resolved", "avoidable"])
        day = 0
        while n < visits:
            for centre in codes:
                opening = start + timedelta(days=day)
                arrivals = sorted(rng.randint(0, 8 * 3600) for _ in range(PER_DAY))
                day_rows = []
                for s in arrivals[: visits - n]:
                    n += 1
                    rows = visit_rows(
                        rng, f"V{n:08d}", centre, info[centre], opening + timedelta(seconds=s)
                    )
                    if not legacy:
                        rng.shuffle(rows)
                    else:
                        for r in rows:
                            if r[3] in ("no_show", "transferred"):
                                r[5] = ""
                    day_rows.extend(rows)
                if time_ordered:
                    day_rows.sort(key=lambda r: r[4])
                out.writerows(day_rows)
                count += len(day_rows)
            day += 1
    return count


# -- the measured processes --------------------------------------------------------------


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def children() -> tuple[float, float]:
    """CPU seconds and peak resident MB of this process's finished children (the import's
    reading process, on two cores or more)."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime, r.ru_maxrss / 1024


def child(args: argparse.Namespace) -> None:
    """One measurement in this (fresh) process; prints one JSON object."""
    from frontdesk.services.wiring import initialise, open_services

    svc = open_services(args.db)
    if args.init:
        initialise(svc, CONFIG)
    before = peak_mb()
    database = None if args.db.startswith("sqlite") else args.db.rsplit("/", 1)[-1]
    s0 = server_cpu(database)
    k0 = children()[0]
    t0, c0 = time.perf_counter(), time.process_time()
    if args.child == "import":
        from frontdesk.services.interchange import import_events

        with open(args.file, "rb") as fh:
            s = import_events(svc.queue, fh, source=args.file)
        result = {"visits": s.visits, "rows": s.events, "grouped": s.grouped}
    elif args.child == "export":
        from frontdesk.cli_output import replaced_when_done
        from frontdesk.services.interchange import export_events

        with replaced_when_done(args.file) as out:
            result = {"rows": export_events(svc.queue, out)}
    elif args.child == "old-import":
        result = {"visits": old_import(svc, args.file)}
    elif args.child == "raw-import":
        result = {"visits": raw_import(args.db, args.file)}
    else:
        result = {"rows": raw_export(args.db, args.file)}
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    child_cpu, child_mb = children()
    cpu += child_cpu - k0
    server = server_cpu(database)
    svc.close()
    for conn in _OPEN:
        conn.close()
    measured = {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "peak_mb": peak_mb(),
        "before_mb": before,
        "child_peak_mb": child_mb,
    }
    if database is not None:
        # The server processes' CPU for this database (a local server), added in.
        measured["server_cpu_seconds"] = sum(server.values()) - sum(
            s0.get(pid, 0.0) for pid in server
        )
    print(json.dumps({**result, **measured}))


def server_cpu(database: str | None) -> dict[int, float]:
    """CPU seconds so far of each local PostgreSQL backend serving `database`."""
    if database is None:
        return {}
    tick = os.sysconf("SC_CLK_TCK")
    out = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            if not cmdline.startswith(b"postgres: ") or f" {database} ".encode() not in cmdline:
                continue
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            out[int(pid)] = (int(fields[11]) + int(fields[12])) / tick
        except OSError:
            continue
    return out


def old_import(svc: Any, file: str) -> int:
    """The import before this change, loaded from git (bench only)."""
    import types

    source = subprocess.run(
        ["git", "show", f"{OLD_COMMIT}:src/frontdesk/services/interchange.py"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    module = types.ModuleType("old_interchange")
    sys.modules[module.__name__] = module
    exec(compile(source, "old_interchange.py", "exec"), module.__dict__)
    with open(file, encoding="utf-8-sig", newline="") as fh:
        return int(module.import_events(svc.queue, fh, source=file))


def _raw(url: str) -> tuple[Any, bool]:
    if url.startswith("sqlite"):
        import sqlite3

        conn = sqlite3.connect(url.split(":///", 1)[1], isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        return conn, True
    import psycopg
    from sqlalchemy.engine import make_url

    info = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    return psycopg.connect(info), False


def raw_import(url: str, file: str) -> int:
    """The floor: the same rows into ticket and ticket_event by a bare loop, no checks."""
    conn, sqlite = _raw(url)
    mark = "?" if sqlite else "%s"
    cur = conn.cursor()
    cur.execute("SELECT id, code FROM centre")
    centre_ids = {code: cid for cid, code in cur.fetchall()}
    cur.execute("SELECT id, code, prefix FROM service")
    service = {code: (sid, prefix) for sid, code, prefix in cur.fetchall()}
    cur.execute("SELECT id, centre_id, name FROM desk")
    desk = {(cid, name): did for did, cid, name in cur.fetchall()}
    cur.execute("SELECT coalesce(max(id), 0) FROM ticket")
    next_id = int(cur.fetchone()[0]) + 1
    numbers: dict[tuple[int, str, str], int] = {}
    tickets: list[tuple[Any, ...]] = []
    events: list[tuple[Any, ...]] = []
    t_sql = (
        "INSERT INTO ticket (id, centre_id, service_id, label, number, business_day, channel,"
        " status, issued_at, queued_at, transfers, token, external_ref, needs) VALUES ("
        + ", ".join([mark] * 14)
        + ")"
    )
    e_sql = (
        "INSERT INTO ticket_event (ticket_id, centre_id, step, at, service_id, desk_id, resolved,"
        " avoidable) VALUES (" + ", ".join([mark] * 8) + ")"
    )
    visits = 0

    def flush() -> None:
        cur.executemany(t_sql, tickets)
        cur.executemany(e_sql, events)
        tickets.clear()
        events.clear()

    def visit(rows: list[list[str]]) -> None:
        nonlocal next_id, visits
        rows.sort(key=lambda r: (r[4], RANK[r[3]]))
        cid = centre_ids[rows[0][1]]
        sid, prefix = service[rows[0][2]]
        at = rows[0][4][:19].replace("T", " ")
        day = at[:10]
        key = (cid, prefix, day)
        number = numbers[key] = numbers.get(key, 0) + 1
        tid, next_id = next_id, next_id + 1
        label = f"{prefix}{number:03d}"
        ticket = (tid, cid, sid, label, number, day, "import", "done", at, at, 0)
        tickets.append((*ticket, f"raw-{tid}", rows[0][0], ""))
        for r in rows:
            d = desk.get((cid, r[5])) if r[5] else None
            res = (r[6] == "true") if r[6] else None
            e_at = r[4][:19].replace("T", " ")
            events.append((tid, cid, r[3], e_at, service[r[2]][0], d, res, r[7] or None))
        visits += 1
        if len(tickets) >= 2000:
            flush()

    with open(file, newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        next(reader)
        group: list[list[str]] = []
        for rec in reader:
            if group and rec[0] != group[0][0]:
                visit(group)
                group = []
            group.append(rec)
        if group:
            visit(group)
    flush()
    conn.commit() if not sqlite else conn.execute("COMMIT")
    _OPEN.append(conn)  # closed after the server's CPU is read
    return visits


def raw_export(url: str, file: str) -> int:
    """The floor: a bare cursor over the same join into csv.writer."""
    conn, sqlite = _raw(url)
    sql = (
        "SELECT t.external_ref, t.centre_id, e.service_id, e.step, e.at, e.desk_id,"
        " e.resolved, e.avoidable FROM ticket t JOIN ticket_event e ON e.ticket_id = t.id"
        " ORDER BY t.business_day, t.id, e.id"
    )
    cur = conn.cursor() if sqlite else conn.cursor(name="raw_export")
    cur.execute(sql)
    n = 0
    with open(file, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh, lineterminator="\n")
        while batch := cur.fetchmany(10_000):
            out.writerows(batch)
            n += len(batch)
    conn.rollback() if not sqlite else conn.execute("ROLLBACK")
    _OPEN.append(conn)
    return n


# -- the parent ---------------------------------------------------------------------------


class Stores:
    """Fresh stores on one backend: SQLite files in a folder, or PostgreSQL databases."""

    def __init__(self, pg_url: str | None, folder: Path) -> None:
        self.pg_url = pg_url
        self.folder = folder
        self.made: list[str] = []

    def fresh(self, name: str) -> str:
        if self.pg_url is None:
            return f"sqlite:///{self.folder / (name + '.db')}"
        import psycopg
        from sqlalchemy.engine import make_url

        base = make_url(self.pg_url).set(drivername="postgresql")
        db = f"fdbench_ix_{name}_{os.getpid()}"
        with psycopg.connect(base.render_as_string(hide_password=False), autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{db}"')
            c.execute(f'CREATE DATABASE "{db}"')
        self.made.append(db)
        return base.set(drivername="postgresql+psycopg", database=db).render_as_string(
            hide_password=False
        )

    def drop(self) -> None:
        if self.pg_url is None or not self.made:
            return
        import psycopg
        from sqlalchemy.engine import make_url

        base = make_url(self.pg_url).set(drivername="postgresql")
        with psycopg.connect(base.render_as_string(hide_password=False), autocommit=True) as c:
            for db in self.made:
                c.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')


def measure(kind: str, db: str, file: Path, *, init: bool = True) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", kind, "--db", db, "--file", str(file)]
    if init:
        cmd.append("--init")
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{kind} failed: {done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def init_only(db: str) -> None:
    from frontdesk.services.wiring import initialise, open_services

    svc = open_services(db)
    initialise(svc, CONFIG)
    svc.close()


def backend(name: str, stores: Stores, files: dict[str, Path], old: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    say = lambda text: print(f"[{name}] {text}", file=sys.stderr, flush=True)  # noqa: E731
    for size in ("small", "large"):
        say(f"import {size}")
        out[f"import_{size}"] = measure("import", stores.fresh(f"imp_{size}"), files[size])
        say(f"raw import {size}")
        raw_db = stores.fresh(f"raw_{size}")
        init_only(raw_db)
        out[f"raw_import_{size}"] = measure("raw-import", raw_db, files[size], init=False)
    say("import small, rows in time order")
    out["import_time_ordered"] = measure("import", stores.fresh("imp_ordered"), files["ordered"])
    if old:
        say("old import")
        out["old_import"] = measure("old-import", stores.fresh("old"), files["tiny"])
    large = _large_url(stores)  # the store the product's large import filled
    with tempfile.TemporaryDirectory() as tmp:
        say("export")
        out["export"] = measure("export", large, Path(tmp) / "out.csv", init=False)
        say("raw export")
        out["raw_export"] = measure("raw-export", large, Path(tmp) / "raw.csv", init=False)
    for key, value in out.items():
        count = value.get("visits", value.get("rows", 0))
        value["per_s"] = count / value["seconds"] if value["seconds"] else None
        cpu = value["cpu_seconds"] + value.get("server_cpu_seconds", 0.0)
        value["per_cpu_s"] = count / cpu if cpu else None
        value["key"] = key
    return out


def _large_url(stores: Stores) -> str:
    if stores.pg_url is None:
        return f"sqlite:///{stores.folder / 'imp_large.db'}"
    from sqlalchemy.engine import make_url

    db = next(d for d in stores.made if d.startswith("fdbench_ix_imp_large"))
    return (
        make_url(stores.pg_url)
        .set(drivername="postgresql+psycopg", database=db)
        .render_as_string(hide_password=False)
    )


def render(results: dict[str, Any], sizes: dict[str, int]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(
        title="event interchange (product vs bare loop, same run)",
        caption="per CPU-s: over the CPU time of the measured process (and of the process "
        "reading the file, when one does) and, on PostgreSQL, of the server's processes for "
        "its database; reader: the peak memory of that reading process",
    )
    columns = (
        "backend",
        "measure",
        "product",
        "baseline",
        "ratio",
        "per CPU-s",
        "peak MB (growth)",
    )
    for col in columns:
        table.add_column(col, justify="right" if col != "measure" else "left")
    rows = (
        ("import_small", "raw_import_small", f"import {sizes['small']:,} visits, visits/s"),
        ("import_large", "raw_import_large", f"import {sizes['large']:,} visits, visits/s"),
        ("import_time_ordered", None, f"import {sizes['small']:,} visits in time order, visits/s"),
        ("old_import", None, f"import before this change, {sizes['tiny']:,} visits, visits/s"),
        ("export", "raw_export", f"export {sizes['large']:,} visits, rows/s"),
    )
    for name, res in results.items():
        if res is None:
            continue
        for key, base, label in rows:
            if key not in res:
                continue
            r = res[key]
            growth = r["peak_mb"] - r["before_mb"]
            reader = r.get("child_peak_mb") or 0.0
            table.add_row(
                name,
                label,
                f"{r['per_s']:,.0f}",
                f"{res[base]['per_s']:,.0f}" if base else "",
                f"{r['per_s'] / res[base]['per_s']:.2f}" if base else "",
                f"{r['per_cpu_s']:,.0f} / {res[base]['per_cpu_s']:,.0f}"
                if base
                else f"{r['per_cpu_s']:,.0f}",
                f"{r['peak_mb']:.0f} (+{growth:.0f})"
                + (f"; reader {reader:.0f}" if reader and key.startswith("import") else ""),
            )
    Console(stderr=True).print(table)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--visits", type=int, default=200_000)
    p.add_argument("--pg-url", default=os.environ.get("FRONTDESK_BENCH_PG_URL"))
    p.add_argument("--json", action="store_true")
    p.add_argument("--old", action="store_true", help="also time the import before this change")
    p.add_argument("--only", choices=("sqlite", "postgresql"), help="measure one backend")
    p.add_argument("--child", help=argparse.SUPPRESS)
    p.add_argument("--db", help=argparse.SUPPRESS)
    p.add_argument("--file", help=argparse.SUPPRESS)
    p.add_argument("--init", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        child(args)
        return
    sizes = {"large": args.visits, "small": args.visits // 4, "tiny": max(1, args.visits // 20)}
    results: dict[str, Any] = {"sqlite": None, "postgresql": None}
    with tempfile.TemporaryDirectory(prefix="fdbench-ix-") as tmp:
        folder = Path(tmp)
        files = {size: folder / f"{size}.csv" for size in sizes}
        for size, n in sizes.items():
            rows = generate(files[size], n, legacy=size == "tiny")
            print(f"generated {n:,} visits, {rows:,} rows ({size})", file=sys.stderr)
        files["ordered"] = folder / "ordered.csv"
        generate(files["ordered"], sizes["small"], time_ordered=True)
        if args.only != "postgresql":
            results["sqlite"] = backend("sqlite", Stores(None, folder), files, args.old)
        if args.pg_url and args.only != "sqlite":
            stores = Stores(args.pg_url, folder)
            try:
                results["postgresql"] = backend("postgresql", stores, files, args.old)
            finally:
                stores.drop()
    render(results, sizes)
    if args.json:
        print(json.dumps({"sizes": sizes, **results}))


if __name__ == "__main__":
    main()
