"""`frontdesk demo` on a terminal: a throw-away store with the sample council, the day
simulated in accelerated time by a background thread, and the apps one after another in
this terminal (each exits naming the next), starting with the supervisor's dashboard."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from frontdesk import sample
from frontdesk.errors import InvalidInput
from frontdesk.services.demo import DemoClock, DemoRunner, DemoWorld, add_demo_staff, demo_day
from frontdesk.services.wiring import Services, initialise, open_services

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


def run_in_terminal(centre: str, day: date | None, speed: float, seed: int = 1) -> int:
    """The launcher loop: dashboard first, then whichever app the newcomer asks for."""
    from frontdesk.demo.apps import LEAVE, build

    with running_demo(centre, day, speed, seed) as demo:
        apps = open_services(demo.url, demo.services.clock)
        try:
            name: str | None = "dashboard"
            while name and name != LEAVE:
                app = build(name, apps, demo.world.cast.centre, demo.world.cast.human_desk)
                result = app.run()
                name = result if isinstance(result, str) else None
        finally:
            apps.close()
    print(f"Demo over at {_when(demo.world.services.clock.now())} simulated; the store is gone.")
    return 0


def _when(at: datetime) -> str:
    return at.strftime("%H:%M UTC")
