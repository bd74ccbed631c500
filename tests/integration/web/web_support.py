"""What the web tests share: the test settings and the TestClient (imported quietly)."""

from __future__ import annotations

import warnings

from frontdesk.web import WebSettings

with warnings.catch_warnings():
    # Starlette would rather its TestClient ran on httpx2; httpx works the same here.
    warnings.filterwarnings("ignore", message=".*httpx2")
    from fastapi.testclient import TestClient

BASE = "https://queue.example.gov.uk"
__all__ = ["BASE", "TestClient", "web_settings"]


def web_settings(**changes: object) -> WebSettings:
    """Re-read the snapshot on every request (each change seen at once); wide limits."""
    values: dict[str, object] = {
        "public_base_url": BASE,
        "refresh_seconds": 0.0,
        "rate_per_second": 1000.0,
        "burst": 1000,
    }
    values.update(changes)
    return WebSettings(**values)  # type: ignore[arg-type]
