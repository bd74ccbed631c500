"""The CLI checks the store it is given: `simulate`/`demo --db` set up a new file and
refuse a live one; `staff add --specialist` names a specialist the store knows."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from sqlalchemy import create_engine, text

from frontdesk.cli import main

ROOT = Path(__file__).resolve().parents[2]
COUNCIL = ROOT / "tests" / "contracts" / "council.toml"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            status = main(list(argv))
        except SystemExit as exc:
            status = exc.code if isinstance(exc.code, int) else 1
    return status, out.getvalue(), err.getvalue()


def count(url: str, sql: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(sql)).scalar_one())
    finally:
        engine.dispose()


def test_demo_report_on_a_new_file_migrates_it_and_loads_the_sample_council(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    status, out, err = run("demo", "--report", "--visitors", "12", "--json", "--db", url)
    assert status == 0, err
    assert json.loads(out)["visitors"] == 12
    assert count(url, "SELECT count(*) FROM centre") == 4  # the sample council's
    tickets = count(url, "SELECT count(*) FROM ticket")
    # The store is a simulation's now: another day may be added to it.
    status, out, err = run("simulate", "--visitors", "7", "--seed", "2", "--db", url)
    assert status == 0, err
    assert count(url, "SELECT count(*) FROM ticket") > tickets


def test_simulate_refuses_a_store_with_real_visits_and_writes_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'live.db'}"
    for argv in (
        ("init", "--config", str(COUNCIL)),
        ("ticket", "issue", "--centre", "CIVIC", "--service", "CTAX"),
    ):
        assert run(*argv, "--db", url)[0] == 0
    status, out, err = run("simulate", "--visitors", "5", "--db", url)
    assert status != 0 and out == ""
    assert err.splitlines() == [
        f"frontdesk: error: --db {url}: this store holds 1 real visit; a simulated day "
        "would be counted in its reports. Give a new file (e.g. --db sqlite:///simulation.db) "
        "or leave out --db"
    ]
    assert count(url, "SELECT count(*) FROM ticket") == 1
    assert count(url, "SELECT count(*) FROM setting WHERE key = 'store.simulation'") == 0


def test_staff_add_takes_a_known_specialist_and_refuses_an_unknown_one(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'staff.db'}"
    assert run("init", "--config", str(COUNCIL), "--db", url)[0] == 0
    status, _, err = run(
        "staff", "add", "PS", "--name", "Priya", "--role", "specialist",
        "--specialist", "sp-shah", "--pin", "2468", "--db", url,
    )  # fmt: skip
    assert status == 0, err
    assert count(url, "SELECT count(*) FROM staff WHERE specialist_code = 'SP-SHAH'") == 1
    status, _, err = run(
        "staff", "add", "XX", "--name", "Nobody", "--role", "specialist",
        "--specialist", "SP-NOBODY", "--pin", "2468", "--db", url,
    )  # fmt: skip
    assert status != 0
    assert err.splitlines() == [
        "frontdesk: error: --specialist: no specialist 'SP-NOBODY' in the centres file "
        "(`frontdesk init` loads them)"
    ]
    assert count(url, "SELECT count(*) FROM staff") == 1
