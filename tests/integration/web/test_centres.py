"""The council's website: /centres (embeddable HTML) and /api/v1/centres (JSON) — open or
closed, next opening, the current wait per service, today's share within the standard —
and the shared snapshot behind them, which costs the store a bounded number of reads
whatever the traffic."""

from __future__ import annotations

import asyncio
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


def _snapshot_read(statement: str) -> bool:
    """A read (not BEGIN/COMMIT), other than the catalogue's version check that every
    live process makes when the change feed moves (to follow a re-run `init`)."""
    read = statement.lstrip().upper().startswith("SELECT")
    return read and "FROM setting" not in statement


async def test_any_traffic_costs_the_store_a_bounded_number_of_reads(
    services: Services, clock: VirtualClock
) -> None:
    ticks = [0.0]
    cache = LiveCache(services, refresh_seconds=1.0, clock=lambda: ticks[0])
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if _snapshot_read(statement):
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
        if _snapshot_read(statement):
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


async def test_a_slow_read_does_not_hold_the_page_and_a_lost_store_is_said(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    from frontdesk.errors import StoreUnavailable

    ticks = [0.0]
    cache = LiveCache(services, refresh_seconds=1.0, clock=lambda: ticks[0], patience=0.0)
    t = services.queue.issue("CIVIC", "CTAX")
    try:
        assert (await cache.ticket(t.token)).ahead == 0  # type: ignore[union-attr]
        services.queue.issue("CIVIC", "CTAX")

        def unreachable(followed: Any = ()) -> Any:
            raise StoreUnavailable("the store cannot be reached; nothing was saved")

        monkeypatch.setattr(services.visitors, "live_in_steps", unreachable)
        ticks[0] += 1.0
        # Not waited for: the snapshot in hand answers, and the failed read is let go.
        assert (await cache.ticket(t.token)).status == "waiting"  # type: ignore[union-attr]
        await asyncio.sleep(0.2)
        ticks[0] += 40.0  # the last good read is now too old to show
        cache.patience = None
        with pytest.raises(StoreUnavailable):
            await cache.ticket(t.token)
    finally:
        cache.close()


# -- what a visitor is told: the kiosk's range, or no estimate --------------------------


def _desks_serving(services: Services, centre: str, service: str) -> list[str]:
    where = services.queue.catalogue().centres[centre]
    return [d.name for d in where.desks.values() if service in d.services]


def test_the_wait_is_the_kiosks_range_in_the_kiosks_words(client: Any, services: Services) -> None:
    from frontdesk.ui.words import wait_range

    q = services.queue
    for desk in _desks_serving(services, "CIVIC", "CTAX"):
        services.desks.set_status("CIVIC", desk, "open", None)
    for _ in range(6):
        q.issue("CIVIC", "CTAX")
    kiosk = q.estimate("CIVIC", "CTAX")  # what the kiosk would tell the next visitor
    assert kiosk.estimated_wait_low_seconds is not None
    assert kiosk.estimated_wait_high_seconds is not None
    body = client.get("/api/v1/centres", params={"lang": "en"}).json()
    civic = next(c for c in body["centres"] if c["centre"] == "CIVIC")
    ctax = next(s for s in civic["services"] if s["service"] == "CTAX")
    assert ctax["waiting"] == 6
    assert ctax["estimated_wait_seconds"] == kiosk.estimated_wait_seconds
    assert ctax["estimated_wait_low_seconds"] == kiosk.estimated_wait_low_seconds
    assert ctax["estimated_wait_high_seconds"] == kiosk.estimated_wait_high_seconds
    said = wait_range(kiosk.estimated_wait_low_seconds, kiosk.estimated_wait_high_seconds)
    assert said.startswith(("About ", "Less than ")) and ctax["estimated_wait_text"] == said
    # The page tells the range, never a single figure.
    page = client.get("/centres", params={"lang": "en"}).text
    assert f'<td class="wait">{said}</td>' in page
    assert "about " not in page.replace("About ", "")
    # In Polish, the kiosk's Polish.
    pl = client.get("/api/v1/centres", params={"lang": "pl"}).json()
    pl_ctax = next(
        s
        for c in pl["centres"]
        if c["centre"] == "CIVIC"
        for s in c["services"]
        if s["service"] == "CTAX"
    )
    assert pl_ctax["estimated_wait_text"].startswith(("Około ", "Mniej niż "))


def test_no_open_desk_no_estimate_said_as_the_kiosk_says_it(
    client: Any, services: Services
) -> None:
    q = services.queue
    q.issue("CIVIC", "HBEN")
    q.issue("CIVIC", "CTAX")
    q.call_next("CIVIC", "1")  # desk 1 opens (it serves Council Tax, not benefits)
    for desk in _desks_serving(services, "CIVIC", "HBEN"):
        services.desks.set_status("CIVIC", desk, "closed", None)
    assert q.estimate("CIVIC", "HBEN").estimated_wait_seconds is None  # the kiosk's view
    body = client.get("/api/v1/centres").json()
    civic = next(c for c in body["centres"] if c["centre"] == "CIVIC")
    hben = next(s for s in civic["services"] if s["service"] == "HBEN")
    assert hben["desks_open"] == 0 and hben["waiting"] == 1
    assert hben["estimated_wait_seconds"] is None
    assert hben["estimated_wait_low_seconds"] is None
    assert hben["estimated_wait_text"] == "No desk is serving this just now."
    # A closed centre promises nothing either.
    hall = next(c for c in body["centres"] if c["centre"] == "HALLBRIDGE")
    assert {s["estimated_wait_text"] for s in hall["services"]} == {
        "No desk is serving this just now."
    }
    page = client.get("/centres", params={"lang": "cy"}).text
    assert "Does dim desg yn delio â hyn ar hyn o bryd." in page


async def test_the_centres_waits_are_worked_out_again_only_after_a_change(
    services: Services,
) -> None:
    ticks = [0.0]
    cache = LiveCache(services, refresh_seconds=1.0, clock=lambda: ticks[0])
    worked: list[int] = []
    real = services.visitors.centre_waits

    def counted() -> Any:
        worked.append(1)
        return real()

    services.visitors.centre_waits = counted  # type: ignore[method-assign]
    try:
        services.desks.set_status("CIVIC", "1", "open", None)
        services.queue.issue("CIVIC", "CTAX")
        for _ in range(30):  # the council's website, busy: one prediction
            _at, waits = await cache.centres()
        assert len(worked) == 1
        assert waits["CIVIC"].services[0].wait.low_seconds is not None
        ticks[0] += 2.0  # nothing changed: the same answer, not worked out again
        await cache.centres()
        assert len(worked) == 1
        services.queue.issue("CIVIC", "CTAX")
        await cache.centres()  # changed, but within the second: the answer in hand
        ticks[0] += 1.0
        await cache.centres()  # the snapshot sees the change; the waits follow it
        await cache.centres()
        assert len(worked) == 2
        ticks[0] += 20.0  # and they are worked out again now and then anyway
        await cache.centres()
        assert len(worked) == 3
    finally:
        del services.visitors.centre_waits
        cache.close()
