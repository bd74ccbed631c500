"""The live state of every centre in a few statements: desks (who, what, since when),
waiting tickets, device alerts, breach alerts, notices to the desks and the kiosk's
offer flags. Read once per refresh for all centres together."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from frontdesk.store import oversight_store as os_
from frontdesk.store.catalogue import Catalogue
from frontdesk.store.engine import UnitOfWork

# Today's alert feed: episodes opened within this long (and any still open).
FEED_HOURS = 18


@dataclass(frozen=True, slots=True)
class LiveDesk:
    id: int
    name: str
    status: str
    configured: tuple[str, ...]
    today: tuple[str, ...] | None  # the logged-in console's services, in order
    staff_code: str | None
    staff_name: str | None
    since: datetime | None
    reason: str | None
    held_label: str | None
    held_status: str | None
    held_service: str | None
    held_called_at: datetime | None

    @property
    def services(self) -> tuple[str, ...]:
        return self.today if self.today else self.configured

    @property
    def holding(self) -> bool:
        return self.held_status in ("called", "serving")


@dataclass(frozen=True, slots=True)
class LiveWaiting:
    id: int
    service: str
    topic_id: int | None
    queued_at: datetime
    priority: bool
    target_desk_id: int | None
    quick: bool


@dataclass(frozen=True, slots=True)
class LiveCentre:
    desks: tuple[LiveDesk, ...] = ()
    waiting: tuple[LiveWaiting, ...] = ()
    device_alerts: tuple[str, ...] = ()
    offers: frozenset[str] = frozenset()

    def signature(self) -> tuple[Any, ...]:
        """Changes whenever what the outlook depends on changes."""
        return (
            tuple((d.name, d.status, d.services, d.held_label, d.held_status) for d in self.desks),
            tuple((w.id, w.quick) for w in self.waiting),
            tuple(sorted(self.offers)),
        )


@dataclass(frozen=True, slots=True)
class LiveState:
    at: datetime
    centres: dict[int, LiveCentre]
    alerts: tuple[Any, ...] = field(default_factory=tuple)  # breach_alert rows
    notices: tuple[Any, ...] = field(default_factory=tuple)  # supervisor_notice rows

    def of(self, centre_id: int) -> LiveCentre:
        return self.centres.get(centre_id, LiveCentre())


def _codes(text: str | None) -> tuple[str, ...]:
    return tuple(c for c in (text or "").split(",") if c)


def read_live(uow: UnitOfWork, cat: Catalogue, now: datetime) -> LiveState:
    by_id = cat.service_by_id
    centre_ids = [c.id for c in cat.centres.values()]
    code_of = {c.id: c.code for c in cat.centres.values()}
    with uow.read_core() as s:
        desks = os_.desks_everywhere(s, centre_ids)
        waiting = os_.waiting_everywhere(s, centre_ids)
        devices = os_.device_alerts(s)
        alerts = os_.alerts_since(s, now - timedelta(hours=FEED_HOURS))
        notices = os_.live_notices(s, now)
        offers = os_.kiosk_offers(s)
    per_desks: dict[int, list[LiveDesk]] = defaultdict(list)
    for r in desks:
        held = by_id[r.held_service_id].code if r.held_service_id in by_id else None
        per_desks[r.centre_id].append(
            LiveDesk(
                id=r.id,
                name=r.name,
                status=r.status,
                configured=_codes(r.configured),
                today=_codes(r.today) or None,
                staff_code=r.staff_code,
                staff_name=r.staff_name,
                since=r.since,
                reason=r.reason,
                held_label=r.held_label,
                held_status=r.held_status,
                held_service=held,
                held_called_at=r.held_called_at,
            )
        )
    per_waiting: dict[int, list[LiveWaiting]] = defaultdict(list)
    for w in waiting:
        if w.service_id in by_id:
            per_waiting[w.centre_id].append(
                LiveWaiting(
                    id=w.id,
                    service=by_id[w.service_id].code,
                    topic_id=w.topic_id,
                    queued_at=w.queued_at,
                    priority=w.priority is not None,
                    target_desk_id=w.target_desk_id,
                    quick=bool(w.quick),
                )
            )
    per_devices: dict[str, list[str]] = defaultdict(list)
    for h in devices:
        station = h.device_id.split("/", 1)[-1]
        per_devices[h.centre].append(f"{station}: {h.status}")
    per_offers: dict[int, set[str]] = defaultdict(set)
    for o in offers:
        if o.service_id in by_id:
            per_offers[o.centre_id].add(by_id[o.service_id].code)
    centres = {
        cid: LiveCentre(
            desks=tuple(per_desks.get(cid, ())),
            waiting=tuple(per_waiting.get(cid, ())),
            device_alerts=tuple(per_devices.get(code_of[cid], ())),
            offers=frozenset(per_offers.get(cid, ())),
        )
        for cid in centre_ids
    }
    return LiveState(at=now, centres=centres, alerts=tuple(alerts), notices=tuple(notices))
