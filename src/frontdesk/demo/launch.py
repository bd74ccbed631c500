"""`frontdesk demo` on a terminal: a throw-away store with the sample council, the day
simulated in accelerated time by a background thread, and the apps one after another in
this terminal (each exits naming the next), starting with the supervisor's dashboard.

Served to browsers (`frontdesk demo --serve`), the server process holds the store and the
simulation and every browser tab runs one app in a process of its own (`run_served_app`),
on the same store and the same simulated clock (handed over in FRONTDESK_DEMO).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from frontdesk import sample
from frontdesk.errors import InvalidInput
from frontdesk.services.demo import DemoClock, DemoRunner, DemoWorld, add_demo_staff, demo_day
from frontdesk.services.wiring import Services, initialise, open_services

# What a served app needs from its server: the clock to join, the centre, the newcomer's desk.
DEMO_ENV = "FRONTDESK_DEMO"
# The day is already under way when the newcomer arrives: a queue to look at at once.
HEAD_START = timedelta(minutes=40)


@dataclass
class Demo:
    url: str
    services: Services
    world: DemoWorld
    runner: DemoRunner


@contextmanager
def running_demo(
    centre: str, day: date | None, speed: float, seed: int = 1, directory: Path | None = None
) -> Iterator[Demo]:
    """A seeded store and its simulation running in the background until the block ends."""
    if speed <= 0:
        raise InvalidInput("--speed must be more than 0 (simulated seconds per real second)")
    with tempfile.TemporaryDirectory(prefix="frontdesk-demo-", dir=directory) as tmp:
        url = f"sqlite:///{Path(tmp) / 'demo.db'}"
        setup = open_services(url)
        try:
            initialise(setup, sample.council())
            add_demo_staff(setup)
            chosen = demo_day(setup, centre.strip().upper(), day)
            world_day = DemoWorld(setup, centre.strip().upper(), chosen, seed=seed)
            start = world_day.cast.opens + HEAD_START
        finally:
            setup.close()
        clock = DemoClock(start, speed)
        services = open_services(url, clock)
        try:
            world = DemoWorld(services, centre.strip().upper(), chosen, seed=seed)
            world.advance_to(clock.now())
            runner = DemoRunner(world)
            runner.start()
            try:
                yield Demo(url, services, world, runner)
            finally:
                runner.stop()
        finally:
            services.close()


def launcher(demo: Demo, apps: Services, run: Callable[[Any], object]) -> list[str]:
    """The launcher loop: dashboard first, then whichever app the newcomer asks for, until
    they leave; `run` runs one app and gives back its result. The apps opened, in order."""
    from frontdesk.demo.apps import LEAVE, build

    opened: list[str] = []
    name: str | None = "dashboard"
    while name and name != LEAVE:
        opened.append(name)
        app = build(name, apps, demo.world.cast.centre, demo.world.cast.human_desk)
        result = run(app)
        name = result if isinstance(result, str) else None
    return opened


def run_in_terminal(centre: str, day: date | None, speed: float, seed: int = 1) -> int:
    """The demo in this terminal until the newcomer leaves."""
    with running_demo(centre, day, speed, seed) as demo:
        apps = open_services(demo.url, demo.services.clock)
        try:
            launcher(demo, apps, lambda app: app.run())
        finally:
            apps.close()
    print(f"Demo over at {_when(demo.world.services.clock.now())} simulated; the store is gone.")
    return 0


def served_environment(demo: Demo) -> dict[str, str]:
    """What the server hands each app process it starts (the store's URL travels apart,
    in FRONTDESK_DB, as `frontdesk serve` does)."""
    clock = demo.services.clock
    assert isinstance(clock, DemoClock)
    cast = demo.world.cast
    shared = {"clock": clock.shared(), "centre": cast.centre, "desk": cast.human_desk}
    return {DEMO_ENV: json.dumps(shared), "FRONTDESK_DB": demo.url}


def run_served_app(name: str) -> int:
    """One browser tab of `frontdesk demo --serve`: the app `name` on the server's store,
    clock and centre; its demo keys send the tab to another app's page."""
    from frontdesk.demo.apps import APPS, build
    from frontdesk.ui.served import watch_parent_when_served

    if name not in APPS:
        raise InvalidInput(f"--in-browser: no demo app {name!r} (one of {', '.join(APPS)})")
    shared = os.environ.get(DEMO_ENV)
    if not shared:
        raise InvalidInput(f"--in-browser is for `frontdesk demo --serve` only ({DEMO_ENV})")
    given = json.loads(shared)
    services = open_services(None, DemoClock.join(given["clock"]))
    try:
        watch_parent_when_served()
        build(name, services, given["centre"], given["desk"], served=True).run()
    finally:
        services.close()
    return 0


def _when(at: datetime) -> str:
    return at.strftime("%H:%M UTC")
