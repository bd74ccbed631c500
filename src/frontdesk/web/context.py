"""What every route reaches through the request: the services, the settings and the
shared live snapshot (held in `app.state`, built once by `create_app`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request

from frontdesk.web.live import LiveCache
from frontdesk.web.settings import WebSettings
from frontdesk.web.words import Translate, choose_language, translator


@dataclass(frozen=True)
class WebContext:
    services: Any  # frontdesk.services.wiring.Services
    settings: WebSettings
    live: LiveCache

    def service_name(self, code: str, _: Translate) -> str:
        svc = self.live.catalogue.services.get(code)
        return _(svc.name) if svc is not None else code

    def centre_name(self, code: str, _: Translate) -> str:
        where = self.live.catalogue.centres.get(code)
        return _(where.name) if where is not None else code


def context(request: Request) -> WebContext:
    found: WebContext = request.app.state.frontdesk
    return found


def language(request: Request) -> tuple[str, Translate]:
    code = choose_language(
        request.query_params.get("lang"),
        request.headers.get("accept-language"),
        context(request).settings.language,
    )
    return code, translator(code)


def wants_html(request: Request) -> bool:
    return "text/html" in request.headers.get("accept", "")
