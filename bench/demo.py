"""Demo benchmark: `frontdesk demo` from the command to the dashboard on screen, and the
simulation keeping up at the default speed with the dashboard open.

    .venv/bin/python bench/demo.py [--quick]

Not part of the test run. Each figure is printed beside a baseline measured in the same run:

- start: `python -m frontdesk demo` in a pseudo-terminal (160×50), from the spawn until its
  output first shows the demo's line over the opening screen (the first screen), and until
  it shows the dashboard with the sample council's services and the demo's line
  (building the throw-away store, seeding the sample council, playing the first 40
  simulated minutes, starting Textual and the dashboard's first read); median and max of N
  runs, each left with ctrl+x; wall time and the process's CPU time (user + system, read
  from /proc at that instant: the machine may be loaded). Baselines, same pseudo-terminal:
  `python -m frontdesk --help` (the interpreter and the CLI alone) and `frontdesk
  supervisor` on a ready store to its log-in screen (the dashboard's app without the demo).
- lag: the demo's store and simulation at the default speed (60: an hour a minute) with
  the demo's dashboard open in the same process (headless Pilot, as the terminal demo
  shares one process between the app and the simulation thread); every 0.25 s, simulated
  now minus the instant the simulation has played to; median and max over the run (target
  ≤ 60 simulated seconds), from the simulation thread's first pass. Baseline: the same
  simulation with no app open.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import pty
import re
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable
from datetime import date
from fcntl import ioctl
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from frontdesk.cli.demo import DEFAULT_SPEED  # noqa: E402
from frontdesk.demo.apps import DemoLine  # noqa: E402
from frontdesk.demo.dashboard import DemoSupervisor  # noqa: E402
from frontdesk.demo.launch import running_demo  # noqa: E402

ANSI = re.compile(
    rb"\x1b\[[0-9;?<>=$]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>78]|\x1b\][^\x07]*\x07"
)
DAY = date(2025, 3, 4)  # a Tuesday: the Civic Centre is open 08:30-17:00
ENV = {k: v for k, v in os.environ.items() if k not in ("FRONTDESK_DB", "TEXTUAL_DRIVER")}
ENV["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(ROOT), ENV.get("PYTHONPATH", "")])


def _cpu(pid: int) -> float:
    """The CPU seconds (user + system) process `pid` has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def on_screen(
    args: list[str],
    shown: Callable[[str], bool],
    leave: bytes,
    first: Callable[[str], bool] | None = None,
) -> tuple[float, float, float, float]:
    """From spawning `args` in a pseudo-terminal: seconds (wall, then the process's CPU)
    until its output (escape codes removed) satisfies `first`, then `shown`; then `leave`
    is typed and the process waited for."""
    master, slave = pty.openpty()
    ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 160, 0, 0))
    env = {**ENV, "TERM": "xterm-256color", "COLUMNS": "160", "LINES": "50"}
    started = time.perf_counter()
    process = subprocess.Popen(
        args, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
    )
    os.close(slave)
    seen = b""
    took = None
    first_at: tuple[float, float] | None = None
    try:
        while took is None:
            ready, _, _ = select.select([master], [], [], 60)
            if not ready:
                raise RuntimeError(f"nothing on screen in 60 s: {ANSI.sub(b'', seen)[-400:]!r}")
            try:
                chunk = os.read(master, 65536)
            except OSError:
                chunk = b""
            if not chunk:
                raise RuntimeError(f"{args} ended: {ANSI.sub(b'', seen)[-400:]!r}")
            seen += chunk
            text = ANSI.sub(b"", seen).decode("utf-8", "replace")
            if first_at is None and first is not None and first(text):
                first_at = (time.perf_counter() - started, _cpu(process.pid))
            if shown(text):
                took = (time.perf_counter() - started, _cpu(process.pid))
                first_at = first_at or took
        os.write(master, leave)
        deadline = time.monotonic() + 30
        while process.poll() is None and time.monotonic() < deadline:
            if select.select([master], [], [], 0.2)[0]:
                try:
                    os.read(master, 65536)
                except OSError:
                    break
        if process.poll() is None:
            os.killpg(process.pid, 15)
        process.wait(timeout=10)
    finally:
        os.close(master)
        if process.poll() is None:
            os.killpg(process.pid, 9)
            process.wait()
    assert first_at is not None
    return (first_at[0], first_at[1], took[0], took[1])


