"""How good is the wait a visitor is told, and what does one estimate cost?

    .venv/bin/python bench/estimates.py [--days 5] [--seed 1] [--json]

Not part of the test run. Simulated days are replayed through the real services
(`frontdesk.services.simulate.simulate_day`) on a fresh SQLite store with a virtual
clock, at a five-desk office built to be hard to predict:

- desks share services in different orders: 1 [CTAX], 2 [CTAX, HBEN], 3 [HBEN, CTAX],
  4 [HBEN, GENQ], 5 [GENQ, CTAX];
- handling times are lognormal (sigma 0.55) and their true means differ from the
  configured ones: CTAX ×1.35 (7 → 9.5 min), HBEN ×0.75 (12 → 9 min), GENQ ×1.3
  (5 → 6.5 min);
- arrivals are Poisson with a morning rush (twice the day's mean rate at 09:00);
- visitors walk out (exponential patience, mean 35 min), a few miss their call, some
  are transferred.

Every walk-in ticket stores the product's estimate and 80% interval at issue. On the same
tickets (those seen), the bench also works out the naive estimate at issue,
`(people ahead in S + 1) × configured mean ÷ open desks serving S`, and prints both mean
absolute errors, their ratio, the interval's coverage, the bias, and the share told more
than 5 minutes too little. The accuracy figures come from the product's own report
(`ReportService`'s `estimate_accuracy`, as `frontdesk report estimates` prints it).

Cost: a second centre with 8 open desks (6 holding a customer) and 40 waiting; one
estimate (`QueueService.estimate`: the live reads and the predictor) is timed 400 times
after a warm-up, beside the naive estimate from the same live reads (the baseline), and
the predictor alone on the same state.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from frontdesk.clock import VirtualClock
from frontdesk.queue.predict import predict_wait
from frontdesk.services.estimate_report import estimate_accuracy, estimate_outcomes, naive_wait
from frontdesk.services.simulate import Behaviour, simulate_day
from frontdesk.services.waits import HISTORY_SECONDS, SEED
from frontdesk.services.wiring import Services, initialise, open_services
from frontdesk.store import estimate_store as es

ROOT = Path(__file__).resolve().parents[1]
LONDON = ZoneInfo("Europe/London")
FIRST_DAY = date(2026, 3, 2)  # a Monday
CENTRE, LARGE = "OFFICE", "LARGE"
TARGETS = {"mae_ratio": 0.70, "coverage": (0.75, 0.90), "p99_ms": 20.0}
RUSH = {9: 2.0, 10: 1.6, 11: 1.1, 12: 0.9, 13: 1.0, 14: 0.9, 15: 0.7, 16: 0.5}
FACTORS = {"CTAX": 1.35, "HBEN": 0.75, "GENQ": 1.3}
CONFIG = ROOT / "examples" / "five-desk-office.toml"


class NaiveRecorder:
    """Wraps `QueueService.issue` to work out the naive estimate from the same moment."""

    def __init__(self, services: Services) -> None:
        self.naive: dict[int, float] = {}
        self.queue = services.queue
        self._issue = services.queue.issue
        services.queue.issue = self.issue  # type: ignore[method-assign]

    def issue(self, centre: str, service: str, **kwargs: Any) -> Any:
        naive = naive_wait(self.queue, centre, service)
        ticket = self._issue(centre, service, **kwargs)
        if naive is not None:
            self.naive[ticket.id] = naive
        return ticket


def replay(
    services: Services, clock: VirtualClock, days: int, seed: int, visitors: int | None = None
) -> dict[str, Any]:
    recorder = NaiveRecorder(services)
    behaviour = Behaviour(handling_factor=FACTORS, hourly_profile=RUSH)
    total = 0
    for n in range(days):
        day = FIRST_DAY + timedelta(days=n)
        clock.set(datetime.combine(day, datetime.min.time(), tzinfo=LONDON))
        result = simulate_day(
            services, clock, CENTRE, day=day, seed=seed + n, behaviour=behaviour, visitors=visitors
        )
        total += result.visitors
    last = FIRST_DAY + timedelta(days=days - 1)
    report = estimate_accuracy(services.queue, CENTRE, FIRST_DAY, last)
    # The naive estimator on exactly the tickets the report counts (the simulator's
    # tickets all had a desk serving their service, so every one has both).
    _, rows = estimate_outcomes(services.queue, CENTRE, FIRST_DAY, last)
    pairs = [(r.waited_seconds, recorder.naive[r.ticket_id]) for r in rows]
    naive_mae = statistics.fmean(abs(w - e) for w, e in pairs) if pairs else None
    product_mae = report.overall.mean_absolute_error_seconds
    return {
        "days": days,
        "visitors": total,
        "tickets_compared": len(pairs),
        "mean_wait_seconds": statistics.fmean(w for w, _ in pairs) if pairs else None,
        "share_waited_over_10_minutes": (
            sum(1 for w, _ in pairs if w > 600) / len(pairs) if pairs else None
        ),
        "product": report.overall.as_json(),
        "naive_mae_seconds": naive_mae,
        "mae_ratio": product_mae / naive_mae if naive_mae and product_mae is not None else None,
        "by_service": {k: v.as_json() for k, v in report.by_service.items()},
        "by_hour": {k: v.as_json() for k, v in report.by_hour.items()},
    }


def cost(services: Services, clock: VirtualClock, runs: int = 400) -> dict[str, Any]:
    """One estimate at a centre with 8 open desks and 40 waiting."""
    q = services.queue
    clock.set(datetime.combine(FIRST_DAY, datetime.min.time(), tzinfo=LONDON) + timedelta(hours=10))
    rng = random.Random(7)
    codes = ["CTAX", "HBEN", "GENQ"]
    for _ in range(46):
        q.issue(LARGE, rng.choice(codes))
        clock.advance(20)
    for desk in ("1", "2", "3", "4", "5", "6"):
        q.call_next(LARGE, desk)
        clock.advance(15)
    for desk in ("1", "2", "3"):
        q.start(LARGE, desk)
    for desk in ("7", "8"):
        services.desks.set_status(LARGE, desk, "open", None)
    clock.advance(60)
    where = q.centre(LARGE)
    with q.uow.read_core() as s:
        waiting = len(es.waiting(s, where.id))
        state = q.centre_reader.state(s, q.catalogue(), where, clock.now())
    for code in codes:  # warm-up: the history read (every 30 s) and the cached draws
        q.estimate(LARGE, code)

    def timed(fn: Any, n: int = runs) -> list[float]:
        """Wall-clock milliseconds per call; CPU milliseconds go to `cpu` beside them."""
        out = []
        cpu.clear()
        for i in range(n):
            code = codes[i % len(codes)]
            c0, t0 = time.thread_time(), time.perf_counter()
            fn(code)
            out.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.thread_time() - c0) * 1000)
        return out

    cpu: list[float] = []

    product = timed(lambda code: q.estimate(LARGE, code))
    product_cpu = list(cpu)

    def refreshed(code: str) -> None:
        clock.advance(HISTORY_SECONDS + 1)  # history read again, as every few minutes
        q.estimate(LARGE, code)

    refresh = timed(refreshed, runs // 4)
    refresh_cpu = list(cpu)
    naive = timed(lambda code: naive_wait(q, LARGE, code))
    naive_cpu = list(cpu)
    alone = timed(lambda code: predict_wait(state, code, random.Random(SEED)))
    return {
        "waiting": waiting,
        "desks_open": sum(1 for d in state.desks if d.status == "open"),
        "load_average": os.getloadavg()[0],
        "estimate_ms": _summary(product),
        "estimate_cpu_ms": _summary(product_cpu),
        "estimate_with_history_read_ms": _summary(refresh),
        "estimate_with_history_read_cpu_ms": _summary(refresh_cpu),
        "naive_cpu_ms": _summary(naive_cpu),
        "naive_ms": _summary(naive),
        "predictor_alone_ms": _summary(alone),
    }


def _summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "p50": round(ordered[len(ordered) // 2], 2),
        "p99": round(ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))], 2),
        "max": round(ordered[-1], 2),
    }


def verdicts(acc: dict[str, Any], spent: dict[str, Any]) -> dict[str, bool]:
    cover = acc["product"]["share_inside_interval"]
    low, high = TARGETS["coverage"]  # type: ignore[misc]
    return {
        "mae_ratio": acc["mae_ratio"] is not None and acc["mae_ratio"] <= TARGETS["mae_ratio"],
        "coverage": cover is not None and low <= cover <= high,
        # The cost of an estimate is the CPU it takes; wall-clock is printed beside it (on a
        # loaded machine it mostly measures the wait for a core).
        "p99_ms": spent["estimate_cpu_ms"]["p99"] <= TARGETS["p99_ms"],  # type: ignore[operator]
        "p99_wall_ms": spent["estimate_ms"]["p99"] <= TARGETS["p99_ms"],  # type: ignore[operator]
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--visitors", type=int, help="walk-ins a day (default: the centre's 230)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="fdbench-estimates-") as tmp:
        config = CONFIG
        clock = VirtualClock(datetime.combine(FIRST_DAY, datetime.min.time(), tzinfo=LONDON))
        services = open_services(f"sqlite:///{Path(tmp) / 'bench.db'}", clock)
        try:
            initialise(services, config)
            started = time.perf_counter()
            acc = replay(services, clock, args.days, args.seed, args.visitors)
            acc["replay_seconds"] = round(time.perf_counter() - started, 1)
            spent = cost(services, clock)
        finally:
            services.close()
    result = {"accuracy": acc, "cost": spent, "targets": TARGETS, "met": verdicts(acc, spent)}
    if args.json:
        print(json.dumps(result, indent=2, default=str))
    else:
        _print(result)
    return 0


def _minutes(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds / 60:.1f} min"


def _print(result: dict[str, Any]) -> None:
    acc, spent, met = result["accuracy"], result["cost"], result["met"]
    p = acc["product"]
    print(
        f"Replayed {acc['days']} days, {acc['visitors']} visitors, "
        f"{acc['tickets_compared']} tickets seen with both estimates "
        f"({acc['replay_seconds']} s)."
    )
    print(
        f"  waits seen: mean {_minutes(acc['mean_wait_seconds'])}, "
        f"{acc['share_waited_over_10_minutes']:.0%} over 10 minutes"
    )
    print(f"  product MAE        {_minutes(p['mean_absolute_error_seconds'])}")
    print(f"  naive MAE          {_minutes(acc['naive_mae_seconds'])}")
    ratio = acc["mae_ratio"]
    print(
        f"  ratio              {ratio:.2f}  (target ≤ {TARGETS['mae_ratio']})  "
        + ("MET" if met["mae_ratio"] else "NOT MET")
    )
    cover = p["share_inside_interval"]
    print(
        f"  interval coverage  {cover:.2f}  (target {TARGETS['coverage'][0]}–"  # type: ignore[index]
        f"{TARGETS['coverage'][1]})  " + ("MET" if met["coverage"] else "NOT MET")  # type: ignore[index]
    )
    print(f"  bias (mean error)  {_minutes(p['mean_error_seconds'])}")
    print(f"  told > 5 min short {p['share_under_by_more_than_5_minutes']:.2f}")
    for code, f in [*acc["by_service"].items(), *acc["by_hour"].items()]:
        print(
            f"    {code}: {f['tickets']} tickets, MAE {_minutes(f['mean_absolute_error_seconds'])},"
            f" bias {_minutes(f['mean_error_seconds'])},"
            f" coverage {f['share_inside_interval'] or 0:.2f}"
        )
    e, n, a = spent["estimate_ms"], spent["naive_ms"], spent["predictor_alone_ms"]
    c, nc = spent["estimate_cpu_ms"], spent["naive_cpu_ms"]
    print(
        f"One estimate at {spent['waiting']} waiting / {spent['desks_open']} open desks "
        f"(QueueService.estimate: live reads and the predictor), CPU time: p50 {c['p50']} ms, "
        f"p99 {c['p99']} ms (target ≤ {TARGETS['p99_ms']} ms) "
        + ("MET" if met["p99_ms"] else "NOT MET")
    )
    print(
        f"  wall clock of the same calls: p50 {e['p50']} ms, p99 {e['p99']} ms "
        + ("(≤ target)" if met["p99_wall_ms"] else "(over the target at this load)")
    )
    print(f"  baseline (naive, same reads): p50 {n['p50']} ms, p99 {n['p99']} ms")
    print(f"    its CPU time:               p50 {nc['p50']} ms, p99 {nc['p99']} ms")
    print(f"  predictor alone:              p50 {a['p50']} ms, p99 {a['p99']} ms")
    h, hc = spent["estimate_with_history_read_ms"], spent["estimate_with_history_read_cpu_ms"]
    print(
        f"  with the history read again (every {HISTORY_SECONDS:g} s): p50 {h['p50']} ms, "
        f"p99 {h['p99']} ms (CPU p50 {hc['p50']} ms, p99 {hc['p99']} ms)"
    )
    print(
        f"  load average during the timing: {spent['load_average']:.1f} on {os.cpu_count()} cores"
    )


if __name__ == "__main__":
    sys.exit(main())
