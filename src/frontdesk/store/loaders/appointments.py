"""Load the appointments part of a centres file: rooms, types, specialists, surgeries."""

from __future__ import annotations

import json

from sqlmodel import Session, select

from frontdesk.config import CentresFile
from frontdesk.store.tables import AppointmentType, Centre, Room, Service, Setting, Specialist


def apply_appointments(session: Session, cfg: CentresFile) -> dict[str, int]:
    centres = {c.code: c.id for c in session.exec(select(Centre))}
    services = {s.code: s.id for s in session.exec(select(Service))}

    rooms = {(r.centre_id, r.name): r for r in session.exec(select(Room))}
    for r in rooms.values():
        r.active = False
    for cc in cfg.centre:
        cid = centres[cc.code]
        assert cid is not None
        for rc in cc.room:
            row = rooms.get((cid, rc.name)) or Room(centre_id=cid, name=rc.name)
            row.active = True
            session.add(row)

    types = {t.code: t for t in session.exec(select(AppointmentType))}
    for t in types.values():
        t.active = False
    for tc in cfg.appointment_type:
        sid = services[tc.service]
        assert sid is not None
        trow = types.get(tc.code) or AppointmentType(
            code=tc.code, name=tc.name, service_id=sid, skill=tc.skill
        )
        trow.name, trow.service_id, trow.skill = tc.name, sid, tc.skill
        trow.duration_minutes, trow.buffer_minutes = tc.duration_minutes, tc.buffer_minutes
        trow.private_room, trow.by_phone = tc.private_room, tc.by_phone
        trow.centres = ",".join(tc.centres)
        trow.bookable_days, trow.min_notice_minutes = tc.bookable_days, tc.min_notice_minutes
        trow.active = True
        session.add(trow)
        types[tc.code] = trow

    people = {p.code: p for p in session.exec(select(Specialist))}
    for p in people.values():
        p.active = False
    for sc in cfg.specialist:
        prow = people.get(sc.code) or Specialist(code=sc.code, name=sc.name)
        prow.name, prow.skills, prow.partner = sc.name, ",".join(sc.skills), None
        prow.patterns = json.dumps(
            [{"centre": p.centre, "desk": p.desk, "days": p.days} for p in sc.pattern]
        )
        prow.active = True
        session.add(prow)
    for su in cfg.surgery:
        # A partner surgery is a specialist whose only skill is its appointment type's.
        skill = next(t.skill for t in cfg.appointment_type if t.code == su.appointment_type)
        prow = people.get(su.code) or Specialist(code=su.code, name=su.name)
        prow.name, prow.skills, prow.partner = su.name, skill, su.partner
        prow.patterns = json.dumps([{"centre": su.centre, "desk": su.desk, "days": su.days}])
        prow.active = True
        session.add(prow)

    rules = cfg.appointments
    for key, value in {
        "appointments.checkin_early_minutes": rules.checkin_early_minutes,
        "appointments.checkin_late_minutes": rules.checkin_late_minutes,
        "appointments.no_show_after_minutes": rules.no_show_after_minutes,
        "appointments.contact_retention_days": rules.contact_retention_days,
    }.items():
        session.merge(Setting(key=key, value=str(value)))
    session.flush()
    return {
        "appointment_types": len(cfg.appointment_type),
        "specialists": len(cfg.specialist),
        "surgeries": len(cfg.surgery),
        "rooms": sum(len(c.room) for c in cfg.centre),
    }
