"""The rollups give every figure the event log gives: random histories through the
services on SQLite and PostgreSQL, with catch-ups at random moments, compared grain by
grain with the event log folded directly, report by report, and with the measures'
own standard computation."""

from __future__ import annotations

import math
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, inspect, text

from frontdesk.clock import VirtualClock
from frontdesk.errors import FrontdeskError
from frontdesk.queue.tally import AdviserTally, QueryTally, VisitTally, merge, values_of
from frontdesk.services.reports.common import DirectSource, RollupSource
from frontdesk.services.results import Query
from frontdesk.services.simulate import simulate_day
from frontdesk.services.wiring import Services, initialise, open_services

ROOT = Path(__file__).resolve().parents[2]
COUNCIL = ROOT / "examples" / "council.toml"
LONDON = ZoneInfo("Europe/London")
# Monday after the clocks went forward, the last days of March into April.
BEGIN = datetime(2026, 3, 30, 9, 0, tzinfo=LONDON)
DESKS = {"CIVIC": ("1", "Interview 1"), "GATEFIELD": ("1",)}
SERVICES = ("CTAX", "HBEN", "HOPT", "GENQ")
TOPICS = (None, "CTAX-PAY", "CTAX-BILL", "HBEN-DOCS")
PERIODS = [(date(2026, 3, 1), date(2026, 4, 30)), (date(2026, 3, 31), date(2026, 4, 1))]


@contextmanager
def fresh_store(
    request: pytest.FixtureRequest, backend: str
) -> Iterator[tuple[Services, VirtualClock]]:
    """A new store with the sample council for one example."""
    clock = VirtualClock(BEGIN)
    if backend == "sqlite":
        tmp = Path(request.getfixturevalue("tmp_path")) / f"{uuid.uuid4().hex}.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), tmp)
        url = f"sqlite:///{tmp}"
    else:
        engine: Engine = request.getfixturevalue("pg_engine")
        tables = [t for t in inspect(engine).get_table_names() if t != "alembic_version"]
        with engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        url = engine.url.render_as_string(hide_password=False)
    svc = open_services(url, clock)
    try:
        initialise(svc, COUNCIL)
        yield svc, clock
    finally:
        svc.close()


DESK = st.sampled_from([(c, d) for c, ds in DESKS.items() for d in ds])
STAFF = st.sampled_from((None, "ann", "bob"))
action = st.one_of(
    # A desk's turn: call, then what happens to that customer.
    st.tuples(
        st.just("serve"),
        DESK,
        st.sampled_from(("complete", "complete", "transfer", "no_show", "recall", "held")),
        STAFF,
    ),
    st.tuples(st.just("issue"), st.sampled_from(tuple(DESKS)), st.sampled_from(SERVICES)),
    st.tuples(st.just("wait"), st.integers(0, 25)),
    st.tuples(st.just("desk"), DESK, st.sampled_from(("start", "complete")), STAFF),
    st.tuples(st.just("gone"), st.sampled_from(tuple(DESKS)), st.sampled_from(("cancel", "left"))),
    st.tuples(st.just("catch up")),
    st.tuples(st.just("next day"), st.integers(1, 3)),
)
# Visitors come in bursts; desks take turns.
history = st.lists(
    st.one_of(
        st.tuples(
            st.just("burst"),
            st.lists(
                st.tuples(st.sampled_from(tuple(DESKS)), st.sampled_from(SERVICES)),
                min_size=1,
                max_size=4,
            ),
        ),
        action,
    ),
    min_size=8,
    max_size=40,
)


def queries(data: st.DataObject) -> list[Query]:
    return [
        Query(
            resolved=data.draw(st.booleans()),
            topic=data.draw(st.sampled_from(TOPICS)),
            handoff="back-office",
            avoidable=data.draw(st.sampled_from((None, "chasing", "wrong-place"))),
            feedback=data.draw(st.sampled_from((None, "complaint", "compliment"))),
            feedback_text="said so",
            seen_before=data.draw(st.booleans()),
        )
        for _ in range(data.draw(st.integers(1, 2)))
    ]


def apply(svc: Services, clock: VirtualClock, step: tuple[Any, ...], data: st.DataObject) -> None:
    q = svc.queue
    kind = step[0]

    def pause() -> None:
        clock.advance(data.draw(st.integers(0, 900)))

    try:
        if kind == "burst":
            for centre, service in step[1]:
                q.issue(centre, service, channel=data.draw(st.sampled_from(("kiosk", "greeter"))))
                clock.advance(data.draw(st.integers(0, 120)))
        elif kind == "issue":
            q.issue(step[1], step[2], channel=data.draw(st.sampled_from(("kiosk", "greeter"))))
        elif kind == "wait":
            clock.advance(step[1] * 60 + data.draw(st.integers(0, 59)))
        elif kind == "next day":
            clock.advance(step[1] * 24 * 3600)
        elif kind == "catch up":
            svc.reports.catch_up()
        elif kind == "gone":
            waiting = q.snapshot(step[1]).waiting
            if waiting:
                ticket = data.draw(st.sampled_from([w.ticket for w in waiting]))
                (q.cancel if step[2] == "cancel" else q.left)(step[1], ticket)
        elif kind == "desk":
            (centre, desk), what, staff = step[1], step[2], step[3]
            if what == "start":
                q.start(centre, desk, staff=staff)
            else:
                q.complete(centre, desk, queries(data), staff=staff)
        else:
            (centre, desk), what, staff = step[1], step[2], step[3]
            if q.call_next(centre, desk, staff=staff) is None:
                return
            pause()
            if what == "no_show":
                q.no_show(centre, desk, staff=staff)
                return
            if what == "recall":
                q.recall(centre, desk, staff=staff)
                pause()
            q.start(centre, desk, staff=staff)
            pause()
            if what == "transfer":
                q.transfer(
                    centre,
                    desk,
                    service=data.draw(st.sampled_from(SERVICES)),
                    queries=queries(data)[:1] if data.draw(st.booleans()) else (),
                    staff=staff,
                )
            elif what != "held":
                q.complete(centre, desk, queries(data), staff=staff)
    except FrontdeskError:
        pass  # not legal now (nobody waiting, a closed centre …): a visitor's day


