"""What the contract tests share: the `frontdesk` command run in-process and as a process,
a store set up by `frontdesk init`, and a frozen "now".

These tests pin the machine interfaces (DESIGN §4) while the package is reorganised, so
they reach the product only through its public entry points: `frontdesk.cli.main(argv)`
and the `frontdesk` console script. Nothing else of the package is imported here. Time
is fixed with time-machine (the operating system's clock as Python sees it), not by
swapping a clock inside the package.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from frontdesk.cli import main

HERE = Path(__file__).resolve().parent
# A small council of our own: the sample council is due to move into the package.
COUNCIL = HERE / "council.toml"
GOLDEN = HERE / "golden"
LONDON = ZoneInfo("Europe/London")
# A Monday morning in winter (GMT), inside the Civic Centre's hours and the specialist's.
MONDAY_0900 = datetime(2026, 3, 2, 9, 0, tzinfo=LONDON)


@dataclass(frozen=True)
class Run:
    """One run of the command: its exit status and what it printed."""

    status: int
    out: str
    err: str

    def json(self) -> Any:
        """The one JSON object printed on standard output by a successful `--json` run."""
        assert self.status == 0, f"exit {self.status}: {self.err}"
        assert self.err == "", self.err
        lines = self.out.splitlines()
        assert len(lines) == 1, f"expected one line of JSON, got {self.out!r}"
        value = json.loads(lines[0])
        assert isinstance(value, dict), f"expected one JSON object, got {value!r}"
        return value


Frontdesk = Callable[..., Run]


def run_in_process(*argv: str) -> Run:
    """`frontdesk ARGV` through `frontdesk.cli.main`, as the console script would run it."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            status = main(list(argv))
        except SystemExit as exc:  # argparse's usage errors and --help exit this way
            status = exc.code if isinstance(exc.code, int) else 1
    return Run(status, out.getvalue(), err.getvalue())


def console_script() -> Path:
    """The installed `frontdesk` console script of the interpreter running the tests."""
    script = Path(sys.executable).with_name("frontdesk")
    assert script.exists(), f"no console script at {script}: install the package (make)"
    return script


def run_as_process(*argv: str) -> Run:
    """`frontdesk ARGV` as a separate process through the console script."""
    done = subprocess.run(
        [str(console_script()), *argv],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "NO_COLOR": "1"},
    )
    return Run(done.returncode, done.stdout, done.stderr)


@dataclass(frozen=True)
class Store:
    """A store made by `frontdesk init` with the contract council loaded."""

    url: str

    def run(self, *argv: str) -> Run:
        return run_in_process(*argv, "--db", self.url)

    def json(self, *argv: str) -> Any:
        return self.run(*argv, "--json").json()


@pytest.fixture(scope="session")
def new_store(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Store]:
    """Make a fresh store named `name` with `frontdesk init --config council.toml`."""

    def make(name: str) -> Store:
        folder = tmp_path_factory.mktemp(name)
        store = Store(f"sqlite:///{folder / 'frontdesk.db'}")
        loaded = store.json("init", "--config", str(COUNCIL))
        assert loaded["migrated"] is True and loaded["centres"] == 1
        return store

    return make


@pytest.fixture(scope="session")
def frontdesk_process() -> Frontdesk:
    """Run `frontdesk ARGV` through the console script, in a process of its own."""
    return run_as_process


@pytest.fixture(scope="module")
def frozen_time() -> Iterator[time_machine.Coordinates]:
    """Monday 2 March 2026, 09:00 in London, for the whole module; move it with
    `.move_to(...)` or `.shift(...)`."""
    with time_machine.travel(MONDAY_0900, tick=False) as traveller:
        yield traveller
