"""From a centre's live state and today's figures to its outlook, and the advice: each
candidate action is the same state run forward with the action applied (same seed), so
the projected effect of each is comparable.

`Projector` is the port between the live state and the forward run; `ForwardRun` is the
first implementation, over `frontdesk.queue.outlook`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Protocol

from frontdesk.queue import outlook as fw
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


class Projector(Protocol):
    def project(self, situation: fw.Situation) -> dict[str, fw.ServiceOutlook]: ...


class ForwardRun:
    """The outlook's own forward run (a few dozen simulated rests of the day)."""

    def __init__(self, runs: int = fw.RUNS, seed: int = SEED) -> None:
        self.runs = runs
        self.seed = seed

    def project(self, situation: fw.Situation) -> dict[str, fw.ServiceOutlook]:
        return fw.run_outlook(situation, seed=self.seed, runs=self.runs)


def standard_of(where: CentreRef, service: str) -> tuple[float, float]:
    """(threshold minutes, target share) in force for a service at a centre."""
    own = where.service_standards.get(service)
    return own if own else (where.threshold_minutes, where.target_share)


def situation(
    cat: Catalogue,
    where: CentreRef,
    live: LiveCentre,
    today: CentreToday,
    steps: Steps,
    now: datetime,
) -> fw.Situation:
    quick_topics = {t.id for t in cat.topics.values() if t.quick}
    terms = {}
    for code in where.services:
        threshold, target = standard_of(where, code)
        figures = today.by_service.get(code)
        typical = today.handling.get(code, cat.services[code].mean_handling_seconds)
        terms[code] = fw.ServiceTerms(
            threshold_seconds=threshold * 60,
            target_share=target,
            handling_seconds=typical,
            seen_so_far=(figures.seen + figures.breached_unseen) if figures else 0,
            within_so_far=figures.seen_within_threshold if figures else 0,
        )
    desks = tuple(
        fw.Desk(
            name=d.name,
            services=tuple(c for c in d.services if c in terms),
            open=d.status == "open",
            busy_service=d.held_service if d.holding else None,
            busy_seconds=(
                max(0.0, (now - d.held_called_at).total_seconds())
                if d.holding and d.held_called_at
                else 0.0
            ),
        )
        for d in live.desks
    )
    waiting = tuple(
        fw.Waiting(
            service=w.service,
            waited_seconds=max(0.0, (now - w.queued_at).total_seconds()),
            quick=w.quick or (w.topic_id in quick_topics),
        )
        for w in live.waiting
    )
    return fw.Situation(
        desks=desks,
        waiting=waiting,
        terms=terms,
        close_in_seconds=close_in_seconds(where, now),
        arrivals=steps,
        divert={code: DIVERT_SHARE for code in live.offers},
    )


def outlook_view(
    where: CentreRef, projected: Mapping[str, fw.ServiceOutlook], now: datetime, closed: bool
) -> Outlook:
    views = []
    for code in where.services:
        o = projected.get(code)
        if o is None:
            continue
        views.append(
            ServiceOutlookView(
                service=code,
                projected_share=o.projected_share,
                target_share=standard_of(where, code)[1],
                risk_30=o.wait_risk.get(30, 0.0),
                risk_60=o.wait_risk.get(60, 0.0),
                first_breach_minutes=(
                    o.first_breach_seconds / 60 if o.first_breach_seconds is not None else None
                ),
            )
        )
    return Outlook(centre=where.code, computed_at=now, services=tuple(views), closed=closed)


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _effect(
    cat: Catalogue,
    service: str,
    base: Mapping[str, fw.ServiceOutlook],
    after: Mapping[str, fw.ServiceOutlook],
) -> str:
    """ "Council Tax by close 71% → 93%; Benefits 97% → 94%" (other services that lose)."""
    parts = [
        f"{cat.services[service].name} by close "
        f"{_pct(base[service].projected_share)} → {_pct(after[service].projected_share)}"
    ]
    for code, o in base.items():
        if code == service or o.projected_share is None:
            continue
        new = after[code].projected_share
        if new is not None and new < o.projected_share - 0.005:
            parts.append(f"{cat.services[code].name} {_pct(o.projected_share)} → {_pct(new)}")
    return "; ".join(parts)


def advise(
    cat: Catalogue,
    where: CentreRef,
    live: LiveCentre,
    base_situation: fw.Situation,
    base: Mapping[str, fw.ServiceOutlook],
    service: str,
    projector: Projector,
) -> Advice:
    """Ranked actions for a service heading for a breach, each with its projected effect."""
    name = cat.services[service].name
    tried: list[tuple[fw.Situation, dict[str, object]]] = []
    by_name = {d.name: d for d in base_situation.desks}
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
        desk = fw.Desk(d.name, tuple(c for c in d.configured if c in base_situation.terms), True)
        who = ", ".join(free_staff[:3]) if free_staff else "nobody logged in is free: call cover"
        tried.append(
            (
                fw.with_desk(base_situation, desk),
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
    movable = [d for d in base_situation.desks if d.open and service not in d.services]
    for m in movable[:MOVES_TRIED]:
        moved = replace(m, services=(service, *m.services))
        tried.append(
            (
                fw.with_desk(base_situation, moved),
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
    for r in base_situation.desks:
        if r.open and service in r.services and r.services[0] != service:
            order = (service, *(c for c in r.services if c != service))
            tried.append(
                (
                    fw.with_desk(base_situation, replace(by_name[r.name], services=order)),
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
    quick = sum(1 for w in base_situation.waiting if w.service == service and w.quick)
    if quick and service not in base_situation.comb:
        tried.append(
            (
                replace(base_situation, comb=base_situation.comb | {service}),
                dict(
                    kind="comb-quick",
                    title=f"Comb the quick queries: {quick} waiting for {name}",
                    detail="Desks call the quick queries first (marked on the tickets)",
                    applicable=True,
                ),
            )
        )
    if service not in base_situation.divert:
        tried.append(
            (
                replace(base_situation, divert={**base_situation.divert, service: DIVERT_SHARE}),
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
    actions = []
    for changed, about in tried:
        after = projector.project(changed)
        actions.append(
            Action(
                service=service,
                projected_share=after[service].projected_share,
                risk_30=after[service].wait_risk.get(30, 0.0),
                effect=_effect(cat, service, base, after),
                **about,  # type: ignore[arg-type]
            )
        )
    actions.sort(key=lambda a: (-(a.projected_share or 0.0), a.risk_30))
    return Advice(
        centre=where.code,
        service=service,
        baseline_share=base[service].projected_share,
        actions=tuple(actions),
    )
