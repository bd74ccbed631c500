"""The web face's commands through `frontdesk.cli.main`: API tokens (made, listed,
revoked; stored hashed), `ticket issue --json` with its `status_url`, the ratings
report, and `serve web` among the serve targets."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from sqlalchemy import text

from frontdesk.cli import build_parser, main
from frontdesk.clock import VirtualClock
from frontdesk.errors import FrontdeskError
from frontdesk.services import wiring
from frontdesk.services.results import Query
from frontdesk.services.wiring import Services


@pytest.fixture
def cli(
    services: Services,
    backend: Any,
    clock: VirtualClock,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
):
    """Run `frontdesk ARGS --db URL [--json]`; returns (exit status, JSON or text, stderr)."""
    monkeypatch.setattr(wiring, "SystemClock", lambda: clock)
    monkeypatch.delenv("FRONTDESK_PUBLIC_BASE_URL", raising=False)

    def run(*args: str, json_out: bool = True) -> tuple[int, Any, str]:
        capsys.readouterr()
        status = main([*args, "--db", backend.url] + (["--json"] if json_out else []))
        out, err = capsys.readouterr()
        return status, (json.loads(out) if json_out and status == 0 else out), err

    return run


def test_an_api_token_is_shown_once_stored_hashed_and_revocable(
    cli: Any, services: Services
) -> None:
    status, made, _ = cli("api-token", "add", "--name", "crm", "--scope", "issue,desk")
    assert status == 0 and made["name"] == "crm" and made["scopes"] == ["desk", "issue"]
    token = made["token"]
    assert token.startswith("fdk_") and len(token) == 47
    with services.uow.read_core() as s:
        stored = s.execute(text("SELECT token_hash FROM api_token")).scalar_one()
    assert stored == hashlib.sha256(token.encode()).hexdigest() and token not in stored
    assert services.api_tokens.authorise(token, "issue", "test").name == "crm"

    status, listed, _ = cli("api-token", "list")
    assert [t["name"] for t in listed["tokens"]] == ["crm"]
    assert "token" not in listed["tokens"][0] and listed["tokens"][0]["revoked_at"] is None
    status, shown, _ = cli("api-token", "list", json_out=False)
    assert "crm" in shown and token not in shown

    status, revoked, _ = cli("api-token", "revoke", "crm")
    assert status == 0 and revoked["revoked_at"] is not None
    with pytest.raises(FrontdeskError, match="revoked"):
        services.api_tokens.authorise(token, "issue", "test")
    with services.uow.read_core() as s:
        actions = [r[0] for r in s.execute(text("SELECT action FROM audit_log ORDER BY id"))]
    assert actions[0] == "api_token.add" and "api_token.revoke" in actions


def test_bad_token_requests_are_one_line_and_write_nothing(cli: Any, services: Services) -> None:
    status, _, err = cli("api-token", "add", "--name", "crm", "--scope", "everything")
    assert status == 1 and err.startswith("frontdesk: error: --scope: 'everything'")
    assert len(err.strip().splitlines()) == 1
    status, _, err = cli("api-token", "add", "--name", "a b", "--scope", "read")
    assert status == 1 and "--name" in err
    assert services.api_tokens.list() == []
    cli("api-token", "add", "--name", "crm", "--scope", "read")
    status, _, err = cli("api-token", "add", "--name", "crm", "--scope", "read")
    assert status == 1 and "exists already" in err
    status, _, err = cli("api-token", "revoke", "nobody")
    assert status == 1 and "no API token named 'nobody'" in err


def test_ticket_issue_gives_the_visitors_page_when_there_is_one(
    cli: Any, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    status, plain, _ = cli("ticket", "issue", "--centre", "CIVIC", "--service", "CTAX")
    assert status == 0 and plain["status_url"] is None
    assert list(plain) == [
        "id",
        "ticket",
        "centre",
        "service",
        "issued_at",
        "estimated_wait_seconds",
        "estimated_wait_low_seconds",
        "estimated_wait_high_seconds",
        "status_url",
    ]
    monkeypatch.setenv("FRONTDESK_PUBLIC_BASE_URL", "https://queue.example.gov.uk/")
    status, linked, _ = cli("ticket", "issue", "--centre", "CIVIC", "--service", "CTAX")
    with services.uow.read_core() as s:
        token = s.execute(
            text("SELECT token FROM ticket WHERE id = :id"), {"id": linked["id"]}
        ).scalar_one()
    assert linked["status_url"] == f"https://queue.example.gov.uk/t/{token}"
    status, said, _ = cli(
        "ticket", "issue", "--centre", "CIVIC", "--service", "CTAX", json_out=False
    )
    assert "follow it at https://queue.example.gov.uk/t/" in said

    monkeypatch.setenv("FRONTDESK_PUBLIC_BASE_URL", "queue.example.gov.uk")
    status, _, err = cli("ticket", "issue", "--centre", "CIVIC", "--service", "CTAX")
    assert status == 1 and err.startswith("frontdesk: error: FRONTDESK_PUBLIC_BASE_URL:")
    assert len(services.queue.snapshot("CIVIC").waiting) == 3  # the bad one issued nothing


def test_the_ratings_report(cli: Any, services: Services) -> None:
    q = services.queue
    for rating in (5, 2):
        t = q.issue("CIVIC", "CTAX")
        q.call_next("CIVIC", "1")
        q.start("CIVIC", "1")
        q.complete("CIVIC", "1", [Query(resolved=True)])
        services.visitors.give_feedback(t.token, rating, None)
    q.issue("CIVIC", "CTAX")  # still waiting: not a visit that could be rated yet
    status, report, _ = cli(
        "report", "satisfaction", "--centre", "CIVIC", "--from", "2026-03-02", "--to", "2026-03-02"
    )
    assert status == 0
    assert report["visits"] == 2 and report["responses"] == 2 and report["response_rate"] == 1.0
    assert report["average_rating"] == 3.5 and report["satisfied_share"] == 0.5
    assert report["ratings"] == {"1": 0, "2": 1, "3": 0, "4": 0, "5": 1}
    status, said, _ = cli(
        "report",
        "satisfaction",
        "--centre",
        "CIVIC",
        "--from",
        "2026-03-02",
        "--to",
        "2026-03-02",
        json_out=False,
    )
    assert "3.50 of 5" in said and "2 of 2 visits" in said
    status, _, err = cli(
        "report", "satisfaction", "--centre", "CIVIC", "--from", "2026-03-03", "--to", "2026-03-02"
    )
    assert status == 1 and "--to" in err


def _rated_visits(services: Services, centre: str, desk: str, ratings: tuple[int, ...]) -> None:
    q = services.queue
    for rating in ratings:
        t = q.issue(centre, "CTAX")
        q.call_next(centre, desk)
        q.start(centre, desk)
        q.complete(centre, desk, [Query(resolved=True)])
        services.visitors.give_feedback(t.token, rating, None)


def test_the_ratings_stand_beside_the_standard_and_in_the_summary(
    cli: Any, services: Services
) -> None:
    _rated_visits(services, "CIVIC", "1", (5, 4, 1))
    _rated_visits(services, "GATEFIELD", "1", (5,))
    day = ("--from", "2026-03-02", "--to", "2026-03-02")
    status, standard, _ = cli("report", "standard", "--centre", "CIVIC", *day)
    assert status == 0 and standard["seen"] == 3
    assert standard["visits_rated"] == 3
    assert standard["average_rating"] == pytest.approx(10 / 3)
    assert standard["satisfied_share"] == pytest.approx(2 / 3)
    # The same figures as the ratings report counts them.
    status, ratings, _ = cli("report", "satisfaction", "--centre", "CIVIC", *day)
    assert ratings["average_rating"] == standard["average_rating"]
    assert ratings["satisfied_share"] == standard["satisfied_share"]
    # Several centres: together (weighted by the visits rated), and each.
    status, both, _ = cli("report", "standard", "--centre", "CIVIC,GATEFIELD", *day)
    assert both["visits_rated"] == 4 and both["satisfied_share"] == 0.75
    assert both["average_rating"] == pytest.approx(15 / 4)
    assert both["by_centre"]["GATEFIELD"]["average_rating"] == 5.0
    status, table, _ = cli("report", "standard", "--centre", "CIVIC", *day, json_out=False)
    assert "visitors satisfied" in table and "66.7%" in table and "3 visits rated" in table
    status, summary, _ = cli(
        "report", "summary", "--centre", "CIVIC,GATEFIELD", "--by", "day", *day
    )
    assert status == 0
    rows = {r["centre"]: r for r in summary["rows"]}
    assert (rows["CIVIC"]["visits_rated"], rows["GATEFIELD"]["visits_rated"]) == (3, 1)
    assert rows["ALL"]["satisfied_share"] == 0.75
    assert rows["ALL"]["average_rating"] == pytest.approx(15 / 4)
    # A day nobody rated: nothing to say, not a zero.
    status, quiet, _ = cli(
        "report", "standard", "--centre", "CIVIC", "--from", "2026-03-01", "--to", "2026-03-01"
    )
    assert quiet["visits_rated"] == 0 and quiet["average_rating"] is None
    assert quiet["satisfied_share"] is None


def test_serve_web_needs_no_centre_but_the_apps_do(capsys: pytest.CaptureFixture[str]) -> None:
    args = build_parser().parse_args(["serve", "web", "--port", "18700"])
    assert args.app == "web" and args.host == "127.0.0.1" and args.centre is None
    from frontdesk.cli.serve import app_command

    with pytest.raises(SystemExit, match="needs --centre"):
        app_command(build_parser().parse_args(["serve", "kiosk"]))
