"""Breach episodes: opened when a service's projection falls below its target (before
anyone has breached), closed once it has stayed recovered for a while; one e-mail per
episode to the centre's supervisors through the outbox, never a flood.

Writes happen only when an episode opens, changes level, starts or stops recovering, or
closes — never on a refresh that changes nothing, so live screens are not woken for
nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from frontdesk.devices.outgoing import OutgoingMessage
from frontdesk.services.devices import DeviceService
from frontdesk.services.oversight.views import Advice, Level, Outlook, ServiceOutlookView
from frontdesk.store import audit as audit_log
from frontdesk.store import oversight_store as os_
from frontdesk.store.catalogue import Catalogue, CentreRef
from frontdesk.store.engine import UnitOfWork

# An episode closes after its outlook has stayed on track this long (no flapping).
RECOVERY = timedelta(minutes=10)
SOON_MINUTES = 20
EMAILS_SETTING = "centre.{code}.supervisor_emails"


def heading_for_breach(view: ServiceOutlookView) -> bool:
    """The alert rule: somebody is waiting for the service, the
    projection by close is below target and the first visitor would pass the threshold
    within 20 minutes; or most visitors arriving in the next half hour would wait past
    it. (A projection below target with its first breach further away is a short burst
    more often than a rush: it is looked at again.)"""
    if view.quiet:
        return False
    soon = view.first_breach_minutes is not None and view.first_breach_minutes <= SOON_MINUTES
    return (view.below_target and soon) or view.next_30 is Level.WILL_BREACH


def level_of(view: ServiceOutlookView) -> str:
    return Level.WILL_BREACH.value if view.next_30 is Level.WILL_BREACH else Level.AT_RISK.value


def advice_line(advice: Advice | None) -> str:
    if advice is None or not advice.actions:
        return ""
    best = advice.actions[0]
    return f"{best.title} ({best.effect})"


def supervisor_emails(cat: Catalogue, centre: str) -> list[str]:
    text = cat.settings.get(EMAILS_SETTING.format(code=centre), "")
    return [a for a in text.split(",") if a]


def evaluate(
    uow: UnitOfWork,
    devices: DeviceService,
    cat: Catalogue,
    where: CentreRef,
    outlook: Outlook,
    advice: dict[str, Advice],
    now: datetime,
    open_rows: dict[int, Any],
) -> bool:
    """Bring the centre's episodes in line with its outlook; True if anything was written.

    `open_rows`: the centre's open episodes by service id, as last read."""
    written = False
    emails: list[tuple[int, str, str]] = []
    seen_services: set[int] = set()
    for view in outlook.services:
        svc = cat.services[view.service]
        seen_services.add(svc.id)
        row = open_rows.get(svc.id)
        breach = heading_for_breach(view) and not outlook.closed
        if breach and row is None:
            with uow.write() as s:
                os_.lock_alerts(s, where.id)
                if os_.open_alert(s, where.id, svc.id) is None:  # another process?
                    alert_id = os_.add_alert(
                        s,
                        centre_id=where.id,
                        service_id=svc.id,
                        opened_at=now,
                        updated_at=now,
                        level=level_of(view),
                        projected_share=view.projected_share,
                        wait_risk_30=view.risk_30,
                        wait_risk_60=view.risk_60,
                        advice=advice_line(advice.get(view.service)),
                        emailed=False,
                    )
                    audit_log.audit(s, now, None, "alert.open", f"{where.code} {svc.code}")
                    emails.append((alert_id, svc.name, _text(where, svc.name, view, advice)))
            written = True
        elif breach and row is not None:
            changes: dict[str, Any] = {}
            if row.level != level_of(view):
                changes["level"] = level_of(view)
            if row.recovered_since is not None:
                changes["recovered_since"] = None
            line = advice_line(advice.get(view.service))
            if line and line != row.advice:
                changes["advice"] = line
            if changes:
                with uow.write() as s:
                    os_.save_alert(
                        s, row.id, updated_at=now, projected_share=view.projected_share, **changes
                    )
                written = True
        elif row is not None:
            written |= _recovering(uow, where, svc.id, svc.code, row, now)
    for service_id, row in open_rows.items():
        if service_id not in seen_services:
            written |= _recovering(uow, where, service_id, "", row, now, at_once=True)
    recipients = supervisor_emails(cat, where.code)
    for alert_id, name, body in emails:
        if not recipients:
            break
        with uow.write() as s:
            mine = os_.claim_email(s, alert_id)
        if mine:
            for to in recipients:
                devices.notify(
                    OutgoingMessage(
                        channel="email",
                        recipient=to,
                        subject=f"{where.name}: {name} heading for a breach of the standard",
                        body=body,
                        idempotency_key=f"breach:{alert_id}:{to}",
                    )
                )
    return written


def _recovering(
    uow: UnitOfWork,
    where: CentreRef,
    service_id: int,
    code: str,
    row: Any,
    now: datetime,
    at_once: bool = False,
) -> bool:
    if row.recovered_since is None and not at_once:
        with uow.write() as s:
            os_.save_alert(s, row.id, recovered_since=now, updated_at=now)
        return True
    if at_once or now - row.recovered_since >= RECOVERY:
        with uow.write() as s:
            if not os_.close_alert(s, row.id, now):
                return False  # another process closed it
            audit_log.audit(s, now, None, "alert.close", f"{where.code} {code or service_id}")
            # "Until the outlook recovers": the kiosk goes back to tickets first.
            if os_.set_kiosk_offer(s, where.id, service_id, False, now, None):
                audit_log.audit(s, now, None, "kiosk.offer-off", f"{where.code} {code}: recovered")
        return True
    return False


def _text(where: CentreRef, name: str, view: ServiceOutlookView, advice: dict[str, Advice]) -> str:
    share = "—" if view.projected_share is None else f"{view.projected_share:.0%}"
    lines = [
        f"{where.name}: {name} is heading for a breach of the waiting standard.",
        f"Projected share seen within standard by close: {share} (target {view.target_share:.0%}).",
        f"Chance a visitor arriving in the next 30 minutes waits too long: {view.risk_30:.0%}.",
    ]
    if view.first_breach_minutes is not None:
        lines.append(
            f"First visitor passes the threshold in about {view.first_breach_minutes:.0f} min."
        )
    found = advice.get(view.service)
    if found is not None and found.actions:
        lines.append("Advised:")
        lines += [f"- {a.title}: {a.effect}" for a in found.actions[:3]]
    lines.append("One message per episode; open the supervisor's view for the live picture.")
    return "\n".join(lines)
