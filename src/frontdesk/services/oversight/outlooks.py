"""From a centre's live state and today's figures to its outlook, and the advice: each
candidate action is the same scenario run forward with the action applied (same seed),
so the projected effect of each is comparable.

`Projector` is the port between the live state and the forward run; `ForwardRun` is the
implementation, over `frontdesk.queue.projection` (the one projection: the estimate's
centre state, learned handling times and walk-outs run forward to the close).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Protocol

from frontdesk.queue.predict import OPEN, CentreState, DeskState
from frontdesk.queue.projection import (
    ArrivalRate,
    Projection,
    Scenario,
    ServiceProjection,
    run_forward,
)
from frontdesk.services.oversight.forecast import Steps, close_in_seconds
from frontdesk.services.oversight.live import LiveCentre
from frontdesk.services.oversight.today import CentreToday
from frontdesk.services.oversight.views import Action, Advice, Outlook, ServiceOutlookView
from frontdesk.store.catalogue import Catalogue, CentreRef

# Assumed share of walk-ins who take an appointment or a callback when the kiosk offers
# them first (said in the advice, so the supervisor can judge it).
DIVERT_SHARE = 0.25
MOVES_TRIED = 3
OPENINGS_TRIED = 2
SEED = 13
RUNS = 24


class Projector(Protocol):
    def project(self, scenario: Scenario) -> Projection: ...


class ForwardRun:
    """A few dozen simulated rests of the day (`queue.projection.run_forward`)."""

    def __init__(self, runs: int = RUNS, seed: int = SEED) -> None:
        self.runs = runs
        self.seed = seed

    def project(self, scenario: Scenario) -> Projection:
        return run_forward(scenario, seed=self.seed, runs=self.runs)


def standard_of(where: CentreRef, service: str) -> tuple[float, float]:
    """(threshold minutes, target share) in force for a service at a centre."""
    own = where.service_standards.get(service)
    return own if own else (where.threshold_minutes, where.target_share)


def rates(steps: Steps) -> tuple[ArrivalRate, ...]:
    """Per-service (start, walk-ins per hour) steps as the projection's rate spans."""
    starts = sorted({start for own in steps.values() for start, _ in own})
    out = []
    for start in starts:
        per_hour = {}
        for code, own in steps.items():
            current = 0.0
            for s, rate in own:
                if s <= start:
                    current = rate
            per_hour[code] = current
        out.append(ArrivalRate(start, per_hour))
    return tuple(out)


def scenario(
    cat: Catalogue,
    where: CentreRef,
    state: CentreState,
    live: LiveCentre,
    today: CentreToday,
    steps: Steps,
    now: datetime,
) -> Scenario:
    """The centre now (the estimate's state) with today's figures, the forecast, the
    tickets marked quick and the kiosk's offers."""
    quick_topics = {t.id for t in cat.topics.values() if t.quick}
    so_far = {}
    for code in where.services:
        figures = today.by_service.get(code)
        if figures:
            so_far[code] = (figures.seen + figures.breached_unseen, figures.seen_within_threshold)
    return Scenario(
        state=state,
        arrivals=rates(steps),
        until_seconds=close_in_seconds(where, now),
        thresholds={code: standard_of(where, code)[0] * 60 for code in where.services},
        so_far=so_far,
        quick=frozenset(w.id for w in live.waiting if w.quick or w.topic_id in quick_topics),
        divert={code: DIVERT_SHARE for code in live.offers},
    )


def outlook_view(
    where: CentreRef, scenario: Scenario, projected: Projection, now: datetime, closed: bool
) -> Outlook:
    views = []
    state = scenario.state
    for code in where.services:
        o = projected.services.get(code)
        if o is None:
            continue
        views.append(
            ServiceOutlookView(
                service=code,
                projected_share=o.share_within_by_close,
                target_share=standard_of(where, code)[1],
                risk_30=o.p_over_threshold_next_30 or 0.0,
                risk_60=o.p_over_threshold_next_60 or 0.0,
                first_breach_minutes=(
                    o.first_breach_seconds / 60 if o.first_breach_seconds is not None else None
                ),
                waiting=sum(1 for t in state.waiting if t.service == code),
            )
        )
    return Outlook(centre=where.code, computed_at=now, services=tuple(views), closed=closed)


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _effect(
    cat: Catalogue,
    service: str,
    base: Mapping[str, ServiceProjection],
    after: Mapping[str, ServiceProjection],
) -> str:
    """ "Council Tax by close 71% → 93%; Benefits 97% → 94%" (other services that lose)."""
    parts = [
        f"{cat.services[service].name} by close "
        f"{_pct(base[service].share_within_by_close)} → "
        f"{_pct(after[service].share_within_by_close)}"
    ]
    for code, o in base.items():
        was = o.share_within_by_close
        if code == service or was is None:
            continue
        new = after[code].share_within_by_close
        if new is not None and new < was - 0.005:
            parts.append(f"{cat.services[code].name} {_pct(was)} → {_pct(new)}")
    return "; ".join(parts)


