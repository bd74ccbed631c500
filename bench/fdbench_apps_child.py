"""The app benchmarks' child processes: a kiosk, a desk console or a board, each headless
(Textual's `App.run_test`) in a process of its own, as on a real machine.

Started by `fdbench_apps` as `python -c "..."`. Only the standard library is imported at
the top, so a cold start times the product's own imports. Results go to the real
standard output (file descriptor 1; Textual captures `print` while an app runs) as lines
`FDBENCH {json}`. Times crossing processes are `time.time()` (one machine, one clock);
durations inside a process are `time.perf_counter()`.

Every child runs on a `ShiftedClock`: the system clock moved by an offset the parent
chose, so that all processes agree it is a weekday morning with the centre open.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import random
import sys
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from textual.css.query import NoMatches

CENTRE = "CIVIC"
POLL = 0.01  # seconds between checks while waiting, untimed, for the app to get somewhere


class ShiftedClock:
    """The system clock moved by `offset` seconds (time still passes)."""

    def __init__(self, offset: float) -> None:
        self.offset = timedelta(seconds=offset)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset


def emit(**data: Any) -> None:
    os.write(1, ("FDBENCH " + json.dumps(data) + "\n").encode())


def peak_rss_mb() -> tuple[float, float]:
    """(VmHWM, VmRSS) of this process in MB."""
    out = {"VmHWM": 0.0, "VmRSS": 0.0}
    with open("/proc/self/status") as f:
        for line in f:
            key = line.split(":", 1)[0]
            if key in out:
                out[key] = int(line.split()[1]) / 1024
    return out["VmHWM"], out["VmRSS"]


async def until(check: Callable[[], Any], timeout: float = 10.0, step: float = POLL) -> Any:
    """Let the app run until `check()` gives something truthy; return it (or raise)."""
    end = time.perf_counter() + timeout
    while True:
        got = check()
        if got:
            return got
        if time.perf_counter() > end:
            raise TimeoutError(f"timed out after {timeout} s waiting for {check}")
        await asyncio.sleep(step)


class FrameWatch:
    """Calls `check()` after every frame the app draws (`App._display`, also called when
    headless: the frame is composed but not written out) and notes the first frame for
    which it holds. Event-driven, so waiting costs the app no CPU (polling would)."""

    def __init__(self, app: Any) -> None:
        self._draw = app._display
        app._display = self._display
        self._check: Callable[[], Any] | None = None
        self._hit = asyncio.Event()
        self.at = 0.0
        self.got: Any = None

    def _display(self, screen: Any, update: Any) -> None:
        self._draw(screen, update)
        if self._check is not None and update is not None:
            got = self._check()
            if got:
                self.at, self.got, self._check = time.perf_counter(), got, None
                self._hit.set()

    def arm(self, check: Callable[[], Any]) -> None:
        """Watch for `check()` from the next frame on."""
        self.at, self.got = 0.0, None
        self._hit.clear()
        self._check = check

    async def wait(self, timeout: float = 10.0) -> tuple[float, Any]:
        """(perf_counter of the frame, what check() gave)."""
        try:
            await asyncio.wait_for(self._hit.wait(), timeout)
        except TimeoutError:
            check, self._check = self._check, None
            raise TimeoutError(f"no frame showed {check} in {timeout} s") from None
        return self.at, self.got


def laid_out(widget: Any) -> bool:
    """Mounted, and placed on the screen by the last layout (so it is drawn)."""
    return bool(widget.is_mounted and widget.region.area)


# -- kiosk -------------------------------------------------------------------------------


def kiosk_main(url: str, offset: float, visitors: int, seed: int = 1) -> None:
    """Start a kiosk; say when the welcome screen's first button has focus; then (if
    asked) take `visitors` tickets by touch and time each tap on "Take a ticket"."""
    try:
        asyncio.run(_kiosk(url, offset, visitors, seed))
    except Exception:
        emit(fatal=traceback.format_exc())


async def _kiosk(url: str, offset: float, visitors: int, seed: int) -> None:
    t_imp = time.time()
    from frontdesk.devices.fakes import FakeTicketPrinter
    from frontdesk.kiosk.app import KioskApp
    from frontdesk.kiosk.screens.language import WelcomeScreen
    from frontdesk.kiosk.state import KioskSettings
    from frontdesk.kiosk.widgets.choice_button import ChoiceButton
    from frontdesk.services.wiring import open_services

    t_imported = time.time()
    services = open_services(url, ShiftedClock(offset))
    printer = FakeTicketPrinter()
    app = KioskApp(services, KioskSettings(centre=CENTRE, name="bench"), printer.factory)
    t_built = time.time()

    def welcome_ready() -> bool:
        screen = app.screen
        if not isinstance(screen, WelcomeScreen):
            return False
        focused = screen.focused
        return isinstance(focused, ChoiceButton) and laid_out(focused)

    watch = FrameWatch(app)
    watch.arm(welcome_ready)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            at, _ = await watch.wait(timeout=30)
            t_ready = time.time() - (time.perf_counter() - at)
            hwm, rss = peak_rss_mb()
            emit(
                stage="ready",
                t_import_start=t_imp,
                t_imported=t_imported,
                t_built=t_built,
                t_ready=t_ready,
                rss_mb=rss,
                hwm_mb=hwm,
            )
            if visitors:
                rng = random.Random(seed)
                result = await _visitors(app, pilot, watch, visitors, printer, rng)
                hwm, rss = peak_rss_mb()
                emit(stage="visitors", **result, rss_mb=rss, hwm_mb=hwm)
    finally:
        services.close()


async def _visitors(
    app: Any, pilot: Any, watch: FrameWatch, n: int, printer: Any, rng: random.Random
) -> dict[str, Any]:
    from textual.events import Click

    from frontdesk.kiosk.screens.estimate import TAKE, EstimateScreen
    from frontdesk.kiosk.screens.flow import NeedsScreen, ServicesScreen, TopicsScreen
    from frontdesk.kiosk.screens.language import WelcomeScreen
    from frontdesk.kiosk.screens.ticket import TicketScreen

    mix = ("GENQ", "CTAX", "HBEN", "PARK")
    taps: list[float] = []  # from the Click reaching the screen to the number laid out
    from_pilot: list[float] = []  # from the start of pilot.click (includes its pauses)
    tickets: list[str] = []

    def on(kind: type) -> Any:
        return lambda: app.screen if isinstance(app.screen, kind) else None

    async def tap(screen: Any, value: Any) -> None:
        """Untimed steps: press the choice as its number key would (no pilot pauses)."""
        button = await until(
            lambda: next(
                (b for b in screen.body_choices() if b.value == value and laid_out(b)), None
            )
        )
        button.focus()
        button.press()

    for i in range(n):
        welcome = await until(on(WelcomeScreen))
        await tap(welcome, "en")
        services = await until(on(ServicesScreen))
        await tap(services, mix[i % len(mix)])
        topics = await until(on(TopicsScreen))
        first = await until(lambda s=topics: next(s.body_choices(), None))
        await tap(topics, first.value)
        needs = await until(on(NeedsScreen))
        await tap(needs, "continue")
        estimate = await until(on(EstimateScreen))
        await until(lambda s=estimate: s.estimate is not None)
        take = await until(
            lambda s=estimate: next(
                (b for b in s.body_choices() if b.value == TAKE and laid_out(b)), None
            )
        )
        await asyncio.sleep(rng.uniform(0.05, 0.15))  # the visitor reads the estimate

        clicked: list[float] = []
        click_seen = asyncio.Event()
        forward = estimate._forward_event

        def spy(
            event: Any,
            forward: Any = forward,
            seen: asyncio.Event = click_seen,
            clicked: list[float] = clicked,
        ) -> None:
            if isinstance(event, Click):
                clicked.append(time.perf_counter())
                seen.set()
            forward(event)

        estimate._forward_event = spy  # the instant the pilot's click reaches the screen

        def shown() -> str | None:
            screen = app.screen
            if not isinstance(screen, TicketScreen):
                return None
            found = screen.query("#number")
            if not found:
                return None
            number = found.first()
            return screen.slip.ticket if laid_out(number) else None

        watch.arm(shown)
        t0 = time.perf_counter()
        task = asyncio.ensure_future(pilot.click(take))
        await asyncio.wait_for(click_seen.wait(), timeout=30)
        t1, label = await watch.wait(timeout=10)
        await task
        taps.append(t1 - clicked[0])
        from_pilot.append(t1 - t0)
        tickets.append(label)

        ticket = app.screen
        await until(lambda t=ticket: t.outcome is not None)  # the (fake) printer answered
        await tap(ticket, "finish")
        await until(on(WelcomeScreen))
    return {
        "taps": taps,
        "from_pilot_click": from_pilot,
        "tickets": tickets,
        "printed": len(printer.slips),
    }


# -- desk console ------------------------------------------------------------------------


def desk_main(
    url: str,
    offset: float,
    desk: str,
    staff: str,
    pin: str,
    presses: int,
    refill: str,
    go_file: str,
    think: tuple[float, float],
    seed: int,
) -> None:
    """Log in at `desk`, open it with its own services, wait for `go_file`, then call,
    start and complete `presses` customers through the keys; only F2 → ticket on the
    customer card is timed. After each customer one `refill` ticket is issued (untimed),
    so the queue stays as deep as it started."""
    try:
        asyncio.run(_desk(url, offset, desk, staff, pin, presses, refill, go_file, think, seed))
    except Exception:
        emit(fatal=traceback.format_exc())


async def _desk(
    url: str,
    offset: float,
    desk: str,
    staff: str,
    pin: str,
    presses: int,
    refill: str,
    go_file: str,
    think: tuple[float, float],
    seed: int,
) -> None:
    from frontdesk.desk.app import DeskApp
    from frontdesk.desk.screens.console import ConsoleScreen
    from frontdesk.desk.screens.login import LoginScreen
    from frontdesk.desk.widgets.customer_card import CustomerCard
    from frontdesk.desk.widgets.outcome_form import OutcomeForm
    from frontdesk.services.wiring import open_services

    rng = random.Random(seed)
    services = open_services(url, ShiftedClock(offset))
    # How long the store takes to answer each call, inside the timed interval (the rest
    # is the console's own CPU and its wait for a core).
    store_s: list[float] = []
    call_next = services.queue.call_next

    def timed_call_next(*args: Any, **kwargs: Any) -> Any:
        t = time.perf_counter()
        try:
            return call_next(*args, **kwargs)
        finally:
            store_s.append(time.perf_counter() - t)

    services.queue.call_next = timed_call_next  # type: ignore[method-assign]
    # The longest garbage collection pause while serving (a collection in the middle of a
    # key press adds to its time).
    gc_pause = [0.0, 0.0]  # start, longest

    def on_gc(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            gc_pause[0] = time.perf_counter()
        else:
            gc_pause[1] = max(gc_pause[1], time.perf_counter() - gc_pause[0])

    import gc

    gc.callbacks.append(on_gc)
    app = DeskApp(services, CENTRE, desk, console=f"bench-{desk}")
    watch = FrameWatch(app)
    durations: list[float] = []
    press_store: list[float] = []  # the store's part of each timed press
    tickets: list[str] = []
    empty = 0
    release: list[float] = []
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            await until(lambda: isinstance(app.screen, LoginScreen), timeout=30)
            await pilot.press(*staff, "enter", *pin, "enter")
            await until(lambda: type(app.screen).__name__ == "ChooseServicesScreen", timeout=30)
            await pilot.press("enter")
            screen = await until(
                lambda: app.screen if isinstance(app.screen, ConsoleScreen) else None, timeout=30
            )
            await until(lambda: screen.view is not None, timeout=30)
            ref = screen.ref
            emit(stage="ready", desk=desk, services=list(screen.ctx.services))
            await until(lambda: os.path.exists(go_file), timeout=120, step=0.01)
            await asyncio.sleep(rng.uniform(0, think[1]))  # desks do not press in step

            card = screen.query_one(CustomerCard)
            # CPU the console spends per customer (all its threads, the whole cycle): the
            # other consoles on the machine wait for it, and unlike the latency it hardly
            # depends on what else the machine is running.
            cpu0 = time.process_time()
            gc_pause[1] = 0.0  # from here on: not the collections made while starting up

            def shown() -> str | None:
                cur = screen.current
                if cur is None:
                    return None
                found = card.query("#card-ticket")
                if not found:
                    return None
                big = found.first()
                return cur.ticket if big.text == cur.ticket and laid_out(big) else None

            for _ in range(presses):
                busy_seen = False

                def called_or_nobody() -> str | None:
                    nonlocal busy_seen
                    busy_seen = busy_seen or screen.busy
                    got = shown()
                    if got:
                        return got
                    if busy_seen and not screen.busy and screen.current is None:
                        return "-"  # nobody waiting for this desk
                    return None

                watch.arm(called_or_nobody)
                t0 = time.perf_counter()
                app.simulate_key("f2")  # as the terminal driver delivers a key
                t1, label = await watch.wait(timeout=30)
                if label == "-":
                    empty += 1
                    await asyncio.sleep(0.2)
                    continue
                durations.append(t1 - t0)
                press_store.append(store_s[-1] if store_s else math.nan)
                tickets.append(label)

                # untimed: start, one resolved query, complete, and a ticket to replace it
                r0 = time.perf_counter()
                cur = screen.current
                app.simulate_key("f5")
                await until(lambda: getattr(screen.current, "status", "") == "serving")
                form = screen.query_one(OutcomeForm)
                await until(lambda f=form: bool(f.forms) and bool(f.forms[0].children))
                topics = ref.topics.get(cur.service) or next(iter(ref.topics.values()))
                for _ in range(200):  # the form is built on arrival: wait for its fields
                    try:
                        form.forms[0].set_values(topic=topics[0][1], resolved="yes")
                        break
                    except NoMatches:
                        await asyncio.sleep(0.01)
                await asyncio.sleep(0.05)
                await until(lambda: not screen.busy)
                app.simulate_key("f8")
                await until(lambda: screen.current is None and not screen.busy)
                await asyncio.to_thread(services.queue.issue, CENTRE, refill)
                release.append(time.perf_counter() - r0)
                await asyncio.sleep(rng.uniform(*think))
            cpu = time.process_time() - cpu0
            hwm, rss = peak_rss_mb()
            emit(
                stage="done",
                desk=desk,
                cpu_s=cpu,
                store_s=store_s,
                press_store=press_store,
                gc_max_s=gc_pause[1],
                durations=durations,
                tickets=tickets,
                empty=empty,
                release=release,
                rss_mb=rss,
                hwm_mb=hwm,
            )
    finally:
        services.close()


# -- board -------------------------------------------------------------------------------


def board_main(url: str, offset: float, stop_file: str) -> None:
    """Run the now-serving board; report every new latest call the moment its number is
    laid out on the board, until `stop_file` appears."""
    try:
        asyncio.run(_board(url, offset, stop_file))
    except Exception:
        emit(fatal=traceback.format_exc())


class QuietAnnouncer:
    def announce(self, ticket: str, desk: str | int) -> object:
        return None

    def close(self, timeout: float | None = 30.0) -> None:
        return None


async def _board(url: str, offset: float, stop_file: str) -> None:
    from frontdesk.board.app import BoardApp
    from frontdesk.board.widgets.calls import LatestCall
    from frontdesk.services.wiring import open_services

    services = open_services(url, ShiftedClock(offset))
    app = BoardApp(services, CENTRE, announcer=QuietAnnouncer())
    draw = app._display
    seen: list[int] = []

    def display(screen: Any, update: Any) -> None:
        # After every frame: is a new latest call's number now drawn?
        draw(screen, update)
        if not seen or update is None:
            return
        latest = app.query_one(LatestCall)
        call = latest.call
        if call is None or call.event == seen[0]:
            return
        big = latest.query_one("#latest-ticket")
        if big.text == call.ticket and laid_out(big):
            emit(stage="shown", ticket=call.ticket, event=call.event, t=time.time())
            seen[0] = call.event

    app._display = display
    try:
        async with app.run_test(size=(120, 36)):
            await until(lambda: app.last_event is not None, timeout=30)
            latest = app.query_one(LatestCall)
            seen.append(latest.call.event if latest.call else 0)
            emit(stage="ready")
            stop = Path(stop_file)
            while not stop.exists():
                await asyncio.sleep(0.05)
            hwm, rss = peak_rss_mb()
            emit(stage="done", rss_mb=rss, hwm_mb=hwm)
    finally:
        services.close()


if __name__ == "__main__":  # pragma: no cover - started with -c by fdbench_apps
    sys.exit("run bench/run.py")
