"""Where does QueueService.call_next spend its time? (one process, no contention)

    .venv/bin/python bench/profile_call_next.py [--pg-url URL] [--depth N] [--calls N]

Issues `depth` waiting tickets (GENQ/HBEN) at CIVIC through the service, then calls desk
"1" `calls` times (start + complete untimed, re-issuing one ticket per call so the depth
stays constant). Prints: the mean call time at several depths, SQL statements and time
spent in the DBAPI per call, and a cProfile of the calls alone.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from sqlalchemy import event  # noqa: E402

from run import pg_prepare  # noqa: E402

MIX = ("GENQ", "HBEN")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pg-url")
    ap.add_argument("--depth", type=int, default=200)
    ap.add_argument("--calls", type=int, default=300)
    args = ap.parse_args()

    from frontdesk import sample
    from frontdesk.services.results import Query
    from frontdesk.services.wiring import initialise, open_services

    drop = None
    if args.pg_url:
        url, drop = pg_prepare(args.pg_url)
    else:
        url = f"sqlite:///{tempfile.mkdtemp(prefix='fd-prof-')}/p.db"
    svc = open_services(url)
    try:
        initialise(svc, sample.council())
        q = svc.queue
        stats: dict[str, Any] = {"n": 0, "t": 0.0}

        @event.listens_for(svc.engine, "before_cursor_execute")
        def _before(conn: Any, cursor: Any, stmt: str, params: Any, ctx: Any, many: bool) -> None:
            conn.info["t0"] = time.perf_counter()

        @event.listens_for(svc.engine, "after_cursor_execute")
        def _after(conn: Any, cursor: Any, stmt: str, params: Any, ctx: Any, many: bool) -> None:
            stats["n"] += 1
            stats["t"] += time.perf_counter() - conn.info.pop("t0")

        done = [Query(resolved=True)]
        issued = 0

        def top_up(to: int) -> None:
            nonlocal issued
            waiting = len(q.snapshot("CIVIC").waiting)
            for _ in range(to - waiting):
                q.issue("CIVIC", MIX[issued % 2])
                issued += 1

        def calls(n: int, prof: cProfile.Profile | None = None) -> tuple[float, float, float]:
            nonlocal issued
            total = 0.0
            stats["n"], stats["t"] = 0, 0.0
            n_sql, t_sql = 0, 0.0
            for _ in range(n):
                base_n, base_t = stats["n"], stats["t"]
                if prof:
                    prof.enable()
                t0 = time.perf_counter()
                q.call_next("CIVIC", "1")
                total += time.perf_counter() - t0
                if prof:
                    prof.disable()
                n_sql += stats["n"] - base_n
                t_sql += stats["t"] - base_t
                q.start("CIVIC", "1")
                q.complete("CIVIC", "1", done)
                q.issue("CIVIC", MIX[issued % 2])
                issued += 1
            return total / n * 1000, n_sql / n, t_sql / n * 1000

        print(f"store: {svc.engine.dialect.name}")
        for depth in (1, 40, args.depth, 1000):
            top_up(depth)
            calls(20)  # warm
            ms, n_sql, sql_ms = calls(100)
            print(
                f"depth {depth:5d}: call_next {ms:6.2f} ms/call, {n_sql:.1f} SQL statements,"
                f" {sql_ms:5.2f} ms in cursor.execute, {ms - sql_ms:5.2f} ms elsewhere"
            )
            if depth == 1000:
                break
        # profile at the requested depth
        with svc.uow.write() as s:
            from sqlalchemy import text

            s.execute(text("UPDATE ticket SET status = 'cancelled' WHERE status = 'waiting'"))
        top_up(args.depth)
        prof = cProfile.Profile()
        calls(args.calls, prof)
        print(f"\ncProfile of {args.calls} call_next calls at depth {args.depth}:")
        p = pstats.Stats(prof)
        p.sort_stats("cumulative").print_stats(30)
        p.sort_stats("tottime").print_stats(15)
    finally:
        svc.close()
        if drop is not None:
            drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
