"""Staffing advice against a real store (SQLite and PostgreSQL): the history port's SQL
aggregates, `frontdesk staffing` (JSON contract, CSV, what-if, back-test, bad input) and
`frontdesk simulate --plan` replaying a plan through the real services.

The `services` fixture's clock stands at Monday 2 March 2026, 09:00 (GMT); the history
is the three weeks before, written as an event history and loaded with
`frontdesk import events`.
"""

from __future__ import annotations

import csv
import json
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from frontdesk.cli import main
from frontdesk.clock import VirtualClock
from frontdesk.services import wiring
from frontdesk.services.results import Query
from frontdesk.services.wiring import Services
from frontdesk.store.tables import TicketEvent

LONDON = ZoneInfo("Europe/London")
WEEK = "2026-W10"  # Monday 2 March 2026
MONDAY = date(2026, 3, 2)
CONTRACT_TOP = {"centre", "week", "standard", "desk_hours", "erlang_desk_hours", "days"}
CONTRACT_HOUR = {
    "hour",
    "desks",
    "erlang_desks",
    "forecast_arrivals",
    "forecast_handling_seconds",
    "projected_share_within_standard",
}
# Visitors per local hour in the history, every open day (Saturday: 09:00-11:00 only).
PER_HOUR = {9: 4, 10: 6, 11: 5, 12: 3, 13: 4, 14: 5, 15: 3, 16: 2}


@pytest.fixture
def cli(
    services: Services,
    backend: Any,
    clock: VirtualClock,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
):
    """Run `frontdesk ARGS --db URL`; returns (exit status, JSON or text, stderr)."""
    monkeypatch.setattr(wiring, "SystemClock", lambda: clock)

    def run(*args: str, json_out: bool = True) -> tuple[int, Any, str]:
        capsys.readouterr()
        argv = [*args, "--db", backend.url] + (["--json"] if json_out else [])
        status = main(argv)
        out, err = capsys.readouterr()
        data = json.loads(out) if json_out and status == 0 else out
        return status, data, err

    return run


def write_history(path: Path) -> int:
    """Three weeks of Civic Centre walk-ins before 2 March 2026, as an event CSV: each
    visit issued, called at desk 1, started, completed 6 minutes after the call."""
    visits = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["visit", "centre", "service", "event", "at", "desk", "resolved", "avoidable"])
        for offset in range(1, 22):
            day = MONDAY - timedelta(days=offset)
            if day.weekday() == 6:
                continue
            hours = {9: 4, 10: 6, 11: 5} if day.weekday() == 5 else PER_HOUR
            for hour, n in hours.items():
                for i in range(n):
                    visits += 1
                    issued = datetime(day.year, day.month, day.day, hour, 3 + 9 * i, tzinfo=LONDON)
                    service = "GENQ" if i % 2 else "CTAX"
                    v = f"v{visits}"
                    called = issued + timedelta(minutes=2)
                    rows = [
                        ("issued", issued, ""),
                        ("called", called, "1"),
                        ("started", called + timedelta(seconds=30), "1"),
                        ("completed", called + timedelta(minutes=6), "1"),
                    ]
                    for event, at, desk in rows:
                        resolved = "true" if event == "completed" else ""
                        out.writerow(
                            [v, "CIVIC", service, event, at.isoformat(), desk, resolved, ""]
                        )
    return visits


@pytest.fixture
def history(cli: Any, tmp_path: Path) -> int:
    path = tmp_path / "history.csv"
    visits = write_history(path)
    status, data, err = cli("import", "events", str(path))
    assert status == 0, err
    assert data["visits"] == visits
    return visits


# -- the history port -------------------------------------------------------------------


