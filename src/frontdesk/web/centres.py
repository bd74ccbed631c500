"""The council's website: `/centres` (HTML, the one page that may be framed) and
`/api/v1/centres` (JSON) — per centre open or closed, when it next opens, the current
estimated wait per service and today's share seen within the standard.

Both are made from the shared live snapshot (re-read at most once a second, only when
the store changed) and today's figures (once a minute per centre), so any amount of
traffic costs the store about one read per centre per second at most.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel

from frontdesk.services.visitor_results import CentreWaits
from frontdesk.ui.words import NO_ESTIMATE, wait_range
from frontdesk.web.context import WebContext, context, language
from frontdesk.web.errors import ERRORS
from frontdesk.web.html import esc, language_links, page
from frontdesk.web.words import Translate

router = APIRouter(tags=["website"])
REFRESH_PAGE_SECONDS = 30


class ServiceWaitOut(BaseModel):
    service: str
    name: str
    waiting: int
    desks_open: int
    estimated_wait_seconds: int | None
    estimated_wait_low_seconds: int | None
    estimated_wait_high_seconds: int | None
    # What a visitor is told, in the kiosk's words and the language asked for: the 80%
    # interval ("About 10 to 15 minutes"), or that no desk is serving the service now.
    estimated_wait_text: str


class StandardOut(BaseModel):
    threshold_minutes: float
    target_share: float


class CentreOut(BaseModel):
    centre: str
    name: str
    address: str
    open_now: bool
    next_opens: str | None
    hours_today: str
    standard: StandardOut
    share_within_standard_today: float | None
    services: list[ServiceWaitOut]


class CentresOut(BaseModel):
    updated_at: str
    centres: list[CentreOut]


def said_wait(low: int | None, high: int | None, _: Translate) -> str:
    """The wait as the kiosk tells it: the interval, or that no desk serves it now."""
    return wait_range(low, high, _) or _(NO_ESTIMATE)


def _centre(ctx: WebContext, c: CentreWaits, share: float | None, _: Translate) -> dict[str, Any]:
    cat = ctx.live.catalogue
    return {
        "centre": c.centre,
        "name": c.name,
        "address": c.address,
        "open_now": c.open_now,
        "next_opens": c.next_opens.isoformat() if c.next_opens else None,
        "hours_today": c.hours_today,
        "standard": {"threshold_minutes": c.threshold_minutes, "target_share": c.target_share},
        "share_within_standard_today": share,
        "services": [
            {
                "service": s.service,
                "name": cat.services[s.service].name if s.service in cat.services else s.service,
                "waiting": s.waiting,
                "desks_open": s.desks_open,
                # A closed centre has no wait to give (the service leaves it out too).
                "estimated_wait_seconds": s.wait.seconds if c.open_now else None,
                "estimated_wait_low_seconds": s.wait.low_seconds if c.open_now else None,
                "estimated_wait_high_seconds": s.wait.high_seconds if c.open_now else None,
                "estimated_wait_text": said_wait(
                    s.wait.low_seconds if c.open_now else None,
                    s.wait.high_seconds if c.open_now else None,
                    _,
                ),
            }
            for s in c.services
        ],
    }


async def centres_now(ctx: WebContext, _: Translate) -> dict[str, Any]:
    at, waits = await ctx.live.centres()
    out = []
    for code, c in waits.items():
        out.append(_centre(ctx, c, await ctx.live.share_today(code), _))
    return {"updated_at": at.isoformat(), "centres": out}


@router.get(
    "/api/v1/centres",
    response_model=CentresOut,
    responses={429: ERRORS[429], 503: ERRORS[503]},
    summary="Every centre's current waits (public; for the council's website)",
)
async def centres_json(request: Request) -> dict[str, Any]:
    """`estimated_wait_text` is in the language of `?lang=` or Accept-Language."""
    return await centres_now(context(request), language(request)[1])


def _card(ctx: WebContext, c: dict[str, Any], lang: str, _: Translate) -> str:
    if c["open_now"]:
        open_now = _("Open now")
        state = f'<span class="open">{esc(open_now)}</span>'
    else:
        closed = _("Closed")
        state = f'<span class="closed">{esc(closed)}</span>'
        if c["next_opens"]:
            when = format_datetime(
                datetime.fromisoformat(c["next_opens"]), "EEEE HH:mm", locale=lang
            )
            opens = _("opens {when}").format(when=when)
            state += f" · {esc(opens)}"
    standard = _("Our standard: {share}% seen within {minutes} min").format(
        share=f"{c['standard']['target_share'] * 100:g}",
        minutes=f"{c['standard']['threshold_minutes']:g}",
    )
    share = c["share_within_standard_today"]
    if share is not None:
        today = _("today so far: {share}%").format(share=f"{share * 100:.0f}")
        standard += f" · {today}"
    head = (_("Service"), _("Waiting"), _("Estimated wait"))
    rows = "".join(
        f"<tr><td>{esc(_(s['name']))}</td><td>{s['waiting']}</td>"
        f'<td class="wait">{esc(s["estimated_wait_text"])}</td></tr>'
        for s in c["services"]
    )
    return (
        f'<section class="centre-card"><h2>{esc(_(c["name"]))}</h2>'
        f'<p class="address">{esc(c["address"])}</p><p class="state">{state}</p>'
        f"<table><thead><tr><th>{esc(head[0])}</th><th>{esc(head[1])}</th>"
        f"<th>{esc(head[2])}</th></tr></thead><tbody>{rows}</tbody></table>"
        f'<p class="standard">{esc(standard)}</p></section>'
    )


@router.get("/centres", include_in_schema=False)
async def centres_page(request: Request) -> HTMLResponse:
    lang, _ = language(request)
    ctx = context(request)
    data = await centres_now(ctx, _)
    title = _("Waiting times at our centres now")
    zone = next(iter(ctx.live.catalogue.centres.values()), None)
    updated = _("Updated {time}").format(
        time=format_datetime(
            datetime.fromisoformat(data["updated_at"]),
            "HH:mm",
            tzinfo=ZoneInfo(zone.timezone if zone else "UTC"),
            locale=lang,
        )
    )
    cards = "".join(_card(ctx, c, lang, _) for c in data["centres"])
    body = (
        f'<main class="centres"><h1>{esc(title)}</h1>{cards}'
        f'<p class="updated">{esc(updated)}</p></main>' + language_links("/centres", lang)
    )
    return HTMLResponse(
        page(title=title, body=body, language=lang, refresh_seconds=REFRESH_PAGE_SECONDS)
    )
