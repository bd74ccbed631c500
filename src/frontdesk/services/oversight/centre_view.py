"""One centre in detail for the supervisor: per service, per desk, today by hour, its
alert feed and the estimate accuracy line."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from frontdesk.errors import FrontdeskError
from frontdesk.services.estimate_report import INTERVAL, EstimateAccuracy
from frontdesk.services.oversight.live import LiveState
from frontdesk.services.oversight.outlooks import standard_of
from frontdesk.services.oversight.today import CentreToday
from frontdesk.services.oversight.views import (
    Advice,
    AlertEntry,
    CentreRow,
    CentreView,
    DeskRow,
    Outlook,
    ServiceRow,
)
from frontdesk.services.queue import QueueService
from frontdesk.store.catalogue import CentreRef


def build(
    queue: QueueService,
    where: CentreRef,
    live: LiveState,
    today: CentreToday,
    row: CentreRow,
    outlook: Outlook,
    advice: dict[str, Advice],
    accuracy: EstimateAccuracy,
) -> CentreView:
    cat = queue.catalogue()
    now = live.at
    centre = live.of(where.id)
    quick_topics = {t.id for t in cat.topics.values() if t.quick}
    services = []
    for code in where.services:
        mine = [w for w in centre.waiting if w.service == code]
        threshold, target = standard_of(where, code)
        figures = today.by_service.get(code)
        services.append(
            ServiceRow(
                code=code,
                name=cat.services[code].name,
                waiting=len(mine),
                longest_wait_seconds=int(
                    max(((now - w.queued_at).total_seconds() for w in mine), default=0)
                ),
                estimate_seconds=_estimate(queue, where, code, centre.desks),
                threshold_minutes=threshold,
                target_share=target,
                share_today=figures.share_within_standard if figures else None,
                seen_today=figures.seen if figures else 0,
                quick_waiting=sum(1 for w in mine if w.quick or w.topic_id in quick_topics),
                kiosk_offers_alternatives=code in centre.offers,
                outlook=outlook.of(code),
            )
        )
    desks = tuple(
        DeskRow(
            name=d.name,
            status=d.status,
            staff=(f"{d.staff_name} ({d.staff_code})" if d.staff_name else d.staff_code),
            since=d.since,
            reason=d.reason if d.status == "paused" else None,
            serving=d.held_label if d.holding else None,
            serving_status=d.held_status if d.holding else None,
            serving_since=d.held_called_at if d.holding else None,
            services=d.services,
            configured=d.configured,
        )
        for d in centre.desks
    )
    return CentreView(
        code=where.code,
        name=where.name,
        at=now,
        open_now=row.open_now,
        next_opens=row.next_opens,
        threshold_minutes=where.threshold_minutes,
        target_share=where.target_share,
        row=row,
        services=tuple(services),
        desks=desks,
        hours=today.hours,
        alerts=tuple(_alerts(queue, where, live.alerts)),
        accuracy=accuracy_line(accuracy),
        advice=tuple(advice[c] for c in where.services if c in advice),
    )


def accuracy_line(acc: EstimateAccuracy) -> str:
    """Today's estimate accuracy (`services.estimate_report`) in one line."""
    f = acc.overall
    if not acc.seen or f.mean_absolute_error_seconds is None:
        return "Estimates today: nobody seen yet"
    bias = (f.mean_error_seconds or 0.0) / 60
    line = (
        f"Estimates today ({acc.seen} seen): off by "
        f"{f.mean_absolute_error_seconds / 60:.1f} min on average, bias {bias:+.1f} min"
    )
    if f.share_inside_interval is not None:
        line += f", {f.share_inside_interval:.0%} inside the {INTERVAL:.0%} range"
    under = f.share_under_by_more_than_5_minutes or 0.0
    return line + f", {under:.0%} waited 5+ min longer than told"


def _estimate(queue: QueueService, where: CentreRef, code: str, desks: Any) -> int | None:
    """What a newcomer would be told now; None when no open desk serves the service."""
    if not any(d.status == "open" and code in d.services for d in desks):
        return None
    try:
        return queue.estimate(where.code, code).estimated_wait_seconds
    except FrontdeskError:
        return None


def _alerts(queue: QueueService, where: CentreRef, rows: Any) -> list[AlertEntry]:
    by_id = queue.catalogue().service_by_id
    out = []
    for a in rows:
        if a.centre_id != where.id:
            continue
        svc = by_id.get(a.service_id)
        out.append(
            AlertEntry(
                id=a.id,
                centre=where.code,
                service=svc.code if svc else "?",
                service_name=svc.name if svc else "?",
                opened_at=a.opened_at,
                closed_at=a.closed_at,
                level=a.level,
                projected_share=a.projected_share,
                advice=a.advice,
            )
        )
    return out


def minutes_since(then: datetime | None, now: datetime) -> int | None:
    return None if then is None else max(0, int((now - then).total_seconds() // 60))