def test_history_counts_walk_ins_by_local_hour_and_times_handling(
    services: Services, clock: VirtualClock
) -> None:
    q = services.queue

    def at(day: int, hour: int, minute: int) -> None:
        clock.set(datetime(2026, 3, day, hour, minute, tzinfo=LONDON))

    def serve(minutes: int) -> None:
        assert q.call_next("CIVIC", "3") is not None
        q.start("CIVIC", "3")
        clock.advance(minutes * 60)
        q.complete("CIVIC", "3", [Query(resolved=True)])

    # Friday 27 March (GMT) and Monday 30 March (BST: the clocks went forward between).
    at(27, 9, 10)
    q.issue("CIVIC", "HBEN")
    walker = q.issue("CIVIC", "HBEN")
    at(27, 9, 20)
    serve(7)  # waited 10 minutes, 7 at the desk
    at(27, 9, 30)
    q.left("CIVIC", str(walker.id))  # walked out after 20 minutes
    at(27, 14, 10)
    q.issue("CIVIC", "CTAX")
    at(27, 14, 15)
    serve(5)
    at(30, 9, 10)
    q.issue("CIVIC", "HBEN")
    at(30, 9, 15)
    serve(7)
    at(30, 16, 10)
    late = q.issue("CIVIC", "HBEN")
    at(30, 16, 12)
    q.left("CIVIC", str(late.id))

    got = services.staffing.history("CIVIC", before=date(2026, 4, 1), weeks=1)
    assert got.arrivals == {
        (date(2026, 3, 27), 9, "HBEN"): 2,
        (date(2026, 3, 27), 14, "CTAX"): 1,
        (date(2026, 3, 30), 9, "HBEN"): 1,
        (date(2026, 3, 30), 16, "HBEN"): 1,
    }
    assert got.handling["HBEN"].count == 2
    assert got.handling["HBEN"].mean_seconds == pytest.approx(420, abs=1)
    assert got.handling["HBEN"].sd_seconds == pytest.approx(0, abs=1)
    assert got.handling["CTAX"].mean_seconds == pytest.approx(300, abs=1)
    assert got.walkouts == 2
    # Waited until called or gone: 10 + 20 + 5 + 5 + 2 minutes.
    assert got.waiting_seconds == pytest.approx(42 * 60, abs=1)
    # The window is the local weeks before `before`.
    assert services.staffing.history("CIVIC", before=date(2026, 3, 30), weeks=1).arrivals == {
        (date(2026, 3, 27), 9, "HBEN"): 2,
        (date(2026, 3, 27), 14, "CTAX"): 1,
    }


def test_history_leaves_appointments_out(services: Services, clock: VirtualClock) -> None:
    services.queue.issue("CIVIC", "GENQ", channel="appointment")
    services.queue.issue("CIVIC", "GENQ", channel="greeter")
    got = services.staffing.history("CIVIC", before=date(2026, 3, 3), weeks=1)
    assert got.arrivals == {(date(2026, 3, 2), 9, "GENQ"): 1}


# -- frontdesk staffing -----------------------------------------------------------------


def test_a_week_planned_from_history_keeps_the_json_contract(cli: Any, history: int) -> None:
    status, plan, err = cli("staffing", "--centre", "CIVIC", "--week", WEEK, "--replications", "8")
    assert status == 0, err
    assert set(plan) >= CONTRACT_TOP
    assert plan["centre"] == "CIVIC" and plan["week"] == WEEK
    assert plan["standard"]["threshold_minutes"] == 10
    assert plan["standard"]["target_share"] == 0.95
    assert [d["date"] for d in plan["days"]] == [
        (MONDAY + timedelta(days=i)).isoformat() for i in range(6)
    ]
    monday = plan["days"][0]
    assert monday["forecast_source"] == "history"
    hours = monday["hours"]
    assert [h["hour"] for h in hours][:3] == ["08:30", "09:00", "10:00"]
    for h in hours:
        assert set(h) >= CONTRACT_HOUR
        assert 1 <= h["desks"] <= 8 and 1 <= h["erlang_desks"] <= 8
    # The same visitors every week in history: the forecast is exactly that.
    by_hour = {h["hour"]: h["forecast_arrivals"] for h in hours}
    assert by_hour["08:30"] == 0
    for hour, n in PER_HOUR.items():
        assert by_hour[f"{hour:02d}:00"] == pytest.approx(n)
    # Handling measured from history: called to completed, 6 minutes.
    assert hours[1]["forecast_handling_seconds"] == 360
    desk_hours = sum(h["desks"] * h["minutes"] / 60 for d in plan["days"] for h in d["hours"])
    assert plan["desk_hours"] == pytest.approx(desk_hours)
    status, text, _ = cli(
        "staffing", "--centre", "CIVIC", "--week", WEEK, "--replications", "8", json_out=False
    )
    assert status == 0
    assert "Erlang C hour by hour" in text and "desk-hours" in text


def test_csv_has_a_row_per_day_and_hour(cli: Any, history: int) -> None:
    status, out, _ = cli(
        "staffing", "--centre", "CIVIC", "--date", "2026-03-07", "--csv", "--replications", "6",
        json_out=False,
    )  # fmt: skip
    assert status == 0
    rows = list(csv.DictReader(out.splitlines()))
    assert [r["hour"] for r in rows] == ["09:00", "10:00", "11:00"]
    assert {r["date"] for r in rows} == {"2026-03-07"}
    assert all(r["desks"].isdigit() for r in rows)


