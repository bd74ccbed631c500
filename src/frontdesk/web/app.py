"""`create_app(services, settings)`: the ASGI app of `frontdesk serve web`.

Routers by area (phone, centres, api), the exception handlers (JSON errors, never a stack
trace), the static files (package data) and, around everything, the security headers,
the per-client rate limit and the request-body limit. The OpenAPI document is at
`/api/v1/openapi.json`; there is no documentation UI (it would load scripts from a CDN).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from frontdesk import __version__
from frontdesk.web import api, centres, errors, phone
from frontdesk.web.context import WebContext
from frontdesk.web.limits import BodyLimit, RateLimit, SecurityHeaders
from frontdesk.web.live import LiveCache
from frontdesk.web.settings import WebSettings

STATIC = Path(__file__).with_name("static")


def create_app(services: Any, settings: WebSettings | None = None) -> FastAPI:
    """The web app over `services` (frontdesk.services.wiring.Services)."""
    settings = settings or WebSettings()
    live = LiveCache(services, refresh_seconds=settings.refresh_seconds)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        live.close()

    app = FastAPI(
        title="frontdesk",
        version=__version__,
        description=(
            "The visitor's ticket page, the centres' current waits and the API for council "
            "systems. Calls under /api/v1 other than /api/v1/centres need an API token "
            "(`frontdesk api-token add --name N --scope S`) sent as `Authorization: Bearer`."
        ),
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
        lifespan=lifespan,
    )
    app.state.frontdesk = WebContext(services=services, settings=settings, live=live)
    errors.install(app)
    app.include_router(phone.router)
    app.include_router(centres.router)
    app.include_router(api.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    async def home() -> RedirectResponse:
        return RedirectResponse("/centres", status_code=307)

    # The last added is the outermost: headers on every answer, then the rate limit,
    # then the body limit before anything reads a body.
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    app.add_middleware(RateLimit, rate=settings.rate_per_second, burst=settings.burst)
    app.add_middleware(SecurityHeaders, frame_ancestors=settings.frame_ancestors)
    return app