def bench_start(runs: int) -> dict[str, list[float]]:
    py = [sys.executable, "-m", "frontdesk"]
    demo_args = [*py, "demo", "--date", DAY.isoformat()]
    with tempfile.TemporaryDirectory(prefix="fdbench-demo-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'ready.db'}"
        council = ROOT / "src" / "frontdesk" / "sample" / "council.toml"
        init = [*py, "init", "--config", str(council), "--db", url]
        subprocess.run(init, env=ENV, check=True, capture_output=True)
        supervisor = [*py, "supervisor", "--centre", "CIVIC", "--db", url]
        out: dict[str, list[float]] = {
            k: [] for k in ("first", "first cpu", "demo", "demo cpu", "help", "help cpu")
        }
        out.update({"supervisor": [], "supervisor cpu": []})

        def add(name: str, wall: float, cpu: float) -> None:
            out[name].append(wall)
            out[f"{name} cpu"].append(cpu)

        for _ in range(runs):
            _, _, wall, cpu = on_screen([*py, "--help"], lambda t: "demo" in t, b"")
            add("help", wall, cpu)
            shown = on_screen(supervisor, lambda t: "Staff code" in t, b"\x11")
            add("supervisor", shown[2], shown[3])
            shown = on_screen(
                demo_args,
                lambda t: "Per service" in t and "General enquiries" in t and "DEMO" in t,
                b"\x18",  # ctrl+x: leave the demo
                # The first screen: the demo's line over the opening screen (or the dashboard).
                lambda t: "DEMO" in t and ("is opening" in t or "Per service" in t),
            )
            add("first", shown[0], shown[1])
            add("demo", shown[2], shown[3])
    return out


async def _lag(seconds: float, with_app: bool) -> list[float]:
    with tempfile.TemporaryDirectory(prefix="fdbench-demo-") as tmp:
        return await _lag_in(Path(tmp), seconds, with_app)


async def _lag_in(tmp: Path, seconds: float, with_app: bool) -> list[float]:
    with running_demo("CIVIC", DAY, DEFAULT_SPEED, directory=tmp) as demo:
        samples: list[float] = []

        def sample() -> None:
            lag = demo.services.clock.now() - demo.world.played_to
            samples.append(lag.total_seconds())

        # From the simulation thread's first pass (it plays what passed while the store
        # was seeded), in both cases.
        first = demo.world.played_to
        while demo.world.played_to == first:
            await asyncio.sleep(0.05)
        if not with_app:
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                await asyncio.sleep(0.25)
                sample()
            return samples
        app = DemoSupervisor(demo.services, "CIVIC")
        async with app.run_test(size=(160, 50)) as pilot:
            while not app.screen.query(DemoLine):
                await pilot.pause(0.05)
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                await pilot.pause(0.25)
                sample()
        return samples


def bench_lag(seconds: float) -> dict[str, list[float]]:
    # Alone first, then with the dashboard: each its own store and simulation.
    alone = asyncio.run(_lag(seconds, with_app=False))
    shown = asyncio.run(_lag(seconds, with_app=True))
    return {"alone": alone, "dashboard": shown}


def _s(values: list[float]) -> str:
    return f"median {statistics.median(values):.2f} s, max {max(values):.2f} s"


def _sc(start: dict[str, list[float]], name: str) -> str:
    """Wall and CPU time of one measure."""
    return f"{_s(start[name])} (CPU median {statistics.median(start[name + ' cpu']):.2f} s)"


def _sim(values: list[float]) -> str:
    return f"median {statistics.median(values):.0f} s, max {max(values):.0f} s simulated"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="2 starts, 20 s of simulation")
    args = parser.parse_args()
    runs, seconds = (2, 20.0) if args.quick else (5, 60.0)
    load = os.getloadavg()
    print(f"{os.cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    start = bench_start(runs)
    print(f"start: {start}")
    lag = bench_lag(seconds)
    baselines = (
        f"baselines: `frontdesk --help` {_sc(start, 'help')}; "
        f"`frontdesk supervisor` to its log-in {_sc(start, 'supervisor')}"
    )
    rows = [
        (
            f"demo start to its first screen ({runs} runs)",
            _sc(start, "first"),
            f"target ≤ 3 s; {baselines}",
        ),
        (
            f"demo start to the dashboard filled ({runs} runs)",
            _sc(start, "demo"),
            "the store built and the first 40 simulated minutes played behind the first screen",
        ),
        (
            f"simulation lag, speed 60, dashboard open ({seconds:.0f} s)",
            _sim(lag["dashboard"]),
            f"target ≤ 60 s simulated; baseline: no app open {_sim(lag['alone'])}",
        ),
    ]
    for name, figure, note in rows:
        print(f"{name:<48} {figure:<36} ({note})")


if __name__ == "__main__":
    main()
