"""App benchmarks: the kiosk (issue 5) and the desk consoles and board (issue 6), each
run headless (`App.run_test`) in processes of their own on one SQLite store.

- kiosk cold start: a fresh `python -c` that imports frontdesk.kiosk, wires the services
  to a prepared store, builds the app and runs it until the welcome screen's first button
  has focus and is laid out; timed from just before the process is started (median of N,
  after one untimed run that warms the page cache and the .pyc files).
- take a ticket: in one kiosk process, visitors go welcome → service → topic → needs →
  estimate (untimed steps press the choices directly); a pilot click on "Take a ticket" is
  timed from the moment the click
  reaches the screen to the frame in which the ticket's number is laid out (frames are
  watched through `App._display`, composed but not written when headless). The printer is a fake
  that answers at once, and prints in a worker after the screen is shown anyway.
- memory: the kiosk process's peak resident set (VmHWM) after the visitors.
- call next: 8 desk consoles (desks 1-6, Interview 1, Interview 2), 8 processes, each
  logged in with its own member of staff and its desk's services. Each presses F2
  (`App.simulate_key`, as the driver delivers a key), timed to the frame in which the
  called ticket is laid out on the customer card, then (untimed) F5,
  fills one resolved query, F8, issues one replacement ticket and pauses 0.2-0.6 s. The
  queue starts with 30 GENQ + 10 HOPT waiting and stays that deep.
- board: a board process; this process calls next at desk 1 through the services every
  0.3-0.8 s; timed from the call's commit to the board laying out the new number.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import queue
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.table import Table

from fdbench_apps_child import ShiftedClock

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CENTRE = "CIVIC"
# A Monday morning, inside the Civic Centre's hours: every process's clock is shifted here.
START = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Europe/London"))
DESKS = ("1", "2", "3", "4", "5", "6", "Interview 1", "Interview 2")
PIN = "2468"
DESK_STOCK = {"GENQ": 30, "HOPT": 10}  # GENQ: every desk 1-6; HOPT: the interview rooms
THINK = (0.2, 0.6)
BOARD_GAP = (0.3, 0.8)

TARGETS = {
    "cold_start_s": 1.5,
    "take_ticket_ms": 150.0,
    "rss_mb": 150.0,
    "call_next_p99_ms": 100.0,
    "board_update_ms": 1000.0,
}


# Children keep compiled bytecode (in a cache of their own, not beside the sources), as an
# installed kiosk would: this environment sets PYTHONDONTWRITEBYTECODE, which would make
# every start compile frontdesk from source. One extra cold start is timed without it.
CHILD_ENV: dict[str, str] = {}


@dataclass(frozen=True)
class Sizes:
    cold_runs: int
    visitors: int
    presses: int  # per desk console
    board_calls: int


QUICK = Sizes(cold_runs=3, visitors=20, presses=5, board_calls=10)
FULL = Sizes(cold_runs=9, visitors=40, presses=30, board_calls=20)


# -- helpers -----------------------------------------------------------------------------


def _pct(values: list[float], q: float) -> float:
    s = sorted(values)
    if not s:
        return math.nan
    k = (len(s) - 1) * q
    lo, hi = math.floor(k), math.ceil(k)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def _ms(v: float) -> float:
    return round(v * 1000, 1)


class Child:
    """A child process started with `python -c`, its `FDBENCH` lines read in a thread."""

    def __init__(self, call: str, log: Path, env: dict[str, str] | None = None) -> None:
        code = (
            f"import sys; sys.path.insert(0, {str(HERE)!r}); "
            f"import fdbench_apps_child as c; c.{call}"
        )
        self.log = log
        self._err: TextIO = log.open("w")
        self.lines: queue.Queue[dict[str, Any]] = queue.Queue()
        self.t_spawn = time.time()
        self.proc = subprocess.Popen(
            [sys.executable, "-c", code],
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self._err,
            text=True,
            env=env if env is not None else CHILD_ENV,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if line.startswith("FDBENCH "):
                self.lines.put(json.loads(line[8:]))
        self.lines.put({"stage": "eof"})

    def get(self, stage: str, timeout: float) -> dict[str, Any]:
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            try:
                msg = self.lines.get(timeout=max(left, 0.001))
            except queue.Empty:
                raise RuntimeError(f"child {self.proc.pid}: no '{stage}' in {timeout} s") from None
            if "fatal" in msg:
                raise RuntimeError(f"child {self.proc.pid} failed:\n{msg['fatal']}")
            if msg.get("stage") == "eof":
                tail = self.log.read_text()[-2000:]
                raise RuntimeError(f"child {self.proc.pid} ended before '{stage}':\n{tail}")
            if msg.get("stage") == stage:
                return msg

    def finish(self, timeout: float = 20) -> None:
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._err.close()


NO_PYC = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPYCACHEPREFIX": "/nonexistent"}


def _copy(template: Path, dest: Path) -> str:
    shutil.copyfile(template, dest)
    return f"sqlite:///{dest}"


def _services(url: str, offset: float) -> Any:
    from frontdesk.services.wiring import open_services

    return open_services(url, ShiftedClock(offset))


def prepare(tmp: Path, offset: float) -> Path:
    """A migrated SQLite store with the sample council and one adviser per desk."""
    from frontdesk import sample
    from frontdesk.services.wiring import initialise

    path = tmp / "apps-template.db"
    svc = _services(f"sqlite:///{path}", offset)
    try:
        initialise(svc, sample.council())
        for i in range(len(DESKS)):
            svc.staff.add(f"BENCH{i + 1}", f"Bench adviser {i + 1}", "adviser", PIN)
        with svc.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        svc.close()
    return path


# -- the kiosk ---------------------------------------------------------------------------


def bench_kiosk(template: Path, tmp: Path, offset: float, sizes: Sizes, err: Console) -> dict:
    url = _copy(template, tmp / "kiosk.db")
    runs: list[dict[str, float]] = []
    err.print(f"  kiosk cold start: 1 warm-up + {sizes.cold_runs} fresh processes")
    for i in range(sizes.cold_runs + 1):
        child = Child(f"kiosk_main({url!r}, {offset!r}, 0)", tmp / f"kiosk-cold-{i}.log")
        ready = child.get("ready", timeout=60)
        child.finish()
        if i == 0:
            continue  # warm-up: page cache and bytecode, as on a kiosk that has run before
        t0 = child.t_spawn
        runs.append(
            {
                "total": ready["t_ready"] - t0,
                "interpreter": ready["t_import_start"] - t0,
                "imports": ready["t_imported"] - ready["t_import_start"],
                "wire_build": ready["t_built"] - ready["t_imported"],
                "to_welcome": ready["t_ready"] - ready["t_built"],
                "rss_mb": ready["hwm_mb"],
            }
        )
    child = Child(f"kiosk_main({url!r}, {offset!r}, 0)", tmp / "kiosk-cold-nopyc.log", NO_PYC)
    no_pyc = child.get("ready", timeout=60)["t_ready"] - child.t_spawn
    child.finish()
    err.print(f"  kiosk: {sizes.visitors} visitors take a ticket by touch")
    child = Child(f"kiosk_main({url!r}, {offset!r}, {sizes.visitors})", tmp / "kiosk-vis.log")
    child.get("ready", timeout=60)
    vis = child.get("visitors", timeout=30 + 5 * sizes.visitors)
    child.finish()
    taps = vis["taps"]

    def med(key: str) -> float:
        return statistics.median(r[key] for r in runs)

    return {
        "cold_start_s": round(med("total"), 3),
        "take_ticket_p50_ms": _ms(_pct(taps, 0.5)),
        "take_ticket_p99_ms": _ms(_pct(taps, 0.99)),
        "rss_mb": round(vis["hwm_mb"], 1),
        "_detail": {
            "cold_runs_s": [round(r["total"], 3) for r in runs],
            "cold_parts_s": {
                k: round(med(k), 3) for k in ("interpreter", "imports", "wire_build", "to_welcome")
            },
            "cold_start_no_pyc_s": round(no_pyc, 3),
            "rss_at_welcome_mb": round(med("rss_mb"), 1),
            "take_ticket_max_ms": _ms(max(taps)),
            "take_from_pilot_click_p50_ms": _ms(_pct(vis["from_pilot_click"], 0.5)),
            "visitors": len(taps),
            "printed": vis["printed"],
        },
    }


# -- the desk consoles -------------------------------------------------------------------


def bench_desks(template: Path, tmp: Path, offset: float, sizes: Sizes, err: Console) -> dict:
    url = _copy(template, tmp / "desk.db")
    svc = _services(url, offset)
    try:
        for code, n in DESK_STOCK.items():
            for _ in range(n):
                svc.queue.issue(CENTRE, code)
    finally:
        svc.close()
    go = tmp / "desk-go"
    err.print(f"  desk: {len(DESKS)} consoles, {sizes.presses} calls each (F2 → ticket shown)")
    children = []
    for i, desk in enumerate(DESKS):
        refill = "HOPT" if desk.startswith("Interview") else "GENQ"
        call = (
            f"desk_main({url!r}, {offset!r}, {desk!r}, 'BENCH{i + 1}', {PIN!r}, "
            f"{sizes.presses}, {refill!r}, {str(go)!r}, {THINK!r}, {i})"
        )
        children.append(Child(call, tmp / f"desk-{i}.log"))
    results: list[dict[str, Any]] = []
    try:
        t0 = time.time()
        for c in children:
            c.get("ready", timeout=120)
        startup = time.time() - t0
        go.touch()
        per_press = 1.5 + THINK[1]
        for c in children:
            results.append(c.get("done", timeout=60 + sizes.presses * per_press))
    finally:
        for c in children:
            c.finish()
    durations = [d for r in results for d in r["durations"]]
    tickets = [t for r in results for t in r["tickets"]]
    return {
        "call_next_p50_ms": _ms(_pct(durations, 0.5)),
        "call_next_p99_ms": _ms(_pct(durations, 0.99)),
        "call_next_max_ms": _ms(max(durations)),
        "consoles": len(results),
        "_detail": {
            "presses": len(durations),
            "nobody_waiting": sum(r["empty"] for r in results),
            "duplicates": len(tickets) - len(set(tickets)),
            "per_desk_p99_ms": {r["desk"]: _ms(_pct(r["durations"], 0.99)) for r in results},
            "release_p50_ms": _ms(_pct([x for r in results for x in r["release"]], 0.5)),
            "startup_s": round(startup, 1),
            "console_rss_mb": round(max(r["hwm_mb"] for r in results), 1),
            "store_call_p99_ms": _ms(_pct([x for r in results for x in r["store_s"]], 0.99)),
            # the slowest presses: (F2 → customer, the store's part) in ms, which press
            "slowest_ms": sorted(
                (
                    (_ms(d), _ms(st), i + 1)
                    for r in results
                    for i, (d, st) in enumerate(zip(r["durations"], r["press_store"], strict=True))
                ),
                reverse=True,
            )[:5],
            "gc_pause_max_ms": _ms(max(r["gc_max_s"] for r in results)),
            "cpu_per_customer_ms": _ms(
                sum(r["cpu_s"] for r in results)
                / max(1, len(durations) + sum(r["empty"] for r in results))
            ),
        },
    }


# -- the board ---------------------------------------------------------------------------


def bench_board(template: Path, tmp: Path, offset: float, sizes: Sizes, err: Console) -> dict:
    from frontdesk.services.results import Query

    url = _copy(template, tmp / "board.db")
    svc = _services(url, offset)
    stop = tmp / "board-stop"
    err.print(f"  board: {sizes.board_calls} calls from another process")
    child = None
    delays: list[float] = []
    try:
        for _ in range(sizes.board_calls + 2):
            svc.queue.issue(CENTRE, "GENQ")
        child = Child(f"board_main({url!r}, {offset!r}, {str(stop)!r})", tmp / "board.log")
        child.get("ready", timeout=60)
        time.sleep(0.5)
        rng = random.Random(5)
        q = svc.queue
        for _ in range(sizes.board_calls):
            time.sleep(rng.uniform(*BOARD_GAP))
            called = q.call_next(CENTRE, "1")
            t_called = time.time()  # committed
            assert called is not None
            shown = child.get("shown", timeout=10)
            if shown["ticket"] != called.ticket:
                raise RuntimeError(f"board showed {shown['ticket']}, expected {called.ticket}")
            delays.append(shown["t"] - t_called)
            q.start(CENTRE, "1")
            q.complete(CENTRE, "1", [Query(resolved=True)])
        stop.touch()
        done = child.get("done", timeout=20)
    finally:
        stop.touch()
        if child is not None:
            child.finish()
        svc.close()
    return {
        "update_p50_ms": _ms(_pct(delays, 0.5)),
        "update_max_ms": _ms(max(delays)),
        "_detail": {"calls": len(delays), "board_rss_mb": round(done["hwm_mb"], 1)},
    }


# -- all of it ---------------------------------------------------------------------------


def bench_apps(quick: bool, err: Console) -> dict[str, Any]:
    sizes = QUICK if quick else FULL
    offset = (START.astimezone(UTC) - datetime.now(UTC)).total_seconds()
    tmp = Path(tempfile.mkdtemp(prefix="frontdesk-bench-apps-"))
    CHILD_ENV.clear()
    CHILD_ENV.update(os.environ, PYTHONPYCACHEPREFIX=str(tmp / "pycache"))
    CHILD_ENV.pop("PYTHONDONTWRITEBYTECODE", None)
    err.print("[bold]apps[/]: kiosk, desk consoles and board, headless, on SQLite")
    started = time.perf_counter()
    try:
        template = prepare(tmp, offset)
        out: dict[str, Any] = {}
        # FRONTDESK_BENCH_APPS=kiosk,desk runs only those parts (while working on one app).
        wanted = os.environ.get("FRONTDESK_BENCH_APPS", "kiosk,desk,board").split(",")
        for name, part in (("kiosk", bench_kiosk), ("desk", bench_desks), ("board", bench_board)):
            if name not in wanted:
                continue
            t0 = time.perf_counter()
            out[name] = part(template, tmp, offset, sizes, err)
            err.print(f"    ({name}: {time.perf_counter() - t0:.0f} s)", style="dim")
    except Exception:
        err.print(f"[red]app benchmark failed; child logs kept in {tmp}[/]")
        raise
    out["_seconds"] = round(time.perf_counter() - started, 1)
    with contextlib.suppress(OSError):
        shutil.rmtree(tmp)
    return out


def strip_detail(r: dict[str, Any]) -> dict[str, Any]:
    return {k: {x: y for x, y in v.items() if x != "_detail"} for k, v in r.items() if k[0] != "_"}


def _mark(ok: bool) -> str:
    return "[green]pass[/]" if ok else "[red]miss[/]"


def _kiosk_rows(t: Table, k: dict[str, Any]) -> None:
    kd = k["_detail"]
    parts = kd["cold_parts_s"]
    t.add_row(
        f"kiosk cold start s, median of {len(kd['cold_runs_s'])}",
        f"{k['cold_start_s']:.2f}",
        f"≤ {TARGETS['cold_start_s']:g} s",
        _mark(k["cold_start_s"] <= TARGETS["cold_start_s"]),
    )
    t.add_row(
        f"  python / imports / wire+build / to welcome (no .pyc: {kd['cold_start_no_pyc_s']:.2f})",
        " / ".join(f"{parts[x]:.2f}" for x in PARTS),
        "",
        "",
    )
    t.add_row(
        f"kiosk tap → ticket ms p50/p99/max ({kd['visitors']} visitors)",
        f"{k['take_ticket_p50_ms']:.0f} / {k['take_ticket_p99_ms']:.0f} / "
        f"{kd['take_ticket_max_ms']:.0f}",
        f"p99 ≤ {TARGETS['take_ticket_ms']:g} ms",
        _mark(k["take_ticket_p99_ms"] <= TARGETS["take_ticket_ms"]),
    )
    t.add_row(
        "kiosk peak RSS MB (at welcome → after visitors)",
        f"{kd['rss_at_welcome_mb']:.0f} → {k['rss_mb']:.0f}",
        f"≤ {TARGETS['rss_mb']:g} MB",
        _mark(k["rss_mb"] <= TARGETS["rss_mb"]),
    )


def _desk_rows(t: Table, d: dict[str, Any]) -> None:
    dd = d["_detail"]
    t.add_row(
        f"desk F2 → customer ms p50/p99/max ({d['consoles']} consoles, {dd['presses']} calls)",
        f"{d['call_next_p50_ms']:.0f} / {d['call_next_p99_ms']:.0f} / {d['call_next_max_ms']:.0f}",
        f"p99 ≤ {TARGETS['call_next_p99_ms']:g} ms",
        _mark(d["call_next_p99_ms"] <= TARGETS["call_next_p99_ms"]),
    )
    t.add_row(
        "  nobody waiting / duplicate calls / console peak RSS MB / CPU ms per customer",
        f"{dd['nobody_waiting']} / {dd['duplicates']} / {dd['console_rss_mb']:.0f}"
        f" / {dd['cpu_per_customer_ms']:.0f}",
        "",
        "",
    )
    t.add_row(
        "  store's call_next p99 ms (inside F2 → customer) / longest GC pause ms",
        f"{dd['store_call_p99_ms']:.0f} / {dd['gc_pause_max_ms']:.0f}",
        "",
        "",
    )
    t.add_row(
        "  slowest presses ms (the store's part, which press of its console)",
        ", ".join(f"{d:.0f} ({st:.0f}, #{n})" for d, st, n in dd["slowest_ms"][:4]),
        "",
        "",
    )


def _board_rows(t: Table, b: dict[str, Any]) -> None:
    bd = b["_detail"]
    t.add_row(
        f"board call → shown ms p50/max ({bd['calls']} calls)",
        f"{b['update_p50_ms']:.0f} / {b['update_max_ms']:.0f}",
        f"≤ {TARGETS['board_update_ms']:g} ms",
        _mark(b["update_max_ms"] <= TARGETS["board_update_ms"]),
    )


PARTS = ("interpreter", "imports", "wire_build", "to_welcome")


def render_apps(console: Console, r: dict[str, Any]) -> None:
    t = Table(title="apps: headless Textual on SQLite", title_justify="left")
    for col in ("measure", "figure", "target", ""):
        t.add_column(col, justify="right" if col == "figure" else "left")
    if "kiosk" in r:
        _kiosk_rows(t, r["kiosk"])
    if "desk" in r:
        _desk_rows(t, r["desk"])
    if "board" in r:
        _board_rows(t, r["board"])
    console.print(t)
    console.print(
        "apps: each app in its own process on a copy of one prepared SQLite store, clocks"
        " shifted to a Monday morning. Kiosk tap: from the click reaching the screen to the"
        " number laid out (fake printer). Desk: F2 to the ticket on the customer card, 8"
        f" consoles each pausing {THINK[0]:g}-{THINK[1]:g} s between customers."
        f" ({r.get('_seconds', 0):.0f} s)",
        style="dim",
    )
