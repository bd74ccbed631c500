"""Limits on every request: the body size, a per-client rate (token bucket), and the
security headers on every answer, errors included."""

from __future__ import annotations

from web_support import TestClient, web_settings

from frontdesk.services.wiring import Services
from frontdesk.web import create_app


def test_a_body_over_the_limit_is_refused_before_it_is_read(services: Services, token: str) -> None:
    app = create_app(services, web_settings(max_body_bytes=1024))
    auth = {"Authorization": f"Bearer {token}"}
    with TestClient(app) as client:
        big = client.post(
            "/api/v1/tickets",
            json={"centre": "CIVIC", "service": "CTAX", "note": "x" * 2000},
            headers=auth,
        )
        assert big.status_code == 413 and "1024 bytes" in big.json()["error"]
        assert "default-src 'self'" in big.headers["content-security-policy"]

        def chunks():  # no length given: counted as it comes
            for _ in range(3):
                yield b"x" * 600

        streamed = client.post(
            "/api/v1/tickets",
            content=chunks(),
            headers={**auth, "Content-Type": "application/json"},
        )
        assert streamed.status_code == 413
    assert services.queue.snapshot("CIVIC").waiting == ()


def test_each_client_has_its_own_rate(services: Services) -> None:
    app = create_app(services, web_settings(rate_per_second=0.001, burst=3))
    with TestClient(app) as phone:
        answers = [phone.get("/api/v1/centres").status_code for _ in range(4)]
        assert answers == [200, 200, 200, 429]
        slow = phone.get("/centres")
        assert slow.status_code == 429 and int(slow.headers["retry-after"]) >= 1
        assert slow.json()["error"].startswith("too many requests")
    # Another address (through a trusted proxy, or another phone) is not held back.
    with TestClient(app, client=("192.0.2.7", 50000)) as other:
        assert other.get("/api/v1/centres").status_code == 200
