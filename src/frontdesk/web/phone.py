"""The ticket's page on the visitor's phone: `/t/{token}` (the QR code's address).

It shows the ticket number, service, place in the queue and estimated wait, and turns
into "Please go to desk 3 now" when called: the page asks `/t/{token}/status` every few
seconds (static/phone.js; without JavaScript it reloads itself). "I have had to leave",
after a confirmation, ends the ticket as `left`. When the visit has ended the page is
inert but for one question, asked once: how was the visit (1-5, and a comment).
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import parse_qs, quote

from anyio import to_thread
from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel

from frontdesk.errors import FrontdeskError, InvalidInput, NotFound
from frontdesk.services.visitor_results import FollowedTicket
from frontdesk.services.visitors import COMMENT_LIMIT
from frontdesk.web.context import context, language, wants_html
from frontdesk.web.errors import ERRORS, field_of, status_of
from frontdesk.web.html import attrs, esc, language_links, page
from frontdesk.web.phone_text import rating_labels, said
from frontdesk.web.words import Translate

router = APIRouter(tags=["visitor"])
Token = Annotated[str, Path(min_length=1, max_length=64)]


class TicketStatus(BaseModel):
    """What the visitor's page shows, in the language asked for (no personal data)."""

    ticket: str
    centre: str
    service: str
    status: str
    phase: str
    ahead: int | None
    estimated_wait_seconds: int | None
    estimated_wait_low_seconds: int | None
    estimated_wait_high_seconds: int | None
    desk: str | None
    survey: str
    headline: str
    detail: str
    language: str


def _status(t: FollowedTicket, lang: str, _: Translate) -> dict[str, Any]:
    words = said(t, _)
    return {
        "ticket": t.ticket,
        "centre": t.centre,
        "service": t.service,
        "status": t.status,
        "phase": words.phase,
        "ahead": t.ahead,
        "estimated_wait_seconds": t.wait.seconds if t.wait else None,
        "estimated_wait_low_seconds": t.wait.low_seconds if t.wait else None,
        "estimated_wait_high_seconds": t.wait.high_seconds if t.wait else None,
        "desk": t.desk,
        "survey": t.survey,
        "headline": words.headline,
        "detail": words.detail,
        "language": lang,
    }


async def _ticket(request: Request, token: str) -> FollowedTicket:
    found = await context(request).live.ticket(token)
    if found is None:
        raise NotFound("no ticket has that code")
    return found


def _here(token: str, lang: str, suffix: str = "") -> str:
    return f"/t/{quote(token)}{suffix}?lang={quote(lang)}"


def _not_found(lang: str, _: Translate) -> HTMLResponse:
    heading = _("We cannot find this ticket")
    advice = _("Check the address, or ask at reception.")
    body = f'<main class="ticket ended"><h1>{esc(heading)}</h1><p>{esc(advice)}</p></main>'
    return HTMLResponse(page(title=_("Your ticket"), body=body, language=lang), status_code=404)


def _survey(t: FollowedTicket, lang: str, _: Translate, problem: str = "") -> str:
    if t.survey == "given":
        thanks = _("Thank you for your answer.")
        return f'<p class="thanks">{esc(thanks)}</p>'
    if t.survey != "open":
        return ""
    question = _("How was your visit?")
    comment = _("Anything you would like to tell us? (optional)")
    send = _("Send")
    choices = "".join(
        f'<label class="rating"><input type="radio" name="rating" value="{n}" required>'
        f'<span class="score">{n}</span><span class="word">{esc(word)}</span></label>'
        for n, word in rating_labels(_)
    )
    warning = f'<p class="problem" role="alert">{esc(problem)}</p>' if problem else ""
    action = _here(t.token, lang, "/feedback")
    return (
        f'<form class="survey" method="post" action="{esc(action)}">'
        f"<fieldset><legend>{esc(question)}</legend>{warning}"
        f'<div class="ratings">{choices}</div></fieldset>'
        f'<label class="comment" for="comment">{esc(comment)}</label>'
        f'<textarea id="comment" name="comment" rows="3" maxlength="{COMMENT_LIMIT}"></textarea>'
        f'<button type="submit">{esc(send)}</button></form>'
    )


def ticket_page(
    request: Request, t: FollowedTicket, lang: str, _: Translate, problem: str = ""
) -> str:
    ctx = context(request)
    words = said(t, _)
    poll = ctx.settings.poll_seconds if words.phase != "ended" else None
    your_ticket = _("Your ticket")
    live = (
        f'<section id="live" class="live {esc(words.phase)}" aria-live="assertive">'
        f'<p id="headline" class="headline">{esc(words.headline)}</p>'
        f'<p id="detail" class="detail">{esc(words.detail)}</p></section>'
    )
    parts = [
        f'<p class="centre">{esc(ctx.centre_name(t.centre, _))}</p>',
        f'<p class="label">{esc(your_ticket)}</p>',
        f'<h1 class="number">{esc(t.ticket)}</h1>',
        f'<p class="service">{esc(ctx.service_name(t.service, _))}</p>',
        live,
    ]
    if words.phase == "waiting":
        hint = _("Keep this page open: it changes when you are called.")
        parts.append(f'<p class="hint">{esc(hint)}</p>')
    if words.phase in ("waiting", "called"):
        leave = _("I have had to leave")
        href = _here(t.token, lang, "/leave")
        parts.append(f'<p class="leave"><a href="{esc(href)}">{esc(leave)}</a></p>')
    if words.phase == "ended":
        parts.append(_survey(t, lang, _, problem))
    status_url = _here(t.token, lang, "/status") if poll else None
    main = (
        f"<main{attrs(class_=f'ticket {words.phase}', data_phase=words.phase)}"
        f"{attrs(data_status=status_url, data_poll=poll)}>" + "".join(parts) + "</main>"
    )
    body = main + language_links(f"/t/{t.token}", lang)
    return page(
        title=f"{t.ticket} · {your_ticket}",
        body=body,
        language=lang,
        scripts=("phone.js",) if poll else (),
        refresh_without_script=poll * 3 if poll else None,
    )


