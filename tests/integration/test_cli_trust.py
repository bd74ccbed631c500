"""Who a `frontdesk` command acts for (issue 17): `--staff` must name an active member of
staff, a council can require the PIN too, the audit log says who did what and when
(`frontdesk audit`), and `frontdesk staff` manages the members without losing history.

Run through `frontdesk.cli.main` on SQLite and PostgreSQL, with time fixed by
time-machine.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import create_engine, text

from frontdesk.cli import main
from frontdesk.services.staff import LoginRefused
from frontdesk.services.wiring import open_services

ROOT = Path(__file__).resolve().parents[2]
COUNCIL = ROOT / "tests" / "contracts" / "council.toml"
MONDAY_0900 = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Europe/London"))
CIVIC = ("--centre", "CIVIC")


class Cli:
    """`frontdesk ARGV --db URL` in this process."""

    def __init__(self, url: str, clock: Any) -> None:
        self.url = url
        self.clock = clock

    def __call__(self, *argv: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            try:
                status = main([*argv, "--db", self.url])
            except SystemExit as exc:
                status = exc.code if isinstance(exc.code, int) else 1
        return status, out.getvalue(), err.getvalue()

    def json(self, *argv: str) -> Any:
        status, out, err = self(*argv, "--json")
        assert status == 0, err
        return json.loads(out)

    def refused(self, *argv: str) -> str:
        """The one error line of a refused command (nothing on standard output)."""
        status, out, err = self(*argv)
        assert status != 0 and out == "", (status, out, err)
        lines = err.splitlines()
        assert len(lines) == 1 and lines[0].startswith("frontdesk: error: "), err
        return lines[0]

    def rows(self, sql: str) -> list[Any]:
        engine = create_engine(self.url)
        try:
            with engine.connect() as conn:
                return list(conn.execute(text(sql)).all())
        finally:
            engine.dispose()


@pytest.fixture
def cli(backend: Any) -> Iterator[Cli]:
    """A store with the contract council, an administrator ADM (PIN 1234) and an
    adviser AD1 (PIN 2345) added by ADM."""
    with time_machine.travel(MONDAY_0900, tick=False) as clock:
        run = Cli(backend.url, clock)
        run.json("init", "--config", str(COUNCIL))
        run.json("staff", "add", "ADM", "--name", "Ann Admin", "--role", "admin", "--pin", "1234")
        run.json("staff", "add", "ad1", "--name", "Bo", "--pin", "2345", "--staff", "adm")
        yield run


def tickets(cli: Cli) -> int:
    return int(cli.rows("SELECT count(*) FROM ticket")[0][0])


# -- --staff names an active member ------------------------------------------------------


def test_staff_must_name_an_active_member(cli: Cli) -> None:
    line = cli.refused("ticket", "issue", *CIVIC, "--service", "CTAX", "--staff", "NOBODY")
    assert "--staff" in line and "NOBODY" in line
    assert tickets(cli) == 0
    cli.json("staff", "disable", "AD1", "--staff", "ADM")
    line = cli.refused("ticket", "issue", *CIVIC, "--service", "CTAX", "--staff", "AD1")
    assert "--staff" in line and "AD1" in line
    assert tickets(cli) == 0
    # A known, active code is accepted in any case and stored as the code itself.
    cli.json("ticket", "issue", *CIVIC, "--service", "CTAX", "--staff", "adm")
    assert cli.rows("SELECT staff FROM ticket_event") == [("ADM",)]


def test_a_new_store_has_nobody_to_vouch_for_a_command(backend: Any, tmp_path: Path) -> None:
    with time_machine.travel(MONDAY_0900, tick=False) as clock:
        cli = Cli(backend.url, clock)
        line = cli.refused("init", "--config", str(COUNCIL), "--staff", "ADM")
        assert "--staff" in line and "nobody" in line
        cli.json("init", "--config", str(COUNCIL))
        # The first member is added without --staff (nobody could vouch for them).
        cli.json("staff", "add", "ADM", "--name", "Ann", "--role", "admin", "--pin", "1234")


# -- the PIN, where the council requires it ----------------------------------------------


@pytest.fixture(params=["environment", "centres file"])
def pin_required(request: pytest.FixtureRequest, cli: Cli, tmp_path: Path) -> Iterator[Cli]:
    with pytest.MonkeyPatch.context() as env:
        env.delenv("FRONTDESK_PIN", raising=False)
        if request.param == "environment":
            env.setenv("FRONTDESK_REQUIRE_PIN_FOR_CLI", "1")
        else:
            env.delenv("FRONTDESK_REQUIRE_PIN_FOR_CLI", raising=False)
            council = tmp_path / "council.toml"
            council.write_text(
                "[council]\nrequire_pin_for_cli = true\n\n" + COUNCIL.read_text(encoding="utf-8"),
                encoding="utf-8",
            )
            cli.json("init", "--config", str(council), "--staff", "ADM")
        yield cli


def test_a_council_can_require_the_pin_for_cli_actions(
    pin_required: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli = pin_required
    issue = ("ticket", "issue", *CIVIC, "--service", "CTAX")
    assert "--staff" in cli.refused(*issue)
    assert "FRONTDESK_PIN" in cli.refused(*issue, "--staff", "AD1")
    monkeypatch.setenv("FRONTDESK_PIN", "9999")
    assert "not recognised" in cli.refused(*issue, "--staff", "AD1")
    assert tickets(cli) == 0
    monkeypatch.setenv("FRONTDESK_PIN", "2345")
    assert cli.json(*issue, "--staff", "AD1")["ticket"] == "C001"
    # Reading is not an action: no PIN asked.
    monkeypatch.delenv("FRONTDESK_PIN")
    assert cli.json("queue", *CIVIC)["waiting"][0]["ticket"] == "C001"
    # Wrong PINs count towards the same lock-out as a desk's log-in.
    monkeypatch.setenv("FRONTDESK_PIN", "0000")
    for _ in range(5):
        cli.refused(*issue, "--staff", "AD1")
    monkeypatch.setenv("FRONTDESK_PIN", "2345")
    assert "too many wrong PINs" in cli.refused(*issue, "--staff", "AD1")
    assert tickets(cli) == 1


# -- the audit log -----------------------------------------------------------------------

HISTORY = """\
visit,centre,service,event,at,desk,resolved,avoidable
OLD-1,CIVIC,CTAX,issued,2026-02-27T10:00:00+00:00,,,
OLD-1,CIVIC,CTAX,called,2026-02-27T10:04:00+00:00,1,,
OLD-1,CIVIC,CTAX,started,2026-02-27T10:05:00+00:00,1,,
OLD-1,CIVIC,CTAX,completed,2026-02-27T10:12:00+00:00,1,false,
"""


def test_the_audit_log_says_who_did_what_and_when(cli: Cli, tmp_path: Path) -> None:
    history = tmp_path / "events.csv"
    history.write_text(HISTORY, encoding="utf-8")
    cli.clock.shift(3600)  # 10:00
    cli.json("import", "events", str(history), "--staff", "ADM")
    assert cli("export", "events", "-o", str(tmp_path / "out.csv"), "--staff", "ADM")[0] == 0
    cli.json("purge", "contacts", "--staff", "ADM")
    cli.clock.move_to(MONDAY_0900 + timedelta(days=1))
    cli.json("staff", "disable", "AD1", "--staff", "ADM")

    everything = cli.json("audit", "--from", "2026-03-02", "--to", "2026-03-03")["entries"]
    seen = [(e["staff"], e["action"]) for e in everything]
    assert seen == [
        (None, "init"),
        (None, "staff.add"),
        ("ADM", "staff.add"),
        ("ADM", "import.events"),
        ("ADM", "export.events"),
        ("ADM", "purge.contacts"),
        ("ADM", "staff.disable"),
    ]
    assert everything[3]["at"] == "2026-03-02T10:00:00+00:00"
    assert everything[-1]["at"] == "2026-03-03T09:00:00+00:00"
    assert all(e["via"].startswith("cli:") for e in everything)
    assert "1 visits" in everything[3]["detail"]

    # One day only; one member only (removed members' entries stay readable).
    monday = cli.json("audit", "--from", "2026-03-02", "--to", "2026-03-02")["entries"]
    assert [e["action"] for e in monday][-1] == "purge.contacts"
    cli.json("staff", "remove", "AD1", "--staff", "ADM")
    by_adm = cli.json("audit", "--from", "2026-03-02", "--to", "2026-03-03", "--staff", "adm")
    assert {e["staff"] for e in by_adm["entries"]} == {"ADM"}
    assert cli.json("audit", "--from", "2026-03-02", "--to", "2026-03-03", "--staff", "AD1") == {
        "from": "2026-03-02T00:00:00+00:00",
        "to": "2026-03-04T00:00:00+00:00",
        "entries": [],
    }

    status, out, err = cli("audit", "--from", "2026-03-02", "--to", "2026-03-03", "--csv")
    assert status == 0, err
    table = list(csv.DictReader(io.StringIO(out)))
    assert [r["action"] for r in table][-1] == "staff.remove"
    assert table[-1]["staff"] == "ADM" and table[-1]["detail"] == "AD1"


@pytest.mark.parametrize(
    ("argv", "field"),
    [
        (("--from", "yesterday", "--to", "2026-03-02"), "--from"),
        (("--from", "2026-03-02", "--to", "2026-03-02T10:00"), "--to"),
        (("--from", "2026-03-03", "--to", "2026-03-02"), "--to"),
        (("--from", "0001-01-01", "--to", "2026-03-02"), "--from"),
        (("--from", "2026-03-02", "--to", "2026-03-02", "--csv", "--json"), "--csv"),
    ],
)
def test_audit_refuses_a_bad_period_in_one_line(
    cli: Cli, argv: tuple[str, ...], field: str
) -> None:
    assert field in cli.refused("audit", *argv)


# -- staff management --------------------------------------------------------------------


def test_staff_management_keeps_history(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    svc = open_services(cli.url)
    try:
        svc.desks.open("CIVIC", "1", svc.staff.login("AD1", "2345"), "console-1")
        cli.json("ticket", "issue", *CIVIC, "--service", "CTAX")
        cli.json("call-next", *CIVIC, "--desk", "1", "--staff", "AD1")

        # Disabled: cannot log in, and is logged out of the desk at once.
        assert cli.json("staff", "disable", "ad1", "--staff", "ADM") == {
            "code": "AD1",
            "action": "disable",
        }
        assert cli.rows("SELECT count(*) FROM desk_session") == [(0,)]
        with pytest.raises(LoginRefused):
            svc.staff.login("AD1", "2345")
        cli.json("staff", "enable", "AD1", "--staff", "ADM")
        assert svc.staff.login("AD1", "2345").code == "AD1"

        # A new PIN, from the environment (never the command line); the old one stops.
        monkeypatch.setenv("FRONTDESK_NEW_PIN", "8642")
        cli.json("staff", "reset-pin", "AD1", "--staff", "ADM")
        with pytest.raises(LoginRefused):
            svc.staff.login("AD1", "2345")
        assert svc.staff.login("AD1", "8642").code == "AD1"
        monkeypatch.setenv("FRONTDESK_NEW_PIN", "12ab")
        assert "PIN" in cli.refused("staff", "reset-pin", "AD1", "--staff", "ADM")

        # Removed: name and PIN hash erased, the code kept (and never reused).
        cli.json("staff", "remove", "AD1", "--staff", "ADM")
        listed = {m["code"]: m for m in cli.json("staff", "list")["staff"]}
        assert listed["AD1"]["status"] == "removed"
        assert listed["AD1"]["name"] == "(removed)"
        assert cli.rows("SELECT name, pin_hash FROM staff WHERE code = 'AD1'") == [
            ("(removed)", "")
        ]
        assert ("AD1",) in cli.rows("SELECT staff FROM ticket_event")  # history kept
        with pytest.raises(LoginRefused):
            svc.staff.login("AD1", "8642")
        assert "removed" in cli.refused("staff", "enable", "AD1")
        assert "AD1" in cli.refused("staff", "add", "AD1", "--name", "New", "--pin", "1111")
        assert "NOPE" in cli.refused("staff", "disable", "NOPE")
    finally:
        svc.close()


@pytest.mark.parametrize(
    ("room", "argv", "via"),
    [
        ("desk", {"centre": "civic", "desk": "3"}, "desk:CIVIC/3"),
        (
            "kiosk",
            {"centre": "civic", "kiosk": "kiosk-1", "greeter": False, "language": None},
            "kiosk:CIVIC",
        ),
        ("supervisor", {"centre": None}, "supervisor"),
    ],
)
def test_an_app_says_which_app_and_where_in_the_audit_log(
    backend: Any, monkeypatch: pytest.MonkeyPatch, room: str, argv: dict[str, Any], via: str
) -> None:
    """A log-in at a desk console is audited as made at that desk (not `cli:`), by the
    operating-system user running the console."""
    import argparse
    import importlib

    from frontdesk import sample
    from frontdesk.services.wiring import initialise, operating_system_user
    from frontdesk.store import audit as audit_log

    launch = importlib.import_module(f"frontdesk.{room}.launch")
    opened: list[Any] = []

    def open_then_log_in(url: Any, clock: Any = None, **kw: Any) -> Any:
        svc = open_services(url, clock, **kw)
        initialise(svc, sample.council())
        svc.staff.add("SUP1", "Sam", "supervisor", "1234")
        svc.staff.login("SUP1", "1234", where=room)
        opened.append(svc)
        raise SystemExit(0)  # stop before the app itself starts

    previous = audit_log.set_process_via("")
    monkeypatch.setattr("frontdesk.services.wiring.open_services", open_then_log_in)
    monkeypatch.setattr(launch, "open_services", open_then_log_in, raising=False)
    try:
        with pytest.raises(SystemExit):
            launch.run(argparse.Namespace(db=backend.url, **argv))
    finally:
        audit_log.set_process_via(previous)
    svc = opened[0]
    try:
        with svc.engine.connect() as conn:
            rows = conn.execute(text("SELECT action, via FROM audit_log")).all()
    finally:
        svc.close()
    assert ("login", f"{via} ({operating_system_user()})") in [tuple(r) for r in rows]
