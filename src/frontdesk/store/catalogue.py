"""Reference data (centres, services, desks, topics, priorities) read once per process.

It changes only when `frontdesk init` loads a centres file, so services keep a copy and
reload it when they meet a code they don't know.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, select

from frontdesk.store.tables import (
    Centre,
    CentreService,
    Desk,
    PriorityReason,
    Service,
    Setting,
    Topic,
    core_table,
)


@dataclass(frozen=True, slots=True)
class ServiceRef:
    id: int
    code: str
    name: str
    prefix: str
    mean_handling_seconds: float
    demand_share: float


@dataclass(frozen=True, slots=True)
class TopicRef:
    id: int
    code: str
    name: str
    service_code: str
    quick: bool
    self_service_url: str | None


@dataclass(frozen=True, slots=True)
class DeskRef:
    id: int
    name: str
    centre_code: str
    services: tuple[str, ...]
    private_room: bool


@dataclass(frozen=True, slots=True)
class CentreRef:
    id: int
    code: str
    name: str
    address: str
    timezone: str
    threshold_minutes: float
    target_share: float
    average_wait_minutes: float | None
    hours: dict[str, str]
    closures: tuple[str, ...]
    daily_visitors: int
    services: tuple[str, ...]
    service_standards: dict[str, tuple[float, float]]
    desks: dict[str, DeskRef] = field(default_factory=dict)

    @property
    def desk_names(self) -> dict[int, str]:
        return {d.id: d.name for d in self.desks.values()}


@dataclass(frozen=True, slots=True)
class Catalogue:
    centres: dict[str, CentreRef]
    services: dict[str, ServiceRef]
    topics: dict[str, TopicRef]
    priorities: dict[str, str]
    settings: dict[str, str]

    service_by_id: dict[int, ServiceRef] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Looked up on every call: built once.
        self.service_by_id.update({s.id: s for s in self.services.values()})


def load_catalogue(session: Session) -> Catalogue:
    services = {
        s.code: ServiceRef(
            id=s.id or 0,
            code=s.code,
            name=s.name,
            prefix=s.prefix,
            mean_handling_seconds=s.mean_handling_seconds,
            demand_share=s.demand_share,
        )
        for s in session.exec(select(Service).where(Service.active))
    }
    by_id = {s.id: s for s in services.values()}
    topics = {
        t.code: TopicRef(
            id=t.id or 0,
            code=t.code,
            name=t.name,
            service_code=by_id[t.service_id].code,
            quick=t.quick,
            self_service_url=t.self_service_url,
        )
        for t in session.exec(
            select(Topic).where(Topic.active).order_by(Topic.service_id, Topic.position)
        )
        if t.service_id in by_id
    }
    offered: dict[int, list[CentreService]] = {}
    for cs in session.exec(select(CentreService).where(CentreService.active)):
        offered.setdefault(cs.centre_id, []).append(cs)
    desks: dict[int, list[Desk]] = {}
    for d in session.exec(select(Desk).where(Desk.active).order_by(Desk.id)):
        desks.setdefault(d.centre_id, []).append(d)
    centres: dict[str, CentreRef] = {}
    for c in session.exec(select(Centre).where(Centre.active).order_by(Centre.id)):
        cid = c.id or 0
        rows = sorted(offered.get(cid, []), key=lambda cs: cs.service_id)
        centres[c.code] = CentreRef(
            id=cid,
            code=c.code,
            name=c.name,
            address=c.address,
            timezone=c.timezone,
            threshold_minutes=c.threshold_minutes,
            target_share=c.target_share,
            average_wait_minutes=c.average_wait_minutes,
            hours=json.loads(c.hours),
            closures=tuple(json.loads(c.closures)),
            daily_visitors=c.daily_visitors,
            services=tuple(by_id[cs.service_id].code for cs in rows if cs.service_id in by_id),
            service_standards={
                by_id[cs.service_id].code: (cs.threshold_minutes, cs.target_share)
                for cs in rows
                if cs.service_id in by_id
                and cs.threshold_minutes is not None
                and cs.target_share is not None
            },
            desks={
                d.name: DeskRef(
                    id=d.id or 0,
                    name=d.name,
                    centre_code=c.code,
                    services=tuple(s for s in d.services.split(",") if s),
                    private_room=d.private_room,
                )
                for d in desks.get(cid, [])
            },
        )
    priorities = {
        p.code: p.name for p in session.exec(select(PriorityReason).where(PriorityReason.active))
    }
    settings = {s.key: s.value for s in session.exec(select(Setting))}
    return Catalogue(centres, services, topics, priorities, settings)


# Set to a new value by every `frontdesk init`: a process holding the catalogue compares
# it to see that the centres file was loaded again (changed hours, a new desk).
VERSION_KEY = "catalogue.version"


def stored_version(conn: Any) -> str | None:
    """The catalogue version in the store (one indexed read, for a cache to compare)."""
    table = core_table(Setting)
    row = conn.execute(sa_select(table.c.value).where(table.c.key == VERSION_KEY)).first()
    return None if row is None else str(row[0])