def grouped(rows: Iterator[Any], grain: str) -> dict[Any, Any]:
    out: dict[Any, Any] = {}
    for cid, day, hour, key, t in rows:
        slot = (
            (cid, day, hour)
            if grain == "h"
            else (cid, day)
            if grain == "d"
            else (cid, day.replace(day=1))
        )
        have = out.get((slot, key))
        out[(slot, key)] = t if have is None else merge(have, t)
    return {
        k: (values_of(t), getattr(t, "wait_hist", None), getattr(t, "handling_hist", None))
        for k, t in out.items()
        if any(values_of(t))
    }


def close(a: Any, b: Any, where: str = "") -> None:
    """Equal, floats to 1e-9 relative (sums taken in a different order)."""
    if isinstance(a, dict):
        assert set(a) == set(b), where
        for k in a:
            close(a[k], b[k], f"{where}.{k}")
    elif isinstance(a, list | tuple):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            close(x, y, f"{where}[{i}]")
    elif isinstance(a, float) and isinstance(b, float):
        assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9), (where, a, b)
    else:
        assert a == b, (where, a, b)


def check_everything(svc: Services) -> None:
    reports = svc.reports
    ids = [c.id for c in svc.queue.catalogue().centres.values()]
    rolled = RollupSource(svc.uow, reports.rollups)
    direct = DirectSource(svc.uow)
    lo, hi = date(2026, 3, 1), date(2026, 4, 30)
    for cls in (VisitTally, QueryTally, AdviserTally):
        for grain in ("h", "d", "m"):
            mine = grouped(rolled.tallies(cls, ids, lo, hi, grain), grain)
            # The direct fold gives hours; add them up to the grain.
            theirs = grouped(direct.tallies(cls, ids, lo, hi, "h"), grain)
            assert mine == theirs, (cls.__name__, grain)
    for day_from, day_to in PERIODS:
        for centre in ("CIVIC", "GATEFIELD"):
            fast = reports.standard(centre, day_from, day_to)
            slow = reports.standard_from_events(centre, day_from, day_to)
            close(fast.as_json(), slow.as_json(), f"standard {centre}")
            close(fast.by_service, slow.by_service, f"by service {centre}")
        for centres in ("CIVIC", "ALL"):
            for by in ("day", "week", "month", "year"):
                close(
                    reports.summary(centres, day_from, day_to, by).as_json(),
                    reports.summary(centres, day_from, day_to, by, direct=True).as_json(),
                    f"summary {by}",
                )
            for name in ("hours", "queries", "advisers", "repeats"):
                close(
                    getattr(reports, name)(centres, day_from, day_to).as_json(),
                    getattr(reports, name)(centres, day_from, day_to, direct=True).as_json(),
                    name,
                )


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=history, data=st.data())
@pytest.mark.parametrize(
    "store", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_every_figure_equals_the_event_log(
    request: pytest.FixtureRequest, store: str, steps: list[tuple[Any, ...]], data: st.DataObject
) -> None:
    with fresh_store(request, store) as (svc, clock):
        for step in steps:
            apply(svc, clock, step, data)
        check_everything(svc)
        seen = svc.reports.summary("ALL", *PERIODS[0], "year").rows[-1]
        event(f"seen: {min(seen['seen'], 5)}+, queries: {min(seen['queries_completed'], 5)}+")


@pytest.mark.parametrize(
    "store", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_simulated_days_roll_up_as_the_event_log_says(
    request: pytest.FixtureRequest, store: str
) -> None:
    """Busy days (the simulator: no-shows, walk-outs, transfers, several queries), with
    the rollups caught up between and during them."""
    with fresh_store(request, store) as (svc, clock):
        svc.reports.catch_up()
        simulate_day(svc, clock, "CIVIC", day=date(2026, 3, 31), visitors=90, seed=3)
        svc.reports.standard("CIVIC", date(2026, 3, 31), date(2026, 3, 31))  # a read catches up
        simulate_day(svc, clock, "GATEFIELD", day=date(2026, 4, 1), visitors=60, seed=4)
        simulate_day(svc, clock, "CIVIC", day=date(2026, 4, 1), visitors=70, seed=5)
        check_everything(svc)
        day = svc.reports.summary("CIVIC", date(2026, 3, 31), date(2026, 3, 31), "day").rows[0]
        assert day["seen"] > 50 and day["queries_completed"] > 50 and day["walkouts"] > 0
