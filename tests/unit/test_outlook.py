"""The outlook's forward run (pure): the same seed gives the same answer, an action
changes only what it touches, and the words follow the chances."""

from __future__ import annotations

from dataclasses import replace

from frontdesk.queue.outlook import Desk, ServiceTerms, Situation, Waiting, run_outlook, with_desk
from frontdesk.services.oversight.forecast import with_recent
from frontdesk.services.oversight.views import Level, level_of_risk

TERMS = {"CTAX": ServiceTerms(600, 0.95, 420), "GENQ": ServiceTerms(600, 0.95, 240)}
DESKS = (
    Desk("1", ("CTAX", "GENQ"), True, "CTAX", 60),
    Desk("2", ("GENQ", "CTAX"), True),
    Desk("3", ("CTAX", "GENQ"), False),
)
QUIET = Situation(DESKS, (), TERMS, 4 * 3600, {"CTAX": ((0, 3.0),), "GENQ": ((0, 2.0),)})
RUSH = replace(QUIET, waiting=tuple(Waiting("CTAX", 20 * i) for i in range(10)))


def test_a_quiet_afternoon_is_on_track() -> None:
    out = run_outlook(QUIET)
    assert out["CTAX"].projected_share is not None and out["CTAX"].projected_share > 0.95
    assert level_of_risk(out["CTAX"].wait_risk[30]) is Level.ON_TRACK


def test_a_queue_of_ten_will_breach_soon() -> None:
    out = run_outlook(RUSH)
    assert level_of_risk(out["CTAX"].wait_risk[30]) is Level.WILL_BREACH
    assert out["CTAX"].first_breach_seconds is not None
    assert out["CTAX"].first_breach_seconds < 15 * 60


def test_the_same_seed_gives_the_same_outlook() -> None:
    assert run_outlook(RUSH, seed=5) == run_outlook(RUSH, seed=5)


def test_opening_a_desk_helps_the_service_it_serves() -> None:
    before = run_outlook(RUSH)["CTAX"].projected_share or 0
    after = run_outlook(with_desk(RUSH, Desk("3", ("CTAX",), True)))["CTAX"].projected_share
    assert after is not None and after > before


def test_combing_quick_queries_and_diverting_walk_ins_help() -> None:
    quick = replace(
        RUSH, waiting=tuple(replace(w, quick=i % 2 == 0) for i, w in enumerate(RUSH.waiting))
    )
    base = run_outlook(quick)["CTAX"].projected_share or 0
    combed = run_outlook(replace(quick, comb=frozenset({"CTAX"})))["CTAX"].projected_share or 0
    diverted = run_outlook(replace(quick, divert={"CTAX": 0.5}))["CTAX"].projected_share or 0
    assert combed > base and diverted >= base


def test_a_rush_seen_carries_the_next_half_hour_only() -> None:
    steps = with_recent({"CTAX": ((0.0, 6.0), (3600.0, 4.0))}, {"CTAX": 30.0}, 1800)
    assert steps["CTAX"] == ((0.0, 30.0), (1800.0, 6.0), (3600.0, 4.0))