def test_the_what_if_projects_a_proposed_rota_as_the_plan_would(cli: Any, history: int) -> None:
    common = ("staffing", "--centre", "CIVIC", "--date", "2026-03-02", "--replications", "8")
    status, plan, err = cli(*common)
    assert status == 0, err
    hours = plan["days"][0]["hours"]
    rota = ",".join(
        f"{h['hour']}-{int(h['hour'][:2]) + 1:02d}={h['desks']}" for h in hours
    )  # the plan's own desks, hour by hour
    status, what_if, err = cli(*common, "--desks", rota)
    assert status == 0, err
    assert what_if["what_if"] is True
    assert [h["desks"] for h in what_if["days"][0]["hours"]] == [h["desks"] for h in hours]
    assert [h["projected_share_within_standard"] for h in what_if["days"][0]["hours"]] == [
        h["projected_share_within_standard"] for h in hours
    ]
    status, lean, _ = cli(*common, "--desks", "08:30-17=1")
    assert status == 0
    assert lean["desk_hours"] == 8.5
    shares = [h["projected_share_within_standard"] for h in lean["days"][0]["hours"]]
    assert min(s for s in shares if s is not None) < min(
        h["projected_share_within_standard"] for h in hours if h["forecast_arrivals"] > 0
    )


def test_backtest_reports_the_error_of_each_week(cli: Any, history: int) -> None:
    status, bt, err = cli("staffing", "--centre", "CIVIC", "--week", WEEK, "--backtest")
    assert status == 0, err
    assert set(bt) >= {"centre", "week", "weeks", "by_hour", "mape", "hours_compared"}
    assert [w["week"] for w in bt["weeks"]] == ["2026-W06", "2026-W07", "2026-W08", "2026-W09"]
    # The history starts in W07: W06 has nothing to compare; W07 and W08 have too few
    # weeks before them and are forecast from the centres file; W09 from W07 and W08,
    # which it repeats exactly.
    assert bt["weeks"][0]["hours_compared"] == 0
    assert [w["forecast_source"] for w in bt["weeks"][1:]] == [
        "configuration",
        "configuration",
        "history",
    ]
    assert bt["weeks"][1]["mape"] > 0.1
    assert bt["weeks"][3]["mape"] == pytest.approx(0.0)
    assert bt["weeks"][3]["hours_compared"] == 5 * 8 + 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--week", "2026-W60"), "--week '2026-W60' is not an ISO week like 2026-W50"),
        (("--week", "next"), "--week 'next' is not an ISO week"),
        ((), "--week is required"),
        (("--week", WEEK, "--date", "2026-03-10"), "--date 2026-03-10 is not in 2026-W10"),
        (("--week", WEEK, "--desks", "9 to 5"), "--desks: '9 to 5' is not HH-HH=N"),
        (("--week", WEEK, "--desks", "08:30-17=12"), "asks for 12 desks; 1 to 8"),
        (("--week", WEEK, "--desks", "08:30-17=3,18-19=2"), "18:00-19:00 is outside CIVIC"),
        (("--week", WEEK, "--desks", "09-17=3"), "08:30 on Mon 2026-03-02 is open but not in"),
        (("--week", WEEK, "--csv"), "--json and --csv: choose one"),
        (("--week", WEEK, "--replications", "1"), "--replications must be 2 to 5000"),
    ],
)
def test_bad_input_is_one_line_naming_the_field(
    cli: Any, args: tuple[str, ...], message: str
) -> None:
    status, _, err = cli("staffing", "--centre", "CIVIC", *args)
    assert status == 1
    assert err.startswith("frontdesk: error: ") and message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_an_unknown_centre_is_named(cli: Any) -> None:
    status, _, err = cli("staffing", "--centre", "NOWHERE", "--week", WEEK)
    assert status == 1 and "unknown centre 'NOWHERE'" in err


# -- simulate --plan --------------------------------------------------------------------


def _desks_calling(services: Services, day: date) -> dict[int, set[str]]:
    """Local hour → names of the desks that called someone then."""
    names = {d.id: d.name for d in services.queue.centre("CIVIC").desks.values()}
    start = datetime(day.year, day.month, day.day, tzinfo=LONDON)
    with services.uow.read() as s:
        rows = s.exec(
            select(TicketEvent.at, TicketEvent.desk_id).where(
                TicketEvent.step == "called",
                TicketEvent.at >= start,
                TicketEvent.at < start + timedelta(days=1),
            )
        ).all()
    out: dict[int, set[str]] = {}
    for at, desk_id in rows:
        out.setdefault(at.astimezone(LONDON).hour, set()).add(names[desk_id])
    return out


