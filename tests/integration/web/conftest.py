"""The web app over the test store (each backend): a TestClient, and an API token."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

HERE = str(Path(__file__).resolve().parent)
if HERE not in sys.path:  # the tests import web_support under the importlib import mode
    sys.path.insert(0, HERE)

from web_support import BASE, TestClient, web_settings  # noqa: E402

from frontdesk.services.wiring import Services  # noqa: E402
from frontdesk.web import create_app  # noqa: E402


@pytest.fixture
def base_url() -> str:
    """The council's public address for `serve web` in these tests."""
    return BASE


@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(services, web_settings())) as c:
        yield c


@pytest.fixture
def token(services: Services) -> str:
    return services.api_tokens.add("crm", ("issue", "desk", "read")).token


@pytest.fixture
def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
