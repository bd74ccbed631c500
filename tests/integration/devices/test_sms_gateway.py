"""The HTTP SMS gateway against a local http.server that answers 200, 4xx, 5xx or nothing."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from frontdesk.devices.notify import DeliveryFailed, HttpSmsGateway
from frontdesk.devices.outgoing import turn_is_near

MESSAGE = turn_is_near(
    "sms", "07123456789", ticket="C042", ahead=2, centre_name="Civic Centre", key="near:42"
)


class Gateway(ThreadingHTTPServer):
    daemon_threads = True
    answer: int | None = 200  # None: hold the request until released, like a stuck provider
    received: list[dict[str, Any]]
    headers_seen: list[dict[str, str]]
    release: threading.Event


class Handler(BaseHTTPRequestHandler):
    server: Gateway

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        self.server.received.append(json.loads(self.rfile.read(length)))
        self.server.headers_seen.append(dict(self.headers))
        if self.server.answer is None:
            self.server.release.wait(timeout=10)
            return
        body = b'{"status": "queued"}'
        self.send_response(self.server.answer)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output (and phone numbers) out of stderr


@pytest.fixture
def gateway() -> Iterator[Gateway]:
    server = Gateway(("127.0.0.1", 0), Handler)
    server.received, server.headers_seen, server.release = [], [], threading.Event()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.release.set()
        server.shutdown()
        server.server_close()


def sms(server: Gateway, timeout: float = 5.0) -> HttpSmsGateway:
    host, port = server.server_address[:2]
    return HttpSmsGateway(
        url=f"http://{host!s}:{port}/send",
        timeout_seconds=timeout,
        headers={"Authorization": "Bearer test-token"},
        sender="COUNCIL",
    )


def test_200_delivers_the_json_message(gateway: Gateway) -> None:
    sms(gateway).send(MESSAGE)

    assert gateway.received == [
        {"to": "07123456789", "message": MESSAGE.body, "reference": "near:42", "sender": "COUNCIL"}
    ]
    assert gateway.headers_seen[0]["Authorization"] == "Bearer test-token"


@pytest.mark.parametrize(
    ("code", "retryable"), [(500, True), (503, True), (429, True), (400, False), (401, False)]
)
def test_http_errors(gateway: Gateway, code: int, retryable: bool) -> None:
    gateway.answer = code

    with pytest.raises(DeliveryFailed) as caught:
        sms(gateway).send(MESSAGE)

    assert caught.value.retryable is retryable
    assert str(code) in str(caught.value)
    assert "07123456789" not in str(caught.value)


def test_timeout_is_retryable(gateway: Gateway) -> None:
    gateway.answer = None

    with pytest.raises(DeliveryFailed) as caught:
        sms(gateway, timeout=0.3).send(MESSAGE)

    assert caught.value.retryable is True


def test_only_http_urls_are_accepted() -> None:
    with pytest.raises(ValueError, match="http"):
        HttpSmsGateway(url="file:///etc/passwd")
