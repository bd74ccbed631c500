"""Exit statuses and the error format of the `frontdesk` command (DESIGN §4, §5).

Pinned as they are: 0 on success; 1 for bad input the command itself refuses (an
unknown code, a bad date, a desk that still holds a customer); 2 for a command line the
parser refuses (a missing or unknown argument). Either way standard output stays empty
and standard error holds exactly one line, `frontdesk: error: …`, naming what was wrong.
"""

from __future__ import annotations

from typing import Any

import pytest

PREFIX = "frontdesk: error: "
USAGE = 2  # the parser refused the command line
REFUSED = 1  # the command refused the input


@pytest.fixture(scope="module")
def store(new_store: Any, frozen_time: Any) -> Any:
    """A store where desk 1 has called C001 and C002 waits."""
    store = new_store("exit-codes")
    store.json("ticket", "issue", "--centre", "CIVIC", "--service", "CTAX")
    store.json("ticket", "issue", "--centre", "CIVIC", "--service", "CTAX")
    frozen_time.shift(120)
    assert store.json("call-next", "--centre", "CIVIC", "--desk", "1")["ticket"] == "C001"
    return store


def assert_one_line_error(run: Any, status: int, *words: str) -> str:
    assert run.status == status, (run.status, run.err)
    assert run.out == ""
    lines = run.err.splitlines()
    assert len(lines) == 1, run.err
    assert lines[0].startswith(PREFIX), lines[0]
    for word in words:
        assert word in lines[0], (word, lines[0])
    return lines[0]


@pytest.mark.parametrize(
    ("argv", "status", "words"),
    [
        pytest.param(
            ("ticket", "issue", "--centre", "NOWHERE", "--service", "CTAX"),
            REFUSED,
            ("centre", "NOWHERE"),
            id="unknown centre",
        ),
        pytest.param(
            ("ticket", "issue", "--centre", "CIVIC", "--service", "NOPE"),
            REFUSED,
            ("service", "NOPE"),
            id="unknown service",
        ),
        pytest.param(
            ("estimate", "--centre", "CIVIC", "--service", "NOPE"),
            REFUSED,
            ("service", "NOPE"),
            id="unknown service (estimate)",
        ),
        pytest.param(
            ("call-next", "--centre", "CIVIC", "--desk", "9"),
            REFUSED,
            ("desk", "9"),
            id="unknown desk",
        ),
        pytest.param(
            ("report", "standard", "--centre", "CIVIC", "--from", "2 March", "--to", "2026-03-02"),
            REFUSED,
            ("--from", "2 March"),
            id="bad date",
        ),
        pytest.param(
            (
                "report",
                "standard",
                "--centre",
                "CIVIC",
                "--from",
                "2026-03-05",
                "--to",
                "2026-03-02",
            ),
            REFUSED,
            ("--to", "--from"),
            id="dates the wrong way round",
        ),
        pytest.param(
            ("book", "--type", "HB-INTERVIEW", "--centre", "CIVIC", "--at", "2026-03-02T11:00"),
            REFUSED,
            ("--at",),
            id="time without a UTC offset",
        ),
        pytest.param(
            ("ticket", "issue", "--centre", "CIVIC"),
            USAGE,
            ("--service",),
            id="missing required argument",
        ),
        pytest.param(
            ("complete", "--centre", "CIVIC", "--desk", "1"),
            USAGE,
            ("--resolved", "--not-resolved"),
            id="missing outcome",
        ),
        pytest.param(("tickets",), USAGE, ("tickets",), id="unknown command"),
    ],
)
def test_bad_input_is_one_line_and_non_zero(
    store: Any, argv: tuple[str, ...], status: int, words: tuple[str, ...]
) -> None:
    assert_one_line_error(store.run(*argv, "--json"), status, *words)


def test_a_desk_holding_a_ticket_cannot_call_next_and_nothing_changes(store: Any) -> None:
    before = store.json("queue", "--centre", "CIVIC")
    refused = store.run("call-next", "--centre", "CIVIC", "--desk", "1", "--json")
    assert_one_line_error(refused, REFUSED, "desk 1", "C001")
    assert store.json("queue", "--centre", "CIVIC") == before


def test_success_exits_zero_with_one_json_object(store: Any) -> None:
    done = store.run("queue", "--centre", "CIVIC", "--json")
    assert done.status == 0
    assert done.json()["centre"] == "CIVIC"  # one object on one line, nothing on stderr


# -- the same through the console script, as another program sees it --------------------


def test_console_script_success_exits_zero(store: Any, frontdesk_process: Any) -> None:
    done = frontdesk_process("queue", "--centre", "CIVIC", "--db", store.url, "--json")
    assert done.status == 0, done.err
    # Only the form: this process runs on the real clock, not on the module's frozen one.
    assert done.json()["centre"] == "CIVIC"


def test_console_script_refused_input_exits_one(store: Any, frontdesk_process: Any) -> None:
    done = frontdesk_process("queue", "--centre", "NOWHERE", "--db", store.url, "--json")
    assert_one_line_error(done, REFUSED, "NOWHERE")


def test_console_script_usage_error_exits_two(store: Any, frontdesk_process: Any) -> None:
    done = frontdesk_process("ticket", "issue", "--db", store.url, "--json")
    assert_one_line_error(done, USAGE, "--centre", "--service")