def test_a_saved_plan_is_replayed_through_the_real_services(
    cli: Any, history: int, services: Services, tmp_path: Path
) -> None:
    status, plan, _ = cli(
        "staffing", "--centre", "CIVIC", "--date", "2026-03-02", "--replications", "6"
    )
    assert status == 0
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan), encoding="utf-8")
    status, day, err = cli("simulate", "--plan", str(path), "--seed", "3")
    assert status == 0, err
    planned = plan["days"][0]["hours"]
    assert day["from"] == "2026-03-02"
    assert [h["hour"] for h in day["hours"]] == [h["hour"] for h in planned]
    assert [h["open_desks"] for h in day["hours"]] == [h["open_desks"] for h in planned]
    assert sum(h["issued"] for h in day["hours"]) == day["visitors"]
    assert [h["projected_share_within_standard"] for h in day["hours"]] == [
        h["projected_share_within_standard"] for h in planned
    ]
    # Only the desks open in each hour called anyone (a closing desk may finish its
    # customer, but calls no one after its hour).
    opened = {int(h["hour"][:2]): set(h["open_desks"]) for h in planned}
    for hour, desks in _desks_calling(services, MONDAY).items():
        assert desks <= opened[hour], (hour, desks)


def test_a_toml_rota_is_replayed_with_the_opening_order(
    cli: Any, services: Services, tmp_path: Path
) -> None:
    path = tmp_path / "rota.toml"
    path.write_text('centre = "CIVIC"\ndate = "2026-03-02"\ndesks = "08:30-12=4,12-17=3"\n')
    status, day, err = cli("simulate", "--plan", str(path), "--visitors", "40")
    assert status == 0, err
    assert [h["desks"] for h in day["hours"]] == [4] * 4 + [3] * 5
    morning, afternoon = set(day["hours"][0]["open_desks"]), set(day["hours"][-1]["open_desks"])
    assert afternoon < morning
    for hour, desks in _desks_calling(services, MONDAY).items():
        assert desks <= (morning if hour < 12 else afternoon | morning)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"centre": "CIVIC"}', "key 'days': is required"),
        ('desks = "09-12=2"\nextra = 1\n', "key 'extra': not a known key"),
        ('date = "2026-13-01"\ndesks = "09-12=2"\n', "'2026-13-01' is not a date"),
        ('date = "2026-03-02"\ndesks = "09-17=2"\n', "08:30 on Mon 2026-03-02 is open but not"),
        (
            '{"centre": "CIVIC", "days": [{"date": "2026-03-02", "hours": '
            '[{"hour": "09:00", "desks": 2}]}]}',
            "are not CIVIC's opening hours that day",
        ),
        (
            '{"days": [{"date": "2026-03-02", "hours": [{"hour": "9 am", "desks": 2}]}]}',
            "days[0].hours[0]: key 'hour': '9 am' is not HH:MM",
        ),
    ],
)
def test_bad_plan_files_are_refused_naming_the_key(
    cli: Any, tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(content, encoding="utf-8")
    status, _, err = cli("simulate", "--plan", str(path))
    assert status == 1
    assert err.startswith("frontdesk: error: ") and message in err
    assert "Traceback" not in err
    status, _, err = cli("simulate", "--plan", str(tmp_path / "missing.json"))
    assert status == 1 and "cannot read" in err


def test_a_plan_for_another_centre_or_a_closed_day_is_refused(cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "rota.toml"
    path.write_text('centre = "GATEFIELD"\ndesks = "09-17=2"\n')
    status, _, err = cli("simulate", "--plan", str(path), "--centre", "CIVIC")
    assert status == 1 and "is for GATEFIELD, not CIVIC" in err
    status, _, err = cli("simulate", "--plan", str(path), "--desks", "2")
    assert status == 1 and "--plan and --desks: choose one" in err
    status, plan, _ = cli("staffing", "--centre", "CIVIC", "--date", "2026-03-08")  # Sunday
    assert status == 0 and plan["days"] == [] and plan["desk_hours"] == 0


def test_a_plan_naming_a_desk_the_centre_lacks_is_refused(cli: Any, tmp_path: Path) -> None:
    hours = [
        {"hour": h, "desks": 1, "open_desks": ["Desk 99"]}
        for h in ["08:30", *(f"{x:02d}:00" for x in range(9, 17))]
    ]
    path = tmp_path / "plan.json"
    path.write_text(json.dumps({"days": [{"date": "2026-03-02", "hours": hours}]}))
    status, _, err = cli("simulate", "--plan", str(path))
    assert status == 1 and "desk 'Desk 99', which CIVIC does not have" in err
