"""The council's website: /centres (embeddable HTML) and /api/v1/centres (JSON) — open or
closed, next opening, the current wait per service, today's share within the standard —
and the shared snapshot behind them, which costs the store a bounded number of reads
whatever the traffic."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event
from web_support import TestClient, web_settings

from frontdesk.clock import VirtualClock
from frontdesk.services.results import Query
from frontdesk.services.wiring import Services
from frontdesk.web import create_app
from frontdesk.web.live import LiveCache


def test_every_centre_with_its_waits_as_json(client: Any, services: Services) -> None:
    q = services.queue
    for _ in range(3):
        q.issue("CIVIC", "CTAX")
    q.issue("CIVIC", "HBEN")
    served = q.call_next("CIVIC", "1")
    assert served is not None
    q.start("CIVIC", "1")
    q.complete("CIVIC", "1", [Query(resolved=True)])
    body = client.get("/api/v1/centres").json()
    assert body["updated_at"] == services.clock.now().isoformat()
    by_code = {c["centre"]: c for c in body["centres"]}
    assert set(by_code) == {"CIVIC", "GATEFIELD", "EASTMOOR-LIB", "HALLBRIDGE"}
    civic = by_code["CIVIC"]
    assert civic["open_now"] is True and civic["hours_today"] == "08:30-17:00"
    assert civic["standard"] == {"threshold_minutes": 10.0, "target_share": 0.95}
    assert civic["share_within_standard_today"] == 1.0  # one seen, within ten minutes
    waits = {s["service"]: s for s in civic["services"]}
    assert waits["CTAX"]["waiting"] == 2 and waits["HBEN"]["waiting"] == 1
    assert waits["CTAX"]["name"] == "Council Tax"
    assert isinstance(waits["CTAX"]["estimated_wait_seconds"], int)
    # Hallbridge does not open on Mondays: no wait is given, and when it opens is.
    hall = by_code["HALLBRIDGE"]
    assert hall["open_now"] is False and hall["next_opens"] == "2026-03-03T09:30:00+00:00"
    assert all(s["estimated_wait_seconds"] is None for s in hall["services"])
    assert hall["share_within_standard_today"] is None


def test_the_page_for_the_councils_website_may_be_framed(services: Services) -> None:
    app = create_app(
        services, web_settings(frame_ancestors="https://www.northshire.example.gov.uk")
    )
    with TestClient(app) as client:
        page = client.get("/centres", params={"lang": "cy"})
        assert page.status_code == 200
        assert (
            "frame-ancestors https://www.northshire.example.gov.uk"
            in page.headers["content-security-policy"]
        )
        assert "x-frame-options" not in page.headers
        assert "Ar agor nawr" in page.text and "Ar gau" in page.text  # open, closed
        assert 'http-equiv="refresh"' in page.text and "<script" not in page.text
        # Only that page: the visitor's pages and the API may not be framed.
        other = client.get("/api/v1/centres")
        assert "frame-ancestors 'none'" in other.headers["content-security-policy"]
        assert client.get("/", follow_redirects=False).headers["location"] == "/centres"


async def test_any_traffic_costs_the_store_a_bounded_number_of_reads(
    services: Services, clock: VirtualClock
) -> None:
    ticks = [0.0]
    cache = LiveCache(services, refresh_seconds=1.0, clock=lambda: ticks[0])
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):  # reads, not BEGIN/COMMIT
            statements.append(statement)

    event.listen(services.engine, "before_cursor_execute", count)
    try:
        tickets = [services.queue.issue("CIVIC", "CTAX") for _ in range(5)]
        statements.clear()
        for _ in range(40):  # many phones in the same second: one read of the snapshot
            for t in tickets:
                found = await cache.ticket(t.token)
                assert found is not None and found.ahead is not None
        first = len(statements)
        assert 1 <= first <= 3  # the open tickets, the desks, recent handling times
        ticks[0] += 1.0  # a second later, nothing changed: the change feed says so
        for t in tickets:
            await cache.ticket(t.token)
        assert len(statements) == first
        services.queue.call_next("CIVIC", "1")
        statements.clear()
        for t in tickets:  # changed, but the second is not over: the snapshot in hand
            await cache.ticket(t.token)
        assert statements == []
        ticks[0] += 1.0
        for t in tickets:
            await cache.ticket(t.token)
        assert len(statements) == 1  # read again: one statement (desks and handling kept)
        assert (await cache.ticket(tickets[0].token)).status == "called"  # type: ignore[union-attr]
    finally:
        event.remove(services.engine, "before_cursor_execute", count)
        cache.close()


async def test_a_ticket_that_ended_is_still_followed_in_the_same_read(
    services: Services,
) -> None:
    ticks = [0.0]
    cache = LiveCache(services, refresh_seconds=1.0, clock=lambda: ticks[0])
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    t = services.queue.issue("CIVIC", "CTAX")
    try:
        assert (await cache.ticket(t.token)).status == "waiting"  # type: ignore[union-attr]
        services.queue.left("CIVIC", t.ticket)
        event.listen(services.engine, "before_cursor_execute", count)
        ticks[0] += 1.0
        assert (await cache.ticket(t.token)).status == "left"  # type: ignore[union-attr]
        reads = len(statements)
        assert reads == 1  # one statement: the open tickets and those phones follow
        for _ in range(20):
            ticks[0] += 1.0
            assert (await cache.ticket(t.token)).status == "left"  # type: ignore[union-attr]
        assert len(statements) == reads  # remembered, not asked again
        assert await cache.ticket("AAAAAAAAAAAAAAAAAAAAAA") is None
        assert await cache.ticket("AAAAAAAAAAAAAAAAAAAAAA") is None
        assert len(statements) == reads + 1  # an unknown code: asked once
    finally:
        event.remove(services.engine, "before_cursor_execute", count)
        cache.close()


@pytest.mark.parametrize("lang", ["en", "pl"])
def test_the_centres_page_in_each_language(client: Any, lang: str) -> None:
    page = client.get("/centres", params={"lang": lang})
    assert page.status_code == 200 and f'<html lang="{lang}">' in page.text
    assert "Civic Centre" in page.text
