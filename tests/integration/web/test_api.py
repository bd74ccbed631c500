"""The HTTP API under /api/v1 on each backend: the same JSON as the CLI's `--json`, a
token with the right scope for every call, each use in the audit log, and every error a
JSON object naming what was wrong."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import text
from web_support import TestClient, web_settings

from frontdesk.errors import StoreUnavailable
from frontdesk.services import shapes
from frontdesk.services.wiring import Services
from frontdesk.web import create_app

DESK = "/api/v1/centres/CIVIC/desks/1"


def audit(services: Services) -> list[tuple[str, str, str]]:
    with services.uow.read_core() as s:
        rows = s.execute(text("SELECT staff, action, detail FROM audit_log ORDER BY id"))
        return [(r[0] or "", r[1], r[2]) for r in rows]


def test_a_council_system_issues_and_calls_with_a_token(
    client: Any, services: Services, auth: dict[str, str], base_url: str
) -> None:
    issued = client.post(
        "/api/v1/tickets", json={"centre": "CIVIC", "service": "CTAX"}, headers=auth
    )
    assert issued.status_code == 201
    body = issued.json()
    assert list(body) == [
        "id",
        "ticket",
        "centre",
        "service",
        "issued_at",
        "estimated_wait_seconds",
        "status_url",
    ]
    assert body["ticket"] == "C001" and body["centre"] == "CIVIC"
    assert body["status_url"].startswith(f"{base_url}/t/")
    token = body["status_url"].rsplit("/", 1)[1]
    assert client.get(f"/t/{token}/status").json()["ticket"] == "C001"

    called = client.post(f"{DESK}/call-next", headers=auth)
    assert list(called.json()) == ["id", "ticket", "service", "waited_seconds"]
    assert called.json() == {
        "id": body["id"],
        "ticket": "C001",
        "service": "CTAX",
        "waited_seconds": 0,
    }
    assert client.post(f"{DESK}/start", headers=auth).json() == {
        "id": body["id"],
        "ticket": "C001",
        "desk": "1",
    }
    moved = client.post(f"{DESK}/transfer", json={"service": "HBEN", "note": "rent"}, headers=auth)
    assert moved.json() == {
        "id": body["id"],
        "ticket": "C001",
        "from_desk": "1",
        "to_service": "HBEN",
        "to_desk": None,
        "note": "rent",
    }
    queue = client.get("/api/v1/centres/CIVIC/queue", headers=auth).json()
    assert queue == shapes.queue(services.queue.snapshot("CIVIC"))
    assert [w["ticket"] for w in queue["waiting"]] == ["C001"]

    client.post(f"{DESK}/call-next", headers=auth)
    client.post(f"{DESK}/start", headers=auth)
    done = client.post(
        f"{DESK}/complete", json={"resolved": False, "avoidable": "chasing"}, headers=auth
    )
    assert done.json() == {"id": body["id"], "ticket": "C001", "desk": "1", "queries_completed": 1}
    assert client.post(f"{DESK}/call-next", headers=auth).json() == {"ticket": None}

    # Every use is in the audit log, under the token's name.
    actions = [(who, action) for who, action, _ in audit(services) if who == "api:crm"]
    assert actions == [
        ("api:crm", "api.issue"),
        ("api:crm", "api.call-next"),
        ("api:crm", "api.start"),
        ("api:crm", "api.transfer"),
        ("api:crm", "api.queue"),
        ("api:crm", "api.call-next"),
        ("api:crm", "api.start"),
        ("api:crm", "api.complete"),
        ("api:crm", "api.call-next"),
    ]
    # The ticket was issued through the API, and the desk steps name who took them.
    with services.uow.read_core() as s:
        channel = s.execute(text("SELECT channel FROM ticket")).scalar_one()
        staff = {r[0] for r in s.execute(text("SELECT staff FROM ticket_event"))}
    assert channel == "api" and staff == {"api:crm"}


def test_reports_through_the_api_match_the_services(
    client: Any, services: Services, auth: dict[str, str]
) -> None:
    q = services.queue
    t = q.issue("CIVIC", "CTAX")
    q.call_next("CIVIC", "1")
    q.start("CIVIC", "1")
    from frontdesk.services.results import Query

    q.complete("CIVIC", "1", [Query(resolved=True)])
    services.visitors.give_feedback(t.token, 5, "lovely")
    day = services.clock.now().date().isoformat()
    params = {"from": day, "to": day}
    standard = client.get("/api/v1/centres/CIVIC/reports/standard", params=params, headers=auth)
    assert standard.status_code == 200
    today = services.clock.now().date()
    assert standard.json() == services.reports.standard("CIVIC", today, today).as_json()
    rated = client.get("/api/v1/centres/CIVIC/reports/satisfaction", params=params, headers=auth)
    assert rated.json() == {
        "centre": "CIVIC",
        "from": day,
        "to": day,
        "visits": 1,
        "responses": 1,
        "response_rate": 1.0,
        "average_rating": 5.0,
        "satisfied_share": 1.0,
        "ratings": {"1": 0, "2": 0, "3": 0, "4": 0, "5": 1},
        "comments": ["lovely"],
    }
    backwards = {"from": day, "to": (today - timedelta(days=1)).isoformat()}
    wrong = client.get("/api/v1/centres/CIVIC/reports/standard", params=backwards, headers=auth)
    assert wrong.status_code == 400 and wrong.json()["field"] == "to"
    bad = client.get(
        "/api/v1/centres/CIVIC/reports/standard", params={"from": "yesterday"}, headers=auth
    )
    assert bad.status_code == 422 and bad.json()["field"] == "from"


def test_tokens_are_needed_scoped_and_revocable(client: Any, services: Services) -> None:
    issue = {"centre": "CIVIC", "service": "CTAX"}
    none = client.post("/api/v1/tickets", json=issue)
    assert none.status_code == 401 and none.headers["www-authenticate"] == "Bearer"
    assert "API token" in none.json()["error"]
    forged = client.post(
        "/api/v1/tickets", json=issue, headers={"Authorization": "Bearer fdk_" + "A" * 43}
    )
    assert forged.status_code == 401
    reader = services.api_tokens.add("signage", ("read",)).token
    refused = client.post(
        "/api/v1/tickets", json=issue, headers={"Authorization": f"Bearer {reader}"}
    )
    assert refused.status_code == 403 and "'issue' scope" in refused.json()["error"]
    ok = client.get("/api/v1/centres/CIVIC/queue", headers={"Authorization": f"Bearer {reader}"})
    assert ok.status_code == 200
    services.api_tokens.revoke("signage")
    gone = client.get("/api/v1/centres/CIVIC/queue", headers={"Authorization": f"Bearer {reader}"})
    assert gone.status_code == 403 and "revoked" in gone.json()["error"]
    assert services.queue.snapshot("CIVIC").waiting == ()  # nothing was issued
    refusals = [(who, detail) for who, action, detail in audit(services) if action == "api.refused"]
    assert refusals == [
        ("api:signage", "issue: needs scope issue POST /api/v1/tickets"),
        ("api:signage", "queue: token revoked GET /api/v1/centres/CIVIC/queue"),
    ]


def test_bad_input_is_named_and_refused_with_4xx(
    client: Any, services: Services, auth: dict[str, str]
) -> None:
    missing = client.post("/api/v1/tickets", json={"centre": "CIVIC"}, headers=auth)
    assert missing.status_code == 422 and missing.json()["field"] == "service"
    extra = client.post(
        "/api/v1/tickets", json={"centre": "CIVIC", "service": "CTAX", "pin": 1}, headers=auth
    )
    assert extra.status_code == 422 and extra.json()["field"] == "pin"
    broken = client.post(
        "/api/v1/tickets",
        content=b"{not json",
        headers={**auth, "Content-Type": "application/json"},
    )
    assert broken.status_code == 422 and broken.json()["error"]
    unknown = client.post(
        "/api/v1/tickets", json={"centre": "CIVIC", "service": "NOPE"}, headers=auth
    )
    assert unknown.status_code == 404 and "NOPE" in unknown.json()["error"]
    assert client.post("/api/v1/centres/CIVIC/desks/99/call-next", headers=auth).status_code == 404
    assert client.get("/api/v1/centres/NOWHERE/queue", headers=auth).status_code == 404
    needs = client.post(
        "/api/v1/tickets",
        json={"centre": "CIVIC", "service": "CTAX", "needs": ["wings"]},
        headers=auth,
    )
    assert needs.status_code == 400 and "wings" in needs.json()["error"]
    assert client.post(f"{DESK}/start", headers=auth).status_code == 400  # nobody called

    services.queue.issue("CIVIC", "CTAX")
    services.queue.issue("CIVIC", "CTAX")
    client.post(f"{DESK}/call-next", headers=auth)
    busy = client.post(f"{DESK}/call-next", headers=auth)
    assert busy.status_code == 409 and "still holds ticket C001" in busy.json()["error"]
    assert client.get("/api/v1/nothing-here").status_code == 404
    assert client.get("/api/v1/nothing-here").json() == {"error": "Not Found", "field": None}
    assert client.delete("/api/v1/tickets", headers=auth).status_code == 405


def test_faults_answer_without_a_stack_trace(
    services: Services, auth: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # As a real server answers: the error handled, not raised into the test.
    client = TestClient(create_app(services, web_settings()), raise_server_exceptions=False)

    def broken(centre: str) -> Any:
        raise RuntimeError("secret internal detail at line 42")

    monkeypatch.setattr(services.queue, "snapshot", broken)
    failed = client.get("/api/v1/centres/CIVIC/queue", headers=auth)
    assert failed.status_code == 500
    assert "secret" not in failed.text and "Traceback" not in failed.text
    assert failed.json()["error"]

    def unreachable(centre: str) -> Any:
        raise StoreUnavailable("the store cannot be reached; nothing was saved")

    monkeypatch.setattr(services.queue, "snapshot", unreachable)
    down = client.get("/api/v1/centres/CIVIC/queue", headers=auth)
    assert down.status_code == 503 and "cannot be reached" in down.json()["error"]


def test_the_openapi_document_describes_the_api(client: Any) -> None:
    doc = client.get("/api/v1/openapi.json").json()
    paths = doc["paths"]
    assert {
        "/api/v1/tickets",
        "/api/v1/centres",
        "/api/v1/centres/{centre}/queue",
        "/api/v1/centres/{centre}/desks/{desk}/call-next",
        "/api/v1/centres/{centre}/desks/{desk}/start",
        "/api/v1/centres/{centre}/desks/{desk}/complete",
        "/api/v1/centres/{centre}/desks/{desk}/transfer",
        "/api/v1/centres/{centre}/reports/standard",
        "/api/v1/centres/{centre}/reports/satisfaction",
        "/t/{token}/status",
    } <= set(paths)
    issue = paths["/api/v1/tickets"]["post"]
    assert issue["security"] == [{"HTTPBearer": []}]
    assert {"201", "401", "403", "404", "409", "422", "429"} <= set(issue["responses"])
    assert client.get("/docs").status_code == 404  # no UI that would load a CDN's scripts
