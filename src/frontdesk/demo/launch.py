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
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
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


class Opening:
    """The demo being opened by a background thread (the store built and seeded, the
    morning so far played, the simulation started) while the first screen already shows.
    `ready` is set when it is open (`demo`) or could not open (`error`)."""

    def __init__(self, centre: str, url: str, speed: float) -> None:
        self.centre = centre
        self.url = url
        # Started for real (at the day's opening + HEAD_START) once the world is built.
        self.clock = DemoClock(datetime.now(UTC), speed)
        self.ready = threading.Event()
        self.demo: Demo | None = None
        self.error: BaseException | None = None

    def open(self, day: date | None, seed: int) -> None:
        """Open the council (the thread's body); on failure keep the error for the caller."""
        try:
            setup = open_services(self.url)
            try:
                initialise(setup, sample.council())
                add_demo_staff(setup)
                chosen = demo_day(setup, self.centre, day)
                cast = DemoWorld(setup, self.centre, chosen, seed=seed).cast
            finally:
                setup.close()
            self.clock.restart(cast.opens + HEAD_START)
            services = open_services(self.url, self.clock)
            try:
                world = DemoWorld(services, self.centre, chosen, seed=seed)
                world.advance_to(self.clock.now())
                runner = DemoRunner(world)
                runner.start()
            except BaseException:
                services.close()
                raise
            self.demo = Demo(self.url, services, world, runner)
        except BaseException as exc:  # reported by whoever waits on `ready`
            self.error = exc
        finally:
            self.ready.set()

    def wait(self) -> Demo:
        """The open demo, once it is (or the error that stopped it, raised here)."""
        self.ready.wait()
        if self.error is not None:
            raise self.error
        assert self.demo is not None
        return self.demo


@contextmanager
def opening_demo(
    centre: str, day: date | None, speed: float, seed: int = 1, directory: Path | None = None
) -> Iterator[Opening]:
    """A throw-away store for the demo, opened in a background thread while the block runs
    (the first screen need not wait for it); the simulation stops and the store goes when
    the block ends."""
    if speed <= 0:
        raise InvalidInput("--speed must be more than 0 (simulated seconds per real second)")
    with tempfile.TemporaryDirectory(prefix="frontdesk-demo-", dir=directory) as tmp:
        opening = Opening(centre.strip().upper(), f"sqlite:///{Path(tmp) / 'demo.db'}", speed)
        thread = threading.Thread(
            target=opening.open, args=(day, seed), name="demo-opening", daemon=True
        )
        thread.start()
        try:
            yield opening
        finally:
            thread.join()
            if opening.demo is not None:
                opening.demo.runner.stop()
                opening.demo.services.close()


@contextmanager
def running_demo(
    centre: str, day: date | None, speed: float, seed: int = 1, directory: Path | None = None
) -> Iterator[Demo]:
    """A seeded store and its simulation running in the background until the block ends."""
    with opening_demo(centre, day, speed, seed, directory) as opening:
        yield opening.wait()


def launcher(demo: Demo | Opening, apps: Services, run: Callable[[Any], object]) -> list[str]:
    """The launcher loop: dashboard first (while the council is still `Opening`, showing
    that it is), then whichever app the newcomer asks for, until they leave; `run` runs
    one app and gives back its result. The apps opened, in order."""
    from frontdesk.demo.apps import LEAVE, build

    opening = demo if isinstance(demo, Opening) else None
    centre = demo.centre if isinstance(demo, Opening) else demo.world.cast.centre
    opened: list[str] = []
    name: str | None = "dashboard"
    while name and name != LEAVE:
        opened.append(name)
        if opening is not None and (name != "dashboard" or opening.ready.is_set()):
            demo = opening.wait()  # the other apps need the open council (its desk)
        desk = demo.world.cast.human_desk if isinstance(demo, Demo) else ""
        app = build(name, apps, centre, desk, opening=opening)
        result = run(app)
        name = result if isinstance(result, str) else None
    if opening is not None and opening.error is not None:
        raise opening.error
    return opened


def run_in_terminal(centre: str, day: date | None, speed: float, seed: int = 1) -> int:
    """The demo in this terminal until the newcomer leaves: the dashboard at once, the
    council opening behind it."""
    with opening_demo(centre, day, speed, seed) as opening:
        apps = open_services(opening.url, opening.clock, via="demo")
        try:
            launcher(opening, apps, lambda app: app.run())
        finally:
            apps.close()
    print(f"Demo over at {_when(opening.clock.now())} simulated; the store is gone.")
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
    services = open_services(None, DemoClock.join(given["clock"]), via=f"demo:{name}")
    try:
        watch_parent_when_served()
        build(name, services, given["centre"], given["desk"], served=True).run()
    finally:
        services.close()
    return 0


def _when(at: datetime) -> str:
    return at.strftime("%H:%M UTC")
