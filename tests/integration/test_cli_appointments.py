"""The appointments commands through `frontdesk.cli.main`, with `--db` and `--json`.

The commands open their own services with the system clock; the tests swap it for the
virtual clock the `services` fixture uses, so the store and the commands agree on "now"
(Monday 2 March 2026, 09:00).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pytest

from frontdesk.cli import main
from frontdesk.clock import VirtualClock
from frontdesk.services import wiring
from frontdesk.services.wiring import Services


@pytest.fixture
def cli(
    services: Services,
    backend: Any,
    clock: VirtualClock,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
):
    """Run `frontdesk ARGS --db URL --json`; returns (exit status, JSON or None, stderr)."""
    monkeypatch.setattr(wiring, "SystemClock", lambda: clock)

    def run(*args: str, json_out: bool = True) -> tuple[int, Any, str]:
        capsys.readouterr()
        argv = [*args, "--db", backend.url] + (["--json"] if json_out else [])
        status = main(argv)
        out, err = capsys.readouterr()
        data = json.loads(out) if json_out and status == 0 else out
        return status, data, err

    return run


def test_booked_from_the_cli_is_found_checked_in_called_ahead_and_reported(
    cli: Any, clock: VirtualClock
) -> None:
    status, data, _ = cli("slots", "--type", "hb-interview", "--centre", "CIVIC", "--limit", "3")
    assert status == 0 and data["type"] == "HB-INTERVIEW"
    assert len(data["slots"]) == 3
    first = data["slots"][0]
    assert set(first) >= {"centre", "specialist", "desk", "room", "starts_at", "ends_at"}
    assert first["starts_at"] == "2026-03-02T11:00:00+00:00"

    status, booking, _ = cli(
        "book",
        "--type",
        "HB-INTERVIEW",
        "--centre",
        "CIVIC",
        "--at",
        first["starts_at"],
        "--name",
        "Ann Example",
        "--phone",
        "07700 900123",
    )
    assert status == 0
    assert booking["status"] == "booked" and booking["specialist"] == "SP-SHAH"
    assert booking["has_contact"] is True and "contact_phone" not in booking
    reference, token = booking["reference"], booking["token"]

    status, day, _ = cli("appointments", "--centre", "CIVIC", "--date", "2026-03-02")
    assert status == 0 and day["date"] == "2026-03-02"
    assert [a["reference"] for a in day["appointments"]] == [reference]

    clock.set(datetime.fromisoformat(first["starts_at"]) - timedelta(minutes=15))
    status, walk_in, _ = cli("ticket", "issue", "--centre", "CIVIC", "--service", "HBEN")
    assert status == 0
    status, checked, _ = cli("checkin", "--centre", "CIVIC", token)
    assert status == 0 and checked["arrival"] == "on_time"
    assert checked["booking"]["reference"] == reference
    assert checked["booking"]["status"] == "checked_in"

    clock.set(datetime.fromisoformat(first["starts_at"]) + timedelta(minutes=1))
    status, called, _ = cli("call-next", "--centre", "CIVIC", "--desk", "Interview 1")
    assert status == 0
    assert called["ticket"] == checked["ticket"] != walk_in["ticket"]
    assert called["id"] == checked["id"]

    status, report, _ = cli(
        "report", "appointments", "--centre", "CIVIC", "--from", "2026-03-02", "--to", "2026-03-02"
    )
    assert status == 0
    assert report["bookings"] == 1 and report["attended"] == 1
    assert report["by_status"] == {"checked_in": 1}
    assert report["punctuality"]["called"] == 1
    assert report["punctuality"]["average_wait_seconds"] == 60
    assert report["utilisation"]["SP-SHAH"]["booked_minutes"] == 30


def test_human_output(cli: Any) -> None:
    status, out, _ = cli("slots", "--type", "HB-INTERVIEW", "--limit", "2", json_out=False)
    assert status == 0 and "Priya Shah" in out and len(out.strip().splitlines()) == 2
    status, out, _ = cli(
        "book", "--type", "HB-INTERVIEW", "--centre", "CIVIC", "--at", "2026-03-02T11:00+00:00",
        json_out=False,
    )  # fmt: skip
    assert status == 0 and out.startswith("booked ") and "Priya Shah" in out


def test_reschedule_and_cancel(cli: Any) -> None:
    _, booking, _ = cli(
        "book", "--type", "HB-INTERVIEW", "--centre", "CIVIC", "--at", "2026-03-02T11:00+00:00"
    )
    status, moved, _ = cli("reschedule", booking["reference"], "--at", "2026-03-02T14:00+00:00")
    assert status == 0 and moved["starts_at"] == "2026-03-02T14:00:00+00:00"
    status, cancelled, _ = cli("cancel-booking", moved["reference"].lower())
    assert status == 0 and cancelled["status"] == "cancelled"


def test_absence_and_out_of_office(cli: Any, clock: VirtualClock) -> None:
    _, booking, _ = cli(
        "book", "--type", "HB-INTERVIEW", "--centre", "CIVIC", "--at", "2026-03-02T11:00+00:00"
    )
    status, data, _ = cli(
        "specialist",
        "absence",
        "SP-SHAH",
        "--from",
        "2026-03-02T10:00+00:00",
        "--to",
        "2026-03-02T12:00+00:00",
    )
    assert status == 0
    assert [b["reference"] for b in data["to_rebook"]] == [booking["reference"]]
    status, data, _ = cli("specialist", "status", "SP-SHAH", "out", "--reason", "unwell")
    assert status == 0 and data["in_office"] is False and data["affected"] == []


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("slots", "--type", "NOPE"), "unknown appointment type 'NOPE'"),
        (("slots", "--type", "PLAN-ADVICE", "--centre", "GATEFIELD"), "not offered at GATEFIELD"),
        (("slots", "--type", "HB-INTERVIEW", "--specialist", "SP-NOBODY"), "unknown specialist"),
        (
            ("book", "--type", "HB-INTERVIEW", "--centre", "NOWHERE", "--at", "2026-03-02T11:00Z"),
            "NOWHERE",
        ),
        (
            ("book", "--type", "HB-INTERVIEW", "--centre", "CIVIC", "--at", "2026-03-02T11:00"),
            "needs a UTC offset",
        ),
        (
            ("book", "--type", "HB-INTERVIEW", "--centre", "CIVIC", "--at", "2026-03-02T20:00Z"),
            "is not a bookable time",
        ),
        (("checkin", "--centre", "CIVIC", "K7M-Q40"), "ask at reception"),
        (("cancel-booking", "ZZZ-ZZZ"), "no booking found"),
        (("appointments", "--centre", "CIVIC", "--date", "2 March"), "--date"),
        (("report", "appointments", "--from", "2026-03-05", "--to", "2026-03-01"), "before"),
    ],
)
def test_bad_input_is_one_line_and_non_zero(cli: Any, args: tuple[str, ...], words: str) -> None:
    status, out, err = cli(*args)
    assert status != 0
    # Nothing on stdout but, for a time that cannot be booked, the slots offered instead.
    assert out == "" or list(json.loads(out)) == ["error", "alternatives"]
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("frontdesk: error: ")
    assert words in lines[0]


def test_double_booking_and_wrong_centre_from_the_cli(cli: Any, clock: VirtualClock) -> None:
    book = ("book", "--type", "HB-INTERVIEW", "--centre", "CIVIC", "--at", "2026-03-02T11:00Z")
    status, booking, _ = cli(*book)
    assert status == 0
    status, out, err = cli(*book)
    assert status != 0 and len(err.strip().splitlines()) == 1
    assert "has just been taken" in err and "next free slots offered" in err
    # The offered slots themselves, as JSON and as text.
    offered = json.loads(out)
    assert offered["error"] in err and len(offered["alternatives"]) == 5
    assert all(o["starts_at"] > "2026-03-02T11:00" for o in offered["alternatives"])
    status, text, err = cli(*book, json_out=False)
    assert status != 0 and text.startswith("next free slots:")
    assert offered["alternatives"][0]["starts_at"] in text
    clock.set(datetime.fromisoformat("2026-03-02T10:55+00:00"))
    status, _, err = cli("checkin", "--centre", "GATEFIELD", booking["reference"])
    assert status != 0 and "Civic Centre" in err and len(err.strip().splitlines()) == 1
