"""The HTTP API for council systems, under /api/v1: issue a ticket, call next, start,
complete, transfer, the queue and the reports — the same JSON as the CLI's `--json`
(made by `frontdesk.services.shapes`). Every call needs an API token
(`Authorization: Bearer fdk_…`, made by `frontdesk api-token add`) with the scope it
needs; each use is written to the audit log.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field

from frontdesk.errors import InvalidInput
from frontdesk.services import shapes
from frontdesk.services.api_tokens import ApiTokenInfo
from frontdesk.services.results import Query as Outcome
from frontdesk.services.tokens import status_url
from frontdesk.web.context import context
from frontdesk.web.errors import ERRORS

router = APIRouter(prefix="/api/v1", tags=["api"], responses=ERRORS)
bearer = HTTPBearer(auto_error=False, description="an API token: fdk_…")
Centre = Annotated[
    str, Path(min_length=1, max_length=16, description="centre code", examples=["CIVIC"])
]
Desk = Annotated[
    str, Path(min_length=1, max_length=24, description="desk name at the centre", examples=["1"])
]
Code = Annotated[str, Field(min_length=1, max_length=32)]
Text = Annotated[str, Field(max_length=500)]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class IssueIn(_Body):
    centre: Annotated[Code, Field(examples=["CIVIC"])]
    service: Annotated[Code, Field(examples=["CTAX"])]
    priority: Code | None = None
    needs: Annotated[list[Annotated[str, Field(max_length=40)]], Field(max_length=8)] = []
    topic: Code | None = None
    note: Text | None = None


class CompleteIn(_Body):
    resolved: bool
    topic: Code | None = None
    handoff: Text | None = None
    avoidable: Code | None = None
    feedback: Code | None = None
    feedback_text: Text | None = None


class TransferIn(_Body):
    service: Code | None = None
    to_desk: Annotated[str, Field(min_length=1, max_length=24)] | None = None
    note: Text | None = None


class IssuedOut(BaseModel):
    id: int
    ticket: str
    centre: str
    service: str
    issued_at: str
    estimated_wait_seconds: int | None
    status_url: str | None


class CalledOut(BaseModel):
    """The called ticket, or only `{"ticket": null}` when nobody is waiting."""

    id: int | None = None
    ticket: str | None
    service: str | None = None
    waited_seconds: int | None = None


class AtDeskOut(BaseModel):
    id: int
    ticket: str
    desk: str


class CompletedOut(BaseModel):
    id: int
    ticket: str
    desk: str
    queries_completed: int


class TransferredOut(BaseModel):
    id: int
    ticket: str
    from_desk: str
    to_service: str
    to_desk: str | None
    note: str | None


class WaitingOut(BaseModel):
    id: int
    ticket: str
    service: str
    waiting_seconds: int


class ServingOut(BaseModel):
    id: int
    ticket: str
    desk: str
    service: str


class QueueOut(BaseModel):
    centre: str
    waiting: list[WaitingOut]
    serving: list[ServingOut]


class StandardOut(BaseModel):
    centre: str
    from_: str = Field(alias="from")
    to: str
    threshold_minutes: float
    target_share: float
    seen: int
    seen_within_threshold: int
    ended_unseen: int
    breached_unseen: int
    walkouts: int
    share_within_standard: float | None
    average_wait_seconds: float | None
    queries_completed: int
    first_contact_resolution: float | None
    resolved_in_one_visit: float | None
    avoidable_contact_share: float | None
    met: bool | None
    # The visitors' ratings beside the standard, as `report standard --json` gives them.
    visits_rated: int
    average_rating: float | None
    satisfied_share: float | None


class SatisfactionOut(BaseModel):
    centre: str
    from_: str = Field(alias="from")
    to: str
    visits: int
    responses: int
    response_rate: float | None
    average_rating: float | None
    satisfied_share: float | None
    ratings: dict[str, int]
    comments: list[str]


def _allowed(scope: str) -> Any:
    def check(
        request: Request,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> ApiTokenInfo:
        token = credentials.credentials if credentials else None
        route = request.scope.get("route")
        action = getattr(route, "name", "call").replace("_", "-")
        detail = f"{request.method} {request.url.path}"
        info: ApiTokenInfo = context(request).services.api_tokens.authorise(
            token, scope, action, detail
        )
        return info

    return Depends(check)


# Who is calling, once their token has been checked for the scope.
Issuer = Annotated[ApiTokenInfo, _allowed("issue")]
DeskCaller = Annotated[ApiTokenInfo, _allowed("desk")]
Reader = Annotated[ApiTokenInfo, _allowed("read")]


def _in_order(day_from: date, day_to: date) -> None:
    if day_to < day_from:
        raise InvalidInput(f"to: {day_to} is before from ({day_from})")


def _who(caller: ApiTokenInfo) -> str:
    return f"api:{caller.name}"


@router.post("/tickets", response_model=IssuedOut, status_code=201, summary="Issue a ticket")
def issue(request: Request, body: IssueIn, caller: Issuer) -> dict[str, Any]:
    ctx = context(request)
    t = ctx.services.queue.issue(
        body.centre,
        body.service,
        priority=body.priority,
        needs=body.needs,
        topic=body.topic,
        note=body.note,
        channel="api",
        staff=_who(caller),
    )
    return shapes.issued_ticket(t, status_url(ctx.settings.public_base_url, t.token))


@router.post(
    "/centres/{centre}/desks/{desk}/call-next",
    response_model=CalledOut,
    response_model_exclude_unset=True,
    summary='Call the next customer for a desk ({"ticket": null} when nobody waits)',
)
def call_next(request: Request, centre: Centre, desk: Desk, caller: DeskCaller) -> dict[str, Any]:
    t = context(request).services.queue.call_next(centre, desk, staff=_who(caller))
    return shapes.called(t)


@router.post(
    "/centres/{centre}/desks/{desk}/start",
    response_model=AtDeskOut,
    summary="The desk's called customer has arrived",
)
def start(request: Request, centre: Centre, desk: Desk, caller: DeskCaller) -> dict[str, Any]:
    return shapes.at_desk(context(request).services.queue.start(centre, desk, staff=_who(caller)))


@router.post(
    "/centres/{centre}/desks/{desk}/complete",
    response_model=CompletedOut,
    summary="Record the query's outcome and finish with the customer",
)
def complete(
    request: Request,
    centre: Centre,
    desk: Desk,
    body: CompleteIn,
    caller: DeskCaller,
) -> dict[str, Any]:
    outcome = Outcome(
        resolved=body.resolved,
        topic=body.topic,
        handoff=body.handoff,
        avoidable=body.avoidable,
        feedback=body.feedback,
        feedback_text=body.feedback_text,
    )
    done = context(request).services.queue.complete(centre, desk, [outcome], staff=_who(caller))
    return shapes.completed(done)


@router.post(
    "/centres/{centre}/desks/{desk}/transfer",
    response_model=TransferredOut,
    summary="Transfer the desk's customer to a service or a named desk",
)
def transfer(
    request: Request,
    centre: Centre,
    desk: Desk,
    body: TransferIn,
    caller: DeskCaller,
) -> dict[str, Any]:
    moved = context(request).services.queue.transfer(
        centre, desk, service=body.service, to_desk=body.to_desk, note=body.note, staff=_who(caller)
    )
    return shapes.transferred(moved)


@router.get("/centres/{centre}/queue", response_model=QueueOut, summary="Who waits, who is served")
def queue(request: Request, centre: Centre, _caller: Reader) -> dict[str, Any]:
    return shapes.queue(context(request).services.queue.snapshot(centre))


@router.get(
    "/centres/{centre}/reports/standard",
    response_model=StandardOut,
    response_model_by_alias=True,
    summary="The waiting-standard report (local dates, inclusive)",
)
def report_standard(
    request: Request,
    centre: Centre,
    day_from: Annotated[
        date, Query(alias="from", description="first local date", examples=["2026-03-02"])
    ],
    day_to: Annotated[
        date, Query(alias="to", description="last local date", examples=["2026-03-02"])
    ],
    _caller: Reader,
) -> dict[str, Any]:
    _in_order(day_from, day_to)
    return context(request).services.reports.standard(centre, day_from, day_to).as_json()


@router.get(
    "/centres/{centre}/reports/satisfaction",
    response_model=SatisfactionOut,
    response_model_by_alias=True,
    summary="How visitors rated their visits (1-5), beside the standard",
)
def report_satisfaction(
    request: Request,
    centre: Centre,
    day_from: Annotated[
        date, Query(alias="from", description="first local date", examples=["2026-03-02"])
    ],
    day_to: Annotated[
        date, Query(alias="to", description="last local date", examples=["2026-03-02"])
    ],
    _caller: Reader,
) -> dict[str, Any]:
    _in_order(day_from, day_to)
    return context(request).services.visitors.satisfaction(centre, day_from, day_to).as_json()
