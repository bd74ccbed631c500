"""Every scripting command, fed hostile values (issue 17): whatever the input, the command
either succeeds or fails with exactly one `frontdesk: error:` line on standard error and
a non-zero status — never a traceback, never a raw escape sequence — and a failed command
leaves the store as it was.

The commands and their options are read from the parser itself, so a command added later
is fuzzed too. Hypothesis picks, for each command, which options to give and a value for
each from a table of troublesome ones (huge numbers, NaN, far-off dates, other scripts'
digits, control characters, bytes that are not UTF-8, empty and very long text) mixed
with plausible ones, so that deeper checks are reached as well as the first.
"""

from __future__ import annotations

import argparse
import io
import os
from contextlib import redirect_stderr, redirect_stdout
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, inspect, text

from frontdesk.cli import build_parser, main
from frontdesk.cli.safety import escaped

ROOT = Path(__file__).resolve().parents[2]
COUNCIL = ROOT / "tests" / "contracts" / "council.toml"
MONDAY_0900 = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Europe/London"))
# Not scripting commands: the apps, the servers, the demo and simulations (their own
# temporary stores), and --loop (a daemon's option: it would never return).
NOT_SCRIPTING = {"kiosk", "desk", "board", "supervisor", "serve", "demo", "simulate"}
SKIPPED_OPTIONS = {"--help", "--json", "--db", "--loop", "--xlsx"}
HOSTILE = [
    "",
    " ",
    "0",
    "-1",
    "99999999999999999999999",
    "2147483648",
    "nan",
    "inf",
    "1e300",
    "٤٢",
    "\x1b[31mred",
    "\u202eevil",
    os.fsdecode(b"\xff\xfe"),
    "x" * 5000,
    "0001-01-01",
    "9999-12-31T23:59+00:00",
    "2026-13-45",
    "2026-03-02",
    "2026-03-02T10:00+00:00",
    "2026-W99",
    "../../etc/passwd",
    "a,b,,c",
    "CIVIC",
    "CTAX",
    "HBEN",
    "1",
    "2",
    "C001",
    "HB-INTERVIEW",
    "SP-SHAH",
    "ADM",
]
VALUES = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40).filter(lambda s: "\x00" not in s))


def leaves(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> dict[str, Any]:
    """Every runnable command: its words and its parser."""
    found: dict[str, Any] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.update(leaves(sub, (*prefix, name)))
            return found
    return {" ".join(prefix): parser}


COMMANDS = {
    name: p for name, p in leaves(build_parser()).items() if name.split()[0] not in NOT_SCRIPTING
}


def dump(url: str) -> dict[str, list[str]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {
                t: sorted(map(repr, conn.execute(text(f'SELECT * FROM "{t}"')).all()))
                for t in inspect(engine).get_table_names()
            }
    finally:
        engine.dispose()


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            status = main(argv)
        except SystemExit as exc:
            status = exc.code if isinstance(exc.code, int) else 1
    return status, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("fuzz")
    url = f"sqlite:///{folder / 'frontdesk.db'}"
    with time_machine.travel(MONDAY_0900, tick=False):
        for argv in (
            ["init", "--config", str(COUNCIL)],
            ["staff", "add", "ADM", "--name", "Ann", "--role", "admin", "--pin", "1234"],
            ["ticket", "issue", "--centre", "CIVIC", "--service", "CTAX"],
            ["ticket", "issue", "--centre", "CIVIC", "--service", "HBEN"],
            ["call-next", "--centre", "CIVIC", "--desk", "1"],
        ):
            status, _, err = run([*argv, "--db", url])
            assert status == 0, err
        yield url, folder


def options(parser: argparse.ArgumentParser) -> tuple[list[Any], list[Any]]:
    """(positionals, options) of a command, without the ones fuzzing leaves alone."""
    positionals, optionals = [], []
    for action in parser._actions:
        if action.option_strings:
            if not set(action.option_strings) & SKIPPED_OPTIONS:
                optionals.append(action)
        elif not isinstance(action, argparse._SubParsersAction):
            positionals.append(action)
    return positionals, optionals


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_command_fed_hostile_values_fails_in_one_line_and_writes_nothing(
    store: Any, command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, folder = store
    monkeypatch.chdir(folder)  # files a command may write land here
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # a PIN read from stdin: none
    positionals, optionals = options(COMMANDS[command])

    @settings(
        max_examples=12,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.data())
    def check(data: st.DataObject) -> None:
        argv = command.split()
        for action in positionals:
            if action.nargs in ("?", "*") and not data.draw(st.booleans()):
                continue
            argv.append(data.draw(VALUES))
        for action in optionals:
            if not action.required and not data.draw(st.booleans()):
                continue
            flag = action.option_strings[-1]
            if action.nargs == 0:  # a switch
                argv.append(flag)
            else:
                argv += [flag, data.draw(VALUES)]
        before = dump(url)
        with time_machine.travel(MONDAY_0900, tick=False):
            status, _out, err = run([*argv, "--db", url])
        assert "Traceback" not in err and "\x1b" not in err, (argv, err)
        assert "unexpected failure" not in err, (argv, err)
        if status == 0:
            return
        lines = err.splitlines()
        assert len(lines) == 1, (argv, err)
        assert lines[0].startswith("frontdesk: error: "), (argv, lines[0])
        # It names what was wrong: an option, an argument, the value given, or the
        # environment variable a value was read from.
        names = [f for a in [*positionals, *optionals] for f in (*a.option_strings, a.dest)]
        given_values = [escaped(a) for a in argv[len(command.split()) :] if a.strip()]
        words = [*names, *given_values, *command.split(), "FRONTDESK_"]
        assert any(w in lines[0] for w in words), (
            argv,
            lines[0],
        )
        assert dump(url) == before, argv

    check()
