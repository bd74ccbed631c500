"""The supervisor's outlook over the one projection (queue/projection.py): the same seed
gives the same answer, an action changes only what it touches, nobody waiting with a
desk open is no breach warning, and a burst of walk-ins within chance is no rush."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from frontdesk.queue.handling import prior_model
from frontdesk.queue.predict import Activity, CentreState, DeskState, WaitingTicket
from frontdesk.queue.projection import ArrivalRate, Projection, Scenario, run_forward
from frontdesk.services.oversight.alerts import heading_for_breach
from frontdesk.services.oversight.forecast import chance_count, with_recent
from frontdesk.services.oversight.views import Level, ServiceOutlookView, level_of_risk

AT = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
MODELS = {"CTAX": prior_model("CTAX", 420), "GENQ": prior_model("GENQ", 240)}
DESKS = (
    DeskState("1", ("CTAX", "GENQ"), busy=Activity("CTAX", 60)),
    DeskState("2", ("GENQ", "CTAX")),
    DeskState("3", ("CTAX", "GENQ"), status="closed"),
)
QUIET = Scenario(
    CentreState(AT, DESKS, handling=MODELS),
    (ArrivalRate(0, {"CTAX": 3.0, "GENQ": 2.0}),),
    4 * 3600,
    {"CTAX": 600.0, "GENQ": 600.0},
)
RUSH = replace(
    QUIET,
    state=replace(
        QUIET.state, waiting=tuple(WaitingTicket(i, "CTAX", 20.0 * i) for i in range(10))
    ),
)


def run(scenario: Scenario, seed: int = 13) -> Projection:
    return run_forward(scenario, seed, runs=24)


def share(scenario: Scenario) -> float:
    return run(scenario).services["CTAX"].share_within_by_close or 0.0


def test_a_quiet_afternoon_is_on_track() -> None:
    out = run(QUIET).services["CTAX"]
    assert out.share_within_by_close is not None and out.share_within_by_close > 0.95
    assert level_of_risk(out.p_over_threshold_next_30 or 0.0) is Level.ON_TRACK


def test_a_queue_of_ten_will_breach_soon() -> None:
    out = run(RUSH).services["CTAX"]
    assert level_of_risk(out.p_over_threshold_next_30 or 0.0) is Level.WILL_BREACH
    assert out.first_breach_seconds is not None and out.first_breach_seconds < 15 * 60


def test_the_same_seed_gives_the_same_outlook() -> None:
    assert run(RUSH, seed=5) == run(RUSH, seed=5)


def test_opening_a_desk_helps_the_service_it_serves() -> None:
    assert share(RUSH.with_desk(DeskState("3", ("CTAX",)))) > share(RUSH)


def test_combing_quick_queries_and_diverting_walk_ins_help() -> None:
    quick = replace(RUSH, quick=frozenset(range(0, 10, 2)))
    base = share(quick)
    assert share(replace(quick, comb=frozenset({"CTAX"}))) > base
    assert share(replace(quick, divert={"CTAX": 0.5})) >= base


def test_nobody_waiting_is_no_breach_warning() -> None:
    # Whatever the runs say of the next visitor (the one desk for it busy with a long
    # interview, or no desk open yet), with nobody waiting the words stop at "at risk"
    # and no alert opens.
    view = ServiceOutlookView("HOPT", 0.4, 0.95, 0.9, 0.9, 0.0, waiting=0)
    assert view.next_30 is Level.AT_RISK and view.next_60 is Level.AT_RISK
    assert not heading_for_breach(view)
    # One visitor waiting: the warning at once (before they reach the threshold).
    queued = replace(view, waiting=1)
    assert queued.next_30 is Level.WILL_BREACH and heading_for_breach(queued)


def test_a_burst_within_chance_is_not_taken_for_a_rush() -> None:
    steps = {"CTAX": ((0.0, 6.0), (3600.0, 4.0))}
    # Six an hour: one expected in ten minutes, and up to eight is chance; a clump of
    # four in one minute is chance too (once in a long while).
    assert chance_count(1.0) == 8 and chance_count(0.1) == 3
    calm = {600.0: {"CTAX": 7}, 60.0: {"CTAX": 3}}
    assert with_recent(steps, calm, 1800) == {"CTAX": ((0.0, 6.0), (1800.0, 6.0), (3600.0, 4.0))}
    # Six in the last minute: three beyond chance, 180 an hour on top of the six for the
    # next half hour; then the forecast again.
    rush = {600.0: {"CTAX": 8}, 60.0: {"CTAX": 6}}
    assert with_recent(steps, rush, 1800)["CTAX"] == ((0.0, 186.0), (1800.0, 6.0), (3600.0, 4.0))