@router.get("/t/{token}", include_in_schema=False)
async def show(request: Request, token: Token) -> Response:
    lang, _ = language(request)
    t = await context(request).live.ticket(token)
    if t is None:
        return _not_found(lang, _)
    return HTMLResponse(ticket_page(request, t, lang, _))


@router.get(
    "/t/{token}/status",
    response_model=TicketStatus,
    responses={404: ERRORS[404], 422: ERRORS[422], 429: ERRORS[429], 503: ERRORS[503]},
    summary="A ticket as its holder's phone shows it",
)
async def status(request: Request, token: Token) -> dict[str, Any]:
    lang, _ = language(request)
    return _status(await _ticket(request, token), lang, _)


@router.get("/t/{token}/leave", include_in_schema=False)
async def confirm_leave(request: Request, token: Token) -> Response:
    lang, _ = language(request)
    t = await context(request).live.ticket(token)
    if t is None:
        return _not_found(lang, _)
    if t.status not in ("waiting", "called"):
        return RedirectResponse(_here(token, lang), status_code=303)
    heading = _("Leave the queue?")
    warning = _("If you leave, your ticket {ticket} ends and you lose your place.").format(
        ticket=t.ticket
    )
    yes = _("Yes, I have had to leave")
    no = _("No, keep my place")
    body = (
        f'<main class="ticket confirm"><h1>{esc(heading)}</h1><p>{esc(warning)}</p>'
        f'<form method="post" action="{esc(_here(token, lang, "/leave"))}">'
        f'<button type="submit" class="danger">{esc(yes)}</button></form>'
        f'<p class="back"><a href="{esc(_here(token, lang))}">{esc(no)}</a></p></main>'
    )
    return HTMLResponse(page(title=heading, body=body, language=lang))


async def _form(request: Request) -> dict[str, str]:
    raw = await request.body()
    try:
        fields = parse_qs(raw.decode("utf-8"), max_num_fields=10, strict_parsing=False)
    except (UnicodeDecodeError, ValueError):
        raise InvalidInput("the form could not be read") from None
    return {k: v[0] for k, v in fields.items() if v}


def _refusal(request: Request, exc: FrontdeskError, lang: str, _: Translate) -> Response:
    status_code = status_of(exc)
    if not wants_html(request):
        return JSONResponse({"error": str(exc), "field": field_of(str(exc))}, status_code)
    back = _("Back to your ticket")
    here = _here(request.path_params["token"], lang)
    body = (
        f'<main class="ticket ended"><p class="problem" role="alert">{esc(str(exc))}</p>'
        f'<p class="back"><a href="{esc(here)}">{esc(back)}</a></p></main>'
    )
    return HTMLResponse(page(title=_("Your ticket"), body=body, language=lang), status_code)


@router.post("/t/{token}/leave", include_in_schema=False)
async def leave(request: Request, token: Token) -> Response:
    lang, _ = language(request)
    ctx = context(request)
    t = await ctx.live.ticket(token)
    if t is None:
        return _not_found(lang, _)
    if t.status not in ("waiting", "called"):
        return RedirectResponse(_here(token, lang), status_code=303)  # it shows what happened
    try:
        left = await to_thread.run_sync(ctx.services.visitors.leave, token)
    except NotFound:
        return _not_found(lang, _)
    except FrontdeskError as exc:
        return _refusal(request, exc, lang, _)
    ctx.live.acted(token, left)
    return RedirectResponse(_here(token, lang), status_code=303)


@router.post("/t/{token}/feedback", include_in_schema=False)
async def feedback(request: Request, token: Token) -> Response:
    lang, _ = language(request)
    ctx = context(request)
    form = await _form(request)
    t = await ctx.live.ticket(token)
    if t is None:
        return _not_found(lang, _)
    if t.survey != "open":
        return RedirectResponse(_here(token, lang), status_code=303)  # answered, or not yet
    text = form.get("rating", "").strip()
    field, problem = None, ""
    if not text.isdigit() or not 1 <= int(text) <= 5:
        field, problem = "rating", _("Please choose a number from 1 to 5.")
    elif len(form.get("comment", "")) > COMMENT_LIMIT:
        field = "comment"
        problem = _("Please keep your comment under {limit} characters.").format(
            limit=COMMENT_LIMIT
        )
    if field is not None:
        if not wants_html(request):
            return JSONResponse({"error": f"{field}: {problem}", "field": field}, 400)
        return HTMLResponse(ticket_page(request, t, lang, _, problem), status_code=400)
    try:
        answered = await to_thread.run_sync(
            ctx.services.visitors.give_feedback, token, int(text), form.get("comment")
        )
    except NotFound:
        return _not_found(lang, _)
    except FrontdeskError as exc:
        return _refusal(request, exc, lang, _)
    ctx.live.acted(token, answered)
    return RedirectResponse(_here(token, lang), status_code=303)