def _harm(
    where: CentreRef,
    service: str,
    base: Mapping[str, ServiceProjection],
    after: Mapping[str, ServiceProjection],
) -> float:
    """How much further below their standards by close the action pushes the centre's
    other services, added up (0 when none falls short, or none more than before); to
    the nearest half a point, so that noise in the projection does not outrank this
    service's own outlook."""
    total = 0.0
    for code, o in after.items():
        was = base.get(code)
        if code == service or code not in where.services or was is None:
            continue
        if o.share_within_by_close is None or was.share_within_by_close is None:
            continue
        target = standard_of(where, code)[1]
        short_after = max(0.0, target - o.share_within_by_close)
        short_before = max(0.0, target - was.share_within_by_close)
        total += max(0.0, short_after - short_before)
    return round(total * 200) / 200


def advise(
    cat: Catalogue,
    where: CentreRef,
    live: LiveCentre,
    base_scenario: Scenario,
    base: Projection,
    service: str,
    projector: Projector,
) -> Advice:
    """Ranked actions for a service heading for a breach, each with its projected effect."""
    name = cat.services[service].name
    tried: list[tuple[Scenario, dict[str, object]]] = []
    desks = base_scenario.state.desks
    free_staff = [
        f"{d.staff_name or d.staff_code} (desk {d.name}, paused"
        + (f": {d.reason})" if d.reason else ")")
        for d in live.desks
        if d.staff_code and d.status == "paused"
    ] + [
        f"{d.staff_name or d.staff_code} (desk {d.name})"
        for d in live.desks
        if d.staff_code and d.status == "open" and service not in d.services
    ]
    closed = [d for d in live.desks if d.status == "closed" and service in d.configured]
    for d in closed[:OPENINGS_TRIED]:
        desk = DeskState(d.name, tuple(c for c in d.configured if c in base_scenario.thresholds))
        who = ", ".join(free_staff[:3]) if free_staff else "nobody logged in is free: call cover"
        tried.append(
            (
                base_scenario.with_desk(desk),
                dict(
                    kind="open-desk",
                    title=f"Open desk {d.name} ({' › '.join(desk.services)})",
                    detail=f"Who could: {who}",
                    applicable=False,
                    desk=d.name,
                    desk_services=desk.services,
                ),
            )
        )
    movable = [d for d in desks if d.status == OPEN and service not in d.services]
    for m in movable[:MOVES_TRIED]:
        moved = replace(m, services=(service, *m.services))
        tried.append(
            (
                base_scenario.with_desk(moved),
                dict(
                    kind="move-desk",
                    title=f"Move desk {m.name} to {name} first",
                    detail=f"Desk {m.name} serves {' › '.join(moved.services)}",
                    applicable=True,
                    desk=m.name,
                    desk_services=moved.services,
                ),
            )
        )
    for r in desks:
        if r.status == OPEN and service in r.services and r.services[0] != service:
            order = (service, *(c for c in r.services if c != service))
            tried.append(
                (
                    base_scenario.with_desk(replace(r, services=order)),
                    dict(
                        kind="reorder-desk",
                        title=f"Desk {r.name}: {name} first",
                        detail=f"Order becomes {' › '.join(order)}",
                        applicable=True,
                        desk=r.name,
                        desk_services=order,
                    ),
                )
            )
    quick = sum(
        1
        for w in base_scenario.state.waiting
        if w.service == service and w.id in base_scenario.quick
    )
    if quick and service not in base_scenario.comb:
        tried.append(
            (
                replace(base_scenario, comb=base_scenario.comb | {service}),
                dict(
                    kind="comb-quick",
                    title=f"Comb the quick queries: {quick} waiting for {name}",
                    detail="Desks call the quick queries first (marked on the tickets)",
                    applicable=True,
                ),
            )
        )
    if service not in base_scenario.divert:
        tried.append(
            (
                replace(base_scenario, divert={**base_scenario.divert, service: DIVERT_SHARE}),
                dict(
                    kind="kiosk-offer",
                    title=f"Kiosk: offer appointments and callbacks first for {name}",
                    detail=(
                        f"Assumes {DIVERT_SHARE:.0%} of walk-ins take one; "
                        "switched off when the outlook recovers"
                    ),
                    applicable=True,
                ),
            )
        )
    ranked: list[tuple[tuple[float, float, float], Action]] = []
    for changed, about in tried:
        after = projector.project(changed).services
        action = Action(
            service=service,
            projected_share=after[service].share_within_by_close,
            risk_30=after[service].p_over_threshold_next_30 or 0.0,
            effect=_effect(cat, service, base.services, after),
            **about,  # type: ignore[arg-type]
        )
        # First the actions that push no other service (further) below its standard:
        # a move that rescues this service at another's expense is not the best advice
        # when one that harms nobody exists. Then this service's own outlook.
        harm = _harm(where, service, base.services, after)
        key = (harm, -(action.projected_share or 0.0), action.risk_30)
        ranked.append((key, action))
    actions = [action for _, action in sorted(ranked, key=lambda pair: pair[0])]
    return Advice(
        centre=where.code,
        service=service,
        baseline_share=base.services[service].share_within_by_close,
        actions=tuple(actions),
    )
