"""Schemathesis against the API's own OpenAPI document: generated requests to every
operation (with and without a valid token), and every answer must be no 5xx, a status
the document lists, and a body that matches its schema. Bounded examples per operation,
on SQLite (the API's behaviour does not depend on the backend; its tests run on both)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from web_support import web_settings

from frontdesk.clock import VirtualClock
from frontdesk.services.wiring import Services, initialise, open_services
from frontdesk.web import create_app

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = 15  # fuzzed per operation, beside its examples and boundary values: well under a minute


@pytest.fixture
def api_store(sqlite_template: Path, tmp_path: Path, clock: VirtualClock) -> Iterator[Services]:
    path = tmp_path / "schemathesis.db"
    shutil.copyfile(sqlite_template, path)
    services = open_services(f"sqlite:///{path}", clock)
    initialise(services, ROOT / "examples" / "council.toml")
    for service in ("CTAX", "HBEN", "GENQ"):  # someone to call, so calls can succeed
        for _ in range(3):
            services.queue.issue("CIVIC", service)
    try:
        yield services
    finally:
        services.close()


@pytest.fixture
def api_token(api_store: Services) -> str:
    return api_store.api_tokens.add("schemathesis", ("issue", "desk", "read")).token


@pytest.fixture
def api_schema(api_store: Services) -> Any:
    app = create_app(api_store, web_settings())
    # Every operation's examples, boundary values and random data; not each of the eight
    # other methods on every path (405s, all alike), which would double the run.
    config = schemathesis.Config.from_dict(
        {"phases": {"coverage": {"unexpected-methods": ["put"]}}}
    )
    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", app, config=config)


schema = schemathesis.pytest.from_fixture("api_schema")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_every_answer_matches_the_document(case: Any, api_token: str) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {api_token}"}, checks=CHECKS)
    case.call_and_validate(checks=CHECKS)  # and without a token
