"""Every error as one JSON object `{"error": "...", "field": ...}` naming what was wrong,
with the right status: 400/422 bad input, 401/403 tokens, 404 unknown, 409 a step the
ticket's state does not allow, 503 the store unreachable. Never a stack trace."""

from __future__ import annotations

import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from frontdesk.errors import (
    DeskBusy,
    FrontdeskError,
    IllegalStep,
    NotFound,
    StoreUnavailable,
)
from frontdesk.services.api_tokens import NotAllowed

log = logging.getLogger("frontdesk.web")
# "rating: a whole number…" or "--centre: …" → the field is named first.
_FIELD = re.compile(r"^-{0,2}([a-z_][a-z0-9_-]*): ")


class ErrorBody(BaseModel):
    error: str
    field: str | None = None


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "bad input (the field is named)"},
    401: {"model": ErrorBody, "description": "no API token, or an unknown one"},
    403: {"model": ErrorBody, "description": "the token is revoked or lacks the scope"},
    404: {"model": ErrorBody, "description": "no such centre, desk, service or ticket"},
    409: {"model": ErrorBody, "description": "the ticket's state does not allow it"},
    413: {"model": ErrorBody, "description": "the request body is too large"},
    422: {"model": ErrorBody, "description": "a field is missing or malformed"},
    429: {"model": ErrorBody, "description": "too many requests from this client"},
    503: {"model": ErrorBody, "description": "the store cannot be reached; nothing was saved"},
}


def error(status: int, message: str, field: str | None = None, **headers: str) -> JSONResponse:
    return JSONResponse({"error": message, "field": field}, status_code=status, headers=headers)


def status_of(exc: FrontdeskError) -> int:
    if isinstance(exc, NotAllowed):
        return exc.status
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, IllegalStep | DeskBusy):
        return 409
    if isinstance(exc, StoreUnavailable):
        return 503
    return 400


def field_of(message: str) -> str | None:
    m = _FIELD.match(message)
    return m.group(1).replace("-", "_") if m else None


def _validation(exc: RequestValidationError) -> JSONResponse:
    first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid request"}
    loc = [str(part) for part in first.get("loc", ()) if part not in ("body", "query", "path")]
    field = ".".join(loc) or None
    message = str(first.get("msg", "invalid")).removeprefix("Value error, ")
    return error(422, f"{field}: {message}" if field else message, field)


def install(app: FastAPI) -> None:
    """Register the handlers on `app`."""

    @app.exception_handler(RequestValidationError)
    async def bad_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return _validation(exc)

    @app.exception_handler(FrontdeskError)
    async def refused(_request: Request, exc: FrontdeskError) -> JSONResponse:
        status = status_of(exc)
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else {}
        return error(status, str(exc), field_of(str(exc)), **headers)

    @app.exception_handler(HTTPException)
    async def http_error(_request: Request, exc: HTTPException) -> JSONResponse:
        return error(exc.status_code, str(exc.detail), None, **(exc.headers or {}))

    @app.exception_handler(Exception)
    async def failed(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error in %s %s", request.method, request.url.path)
        return error(500, "something went wrong on the server; nothing more is said here")
