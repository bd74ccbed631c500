"""Load a validated centres file into the store.

Re-loading a changed file updates rows in place by their codes; anything no longer in the
file is marked inactive rather than deleted, so history keeps its references.
"""

from __future__ import annotations

import json
import uuid

from sqlmodel import Session, select

from frontdesk.config import CentresFile
from frontdesk.store.catalogue import VERSION_KEY
from frontdesk.store.loaders.appointments import apply_appointments
from frontdesk.store.tables import (
    Centre,
    CentreService,
    Desk,
    PriorityReason,
    Service,
    Setting,
    Topic,
)


def apply_centres(session: Session, cfg: CentresFile) -> dict[str, int]:
    """Upsert the file's council into the store; returns counts of what is active."""
    services = {s.code: s for s in session.exec(select(Service))}
    for s in services.values():
        s.active = False
    for sc in cfg.service:
        row = services.get(sc.code) or Service(code=sc.code, name=sc.name, prefix=sc.prefix)
        row.name, row.prefix, row.active = sc.name, sc.prefix, True
        row.mean_handling_seconds = sc.mean_handling_minutes * 60
        row.demand_share = sc.demand_share
        session.add(row)
        services[sc.code] = row
    session.flush()

    topics = {t.code: t for t in session.exec(select(Topic))}
    for t in topics.values():
        t.active = False
    for sc in cfg.service:
        for pos, tc in enumerate(sc.topic):
            sid = services[sc.code].id
            assert sid is not None
            trow = topics.get(tc.code) or Topic(code=tc.code, name=tc.name, service_id=sid)
            trow.name, trow.service_id, trow.quick = tc.name, sid, tc.quick
            trow.self_service_url, trow.position, trow.active = tc.self_service_url, pos, True
            session.add(trow)

    prios = {p.code: p for p in session.exec(select(PriorityReason))}
    for p in prios.values():
        p.active = False
    for pc in cfg.priority:
        prow = prios.get(pc.code) or PriorityReason(code=pc.code, name=pc.name)
        prow.name, prow.active = pc.name, True
        session.add(prow)

    settings = {
        # A new version on every load: running apps see their catalogue is out of date.
        VERSION_KEY: uuid.uuid4().hex,
        "council.name": cfg.council.name,
        "council.website": cfg.council.website or "",
        "council.require_pin_for_cli": "true" if cfg.council.require_pin_for_cli else "false",
        "queue.priority_run_limit": str(cfg.queue.priority_run_limit),
        "queue.no_show_grace_minutes": str(cfg.queue.no_show_grace_minutes),
        "queue.no_show_after_seconds": str(cfg.queue.no_show_after_seconds),
        "queue.repeat_visit_days": str(cfg.queue.repeat_visit_days),
        "queue.fcr_target": str(cfg.queue.fcr_target),
        "queue.interpreter_languages": ",".join(cfg.queue.interpreter_languages),
    }
    # The board's performance line, per centre (read through the catalogue's settings).
    settings.update({f"board.period.{cc.code}": cc.board_period for cc in cfg.centre})
    for cc in cfg.centre:
        settings[f"centre.{cc.code}.supervisor_emails"] = ",".join(cc.supervisor_emails)
        # What the board speaks and the name's forms per language (frontdesk.ui.grammar).
        settings[f"centre.{cc.code}.languages"] = ",".join(cc.languages)
        names = {code: forms.model_dump(exclude_none=True) for code, forms in cc.names.items()}
        settings[f"centre.{cc.code}.names"] = json.dumps(names, sort_keys=True, ensure_ascii=False)
    for key, value in settings.items():
        session.merge(Setting(key=key, value=value))

    centres = {c.code: c for c in session.exec(select(Centre))}
    for c in centres.values():
        c.active = False
    offered = {(o.centre_id, o.service_id): o for o in session.exec(select(CentreService))}
    for o in offered.values():
        o.active = False
    desks = {(d.centre_id, d.name): d for d in session.exec(select(Desk))}
    for d in desks.values():
        d.active = False
    for cc in cfg.centre:
        crow = centres.get(cc.code) or Centre(code=cc.code, name=cc.name)
        crow.name, crow.address, crow.timezone = cc.name, cc.address, cc.timezone
        crow.threshold_minutes = cc.standard.threshold_minutes
        crow.target_share = cc.standard.target_share
        crow.average_wait_minutes = cc.standard.average_wait_minutes
        crow.hours = json.dumps(cc.hours, sort_keys=True)
        crow.closures = json.dumps([d.isoformat() for d in cc.closures])
        crow.daily_visitors, crow.active = cc.daily_visitors, True
        session.add(crow)
        session.flush()
        cid = crow.id
        assert cid is not None
        for code in cc.services:
            sid = services[code].id
            assert sid is not None
            orow = offered.get((cid, sid)) or CentreService(centre_id=cid, service_id=sid)
            own = cc.service_standards.get(code)
            orow.threshold_minutes = own.threshold_minutes if own else None
            orow.target_share = own.target_share if own else None
            orow.active = True
            session.add(orow)
        for dc in cc.desk:
            drow = desks.get((cid, dc.name)) or Desk(centre_id=cid, name=dc.name)
            drow.services = ",".join(dc.services)
            drow.private_room, drow.active = dc.private_room, True
            session.add(drow)
    session.flush()
    more = apply_appointments(session, cfg)
    return {
        **more,
        "centres": len(cfg.centre),
        "services": len(cfg.service),
        "topics": sum(len(s.topic) for s in cfg.service),
        "desks": sum(len(c.desk) for c in cfg.centre),
        "priorities": len(cfg.priority),
    }
