"""Supervisor's view benchmark: cold start, change to screen, refresh with 20 centres,
and the outlook's foresight (a rush; five calm days).

    .venv/bin/python bench/supervisor.py [--quick]

Not part of the test run. SQLite, fresh temp files. Each figure is printed beside a
baseline measured in the same run:

- cold start: SupervisorApp headless (Pilot): construction to the log-in screen, plus
  the last key of the PIN to the council view on screen (the typing itself left out);
  baseline: the now-serving board to its first standard line.
- change to screen: a ticket issued from another thread, until the council table shows
  the new waiting count (30 changes; p50 / p99 = max); baseline: the change feed alone
  (write → StoreChanged posted).
- refresh, 20 centres: CPU (process time) of `oversight.council()` on a store with 20
  centres, each with 4 desks open and two hours of an ordinary morning (~24 tickets each): after one
  ticket issued at one centre (the usual refresh), after nothing changed, and the first
  (cold) one; baseline: today's waiting-standard report of each centre from the event
  log (what the view would cost without its incremental ledger).
- rush: the test centre (2 services, 3 desks open, 80 walk-ins a day) with 25 extra
  Council Tax visitors in 10 minutes from 10:30; first alert vs the first visitor past
  the threshold, minutes ahead. Baseline: the alert rule with the forecast only (no
  recent arrivals), as a comparison of the rush rule.
- calm days: the same centre Monday to Friday without a rush, every minute evaluated;
  alerts raised (target 0). Baseline: visitors who waited past 10 minutes those days.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


from frontdesk.clock import SystemClock, VirtualClock  # noqa: E402
from frontdesk.services.staff import StaffMember  # noqa: E402
from frontdesk.services.wiring import Services, initialise, open_services  # noqa: E402
from tests.support.supervisor_day import MONDAY, Rush, make_store, run_day  # noqa: E402

COUNCIL = ROOT / "examples" / "council.toml"
LONDON = ZoneInfo("Europe/London")


def _twenty_centres(folder: Path) -> Path:
    hours = ", ".join(
        f'{d} = "00:00-23:59"' for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    )
    parts = [
        '[[service]]\ncode = "CTAX"\nname = "Council Tax"\nprefix = "C"\ndemand_share = 0.6\n',
        '[[service]]\ncode = "GENQ"\nname = "General enquiries"\nprefix = "G"\n'
        "mean_handling_minutes = 4.0\ndemand_share = 0.4\n",
    ]
    for n in range(20):
        parts.append(
            f'[[centre]]\ncode = "C{n:02d}"\nname = "Centre {n}"\nservices = ["CTAX", "GENQ"]\n'
            f"hours = {{ {hours} }}\ndaily_visitors = 150\n"
            + "".join(
                f'[[centre.desk]]\nname = "{d}"\nservices = ["CTAX", "GENQ"]\n' for d in range(1, 5)
            )
        )
    path = folder / "twenty.toml"
    path.write_text("\n".join(parts))
    return path


def _fill(services: Services, clock: VirtualClock) -> None:
    """Two hours of an ordinary morning at each centre: four desks open, a visitor every
    five minutes, each desk finishing a customer and calling the next every five minutes
    (~24 tickets a centre, a short queue at most)."""
    from frontdesk.services.results import Query

    for n in range(20):
        code = f"C{n:02d}"
        for d in range(1, 5):
            # One adviser, one desk: a code of their own at each centre's desk.
            member = StaffMember(f"S{n}-{d}", "S", "adviser")
            services.desks.open(code, str(d), member, f"b{n}-{d}")
    for minute in range(120):
        clock.advance(60)
        for n in range(20):
            code = f"C{n:02d}"
            if (minute + n) % 5 == 0:
                services.queue.issue(code, "CTAX" if minute % 3 else "GENQ")
            for d in range(1, 5):
                if (minute + d + n) % 5 != 0:
                    continue
                desk = str(d)
                if services.queue.current(code, desk) is not None:
                    services.queue.start(code, desk)
                    services.queue.complete(code, desk, [Query(resolved=True)])
                services.queue.call_next(code, desk)


def bench_refresh() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        clock = VirtualClock(datetime(2026, 3, 2, 9, 0, tzinfo=LONDON))
        services = open_services(f"sqlite:///{folder / 'twenty.db'}", clock)
        initialise(services, _twenty_centres(folder))
        _fill(services, clock)
        o = services.oversight
        t = time.process_time()
        o.council()
        cold = time.process_time() - t
        one, none = [], []
        for k in range(15):
            services.queue.issue(f"C{k:02d}", "CTAX")
            t = time.process_time()
            o.council()
            one.append(time.process_time() - t)
            t = time.process_time()
            o.council()
            none.append(time.process_time() - t)
        day = clock.now().astimezone(LONDON).date()
        t = time.process_time()
        for n in range(20):
            services.reports.standard(f"C{n:02d}", day, day)
        baseline = time.process_time() - t
        services.close()
    return {
        "cold": cold,
        "one change": statistics.median(one),
        "one change max": max(one),
        "nothing changed": statistics.median(none),
        "baseline": baseline,
    }


async def _cold_and_change(quick: bool) -> dict[str, float]:
    from frontdesk.board.app import BoardApp
    from frontdesk.supervisor.app import SupervisorApp
    from frontdesk.supervisor.screens.council import CouncilScreen
    from tests.support.supervisor import add_staff, until

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 's.db'}"
        services = open_services(url, SystemClock())
        initialise(services, COUNCIL)
        add_staff(services)
        services.close()

        class Bell:
            def announce(self, ticket: str, desk: str | int) -> None:
                return None

            def close(self, timeout: float | None = 30.0) -> None:
                return None

        services = open_services(url)
        started = time.perf_counter()
        board = BoardApp(services, "CIVIC", announcer=Bell())
        async with board.run_test(size=(100, 30)) as pilot:
            from textual.widgets import Static

            await until(
                pilot, lambda: "standard" in str(board.query_one("#standard", Static).render())
            )
            board_cold = time.perf_counter() - started
        services.close()

        services = open_services(url)
        started = time.perf_counter()
        app = SupervisorApp(services)
        async with app.run_test(size=(160, 50)) as pilot:
            from frontdesk.supervisor.screens.login import LoginScreen

            await until(pilot, lambda: isinstance(app.screen, LoginScreen))
            to_login = time.perf_counter() - started
            await pilot.press(*"SU", "enter", *"432")
            submitted = time.perf_counter()
            await pilot.press("1", "enter")
            await until(pilot, lambda: isinstance(app.screen, CouncilScreen) and app.screen.view)
            cold = to_login + time.perf_counter() - submitted
            print(f"  (to the log-in screen {to_login:.2f} s, PIN to view {cold - to_login:.2f} s)")
            table = app.screen.query_one("#council")
            await pilot.pause(1.5)
            writer = open_services(url)
            lags = []
            for k in range(10 if quick else 30):
                waiting = int(str(table.get_row("CIVIC")[4]))  # type: ignore[attr-defined]
                began = time.perf_counter()
                threading.Thread(target=writer.queue.issue, args=("CIVIC", "GENQ")).start()

                def shown(w: int = waiting) -> bool:
                    return int(str(table.get_row("CIVIC")[4])) == w + 1  # type: ignore[attr-defined]

                await until(pilot, shown, timeout=10)
                lags.append(time.perf_counter() - began)
                await pilot.pause(0.3 + 0.1 * (k % 3))
            writer.close()
        services.close()
        feed = _feed_latency(url, 10 if quick else 30)
    return {
        "cold": cold,
        "board cold": board_cold,
        "p50": statistics.median(lags),
        "p99": max(lags),
        "feed p50": statistics.median(feed),
        "feed max": max(feed),
    }


def _feed_latency(url: str, times: int) -> list[float]:
    services = open_services(url)
    watcher = services.watch()
    out = []
    for _ in range(times):
        began = time.perf_counter()
        services.queue.issue("CIVIC", "GENQ")
        while not watcher.wait(0.05):
            pass
        out.append(time.perf_counter() - began)
    watcher.close()
    services.close()
    return out


def bench_rush() -> tuple[float | None, float | None]:
    from frontdesk.services.oversight import service as svc

    out = []
    windows = svc.RECENT_WINDOWS
    for recent in (True, False):
        with tempfile.TemporaryDirectory() as tmp:
            clock = VirtualClock(MONDAY)
            services = make_store(Path(tmp) / "rush.db", clock)
            if not recent:
                svc.RECENT_WINDOWS = ()  # the forecast alone
            rush = Rush(MONDAY.replace(hour=10, minute=30), 25, 10)
            day = run_day(
                services, clock, MONDAY, desks=3, rush=rush, seed=3, until=MONDAY.replace(hour=12)
            )
            svc.RECENT_WINDOWS = windows
            services.close()
        if day.first_alert and day.first_breach:
            out.append((day.first_breach - day.first_alert).total_seconds() / 60)
        else:
            out.append(None)
    return out[0], out[1]


def bench_calm(days: int) -> tuple[int, int]:
    alerts = late = 0
    for n in range(days):
        with tempfile.TemporaryDirectory() as tmp:
            start = MONDAY + timedelta(days=n)
            clock = VirtualClock(start)
            services = make_store(Path(tmp) / "calm.db", clock)
            day = run_day(services, clock, start, desks=3, seed=10 + n)
            alerts += day.alerts
            late += sum(
                1
                for _, _, o in services.reports.outcomes("TOWN", start.date(), start.date())
                if (o.seen_wait or 0) > 600
            )
            services.close()
    return alerts, late


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def _minutes(value: float | None) -> str:
    return "no alert" if value is None else f"{value:.1f} min"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer changes, two calm days")
    args = parser.parse_args()
    a = asyncio.run(_cold_and_change(args.quick))
    rows = [
        (
            "cold start to the council view",
            f"{a['cold']:.2f} s",
            f"target ≤ 2 s; baseline: the board {a['board cold']:.2f} s",
        ),
        (
            "change to screen",
            f"p50 {_ms(a['p50'])}, p99 {_ms(a['p99'])}",
            f"target ≤ 1 s; baseline: change feed alone p50 {_ms(a['feed p50'])}, "
            f"max {_ms(a['feed max'])}",
        ),
    ]
    r = bench_refresh()
    rows.append(
        (
            "refresh, 20 centres (CPU)",
            f"one change {_ms(r['one change'])} (max {_ms(r['one change max'])}), "
            f"nothing changed {_ms(r['nothing changed'])}, first {_ms(r['cold'])}",
            f"target ≤ 100 ms; baseline: 20 standard reports {_ms(r['baseline'])}",
        )
    )
    ahead, forecast_only = bench_rush()
    rows.append(
        (
            "rush: first alert before first breach",
            _minutes(ahead),
            f"target ≥ 10 min; baseline: forecast only {_minutes(forecast_only)}",
        )
    )
    days = 2 if args.quick else 5
    alerts, late = bench_calm(days)
    rows.append(
        (
            f"calm days ({days}): alerts raised",
            str(alerts),
            f"target 0; visitors who waited past 10 min: {late}",
        )
    )
    for name, figure, note in rows:
        print(f"{name:<40} {figure:<58} ({note})")


if __name__ == "__main__":
    main()
