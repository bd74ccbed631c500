"""Bad input to the scripting commands: one line on standard error naming the field,
a non-zero exit, never a traceback, and nothing written to the store.

Each case is run against a store where desk 1 holds C001 and C002 waits; the whole
store is dumped before and after and must be the same.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import create_engine, inspect, text

from frontdesk.cli import main

ROOT = Path(__file__).resolve().parents[2]
COUNCIL = ROOT / "tests" / "contracts" / "council.toml"
MONDAY_0900 = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Europe/London"))
HUGE = "99999999999999999999999"
BAD_BYTE = os.fsdecode(b"\xff")  # what Python makes of a non-UTF-8 argument


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            status = main(list(argv))
        except SystemExit as exc:
            status = exc.code if isinstance(exc.code, int) else 1
    return status, out.getvalue(), err.getvalue()


def dump(url: str) -> dict[str, list[Any]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {
                t: sorted(map(repr, conn.execute(text(f'SELECT * FROM "{t}"')).all()))
                for t in inspect(engine).get_table_names()
            }
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Any:
    url = f"sqlite:///{tmp_path_factory.mktemp('bad-input') / 'frontdesk.db'}"
    with time_machine.travel(MONDAY_0900, tick=False) as clock:
        for argv in (
            ("init", "--config", str(COUNCIL)),
            ("ticket", "issue", "--centre", "CIVIC", "--service", "CTAX"),
            ("ticket", "issue", "--centre", "CIVIC", "--service", "CTAX"),
            ("call-next", "--centre", "CIVIC", "--desk", "1"),
        ):
            status, _, err = run(*argv, "--db", url)
            assert status == 0, err
            clock.shift(60)
        yield url, clock


DESK = ("--centre", "CIVIC", "--desk", "1")
CASES = [
    (("call", "--centre", "CIVIC", "--desk", "2", HUGE), HUGE),
    (("ticket", "cancel", "--centre", "CIVIC", HUGE), HUGE),
    (("ticket", "quick", "--centre", "CIVIC", "٤٢"), "٤٢"),
    (
        ("book", "--type", "HB-INTERVIEW", "--centre", "CIVIC", "--at", "9999-12-31T23:59+00:00"),
        "--at",
    ),
    (
        ("book", "--type", "HB-INTERVIEW", "--centre", "CIVIC", "--at", "0001-01-01T00:00+00:00"),
        "--at",
    ),
    (("reschedule", "ABC123", "--at", "9999-12-31T23:59+00:00"), "--at"),
    (
        (
            "specialist",
            "absence",
            "SP-SHAH",
            "--from",
            "0001-01-01T00:00+00:00",
            "--to",
            "2026-03-03T00:00+00:00",
        ),
        "--from",
    ),
    (
        ("report", "standard", "--centre", "CIVIC", "--from", "0001-01-01", "--to", "2026-03-02"),
        "--from",
    ),
    (("ticket", "issue", "--centre", "CIVIC", "--service", "CTAX", "--note", BAD_BYTE), "--note"),
    (("checkin", "--centre", "CIVIC", BAD_BYTE), "UTF-8"),
    (("queue", "--centre", "CIVIC", "--db", "foo://bar"), "--db"),
    (("queue", "--centre", "CIVIC", "--db", "not a url"), "--db"),
    (("queue", "--centre", "CIVIC", "--db", "mysql://someone@localhost/council"), "--db"),
    (("notify", "remind", "--hours", "nan"), "--hours"),
    (("notify", "remind", "--hours", "1e300"), "--hours"),
    (("notify", "remind", "--hours", "-24"), "--hours"),
    (("transfer", *DESK, "--to-desk", ""), "--to-desk"),
    (("complete", *DESK, "--resolved", "--handoff", "Benefits team"), "--handoff"),
    (("init", "--config", ""), "--config"),
    (("ticket", "issue", "--centre", "CIVIC", "--service", "\x1b[31mX"), "service"),
    (("ticket", "issue", "--centre", "NOWHERE", "--service", "CTAX"), "centre"),
    (
        (
            "ticket",
            "issue",
            "--centre",
            "CIVIC",
            "--service",
            "CTAX",
            "--needs",
            "interpreter:klingon",
        ),
        "klingon",
    ),
    (("estimate", "--centre", "CIVIC", "--service", "NOPE"), "service"),
    (("call-next", "--centre", "CIVIC", "--desk", "99"), "desk"),
    (("staff", "add", "AB", "--name", "Ann", "--pin", "١٢٣٤"), "PIN"),
    (("slots", "--centre", "CIVIC", "--type", "NOPE"), "NOPE"),
    (
        ("staff", "add", "AB", "--name", "Ann", "--pin", "1234", "--specialist", "SP-NOBODY"),
        "--specialist",
    ),
    # The store holds real visits (C001, C002): a simulated day would count in its reports.
    (("simulate", "--visitors", "5"), "--db"),
    (("cancel-booking", "NOSUCH"), "NOSUCH"),
]


@pytest.mark.parametrize(("argv", "field"), CASES, ids=[" ".join(a)[:60] for a, _ in CASES])
def test_bad_input_is_one_line_naming_the_field_and_writes_nothing(
    store: Any, argv: tuple[str, ...], field: str
) -> None:
    url, _ = store
    before = dump(url)
    if "--db" not in argv:
        argv = (*argv, "--db", url)
    status, out, err = run(*argv)
    assert status != 0, (status, out, err)
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("frontdesk: error: "), lines[0]
    assert field in lines[0], lines[0]
    assert "\x1b" not in err and "Traceback" not in err
    assert dump(url) == before


CENTRES_CASES = {
    "appointment type naming an unknown service": (
        ('service = "HBEN"\nduration', 'service = "NOPE"\nduration'),
        "unknown service 'NOPE'",
    ),
    "appointment type naming an unknown centre": (
        ('centres = ["CIVIC"]', 'centres = ["NOWHERE"]'),
        "unknown centre 'NOWHERE'",
    ),
    "specialist pattern naming an unknown desk": (
        ('desk = "Interview 1"', 'desk = "No Such Desk"'),
        "no desk 'No Such Desk'",
    ),
    "specialist pattern naming an unknown centre": (
        ('centre = "CIVIC"\ndesk', 'centre = "NOWHERE"\ndesk'),
        "unknown centre 'NOWHERE'",
    ),
    "specialist with an unknown skill": (
        ('skills = ["BENEFITS"]', 'skills = ["JUGGLING"]'),
        "'JUGGLING'",
    ),
    "surgery naming an unknown appointment type": (("", ""), "unknown appointment type 'NOPE'"),
    "5,000-deep nesting": (("", ""), "nested too deeply"),
}


@pytest.mark.parametrize("case", list(CENTRES_CASES))
def test_a_centres_file_naming_what_it_does_not_define_is_refused(
    store: Any, tmp_path: Path, case: str
) -> None:
    url, _ = store
    (old, new), words = CENTRES_CASES[case]
    body = COUNCIL.read_text(encoding="utf-8")
    assert old in body
    body = body.replace(old, new)
    if case.startswith("surgery"):
        body += (
            '\n[[surgery]]\ncode = "CAB"\nname = "Advice"\npartner = "CAB"\n'
            'appointment_type = "NOPE"\ncentre = "CIVIC"\ndesk = "2"\n'
            'days = { mon = "09:00-12:00" }\n'
        )
    if case.startswith("5,000"):
        body = "deep = " + "[" * 5000 + "]" * 5000 + "\n" + body
    path = tmp_path / "centres.toml"
    path.write_text(body, encoding="utf-8")
    before = dump(url)
    status, _, err = run("init", "--config", str(path), "--db", url)
    assert status == 1 and len(err.splitlines()) == 1, err
    assert words in err
    assert dump(url) == before


def test_a_centres_file_with_a_byte_order_mark_loads(store: Any, tmp_path: Path) -> None:
    url, _ = store
    path = tmp_path / "centres.toml"
    path.write_bytes(b"\xef\xbb\xbf" + COUNCIL.read_bytes())
    status, _, err = run("init", "--config", str(path), "--db", url)
    assert status == 0, err


def test_an_unexpected_failure_is_one_line_and_the_traceback_only_on_request(
    store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import frontdesk.cli.queue as cli_queue

    def broken(args: Any) -> int:
        raise RuntimeError("the flux capacitor\nhas failed")

    monkeypatch.setattr(cli_queue, "cmd_queue", broken)
    url, _ = store
    status, out, err = run("queue", "--centre", "CIVIC", "--db", url)
    assert status == 1 and out == ""
    assert err.splitlines() == [
        "frontdesk: error: unexpected failure (RuntimeError: the flux capacitor); "
        "nothing more was done. Set FRONTDESK_DEBUG=1 for the details"
    ]
    monkeypatch.setenv("FRONTDESK_DEBUG", "1")
    status, _, err = run("queue", "--centre", "CIVIC", "--db", url)
    assert status == 1 and "Traceback" in err and "flux capacitor" in err


def test_output_closed_by_head_ends_quietly(store: Any) -> None:
    url, _ = store
    script = Path(sys.executable).with_name("frontdesk")
    proc = subprocess.Popen(
        [str(script), "slots", "--centre", "CIVIC", "--type", "HB-INTERVIEW", "--db", url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # as `head` does once it has its lines
    err = proc.stderr.read().decode()
    proc.wait(120)
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
    assert proc.returncode != 0
